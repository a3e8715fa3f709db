from django.core.management.base import BaseCommand, CommandError

from partnerships.audit import verify


class Command(BaseCommand):
    help = "Check the audit trail's hash chain and report the first broken link."

    def handle(self, *args, **options):
        checked, broken = verify()
        if broken:
            raise CommandError(
                f"Audit trail broken after {checked} good entries: {broken}. "
                f"Entries from id={broken.entry_id} on cannot be trusted."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {checked} entries verified."))
