from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The top layer: the demo data and the bulk seeder. No models; nothing imports it."""

    name = "demo"
    verbose_name = _("Demo data")
