"""The working copy of an amendment: made from the signed agreement, merged back when signed.

``make()`` copies the agreed content (the partnership's agreed fields, its current members,
objectives and indicators, open contributions, and the parts other apps register in
``parts``) into a new partnership in the design phase that only the amendment's pages reach,
and returns which copied row stands for which original. ``merge()`` makes the partnership's
rows what the working copy's are, inside ``amending()``: changed rows are updated, new ones
created; a member removed leaves (dated, kept on record), a contribution removed is closed
out when anything of it was delivered (kept, shown as not delivered) and deleted otherwise;
an objective or indicator removed is deleted (``blockers`` refuses it when measured).
"""

import secrets

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from ..choices import Phase
from ..models import Contribution, Indicator, Member, Objective, Partnership
from ..models.agreed import amending
from . import kinds, parts

# The partnership's fields a working copy does not take: its identity, its lifecycle, what it
# publishes. Everything else (the agreed fields, the facilitator, the currency) it copies.
NOT_COPIED = {
    "id",
    "reference",
    "phase",
    "is_working_copy",
    "is_published",
    "public_summary",
    "created_at",
    "updated_at",
    "search_key",
    "operation_started_on",
    "assessment_requested_at",
    "closure_outcome",
    "transferred_to",
    "handover_note",
    "predecessor",
    "closed_on",
    "created_by",
}
MEMBER_FIELDS = ("organisation_id", "role", "signatory_id", "motivation", "responsibilities")
OBJECTIVE_FIELDS = ("kind", "description", "order")
INDICATOR_FIELDS = (
    "objective_id",
    "name",
    "unit",
    "measure",
    "baseline",
    "target",
    "means_of_verification",
)
# What of them the parties signed (their AGREED_FIELDS, by attribute name).
SIGNED_MEMBER_FIELDS = ("organisation_id", "role", "signatory_id", "responsibilities")
SIGNED_INDICATOR_FIELDS = (
    "objective_id",
    "name",
    "unit",
    "baseline",
    "target",
    "means_of_verification",
)
CONTRIBUTION_FIELDS = (
    "member_id",
    "kind",
    "description",
    "planned_amount",
    "currency",
    "period_start",
    "period_end",
)


class MergeRefused(Exception):
    def __init__(self, reasons):
        self.reasons = [str(r) for r in reasons]
        super().__init__(" ".join(self.reasons))


def _copy_row(row, fields, **values):
    copy = type(row)(**{f: getattr(row, f) for f in fields}, **values)
    copy.save()
    return copy


def make(original: Partnership, *, by) -> tuple[Partnership, dict]:
    """The working copy of ``original``'s agreed content, and ``{part: {copy pk: pk}}``."""
    fields = {
        f.attname: getattr(original, f.attname)
        for f in Partnership._meta.concrete_fields
        if f.name not in NOT_COPIED
    }
    copy = Partnership(
        **fields,
        phase=Phase.DESIGN,
        is_working_copy=True,
        reference=f"{original.reference[:28]}~{secrets.token_hex(4)}",
        created_by=by,
    )
    copy.save()
    rows = {"members": {}, "objectives": {}, "indicators": {}, "contributions": {}}
    members = {}
    for member in original.members.filter(left_on__isnull=True).order_by("pk"):
        new = _copy_row(member, MEMBER_FIELDS, partnership=copy)
        members[member.pk] = new.pk
        rows["members"][str(new.pk)] = member.pk
    for objective in original.objectives.prefetch_related("indicators").order_by("order", "pk"):
        new = _copy_row(objective, OBJECTIVE_FIELDS, partnership=copy)
        rows["objectives"][str(new.pk)] = objective.pk
        for indicator in objective.indicators.all():
            fields = [f for f in INDICATOR_FIELDS if f != "objective_id"]
            copied = _copy_row(indicator, fields, objective=new)
            rows["indicators"][str(copied.pk)] = indicator.pk
    for contribution in original.contributions.filter(closed_out_on__isnull=True).order_by("pk"):
        fields = [f for f in CONTRIBUTION_FIELDS if f != "member_id"]
        new = _copy_row(
            contribution,
            fields,
            partnership=copy,
            member_id=members[contribution.member_id],
            delivered_amount=contribution.delivered_amount,
        )
        rows["contributions"][str(new.pk)] = contribution.pk
    for part in parts.registered():
        rows[part.key] = part.copy(original, copy, members)
    return copy, rows


