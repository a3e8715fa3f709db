"""Load the demo data of every app, in INSTALLED_APPS order, in one transaction.

Each app that has demo data provides ``<app>/demo.py`` with ``load(stdout)``; the first to
define ``logins()`` (actors) lists the demo logins printed at the end. Every loader looks rows up
by their natural keys, so running the command again changes nothing.
"""

import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


def demo_modules():
    """The ``demo`` modules of the installed apps, in INSTALLED_APPS order."""
    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return modules


class Command(BaseCommand):
    help = "Load the demo organisations, users and partnerships (safe to run again)."

    def handle(self, *args, **options):
        modules = demo_modules()
        with transaction.atomic():
            for module in modules:
                self.stdout.write(f"Loading {module.__name__} ...")
                module.load(self.stdout)
        rows = []
        for module in modules:
            if hasattr(module, "logins"):
                rows.extend(module.logins())
        if rows:
            self.stdout.write(self.style.SUCCESS("\nDemo logins:"))
            width = max(len(r[0]) for r in rows)
            for email, password, role, organisation in rows:
                self.stdout.write(f"  {email:<{width}}  {password}  {role} ({organisation})")
