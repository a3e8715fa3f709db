"""Write operations on the risk register: one function per business action.

Each validates everything first and raises ``ValidationError`` with a message per field (so a
form can show it next to the field), and writes nothing unless all is well. Every change of a
risk's ratings writes a ``RiskReview`` row in the same transaction, so the history of its score
is complete.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.dates import validate_sensible_date
from partnerships import gates
from partnerships.models import Partnership

from .models import (
    RATING_MAX,
    RATING_MIN,
    Category,
    ReviewKind,
    Risk,
    RiskReview,
    Status,
)

EDITABLE_FIELDS = (
    "title",
    "description",
    "category",
    "phase_identified",
    "likelihood",
    "impact",
    "owner",
    "mitigation",
    "contingency",
    "status",
    "next_review_on",
)


def _check_rating(errors: dict, name: str, value) -> None:
    label = _("Likelihood") if name == "likelihood" else _("Impact")
    if value is None or value == "":
        errors[name] = _("%(label)s is required (1 to 5).") % {"label": label}
        return
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if (
        number is None
        or str(number) != str(value).strip()
        or not RATING_MIN <= number <= RATING_MAX
    ):
        errors[name] = _("%(label)s must be a whole number from %(min)s to %(max)s.") % {
            "label": label,
            "min": RATING_MIN,
            "max": RATING_MAX,
        }


def _check_next_review(errors: dict, value, today: datetime.date) -> None:
    if value is not None and value < today:
        errors["next_review_on"] = _(
            "The next review date (%(date)s) is in the past; choose today or a later date."
        ) % {"date": value.isoformat()}


def _check_sensible_date(errors: dict, name: str, value) -> None:
    """The model fields' range (``actors.dates``), for dates that reach no model form."""
    if value is None or name in errors:
        return
    try:
        validate_sensible_date(value)
    except ValidationError as exc:
        errors[name] = exc.messages[0]


def _check_owner(errors: dict, owner, partnership_id: int) -> None:
    if owner is not None and owner.partnership_id != partnership_id:
        errors["owner"] = _(
            "%(organisation)s is not a member of this partnership; the owner must be one."
        ) % {"organisation": owner.organisation}


def _check_writable(partnership: Partnership) -> None:
    if partnership.is_read_only:
        raise ValidationError(
            _("The partnership is %(phase)s; its risk register can no longer change.")
            % {"phase": partnership.get_phase_display().lower()}
        )


def _validate(risk: Risk, errors: dict, *, today: datetime.date, check_next_review: bool) -> None:
    _check_rating(errors, "likelihood", risk.likelihood)
    _check_rating(errors, "impact", risk.impact)
    _check_owner(errors, risk.owner, risk.partnership_id)
    if check_next_review:
        _check_next_review(errors, risk.next_review_on, today)
    if not (risk.title or "").strip():
        errors["title"] = _("Give the risk a short title.")
    if risk.category not in Category.values:
        errors["category"] = _("Choose a category.")
    try:
        risk.full_clean(exclude=["partnership", "owner", *errors])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


def _agreed_content_saved(partnership: Partnership, by) -> None:
    # Risks with an owner are part of the signed agreement (checks.agreed_risks): a change to
    # one voids approvals of an open sign-off and, after signing, is audited as its author's.
    gates.agreed_content_saved(partnership=partnership, by=by)


@transaction.atomic
def risk_create(*, partnership: Partnership, by, **fields) -> Risk:
    """Add a risk to ``partnership``'s register and record its first rating.

    ``fields`` are among ``EDITABLE_FIELDS``; the phase identified defaults to the partnership's
    current phase.
    """
    _check_writable(partnership)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown risk fields: {', '.join(sorted(unknown))}")
    fields.setdefault("phase_identified", partnership.phase)
    risk = Risk(partnership=partnership, **fields)
    _validate(risk, {}, today=timezone.localdate(), check_next_review=True)
    risk.save()
    RiskReview.objects.create(
        risk=risk,
        kind=ReviewKind.IDENTIFIED,
        reviewer=by,
        likelihood=risk.likelihood,
        impact=risk.impact,
        status=risk.status,
        note=_("Identified."),
    )
    risk.refresh_from_db(fields=["score"])
    _agreed_content_saved(risk.partnership, by)
    return risk


