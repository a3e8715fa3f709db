"""Write operations (and the few reads that compute results) for the work of each phase.

Every write takes the partnership already checked by ``permissions.get_partnership_for`` and
refuses to change a read-only (closed or withdrawn) partnership.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from actors.deferred import Deferred
from actors.models import User
from actors.notify import notify

from ..models import (
    AgreementVersion,
    Assessment,
    Attachment,
    Attendance,
    Attribute,
    ClosureNote,
    Conflict,
    ConflictStatus,
    HealthCheck,
    HealthCheckResponse,
    Indicator,
    MatrixRow,
    Measurement,
    Meeting,
    NodeKind,
    Partnership,
    ProblemNode,
)
from .uploads import safe_original_name, validate_upload


class ReadOnly(ValidationError):
    pass


def _writable(partnership: Partnership) -> None:
    if partnership.is_read_only:
        raise ReadOnly(_("This partnership is closed: its records can no longer change."))


# ----- interest: problem tree and matrix -------------------------------------------------------


@transaction.atomic
def problem_node_add(
    *, partnership: Partnership, kind: str, text: str, parent: ProblemNode | None = None
) -> ProblemNode:
    """Add a box to the tree. The problem is the root; causes and effects hang under the problem
    or under a node of their own kind."""
    _writable(partnership)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write something.")})
    if kind not in NodeKind.values:
        raise ValidationError({"kind": _("Choose problem, cause or effect.")})
    if kind == NodeKind.PROBLEM:
        if parent is not None:
            raise ValidationError({"parent": _("The problem is the root of the tree.")})
        if partnership.problem_nodes.filter(kind=NodeKind.PROBLEM).exists():
            raise ValidationError({"kind": _("The tree already has its central problem.")})
    else:
        if parent is None or parent.partnership_id != partnership.pk:
            raise ValidationError({"parent": _("Choose where this goes in the tree.")})
        if parent.kind not in (NodeKind.PROBLEM, kind):
            raise ValidationError(
                {"parent": _("A cause hangs under the problem or another cause; likewise effects.")}
            )
    last = partnership.problem_nodes.filter(parent=parent).aggregate(m=Max("order"))["m"]
    node = ProblemNode(
        partnership=partnership,
        parent=parent,
        kind=kind,
        text=text,
        order=0 if last is None else last + 1,
    )
    node.full_clean()
    node.save()
    return node


@transaction.atomic
def problem_node_update(*, node: ProblemNode, text: str) -> ProblemNode:
    _writable(node.partnership)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write something.")})
    node.text = text
    node.full_clean()
    node.save(update_fields=["text"])
    return node


@transaction.atomic
def problem_node_delete(*, node: ProblemNode) -> None:
    """Delete a node and everything under it."""
    _writable(node.partnership)
    node.delete()


def problem_tree(partnership: Partnership) -> list[dict]:
    """The tree as nested dicts ``{"node": n, "children": [...]}``; roots first (problems),
    then orphans never occur thanks to the check constraint."""
    nodes = list(partnership.problem_nodes.all())
    children: dict = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)

    def build(node):
        kids = children.get(node.pk, [])
        return {
            "node": node,
            "causes": [build(k) for k in kids if k.kind == NodeKind.CAUSE],
            "effects": [build(k) for k in kids if k.kind == NodeKind.EFFECT],
        }

    return [build(n) for n in children.get(None, [])]


@transaction.atomic
def matrix_row_save(*, row: MatrixRow) -> MatrixRow:
    _writable(row.partnership)
    if row.pk is None:
        last = row.partnership.matrix_rows.aggregate(m=Max("order"))["m"]
        row.order = 0 if last is None else last + 1
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def matrix_row_delete(*, row: MatrixRow) -> None:
    _writable(row.partnership)
    row.delete()


@transaction.atomic
def partnership_update_fields(*, partnership: Partnership, form, by=None) -> Partnership:
    """Save a ModelForm over some of the partnership's own fields (interest workspace,
    agreement builder sections). Only the form's fields are written, so a transition saved
    meanwhile keeps its phase; open sign-offs and the audit trail learn of the change."""
    from .. import gates

    _writable(partnership)
    saved = form.save(commit=False)
    saved.save(update_fields=[*form._meta.fields, "updated_at"])
    form.save_m2m()
    gates.agreed_content_saved(partnership=saved, by=by)
    return saved


# ----- design: agreement versions --------------------------------------------------------------


def working_version(partnership: Partnership) -> AgreementVersion | None:
    return partnership.agreement_versions.filter(frozen=False).first()


def last_signed_version(partnership: Partnership) -> AgreementVersion | None:
    return partnership.agreement_versions.filter(frozen=True).order_by("-number").first()


def agreement_version_open(*, partnership: Partnership) -> AgreementVersion:
    """The working version, opened if there is none: it starts from the last signed content."""
    current = working_version(partnership)
    if current:
        return current
    last = partnership.agreement_versions.aggregate(m=Max("number"))["m"] or 0
    signed = last_signed_version(partnership)
    content = signed.content if signed else partnership.agreed_content()
    return AgreementVersion.objects.create(
        partnership=partnership, number=last + 1, content=content
    )


def agreement_version_freeze(*, partnership: Partnership) -> AgreementVersion:
    """Freeze the working version with the content just approved. Called in the transaction of
    the ``start_operation`` transition (see ``apps.PartnershipsConfig.ready``)."""
    version = agreement_version_open(partnership=partnership)
    version.content = partnership.agreed_content()
    version.fingerprint = partnership.agreed_fingerprint(version.content)
    version.signed_at = timezone.now()
    version.frozen = True
    version.save()
    return version


def agreement_version_amended(sender, amendment, content, **kwargs) -> AgreementVersion:
    """An amendment signed: ``content``, the agreement as merged, is the next signed version
    (receiver of ``signals.amendment_signed``, inside the signing transaction)."""
    partnership = amendment.partnership
    last = partnership.agreement_versions.aggregate(m=Max("number"))["m"] or 0
    return AgreementVersion.objects.create(
        partnership=partnership,
        number=last + 1,
        content=content,
        fingerprint=partnership.agreed_fingerprint(content),
        signed_at=amendment.signed_at,
        frozen=True,
    )


def on_post_transition(sender, instance, name, source, target, **kwargs):
    """django-fsm-2 receiver: it only writes version rows, inside the transition's transaction."""
    if kwargs.get("exception") is not None or not isinstance(instance, Partnership):
        return
    if name == "start_operation":
        agreement_version_freeze(partnership=instance)
    elif name in ("renegotiate", "start_design"):
        agreement_version_open(partnership=instance)


