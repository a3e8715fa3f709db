from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = _("Risks")

    def ready(self):
        from partnerships import exports, services
        from partnerships.amendments import parts as amended_parts
        from partnerships.lifecycle import checklists
        from partnerships.models import tallies

        from . import checks
        from .amendments import AmendedRisks
        from .exports import risks_rows

        tallies.register(self.get_model("Risk"))
        exports.register_dataset("risks", _("Risks and their reviews"), risks_rows)

        checklists.register("start_operation", checks.high_risks_owned)
        checklists.register_agreed_content(checks.agreed_risks, layout=checks.AGREED_LAYOUT)
        services.register_member_dependant(checks.OwnedRisks)
        amended_parts.register(AmendedRisks)

        # Every change of a risk or a review is an audit entry (partnerships.audit.tracking).
        from partnerships.audit.tracking import CREATED, track

        track(self.get_model("Risk"))
        track(
            self.get_model("RiskReview"), on=(CREATED,), partnership=lambda r: r.risk.partnership_id
        )
