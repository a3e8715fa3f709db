"""Events of the sign-off that apps above ``partnerships`` react to (reports, reminders).

Sent inside the transaction of the change, so a receiver that writes rows writes them atomically
with it. Receivers connect in their ``AppConfig.ready()``.
"""

from django.dispatch import Signal

# A gate request was opened: kwargs ``gate_request``.
gate_requested = Signal()
# A gate request was approved (after its transition) or refused: kwargs ``gate_request``.
gate_decided = Signal()
# The parties signed an amendment and it was merged into the agreement: kwargs ``amendment``,
# ``gate_request`` (its sign-off), ``content`` (the agreed content as merged).
amendment_signed = Signal()
