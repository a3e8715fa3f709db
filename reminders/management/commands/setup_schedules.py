from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask


class Command(BaseCommand):
    help = (
        "Create the default periodic tasks (settings.ALIANZA_PERIODIC_TASKS) in "
        "django_celery_beat, where administrators can see and adjust them. Existing tasks are "
        "left as administrators set them unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Overwrite existing schedules.")

    @transaction.atomic
    def handle(self, *args, reset=False, **options):
        for name, spec in settings.ALIANZA_PERIODIC_TASKS.items():
            if "crontab" in spec:
                schedule, _ = CrontabSchedule.objects.get_or_create(
                    timezone=settings.CELERY_TIMEZONE,
                    **{k: str(v) for k, v in spec["crontab"].items()},
                )
                kind = {"crontab": schedule, "interval": None}
            else:
                schedule, _ = IntervalSchedule.objects.get_or_create(
                    every=spec["every"], period=spec.get("period", IntervalSchedule.SECONDS)
                )
                kind = {"interval": schedule, "crontab": None}
            defaults = {"task": spec["task"], "enabled": True, **kind}
            task = PeriodicTask.objects.filter(name=name).first()
            if task is None:
                PeriodicTask.objects.create(name=name, **defaults)
                self.stdout.write(f"created {name}")
            elif reset:
                for field, value in defaults.items():
                    setattr(task, field, value)
                task.save()
                self.stdout.write(f"reset {name}")
            else:
                self.stdout.write(f"kept {name}")