@transaction.atomic
def risk_update(*, risk: Risk, by, **fields) -> Risk:
    """Change a risk's content; a change of ratings is recorded in its history.

    Takes a row lock on the risk. Closing goes through ``risk_close``.
    """
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown risk fields: {', '.join(sorted(unknown))}")
    locked = Risk.objects.select_for_update().select_related("partnership").get(pk=risk.pk)
    _check_writable(locked.partnership)
    errors = {}
    if locked.status == Status.CLOSED:
        raise ValidationError(_("This risk is closed; it can no longer change."))
    if fields.get("status") == Status.CLOSED:
        errors["status"] = _("Use “Close” to close a risk.")
    before = (locked.likelihood, locked.impact)
    old_next_review = locked.next_review_on
    for name, value in fields.items():
        setattr(locked, name, value)
    # An overdue date already on the risk may stay; a newly chosen one must not be in the past.
    _validate(
        locked,
        errors,
        today=timezone.localdate(),
        check_next_review=locked.next_review_on != old_next_review,
    )
    locked.save()
    if (locked.likelihood, locked.impact) != before:
        RiskReview.objects.create(
            risk=locked,
            kind=ReviewKind.EDIT,
            reviewer=by,
            likelihood=locked.likelihood,
            impact=locked.impact,
            status=locked.status,
        )
    locked.refresh_from_db(fields=["score"])
    _agreed_content_saved(locked.partnership, by)
    return locked


@transaction.atomic
def risk_review(
    *,
    risk: Risk,
    by,
    likelihood,
    impact,
    note: str = "",
    status: str | None = None,
    reviewed_on: datetime.date | None = None,
    next_review_on: datetime.date | None = None,
) -> RiskReview:
    """Record a review and set the risk's ratings (and status, next review date) from it.

    Takes a row lock on the risk so that two reviews at once are both kept, in order.
    """
    today = timezone.localdate()
    locked = Risk.objects.select_for_update().select_related("partnership").get(pk=risk.pk)
    _check_writable(locked.partnership)
    if locked.status == Status.CLOSED:
        raise ValidationError(_("This risk is closed; it can no longer be reviewed."))
    errors = {}
    _check_rating(errors, "likelihood", likelihood)
    _check_rating(errors, "impact", impact)
    reviewed_on = reviewed_on or today
    if reviewed_on > today:
        errors["reviewed_on"] = _("A review cannot be dated in the future.")
    _check_next_review(errors, next_review_on, today)
    _check_sensible_date(errors, "reviewed_on", reviewed_on)
    _check_sensible_date(errors, "next_review_on", next_review_on)
    status = status or locked.status
    if status not in Status.values:
        errors["status"] = _("Choose a status.")
    elif status == Status.CLOSED:
        errors["status"] = _("Use “Close” to close a risk.")
    if errors:
        raise ValidationError(errors)
    review = RiskReview.objects.create(
        risk=locked,
        kind=ReviewKind.REVIEW,
        reviewed_on=reviewed_on,
        reviewer=by,
        likelihood=int(likelihood),
        impact=int(impact),
        note=note,
        status=status,
    )
    locked.likelihood = int(likelihood)
    locked.impact = int(impact)
    locked.status = status
    locked.next_review_on = next_review_on
    locked.save(update_fields=["likelihood", "impact", "status", "next_review_on", "updated_at"])
    locked.refresh_from_db(fields=["score"])
    risk.__dict__.update(
        likelihood=locked.likelihood,
        impact=locked.impact,
        status=locked.status,
        next_review_on=locked.next_review_on,
        score=locked.score,
        updated_at=locked.updated_at,
    )
    review.refresh_from_db(fields=["score"])
    _agreed_content_saved(locked.partnership, by)
    return review


@transaction.atomic
def risk_close(*, risk: Risk, by, note: str = "") -> Risk:
    """Close a risk that no longer applies; the closure is the last row of its history."""
    locked = Risk.objects.select_for_update().select_related("partnership").get(pk=risk.pk)
    _check_writable(locked.partnership)
    if locked.status == Status.CLOSED:
        raise ValidationError(_("This risk is already closed."))
    locked.status = Status.CLOSED
    locked.next_review_on = None
    locked.save(update_fields=["status", "next_review_on", "updated_at"])
    RiskReview.objects.create(
        risk=locked,
        kind=ReviewKind.CLOSURE,
        reviewer=by,
        likelihood=locked.likelihood,
        impact=locked.impact,
        status=Status.CLOSED,
        note=note,
    )
    _agreed_content_saved(locked.partnership, by)
    return locked
