from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RisksConfig(AppConfig):
    name = "risks"
    verbose_name = _("Risks")

    def ready(self):
        from partnerships import checklists, tallies

        from . import checks

        tallies.register(self.get_model("Risk"))

        checklists.register("start_operation", checks.high_risks_owned)
        checklists.register_agreed_content(checks.agreed_risks, layout=checks.AGREED_LAYOUT)
