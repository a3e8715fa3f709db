from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Partnerships")

    def ready(self):
        from actors.views import register_detail_context

        from . import admin_audit  # noqa: F401  (the read-only audit trail admin)
        from .views import organisation_partnerships

        register_detail_context(organisation_partnerships)