# ----- operation: minutes, conflicts, attachments ----------------------------------------------


@transaction.atomic
def meeting_minutes_update(*, meeting: Meeting, minutes: str, agenda: str | None = None) -> int:
    """Change the minutes; if they changed, every confirmation is cleared (people confirmed the
    old text). Returns how many confirmations were cleared."""
    _writable(meeting.partnership)
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    cleared = 0
    if (minutes or "").strip() != (locked.minutes or "").strip():
        cleared = Attendance.objects.filter(
            meeting=locked, minutes_confirmed_at__isnull=False
        ).update(minutes_confirmed_at=None)
    locked.minutes = minutes
    if agenda is not None:
        locked.agenda = agenda
    locked.save(update_fields=["minutes", "agenda", "updated_at"])
    meeting.minutes, meeting.agenda = locked.minutes, locked.agenda
    return cleared


@transaction.atomic
def meeting_minutes_confirm(*, meeting: Meeting, person: User) -> Attendance:
    """An attendee confirms the minutes: only attendees, only once, only written minutes."""
    _writable(meeting.partnership)
    try:
        attendance = Attendance.objects.select_for_update().get(meeting=meeting, person=person)
    except Attendance.DoesNotExist:
        raise ValidationError(_("Only the people who attended can confirm the minutes."))
    if not (meeting.minutes or "").strip():
        raise ValidationError(_("There are no minutes to confirm yet."))
    if attendance.minutes_confirmed_at is not None:
        raise ValidationError(_("You have already confirmed these minutes."))
    attendance.minutes_confirmed_at = timezone.now()
    attendance.save(update_fields=["minutes_confirmed_at"])
    return attendance


