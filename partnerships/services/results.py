"""Measurements of indicators (recorded, corrected, removed: each audited) and objectives."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import audit, permissions
from ..models import Indicator, Measurement, Objective, Partnership

MEASUREMENT_FIELDS = ("indicator", "measured_on", "value", "note")


def _measurement_values(measurement: Measurement) -> dict:
    return {
        "indicator": measurement.indicator_id,
        "measured_on": measurement.measured_on.isoformat() if measurement.measured_on else None,
        "value": f"{Decimal(measurement.value):.2f}" if measurement.value is not None else None,
        "note": measurement.note,
    }


@transaction.atomic
def measurement_record(
    *, indicator: Indicator, measured_on: datetime.date, value: Decimal, by, note: str = ""
) -> Measurement:
    """Add a measurement of ``indicator``, recorded by ``by`` (who may contribute to its
    partnership: ``PermissionDenied`` otherwise)."""
    partnership = Partnership.with_working_copies.get(pk=indicator.objective.partnership_id)
    if not permissions.can_contribute(by, partnership):
        raise PermissionDenied(_("You may not record measurements in this partnership."))
    measurement = Measurement(
        indicator=indicator, measured_on=measured_on, value=value, note=note or "", recorded_by=by
    )
    measurement.full_clean()
    measurement.save()
    return measurement


def _locked_measurement(measurement: Measurement, by) -> tuple[Measurement, Partnership]:
    locked = (
        Measurement.objects.select_for_update(of=("self",))
        .select_related("indicator__objective")
        .get(pk=measurement.pk)
    )
    partnership = Partnership.with_working_copies.get(pk=locked.indicator.objective.partnership_id)
    if not permissions.can_change_measurement(by, locked, partnership):
        raise PermissionDenied(
            _("Only whoever recorded a measurement, or the facilitator, may change or remove it.")
        )
    return locked, partnership


@transaction.atomic
def measurement_correct(*, measurement: Measurement, by, **fields) -> Measurement:
    """Correct a measurement: its recorder or the partnership's facilitator
    (``permissions.can_change_measurement``, ``PermissionDenied`` otherwise). The measurement
    keeps its recorder and says who corrected it last and when; the audit trail keeps the
    values before and after. Nothing is recorded when nothing changes. Takes a row lock."""
    unknown = set(fields) - set(MEASUREMENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown measurement fields: {', '.join(sorted(unknown))}")
    locked, partnership = _locked_measurement(measurement, by)
    before = _measurement_values(locked)
    indicator = fields.get("indicator")
    if indicator is not None and indicator.objective.partnership_id != partnership.pk:
        raise ValidationError({"indicator": _("The indicator belongs to another partnership.")})
    for name, value in fields.items():
        setattr(locked, name, value)
    after = _measurement_values(locked)
    if after == before:
        return locked
    locked.full_clean()
    locked.corrected_by = by
    locked.corrected_at = timezone.now()
    locked.save()
    audit.record(
        action=audit.Action.MEASUREMENT_CORRECTED,
        obj=locked,
        actor=by,
        data={"partnership": partnership.pk, "before": before, "after": after},
    )
    return locked


@transaction.atomic
def measurement_remove(*, measurement: Measurement, by) -> None:
    """Remove a measurement (and its evidence files): its recorder or the partnership's
    facilitator; the audit trail keeps what it said and who removed it. Takes a row lock."""
    locked, partnership = _locked_measurement(measurement, by)
    files = [(a.file.storage, a.file.name) for a in locked.attachments.all()]
    audit.record(
        action=audit.Action.MEASUREMENT_REMOVED,
        obj=locked,
        actor=by,
        data={
            "partnership": partnership.pk,
            "recorded_by": locked.recorded_by_id,
            "evidence_files": len(files),
            **_measurement_values(locked),
        },
    )
    locked.delete()
    # The evidence rows go with it (cascade); their stored files once that is committed.
    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


def objective_next_order(partnership) -> int:
    last = Objective.objects.filter(partnership=partnership).order_by("-order").first()
    return (last.order + 1) if last else 0
