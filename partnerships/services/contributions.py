"""Deliveries against planned contributions: who may record them and what a valid one is."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Contribution, Delivery

# A delivery may be dated a day ahead of the server's date: whoever records it may live in a
# time zone that is already tomorrow.
DELIVERY_DATE_SLACK = datetime.timedelta(days=1)


def delivery_problems(
    *, contribution: Contribution, amount: Decimal, delivered_on: datetime.date, note: str
) -> dict[str, list[str]]:
    """What is wrong with a delivery, by field (empty: nothing): the page form and the API
    show the same messages, because both come here through ``contribution_record_delivery``."""
    problems: dict[str, list[str]] = {}
    if delivered_on and delivered_on > timezone.localdate() + DELIVERY_DATE_SLACK:
        problems["delivered_on"] = [_("A delivery cannot be recorded in the future.")]
    if amount is not None and amount > 0:
        total = contribution.delivered_amount + amount
        # Delivering more than promised happens (a bigger venue, a third nutritionist), but it
        # is then a fact the partners should read about, not a silent jump in the figures.
        if total > contribution.planned_amount and not (note or "").strip():
            problems["note"] = [
                _(
                    "This brings the delivered total to %(total)s, more than the %(planned)s "
                    "planned: say why in the note."
                )
                % {
                    "total": f"{total:.2f}",
                    "planned": f"{contribution.planned_amount:.2f}",
                }
            ]
    return problems


@transaction.atomic
def contribution_record_delivery(
    *, contribution: Contribution, amount: Decimal, delivered_on: datetime.date, by, note=""
) -> Delivery:
    """Record a delivery and add it to the contribution's running total atomically.

    The one door for the page, the API and the demo. ``by`` must be allowed to
    (``permissions.can_record_delivery``: the facilitator for any member, a member's people for
    their own organisation's contributions), else ``PermissionDenied``; ``delivery_problems``
    must find nothing, else ``ValidationError`` by field. Takes a row lock on the contribution,
    so simultaneous deliveries are each compared with the plan after the previous one.
    """
    locked = (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("partnership", "member")
        .get(pk=contribution.pk)
    )
    if not permissions.can_record_delivery(by, locked):
        raise PermissionDenied(
            _("You may record deliveries only of your own organisation's contributions.")
        )
    delivery = Delivery(
        contribution=locked,
        amount=amount,
        delivered_on=delivered_on,
        note=note or "",
        recorded_by=by,
    )
    problems = {}
    try:
        delivery.full_clean()
    except ValidationError as invalid:
        problems = invalid.message_dict
    for field, messages in delivery_problems(
        contribution=locked, amount=amount, delivered_on=delivered_on, note=note
    ).items():
        problems.setdefault(field, []).extend(messages)
    if problems:
        raise ValidationError(problems)
    delivery.save()
    Contribution.objects.filter(pk=locked.pk).update(
        delivered_amount=F("delivered_amount") + amount
    )
    contribution.refresh_from_db(fields=["delivered_amount"])
    return delivery