@transaction.atomic
def conflict_save(*, conflict: Conflict, parties, by) -> Conflict:
    _writable(conflict.partnership)
    if conflict.status == ConflictStatus.RESOLVED and conflict.resolved_on is None:
        conflict.resolved_on = timezone.localdate()
    if conflict.status == ConflictStatus.OPEN:
        conflict.resolved_on = None
    if conflict.pk is None:
        conflict.recorded_by = by
    conflict.full_clean()
    conflict.save()
    conflict.parties.set(parties)
    return conflict


@transaction.atomic
def attachment_upload(
    *,
    partnership: Partnership,
    upload,
    by,
    meeting: Meeting | None = None,
    measurement: Measurement | None = None,
    description: str = "",
) -> Attachment:
    """Store a checked file under a random name (see ``uploads`` for the rules)."""
    _writable(partnership)
    if meeting is not None and meeting.partnership_id != partnership.pk:
        raise ValidationError(_("That meeting belongs to another partnership."))
    if measurement is not None and measurement.indicator.objective.partnership_id != partnership.pk:
        raise ValidationError(_("That measurement belongs to another partnership."))
    content_type = validate_upload(upload)
    attachment = Attachment(
        partnership=partnership,
        meeting=meeting,
        measurement=measurement,
        original_name=safe_original_name(upload.name),
        size=upload.size,
        content_type=content_type,
        description=description[:300],
        uploaded_by=by,
    )
    upload.seek(0)
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


# ----- assessment: computed results and health checks ------------------------------------------


@dataclass
class IndicatorResult:
    indicator: Indicator
    latest: Measurement | None
    progress: Decimal | None  # percent of the way from baseline to target, may exceed 100

    @property
    def reached(self) -> bool:
        return self.progress is not None and self.progress >= 100


