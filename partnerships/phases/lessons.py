"""The lessons library: what assessments and closures learnt, searchable across the partnerships
a person may see."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from ..models import (
    Assessment,
    ClosureNote,
    Partnership,
)

# ----- lessons library -------------------------------------------------------------------------


@dataclass
class Lesson:
    partnership: Partnership
    source: str  # "assessment" or "closure"
    text: str
    date: datetime.date
    outcome: str
    outcome_label: str


LESSON_OUTCOMES = [
    ("continue", gettext_lazy("Assessment: continue")),
    ("renegotiate", gettext_lazy("Assessment: renegotiate")),
    ("close", gettext_lazy("Assessment: close")),
    ("terminated", gettext_lazy("Closed: terminated")),
    ("transferred", gettext_lazy("Closed: transferred")),
    ("continued", gettext_lazy("Closed: continued as a new partnership")),
]


def lessons_search(
    user,
    *,
    text: str = "",
    dac_sector: str = "",
    actor_sector: str = "",
    country: str = "",
    modality: str = "",
    outcome: str = "",
) -> list[Lesson]:
    """Lessons learned in assessments and closures of the partnerships ``user`` may see."""
    from django.db.models import Q

    from ..models import ClosureOutcome, Recommendation

    partnerships = Partnership.objects.visible_to(user)
    if dac_sector:
        partnerships = partnerships.filter(dac_sector=dac_sector)
    if actor_sector:
        partnerships = partnerships.filter(members__organisation__sector=actor_sector)
    if country:
        partnerships = partnerships.filter(country=country)
    if modality:
        partnerships = partnerships.filter(modality=modality)
    ids = partnerships.values("pk")

    assessments = (
        Assessment.objects.filter(partnership__in=ids)
        .exclude(lessons_learned="")
        .select_related("partnership")
    )
    closures = (
        ClosureNote.objects.filter(partnership__in=ids)
        .exclude(lessons_learned="")
        .select_related("partnership")
    )
    if text:
        assessments = assessments.filter(
            Q(lessons_learned__icontains=text)
            | Q(partnership__title__icontains=text)
            | Q(wanted_results__icontains=text)
            | Q(unwanted_results__icontains=text)
        )
        closures = closures.filter(
            Q(lessons_learned__icontains=text)
            | Q(partnership__title__icontains=text)
            | Q(final_summary__icontains=text)
        )
    if outcome in Recommendation.values:
        assessments = assessments.filter(recommendation=outcome)
        closures = closures.none()
    elif outcome in ClosureOutcome.values:
        assessments = assessments.none()
        closures = closures.filter(partnership__closure_outcome=outcome)
    lessons = [
        Lesson(
            a.partnership,
            "assessment",
            a.lessons_learned,
            (a.period_end or a.created_at.date()),
            a.recommendation,
            a.get_recommendation_display(),
        )
        for a in assessments
    ] + [
        Lesson(
            c.partnership,
            "closure",
            c.lessons_learned,
            c.partnership.closed_on or c.updated_at.date(),
            c.partnership.closure_outcome,
            c.partnership.get_closure_outcome_display(),
        )
        for c in closures
    ]
    lessons.sort(key=lambda lesson: (lesson.date, lesson.partnership.pk), reverse=True)
    return lessons
