"""A person's private iCalendar feed: the due dates of the partnerships they may see."""

import datetime

import icalendar
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from actors.links import absolute_url
from partnerships.exports.text import ical_text
from partnerships.gates import transition_label
from partnerships.models import (
    Activity,
    ActivityStatus,
    Contribution,
    GateRequest,
    GateStatus,
    Partnership,
)

from .models import AssessmentDue

# Past events older than this are left out; the feed stays small.
PAST_DAYS = 90


def _event(uid: str, day: datetime.date, summary: str, description: str, url: str, stamp):
    event = icalendar.Event()
    event.add("uid", f"{uid}@alianza")
    event.add("dtstamp", stamp)
    event.add("dtstart", day)
    event.add("dtend", day + datetime.timedelta(days=1))
    event.add("summary", ical_text(summary))
    if description:
        event.add("description", ical_text(description))
    event.add("url", absolute_url(url))
    event.add("transp", "TRANSPARENT")
    return event


def feed_for(user) -> bytes:
    """The iCalendar text for ``user``: one query per kind of date, over visible partnerships."""
    today = timezone.localdate()
    since = today - datetime.timedelta(days=PAST_DAYS)
    stamp = timezone.now()
    visible = Partnership.objects.visible_to(user).values("pk")
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Alianza//Reminders//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Alianza")
    with translation.override(user.language or settings.LANGUAGE_CODE):
        for due in AssessmentDue.objects.filter(
            partnership__in=visible, due_on__gte=since
        ).select_related("partnership"):
            summary = _("Assessment due: %(p)s") % {"p": due.partnership}
            if due.done:
                summary = _("Assessment (done): %(p)s") % {"p": due.partnership}
            cal.add_component(
                _event(
                    f"assessment-{due.pk}",
                    due.due_on,
                    summary,
                    "",
                    due.partnership.get_absolute_url(),
                    stamp,
                )
            )
        for activity in (
            Activity.objects.filter(partnership__in=visible, ends_on__gte=since)
            .exclude(status=ActivityStatus.CANCELLED)
            .select_related("partnership")
        ):
            cal.add_component(
                _event(
                    f"activity-{activity.pk}",
                    activity.ends_on,
                    _("Activity ends: %(a)s") % {"a": activity.title},
                    str(activity.partnership),
                    activity.partnership.get_absolute_url(),
                    stamp,
                )
            )
        after = datetime.timedelta(days=settings.ALIANZA_GATE_REMINDER_AFTER_DAYS)
        for gate in GateRequest.objects.filter(
            partnership__in=visible, status=GateStatus.OPEN
        ).select_related("partnership"):
            cal.add_component(
                _event(
                    f"gate-{gate.pk}",
                    timezone.localtime(gate.requested_at).date() + after,
                    _("Sign-off expected: %(p)s") % {"p": gate.partnership},
                    transition_label(gate.transition),
                    gate.partnership.get_absolute_url(),
                    stamp,
                )
            )
        for contribution in Contribution.objects.filter(
            partnership__in=visible, period_end__gte=since
        ).select_related("partnership", "member__organisation"):
            cal.add_component(
                _event(
                    f"contribution-{contribution.pk}",
                    contribution.period_end,
                    _("Contribution period ends: %(m)s") % {"m": contribution.member.organisation},
                    f"{contribution.description} ({contribution.partnership})",
                    contribution.partnership.get_absolute_url(),
                    stamp,
                )
            )
        from risks.models import Risk, Status

        for risk in Risk.objects.filter(
            partnership__in=visible,
            next_review_on__gte=since,
            status__in=[Status.OPEN, Status.OCCURRED],
        ).select_related("partnership"):
            cal.add_component(
                _event(
                    f"risk-{risk.pk}",
                    risk.next_review_on,
                    _("Risk review: %(r)s") % {"r": risk.title},
                    str(risk.partnership),
                    risk.partnership.get_absolute_url(),
                    stamp,
                )
            )
    return cal.to_ical()
