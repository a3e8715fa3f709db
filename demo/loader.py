"""Replay the demo data through the services, so the demo has a real history.

One transaction. Organisations are looked up by name, people by email, partnerships by title:
what is there already is left alone, so loading twice changes nothing. A partnership that is not
there is replayed in the order of its story:

1. created by its facilitator; its members, candidates, problem tree and matrix (the interest
   phase's work);
2. its history, step by step: a gated step through a real sign-off (requested by the
   facilitator, approved by every person the gate assigns), the others as the facilitator's own
   action; once it enters design, its agreement is written (objectives and indicators, planned
   contributions, the work plan, the risks with their owners);
3. the records with a date (measurements, deliveries, meetings and their minutes, conflicts) in
   date order between the steps: each before the first step dated after it;
4. an ``assess`` step records the assessment and its health check; ``close`` writes the
   closure note first.

Each record is then dated to when it happened in the story (the services stamp "now").
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from actors.models import Capacity, ContactPerson, Notification, Organisation, Role, User
from partnerships import gates, services
from partnerships.amendments import services as amendment_services
from partnerships.audit.context import acting_as
from partnerships.models import (
    AgreementVersion,
    Amendment,
    AmendmentStatus,
    Assessment,
    Attendance,
    Conflict,
    Contribution,
    Decision,
    GateApproval,
    GateRequest,
    GateStatus,
    HealthCheck,
    HealthCheckResponse,
    Indicator,
    MatrixRow,
    Measurement,
    Meeting,
    Member,
    NodeKind,
    Objective,
    PartnerCandidate,
    Partnership,
    Phase,
    PhaseChange,
)
from partnerships.phases import services as phase_services
from reminders.schedule import assessment_schedule_sync
from reports.services import documents_left_for_the_sweep
from risks import services as risk_services
from risks.models import ReviewKind, Risk, RiskReview

from .checks import DemoDataError
from .dataset import DEMO_PASSWORD, RISK_FIELDS, Dataset, PartnershipData, email_for, read

SILENT_EMAIL = "django.core.mail.backends.dummy.EmailBackend"


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A story date as a moment (the hour keeps the order of a day's events readable)."""
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def load(
    *, stdout, dataset: Dataset | None = None, queue_documents: bool = False
) -> list[Partnership]:
    """Load the demo (``dataset``: the checked data files; default: ``dataset.read()``).
    Returns the partnerships created now. With ``queue_documents`` the signed agreements and
    reports are requested but left for the worker's sweep instead of rendered now."""
    if queue_documents:
        with documents_left_for_the_sweep():
            return load(stdout=stdout, dataset=dataset)
    dataset = dataset or read()
    last_notice = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    # The notices the services send while replaying tell of the story's past: they are kept as
    # read, and nobody is emailed about them (the dummy backend also covers the emails queued
    # for after the commit).
    with override_settings(EMAIL_BACKEND=SILENT_EMAIL), transaction.atomic():
        organisations = _organisations(dataset)
        people = _people(dataset, organisations)
        stdout.write(f"  actors: {len(organisations)} organisations, {len(people)} demo users\n")
        created = []
        for item in dataset.partnerships:
            if Partnership.objects.filter(title=item.data["title"]).exists():
                continue
            partnership = _Replay(item, organisations, people).run()
            stdout.write(f"  {item.file}: {partnership.reference}, {partnership.phase}\n")
            created.append(partnership)
        there = len(dataset.partnerships) - len(created)
        stdout.write(f"  partnerships: {len(created)} created, {there} already there\n")
        for partnership in created:
            _assessment_schedule(partnership, stdout)
        Notification.objects.filter(pk__gt=last_notice).update(read_at=timezone.now())
    return created


def logins(dataset: Dataset | None = None) -> list[tuple[str, str, str, str]]:
    """(email, password, role, organisation) of the demo logins, for the console and README."""
    dataset = dataset or read()
    rows = []
    for key in dataset.logins:
        user = User.objects.select_related("organisation").filter(email=email_for(key)).first()
        if user:
            organisation = user.organisation.name if user.organisation else "-"
            rows.append((user.email, DEMO_PASSWORD, user.get_role_display(), organisation))
    return rows


# ----- organisations and people ----------------------------------------------------------------


