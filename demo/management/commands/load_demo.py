"""Load the demo: the data files under ``demo/data/``, replayed through the services.

The files are read and checked first (a bad reference or a missing field stops the command with
the file and key at fault, before anything is written), then loaded in one transaction. Rows
already there are left alone, so running the command again changes nothing.
"""

from django.core.management.base import BaseCommand, CommandError

from demo import dataset, loader
from demo.checks import DemoDataError


class Command(BaseCommand):
    help = "Load the demo organisations, users and partnerships (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--queue-documents",
            action="store_true",
            help="Request the demo's PDFs but leave them queued for a worker (faster).",
        )

    def handle(self, *args, **options):
        try:
            data = dataset.read()
            loader.load(
                stdout=self.stdout, dataset=data, queue_documents=options["queue_documents"]
            )
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        rows = loader.logins(data)
        if rows:
            self.stdout.write(self.style.SUCCESS("\nDemo logins:"))
            width = max(len(r[0]) for r in rows)
            for email, password, role, organisation in rows:
                self.stdout.write(f"  {email:<{width}}  {password}  {role} ({organisation})")
