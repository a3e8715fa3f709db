"""Receivers connected in ``RemindersConfig.ready()``; each only writes rows."""

from partnerships.models import Phase

from . import schedule


def on_partnership_transition(sender, instance, name, source, target, **kwargs):
    if kwargs.get("exception") is not None:
        return
    if target == Phase.OPERATION:
        schedule.assessment_schedule_sync(
            partnership=instance, after_assessment=source == Phase.ASSESSMENT
        )
    elif target == Phase.ASSESSMENT:
        schedule.assessment_schedule_cover(partnership=instance)