def _organisations(dataset: Dataset) -> dict[str, Organisation]:
    organisations = {}
    for slug, data in dataset.organisations.items():
        fields = {k: v for k, v in data.items() if k not in ("name", "capacities")}
        organisation, _created = Organisation.objects.get_or_create(
            name=data["name"], defaults=fields
        )
        for capacity in data["capacities"]:
            Capacity.objects.get_or_create(organisation=organisation, **capacity)
        organisations[slug] = organisation
    return organisations


def _people(dataset: Dataset, organisations: dict) -> dict[str, User]:
    password = None  # one hash for every demo user: hashing dozens would slow `make run` down
    people = {}
    for key, data in dataset.people.items():
        organisation = organisations[data["organisation"]] if data["organisation"] else None
        user = User.objects.filter(email=email_for(key)).first()
        if user is None:
            password = password or make_password(DEMO_PASSWORD)
            is_admin = data["role"] == Role.ADMINISTRATOR
            fields = {k: v for k, v in data.items() if k != "organisation"}
            user = User.objects.create(
                email=email_for(key),
                organisation=organisation,
                password=password,
                is_staff=is_admin,
                is_superuser=is_admin,
                **fields,
            )
        if organisation is not None:
            ContactPerson.objects.get_or_create(
                organisation=organisation,
                name=user.full_name,
                defaults={"position": user.position, "email": user.email, "is_key_leader": True},
            )
        people[key] = user
    return people


def _assessment_schedule(partnership: Partnership, stdout) -> None:
    partnership.refresh_from_db()
    if partnership.phase != Phase.OPERATION:
        return
    if not (partnership.assessment_dates or partnership.assessment_every_months):
        return
    if partnership.operation_started_on is None and not partnership.assessment_dates:
        return
    pending = assessment_schedule_sync(partnership=partnership)
    stdout.write(f"  assessment schedule for {partnership.reference}: {pending} date(s) pending\n")


# ----- one partnership -------------------------------------------------------------------------


@dataclass
class _Dated:
    """A record with a date, replayed between the steps of the history."""

    day: datetime.date
    where: str
    write: object  # a callable


