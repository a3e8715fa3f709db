import datetime

from django.core.management.base import BaseCommand, CommandError

from reminders import services


class Command(BaseCommand):
    help = "Record and send the reminders due on a day (today by default)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would go out, and to whom; write nothing.",
        )
        parser.add_argument("--date", help="The day to sweep, YYYY-MM-DD (default: today).")

    def handle(self, *args, dry_run=False, date=None, **options):
        try:
            today = datetime.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError("--date must be YYYY-MM-DD")
        if dry_run:
            planned = services.reminders_plan(today=today)
            new = [p for p in planned if not p.already_recorded]
            for p in planned:
                r = p.reminder
                mark = " (already recorded)" if p.already_recorded else ""
                self.stdout.write(
                    f"{r.kind:<20} {r.occasion:<16} due {r.due_on}  {r.partnership.reference}  "
                    f"{p.due.subject}  -> {r.recipient.full_name} <{r.recipient.email}>{mark}"
                )
            self.stdout.write(
                f"{len(new)} reminder(s) would go out; {len(planned) - len(new)} already recorded."
            )
            return
        counts = {}
        for pk in services.reminders_sweep(today=today):
            outcome = services.reminder_send(reminder_id=pk, today=today)
            counts[outcome] = counts.get(outcome, 0) + 1
        summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing to send"
        self.stdout.write(summary)