def indicator_progress(baseline: Decimal, target: Decimal, value: Decimal) -> Decimal | None:
    """How far ``value`` has come from ``baseline`` towards ``target``, in percent.

    Works for indicators that should go down (target below baseline). A target equal to the
    baseline has no distance to cover: reached (100) if the value is on or past it.
    """
    if target == baseline:
        return Decimal(100) if value == target else None
    share = (Decimal(value) - Decimal(baseline)) / (Decimal(target) - Decimal(baseline))
    return (share * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def results_against_objectives(
    partnership: Partnership, *, until: datetime.date | None = None
) -> list[dict]:
    """Each objective with each indicator's latest value (up to ``until``) and progress."""
    objectives = list(partnership.objectives.prefetch_related("indicators"))
    measurements = Measurement.objects.filter(indicator__objective__partnership=partnership)
    if until:
        measurements = measurements.filter(measured_on__lte=until)
    latest: dict = {}
    for m in measurements.order_by("indicator_id", "measured_on", "pk"):
        latest[m.indicator_id] = m
    rows = []
    for objective in objectives:
        results = []
        for indicator in objective.indicators.all():
            m = latest.get(indicator.pk)
            progress = (
                indicator_progress(indicator.baseline, indicator.target, m.value) if m else None
            )
            results.append(IndicatorResult(indicator, m, progress))
        known = [r.progress for r in results if r.progress is not None]
        average = (
            (sum(min(p, Decimal(100)) for p in known) / len(known)).quantize(Decimal("0.1"))
            if known
            else None
        )
        rows.append({"objective": objective, "indicators": results, "progress": average})
    return rows


@transaction.atomic
def assessment_save(*, assessment: Assessment, by) -> Assessment:
    _writable(assessment.partnership)
    if assessment.pk is None:
        assessment.created_by = by
    assessment.full_clean()
    assessment.save()
    return assessment


def health_check_recipients(partnership: Partnership):
    """Each member's representatives: the active users of member organisations."""
    return User.objects.filter(
        is_active=True,
        organisation__memberships__partnership=partnership,
    ).distinct()


@transaction.atomic
def health_check_send(*, assessment: Assessment, by) -> HealthCheck:
    """Open the health check of an assessment and tell every representative."""
    partnership = assessment.partnership
    _writable(partnership)
    if HealthCheck.objects.filter(assessment=assessment).exists():
        raise ValidationError(_("The health check of this assessment has already been sent."))
    recipients = list(health_check_recipients(partnership))
    if not recipients:
        raise ValidationError(_("No member organisation has a representative who can answer."))
    check = HealthCheck.objects.create(assessment=assessment, sent_by=by)
    check.recipients.set(recipients)
    url = reverse("partnerships:phase_health_respond", args=[partnership.pk, check.pk])
    for person in recipients:
        notify(
            recipient=person,
            title=Deferred(
                gettext_noop("Partnership health check: %(title)s"), title=partnership.title
            ),
            body=gettext_lazy(
                "Please score how the partnership is working: horizontality, mutual benefit, "
                "leadership of the recipient, effectiveness and efficiency, mutual "
                "accountability, trust and communication."
            ),
            url=url,
        )
    return check


def can_respond(check: HealthCheck, user) -> bool:
    return (
        not check.assessment.partnership.is_read_only
        and check.recipients.filter(pk=user.pk).exists()
    )


@transaction.atomic
def health_check_respond(
    *, check: HealthCheck, person: User, scores: dict, comments: str = ""
) -> HealthCheckResponse:
    """One answer per person; only people the check was sent to may answer."""
    _writable(check.assessment.partnership)
    if not check.recipients.filter(pk=person.pk).exists():
        raise ValidationError(_("This health check was not sent to you."))
    if HealthCheckResponse.objects.filter(health_check=check, respondent=person).exists():
        raise ValidationError(_("You have already answered this health check."))
    organisation = person.organisation
    response = HealthCheckResponse(
        health_check=check,
        respondent=person,
        organisation=organisation,
        sector=organisation.sector if organisation else "",
        comments=comments,
        **{a: scores.get(a) for a in Attribute.values},
    )
    response.full_clean()
    response.save()
    return response


def _mean(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    if not values:
        return None
    return (Decimal(sum(values)) / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def health_check_results(check: HealthCheck | None) -> dict:
    """Averages per attribute, per sector and attribute, and the change since the previous
    assessment's health check of the same partnership."""
    if check is None:
        return {"count": 0, "attributes": [], "sectors": [], "previous": None}
    responses = list(check.responses.all())
    per_attribute = {a: _mean([getattr(r, a) for r in responses]) for a in Attribute.values}
    sectors: dict = {}
    for r in responses:
        sectors.setdefault(r.sector or "", []).append(r)
    previous = previous_health_check(check)
    previous_means = (
        {a: _mean([getattr(r, a) for r in previous.responses.all()]) for a in Attribute.values}
        if previous
        else {}
    )
    attributes = []
    for a in Attribute:
        before = previous_means.get(a.value)
        now = per_attribute[a.value]
        attributes.append(
            {
                "key": a.value,
                "label": a.label,
                "mean": now,
                "previous": before,
                "delta": (now - before) if (now is not None and before is not None) else None,
            }
        )
    from actors.models import Sector

    sector_rows = [
        {
            "sector": key,
            "label": Sector(key).label if key in Sector.values else _("Unknown"),
            "count": len(rs),
            "means": {a: _mean([getattr(r, a) for r in rs]) for a in Attribute.values},
        }
        for key, rs in sorted(sectors.items())
    ]
    for row in sector_rows:
        row["cells"] = [row["means"][a] for a in Attribute.values]
    return {
        "count": len(responses),
        "attributes": attributes,
        "sectors": sector_rows,
        "previous": previous,
        "comments": [r for r in responses if r.comments.strip()],
    }


def previous_health_check(check: HealthCheck) -> HealthCheck | None:
    current = check.assessment
    return (
        HealthCheck.objects.filter(assessment__partnership_id=current.partnership_id)
        .filter(assessment__created_at__lt=current.created_at)
        .exclude(pk=check.pk)
        .order_by("-assessment__created_at", "-pk")
        .first()
    )


# ----- closure ---------------------------------------------------------------------------------


@transaction.atomic
def closure_note_save(*, partnership: Partnership, final_summary: str, lessons: str, by):
    _writable(partnership)
    note, _created = ClosureNote.objects.get_or_create(partnership=partnership)
    note.final_summary = final_summary
    note.lessons_learned = lessons
    note.written_by = by
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def attachment_delete(*, attachment: Attachment) -> None:
    """Remove the record now and the stored file once the deletion is committed."""
    _writable(attachment.partnership)
    stored, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: stored.delete(name))
