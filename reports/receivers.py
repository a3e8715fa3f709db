"""Where changes in ``partnerships`` start work here: the only signal receivers of this app.

Each receiver only writes a document request, inside the transaction of the change that
causes it (both signals are sent inside it); the rendering happens after the commit.
"""

from . import services


def on_gate_requested(sender, gate_request, **kwargs):
    """The design gate is requested: a draft of the agreement, from the content it froze."""
    if gate_request.transition == "start_operation":
        services.document_request_agreement_draft(gate_request=gate_request)


def on_post_transition(sender, instance, name, source, target, **kwargs):
    """The design gate is passed: the final agreement; the partnership closes: its report."""
    if name == "start_operation":
        services.document_request_agreement(partnership=instance)
    elif name == "close":
        services.document_request_closure(partnership=instance)


def on_amendment_signed(sender, amendment, gate_request, **kwargs):
    """An amendment is signed: the agreement's next version, "Amendment N"."""
    services.document_request_agreement(
        partnership=amendment.partnership, gate_request=gate_request
    )
