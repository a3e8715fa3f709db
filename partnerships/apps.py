from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from django_fsm.signals import post_transition

        from actors.views import register_detail_context

        from .audit import admin as audit_admin  # noqa: F401  (the read-only audit trail admin)
        from .lifecycle import gate_items
        from .models import tallies
        from .phases import checklists as phase_checklists
        from .phases import services as phase_services
        from .views.partnership import organisation_partnerships

        register_detail_context(organisation_partnerships)
        tallies.register(self.get_model("Partnership"))

        # Agreement versions: frozen when the design gate passes, reopened on renegotiation.
        post_transition.connect(
            phase_services.on_post_transition,
            sender=self.get_model("Partnership"),
            dispatch_uid="partnerships.agreement_versions",
        )
        gate_items.register_all()  # the lifecycle's own items lead each checklist
        phase_checklists.register_all()
