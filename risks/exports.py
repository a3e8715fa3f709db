"""The risk register as a dataset of the exports (``partnerships.exports``): long shape, one row
per rating of a risk (identified, each review, each correction, the closure), so the history of
every score reads as a column and the latest row of a risk is where it stands."""

from django.utils import timezone

from partnerships.exports import PARTNERSHIP_COLUMNS, partnership_cells

from .models import Risk, RiskReview

COLUMNS = [
    *PARTNERSHIP_COLUMNS,
    "risk_id",
    "risk",
    "family",
    "category",
    "phase_identified",
    "owner",
    "mitigation",
    "contingency",
    "next_review_on",
    "observation",
    "date",
    "likelihood",
    "impact",
    "score",
    "status",
    "note",
]


def risks_rows(partnerships):
    def rows():
        qs = (
            Risk.objects.filter(partnership__in=partnerships)
            .select_related("partnership", "owner__organisation")
            .order_by("partnership__reference", "-score", "title", "pk")
        )
        reviews: dict[int, list[RiskReview]] = {}
        for r in RiskReview.objects.filter(risk__in=qs).order_by("reviewed_on", "pk"):
            reviews.setdefault(r.risk_id, []).append(r)
        for risk in qs:
            head = [
                *partnership_cells(risk.partnership),
                risk.pk,
                risk.title,
                risk.family.value,
                risk.category,
                risk.phase_identified,
                risk.owner.organisation.name if risk.owner else "",
                risk.mitigation,
                risk.contingency,
                risk.next_review_on,
            ]
            history = reviews.get(risk.pk)
            if not history:
                # Recorded without the services (an import, say): its own ratings stand alone.
                yield [
                    *head,
                    "identified",
                    timezone.localtime(risk.created_at).date(),
                    risk.likelihood,
                    risk.impact,
                    risk.score,
                    risk.status,
                    "",
                ]
            for r in history or []:
                yield [
                    *head,
                    r.kind,
                    r.reviewed_on,
                    r.likelihood,
                    r.impact,
                    r.score,
                    r.status,
                    r.note,
                ]

    return COLUMNS, rows()
