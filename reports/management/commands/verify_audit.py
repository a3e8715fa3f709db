"""Check the audit trail: its keyed hash chain and every signed checkpoint of its head."""

from django.core.management.base import BaseCommand, CommandError

from reports import checkpoints


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain and its signed checkpoints; report every problem. "
        "With --checkpoint, write a new checkpoint when the trail holds."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--checkpoint", action="store_true", help="Record the trail's head when it holds."
        )

    def handle(self, *args, checkpoint=False, **options):
        report = checkpoints.verify()
        if not report.intact:
            raise CommandError(
                "Audit trail check failed:\n"
                + "\n".join(f"- {problem}" for problem in report.problems)
                + "\nEntries from the first problem on cannot be trusted."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit trail intact: {report.entries} entries verified against "
                f"{report.checkpoints} signed checkpoint(s)."
            )
        )
        if checkpoint:
            written = checkpoints.write(reason="manage.py verify_audit --checkpoint")
            if written is not None:
                self.stdout.write(f"Checkpoint written: {written.name} (entry {written.seq}).")
