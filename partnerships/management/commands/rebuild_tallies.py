from django.core.management.base import BaseCommand

from partnerships.models import tallies


class Command(BaseCommand):
    help = (
        "Recount the tallies (partnerships by phase, risks by cell) from their rows, after a "
        "bulk load or raw SQL that bypassed them; --check only reports the differences."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Report differences, change nothing."
        )

    def handle(self, *args, check: bool, **options):
        wrong = tallies.drift()
        for name, keys in wrong.items():
            for key, (tallied, counted) in sorted(keys.items()):
                self.stdout.write(f"{name}[{key}]: tallied {tallied}, counted {counted}")
        if check:
            if wrong:
                self.stdout.write(self.style.WARNING("The tallies differ from the rows."))
                raise SystemExit(1)
            self.stdout.write(self.style.SUCCESS("The tallies match the rows."))
            return
        totals = tallies.rebuild()
        summary = ", ".join(f"{name}: {sum(c.values())} rows" for name, c in totals.items())
        self.stdout.write(self.style.SUCCESS(f"Tallies rebuilt ({summary})."))
