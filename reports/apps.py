from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from django_fsm.signals import post_transition

        from partnerships.models import Partnership
        from partnerships.signals import amendment_signed, gate_requested

        from . import receivers

        gate_requested.connect(receivers.on_gate_requested, dispatch_uid="reports.gate_requested")
        amendment_signed.connect(
            receivers.on_amendment_signed, dispatch_uid="reports.amendment_signed"
        )
        post_transition.connect(
            receivers.on_post_transition,
            sender=Partnership,
            dispatch_uid="reports.post_transition",
        )