class _Replay:
    def __init__(self, item: PartnershipData, organisations: dict, people: dict):
        self.item, self.data = item, item.data
        self.organisations, self.people = organisations, people
        self.by = people[self.data["facilitator"]]
        self.today = timezone.localdate()
        self.where = "title"
        self.members: dict[str, Member] = {}
        self.indicators: dict[str, Indicator] = {}
        self.contributions: list[Contribution] = []
        self.partnership = None

    def run(self) -> Partnership:
        try:
            # What the demo's facilitator does is theirs in the audit trail, as on a page.
            with acting_as(self.by):
                return self._run()
        except (ValidationError, services.TransitionRefused, gates.GateError) as error:
            message = " ".join(getattr(error, "messages", None) or getattr(error, "reasons", []))
            raise DemoDataError(f"{self.item.file}: {self.where}: {message or error}") from error

    def _run(self) -> Partnership:
        data = self.data
        self.partnership = services.partnership_create(
            by=self.by, title=data["title"], facilitator=self.by, **data["fields"]
        )
        self._interest_work()
        dated = self._dated()
        agreement_written = False
        for i, step in enumerate(data["history"]):
            dated = self._flush(dated, until=step["date"])
            self.where = f"history[{i}] ({step['step']})"
            self._step(step)
            if self.partnership.phase == Phase.DESIGN and not agreement_written:
                self._agreement()
                agreement_written = True
        if not agreement_written:
            self._agreement()
        self._flush(dated, until=None)
        self.partnership.refresh_from_db()
        return self.partnership

    # -- interest: members, candidates, problem tree, matrix

    def _interest_work(self) -> None:
        p, data = self.partnership, self.data
        for slug, member in data["members"].items():
            self.where = f"members.{slug}"
            fields = {k: v for k, v in member.items() if k != "signatory"}
            self.members[slug] = Member.objects.create(
                partnership=p,
                organisation=self.organisations[slug],
                signatory=self.people[member["signatory"]],
                **fields,
            )
        for slug, scores in data["candidates"].items():
            self.where = f"candidates.{slug}"
            PartnerCandidate.objects.create(
                partnership=p, organisation=self.organisations[slug], **scores
            )
        if data["problem_tree"]:
            self.where = "problem_tree"
            tree = data["problem_tree"]
            root = phase_services.problem_node_add(
                partnership=p, kind=NodeKind.PROBLEM, text=tree["problem"]
            )
            for text, deeper in tree["causes"]:
                node = phase_services.problem_node_add(
                    partnership=p, kind=NodeKind.CAUSE, text=text, parent=root
                )
                for deeper_text in deeper:
                    phase_services.problem_node_add(
                        partnership=p, kind=NodeKind.CAUSE, text=deeper_text, parent=node
                    )
            for text in tree["effects"]:
                phase_services.problem_node_add(
                    partnership=p, kind=NodeKind.EFFECT, text=text, parent=root
                )
        for i, row in enumerate(data["matrix"]):
            self.where = f"matrix[{i}]"
            actor = self.organisations[row["actor"]] if row["actor"] else None
            fields = {k: v for k, v in row.items() if k != "actor"}
            phase_services.matrix_row_save(row=MatrixRow(partnership=p, actor=actor, **fields))

    # -- design: the agreement

    def _agreement(self) -> None:
        p, data = self.partnership, self.data
        for order, (key, objective) in enumerate(data["objectives"].items()):
            self.where = f"objectives.{key}"
            row = Objective.objects.create(
                partnership=p,
                kind=objective["kind"],
                description=objective["description"],
                order=order,
            )
            for ikey, indicator in objective["indicators"].items():
                fields = {k: v for k, v in indicator.items() if k != "measurements"}
                self.indicators[ikey] = Indicator.objects.create(objective=row, **fields)
        for i, contribution in enumerate(data["contributions"]):
            self.where = f"contributions[{i}]"
            fields = {k: v for k, v in contribution.items() if k not in ("member", "deliveries")}
            self.contributions.append(
                Contribution.objects.create(
                    partnership=p,
                    member=self.members[contribution["member"]],
                    currency=p.currency,
                    **fields,
                )
            )
        for i, activity in enumerate(data["activities"]):
            self.where = f"activities[{i}]"
            fields = {k: v for k, v in activity.items() if k not in ("indicator", "responsible")}
            p.activities.create(
                indicator=self.indicators[activity["indicator"]] if activity["indicator"] else None,
                responsible=self.people[activity["responsible"]]
                if activity["responsible"]
                else None,
                **fields,
            )
        for key, risk in data["risks"].items():
            self.where = f"risks.{key}"
            self._risk(risk)

    def _risk(self, risk: dict) -> None:
        first, *later = risk["reviews"]
        owner = self.members[risk["owner"]] if risk["owner"] else None
        content = {k: risk[k] for k in RISK_FIELDS if k in risk}
        row = risk_services.risk_create(
            partnership=self.partnership,
            by=self.by,
            owner=owner,
            likelihood=first["likelihood"],
            impact=first["impact"],
            **content,
        )
        identified = RiskReview.objects.filter(risk=row, kind=ReviewKind.IDENTIFIED)
        identified.update(reviewed_on=self.today - datetime.timedelta(days=first["days_ago"]))
        if first["note"]:
            identified.update(note=first["note"])
        for review in later:
            risk_services.risk_review(
                risk=row,
                by=self.by,
                likelihood=review["likelihood"],
                impact=review["impact"],
                note=review["note"],
                reviewed_on=self.today - datetime.timedelta(days=review["days_ago"]),
            )
        if risk["next_review_in_days"] is not None:
            # Dated from today, past or not (the service rightly refuses a past date).
            next_review = self.today + datetime.timedelta(days=risk["next_review_in_days"])
            Risk.objects.filter(pk=row.pk).update(next_review_on=next_review)

    # -- the records with a date

    def _dated(self) -> list[_Dated]:
        data, records = self.data, []
        for okey, objective in data["objectives"].items():
            for ikey, indicator in objective["indicators"].items():
                for i, m in enumerate(indicator["measurements"]):
                    where = f"objectives.{okey}.indicators.{ikey}.measurements[{i}]"
                    records.append(
                        _Dated(m["date"], where, lambda ikey=ikey, m=m: self._measurement(ikey, m))
                    )
        for c, contribution in enumerate(data["contributions"]):
            for i, d in enumerate(contribution["deliveries"]):
                where = f"contributions[{c}].deliveries[{i}]"
                records.append(_Dated(d["date"], where, lambda c=c, d=d: self._delivery(c, d)))
        for i, meeting in enumerate(data["meetings"]):
            records.append(
                _Dated(meeting["date"], f"meetings[{i}]", lambda m=meeting: self._meeting(m))
            )
        for i, conflict in enumerate(data["conflicts"]):
            records.append(
                _Dated(
                    conflict["raised_on"], f"conflicts[{i}]", lambda c=conflict: self._conflict(c)
                )
            )
        return sorted(records, key=lambda r: r.day)

    def _flush(self, records: list[_Dated], *, until: datetime.date | None) -> list[_Dated]:
        """Write the records dated up to ``until`` (all of them: ``None``); return the rest."""
        while records and (until is None or records[0].day <= until):
            record = records.pop(0)
            self.where = record.where
            record.write()
        return records

    def _not_yet(self) -> DemoDataError:
        reason = "dated before the partnership enters design (where its agreement is written)"
        return DemoDataError(f"{self.item.file}: {self.where}: {reason}")

    def _measurement(self, key: str, m: dict) -> None:
        if key not in self.indicators:
            raise self._not_yet()
        Measurement.objects.create(
            indicator=self.indicators[key],
            measured_on=m["date"],
            value=m["value"],
            note=m.get("note", ""),
            recorded_by=self.by,
        )

    def _delivery(self, index: int, d: dict) -> None:
        if index >= len(self.contributions):
            raise self._not_yet()
        services.contribution_record_delivery(
            contribution=self.contributions[index],
            amount=d["amount"],
            delivered_on=d["date"],
            by=self.by,
            note=d.get("note", ""),
        )

    def _meeting(self, m: dict) -> None:
        fields = {k: m[k] for k in ("title", "place", "agenda", "minutes") if k in m}
        meeting = Meeting.objects.create(
            partnership=self.partnership, held_at=at(m["date"]), **fields
        )
        for key in m["attendees"]:
            Attendance.objects.create(meeting=meeting, person=self.people[key])
        if m["minutes_confirmed_on"]:
            for key in m["attendees"]:
                with acting_as(self.people[key]):  # each attendee confirms for themselves
                    phase_services.meeting_minutes_confirm(meeting=meeting, person=self.people[key])
            Attendance.objects.filter(meeting=meeting).update(
                minutes_confirmed_at=at(m["minutes_confirmed_on"])
            )

    def _conflict(self, c: dict) -> None:
        fields = {k: v for k, v in c.items() if k != "parties"}
        phase_services.conflict_save(
            conflict=Conflict(partnership=self.partnership, **fields),
            parties=[self.members[key] for key in c["parties"]],
            by=self.by,
        )

    # -- the history

    def _step(self, step: dict) -> None:
        p, name, day = self.partnership, step["step"], step["date"]
        if name == "assess":
            self._assess(step)
            return
        if name == "amend":
            self._amend(step)
            return
        if name == "start_operation":
            Partnership.objects.filter(pk=p.pk).update(operation_started_on=day)
        kwargs = {}
        if name == "close":
            if step["closure_note"]:
                note = step["closure_note"]
                phase_services.closure_note_save(
                    partnership=p,
                    final_summary=note["final_summary"],
                    lessons=note.get("lessons_learned", ""),
                    by=self.by,
                )
            transferred_to = step["transferred_to"]
            kwargs = {
                "outcome": step["outcome"],
                "transferred_to": self.organisations[transferred_to] if transferred_to else None,
                "handover_note": step["handover_note"],
            }
        if gates.is_gated(name):
            moved_at = self._sign_off(step, kwargs)
        else:
            services.partnership_transition(
                partnership=p, name=name, by=self.by, comment=step["comment"], **kwargs
            )
            moved_at = at(day)
        change = PhaseChange.objects.filter(partnership=p).order_by("-pk").first()
        PhaseChange.objects.filter(pk=change.pk).update(at=moved_at)
        if name == "close":
            Partnership.objects.filter(pk=p.pk).update(closed_on=day)
        self.partnership = Partnership.objects.get(pk=p.pk)

    def _sign_off(self, step: dict, arguments: dict) -> datetime.datetime:
        """Pass a gate as the pages do: the facilitator requests the sign-off, every person the
        gate assigns approves it (the officials of the public members; for the agreement, every
        member's signatory too), and the last approval runs the transition. Returns when."""
        name, day = step["step"], step["date"]
        gate = gates.gate_request_create(
            partnership=self.partnership,
            transition=name,
            by=self.by,
            comment=step["comment"],
            **arguments,
        )
        pending = gate.approvals.filter(decision=Decision.PENDING).select_related("approver")
        approvals = list(pending.order_by("pk"))
        for approval in approvals:
            gates.signoff_approve(by=approval.approver, gate_request=gate)
        gate.refresh_from_db()
        if gate.status != GateStatus.APPROVED:
            raise DemoDataError(
                f"{self.item.file}: {self.where}: the sign-off is {gate.status}, not approved"
            )
        # The story's day: requested in the morning, approved one after the other.
        for minute, approval in enumerate(approvals):
            GateApproval.objects.filter(pk=approval.pk).update(
                decided_at=at(day) + datetime.timedelta(minutes=minute)
            )
        decided = at(day) + datetime.timedelta(minutes=len(approvals) - 1)
        GateRequest.objects.filter(pk=gate.pk).update(requested_at=at(day, 9), decided_at=decided)
        if name == "start_operation":
            versions = AgreementVersion.objects.filter(partnership=self.partnership, frozen=True)
            signed = versions.order_by("-number").first()
            AgreementVersion.objects.filter(pk=signed.pk).update(signed_at=decided)
        return decided

    def _amend(self, step: dict) -> None:
        """An amendment as its pages make it: opened by the facilitator, its working copy
        changed, submitted, and signed by everyone its kind names, each as themselves."""
        day = step["date"]
        amendment = amendment_services.amendment_open(
            partnership=self.partnership, kind=step["kind"], reason=step["reason"], by=self.by
        )
        for indicator in amendment.working_copy_indicators():
            if indicator.name in step["targets"]:
                indicator.target = step["targets"][indicator.name]
                indicator.save()
        if step["end_date"]:
            copy = amendment.working_copy
            copy.end_date = step["end_date"]
            copy.save(update_fields=["end_date", "updated_at"])
        Amendment.objects.filter(pk=amendment.pk).update(effective_on=day)
        amendment.refresh_from_db()
        amendment = amendment_services.amendment_submit(
            amendment=amendment, by=self.by, comment=step["comment"]
        )
        gate = amendment.sign_off
        pending = gate.approvals.filter(decision=Decision.PENDING).select_related("approver")
        approvals = list(pending.order_by("pk"))
        for approval in approvals:
            with acting_as(approval.approver):
                gates.signoff_approve(by=approval.approver, gate_request=gate)
        amendment.refresh_from_db()
        if amendment.status != AmendmentStatus.SIGNED:
            raise DemoDataError(f"{self.item.file}: {self.where}: the amendment is not signed")
        for minute, approval in enumerate(approvals):
            GateApproval.objects.filter(pk=approval.pk).update(
                decided_at=at(day) + datetime.timedelta(minutes=minute)
            )
        decided = at(day) + datetime.timedelta(minutes=len(approvals) - 1)
        GateRequest.objects.filter(pk=gate.pk).update(requested_at=at(day, 9), decided_at=decided)
        Amendment.objects.filter(pk=amendment.pk).update(created_at=at(day, 8), signed_at=decided)
        version = (
            AgreementVersion.objects.filter(partnership=self.partnership, frozen=True)
            .order_by("-number")
            .first()
        )
        AgreementVersion.objects.filter(pk=version.pk).update(signed_at=decided)
        self.partnership = Partnership.objects.get(pk=self.partnership.pk)

    def _assess(self, step: dict) -> None:
        day = step["date"]
        assessment = phase_services.assessment_save(
            assessment=Assessment(partnership=self.partnership, **step["assessment"]), by=self.by
        )
        # Dated when it was written in the story: the assessment schedule reads it.
        Assessment.objects.filter(pk=assessment.pk).update(created_at=at(day))
        if not step["health_check"]:
            return
        check = phase_services.health_check_send(assessment=assessment, by=self.by)
        for key, answer in step["health_check"].items():
            scores = {k: v for k, v in answer.items() if k != "comments"}
            phase_services.health_check_respond(
                check=check,
                person=self.people[key],
                scores=scores,
                comments=answer.get("comments", ""),
            )
        HealthCheck.objects.filter(pk=check.pk).update(sent_at=at(day))
        HealthCheckResponse.objects.filter(health_check=check).update(submitted_at=at(day, 16))