def blockers(amendment) -> list[str]:
    """What in the working copy cannot be merged into the partnership."""
    reasons = []
    removed = _removed(Indicator, amendment.working_copy_indicators(), amendment.rows, "indicators")
    measured = Indicator.objects.filter(pk__in=removed).annotate(n=Count("measurements"))
    for indicator in measured.filter(n__gt=0):
        reasons.append(
            _("The indicator “%(name)s” has measurements: it stays (change its target instead).")
            % {"name": indicator.name}
        )
    removed_objectives = _removed(
        Objective, amendment.working_copy.objectives.all(), amendment.rows, "objectives"
    )
    for objective in Objective.objects.filter(
        pk__in=removed_objectives, indicators__measurements__isnull=False
    ).distinct():
        reasons.append(
            _("The objective “%(objective)s” has measured indicators: it stays.")
            % {"objective": objective.description[:80]}
        )
    mapped = {int(k) for k in (amendment.rows.get("members") or {})}
    present = Member.objects.filter(
        partnership_id=amendment.partnership_id, left_on__isnull=True
    ).values_list("organisation_id", flat=True)
    for member in (
        amendment.working_copy.members.exclude(pk__in=mapped)
        .filter(organisation_id__in=present)
        .select_related("organisation")
    ):
        reasons.append(
            _("%(member)s was removed and added again: keep it and change its membership instead.")
            % {"member": member.organisation.name}
        )
    left = Member.objects.filter(
        partnership_id=amendment.partnership_id, left_on__isnull=False
    ).values_list("organisation_id", flat=True)
    for member in amendment.working_copy.members.filter(organisation_id__in=left).select_related(
        "organisation"
    ):
        reasons.append(
            _("%(member)s left this partnership: it cannot join it again.")
            % {"member": member.organisation.name}
        )
    return reasons


def _removed(model, copy_rows, rows: dict, part: str) -> list[int]:
    mapped = {int(k): v for k, v in (rows.get(part) or {}).items()}
    kept = {mapped.get(pk) for pk in copy_rows.values_list("pk", flat=True)}
    return [pk for pk in mapped.values() if pk not in kept]


def _merge_part(model, copy_rows, mapping: dict, fields, *, signed=None, remap=None, **values):
    """Make the original rows of ``model`` what ``copy_rows`` are; returns ``{copy pk: pk}``
    and the original rows the copy no longer has. A new row takes every one of ``fields``; an
    existing one only the ``signed`` ones (default: all): what is not signed may have moved in
    the partnership since the copy was made (a risk reviewed, say), and stays as it is there."""
    mapping = {int(k): v for k, v in (mapping or {}).items()}
    originals = model.objects.in_bulk(list(mapping.values()))
    remap = remap or {}
    result = {}
    for row in copy_rows:
        wanted = {}
        for name in fields:
            value = getattr(row, name)
            wanted[name] = remap[name].get(value, value) if name in remap else value
        target = originals.get(mapping.get(row.pk))
        if target is None:
            target = model(**wanted, **values)
            target.save()
        else:
            signed_values = {n: v for n, v in wanted.items() if signed is None or n in signed}
            if any(getattr(target, n) != v for n, v in signed_values.items()):
                for name, value in signed_values.items():
                    setattr(target, name, value)
                target.save()
        result[row.pk] = target.pk
    kept = set(result.values())
    return result, [o for pk, o in originals.items() if pk not in kept]


def merge(amendment, *, by) -> tuple[dict, dict]:
    """Make the partnership's agreed content the working copy's; the partnership is locked by
    the caller. Returns the content before and after."""
    original = amendment.partnership
    copy = amendment.working_copy
    if original.is_read_only or not original.agreement_signed:
        raise MergeRefused([_("The partnership is no longer in a phase where it can be amended.")])
    before = original.agreed_content()
    if original.agreed_fingerprint(before) != amendment.based_on:
        raise MergeRefused(
            [_("The agreement changed since this amendment was drafted: draft it again.")]
        )
    # Changed after it was submitted: the signers its kind names may not be those it needs.
    reasons = blockers(amendment) + kinds.scope_refusal(
        amendment.kind, before, copy.agreed_content()
    )
    if reasons:
        raise MergeRefused(reasons)
    day = amendment.effective_on or timezone.localdate()
    rows = amendment.rows
    with amending():
        changed = [n for n in Partnership.AGREED_FIELDS if getattr(original, n) != getattr(copy, n)]
        for name in changed:
            setattr(original, name, getattr(copy, name))
        if changed:
            original.save()
        members, gone = _merge_part(
            Member, copy.members.order_by("pk"), rows.get("members"), MEMBER_FIELDS,
            signed=SIGNED_MEMBER_FIELDS, partnership=original,
        )  # fmt: skip
        for member in gone:
            member.left_on = day
            member.save(update_fields=["left_on"])
        objectives, gone_objectives = _merge_part(
            Objective, copy.objectives.order_by("order", "pk"), rows.get("objectives"),
            OBJECTIVE_FIELDS, signed=("kind", "description"), partnership=original,
        )  # fmt: skip
        _created, gone_indicators = _merge_part(
            Indicator, amendment.working_copy_indicators().order_by("pk"),
            rows.get("indicators"), INDICATOR_FIELDS, signed=SIGNED_INDICATOR_FIELDS,
            remap={"objective_id": objectives},
        )  # fmt: skip
        for indicator in gone_indicators:
            indicator.delete()
        for objective in gone_objectives:
            objective.delete()
        _created, gone_contributions = _merge_part(
            Contribution, copy.contributions.order_by("pk"), rows.get("contributions"),
            CONTRIBUTION_FIELDS, remap={"member_id": members}, partnership=original,
        )  # fmt: skip
        for contribution in gone_contributions:
            if contribution.deliveries.exists() or contribution.member.left_on:
                contribution.closed_out_on = day
                contribution.save(update_fields=["closed_out_on"])
            else:
                contribution.delete()
        for part in parts.registered():
            part.merge(copy, original, rows.get(part.key) or {}, members)
    return before, original.agreed_content()
