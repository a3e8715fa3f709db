from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        # The one place where this app listens to the lifecycle: entering operation (re)writes
        # the assessment schedule, entering assessment marks the dates it covers as done.
        # The receiver only writes rows, inside the transition's transaction.
        from django_fsm.signals import post_transition

        from partnerships.models import Partnership

        from .receivers import on_partnership_transition

        post_transition.connect(
            on_partnership_transition,
            sender=Partnership,
            dispatch_uid="reminders.assessment_schedule",
        )
