from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from django_fsm.signals import post_transition

        from . import phase_checklists, phase_services

        # Agreement versions: frozen when the design gate passes, reopened on renegotiation.
        post_transition.connect(
            phase_services.on_post_transition,
            sender=self.get_model("Partnership"),
            dispatch_uid="partnerships.agreement_versions",
        )
        phase_checklists.register_all()
