"""Seed a PostgreSQL database with N realistic partnerships, fast (COPY), for benchmarks.

    manage.py seed_scale --partnerships 100000 [--batch 2000]

Each partnership gets 10 members (from a pool of organisations), one objective with 5 indicators
of 12 measurements each, 20 contributions, 8 risks, 2 activities and the PhaseChange history that
leads to its phase; phases are spread over every phase.

The pools grow with N the way a real agency's do: one facilitator per 250 partnerships (in blocks
of consecutive references) and one organisation per 10 partnerships (each partnership's members
come from a window of 100 organisations near its number), so every user's own share (about 250
facilitated partnerships, about 100 memberships per organisation) is the same at 10k and 100k;
the administrator sees everything. The first DUE_SET (20) partnerships are in operation with one
contribution short, one risk review overdue, one activity late, one assessment due and one gate
request waiting: the reminder sweeps find the same number due at every size (nothing else is due). References are SCALE-000001, SCALE-000002... and the
command continues after the highest existing one, so it can be run again to grow a database
(10k, measure, then 90k more, measure). Rows go in with COPY in batches of ``--batch``
partnerships, ids are reserved from each table's sequence first.
"""

import json
import random
import time
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from actors.models import Organisation, Role, Sector, User
from actors.text import search_key
from partnerships.models import (
    DUE_PHASES,
    Activity,
    ActivityStatus,
    Contribution,
    ContributionKind,
    GateApproval,
    GateRequest,
    Indicator,
    Measurement,
    Member,
    MemberRole,
    Objective,
    Partnership,
    Phase,
    PhaseChange,
    tallies,
)
from reminders.models import AssessmentDue
from risks.models import Category, Risk, Status

PREFIX = "SCALE-"
PER_FACILITATOR = 250  # partnerships per facilitator
PER_ORGANISATION = 10  # partnerships per organisation in the pool
WINDOW = 100  # members come from this many neighbouring organisations
DUE_SET = 20  # partnerships with one thing due of each reminder kind, at every size
PASSWORD = "scale-bench"

# The transitions that lead from interest to each phase: (transition, from, to).
_D = ("start_design", Phase.INTEREST, Phase.DESIGN)
_O = ("start_operation", Phase.DESIGN, Phase.OPERATION)
_A = ("start_assessment", Phase.OPERATION, Phase.ASSESSMENT)
HISTORY = {
    Phase.INTEREST: [],
    Phase.DESIGN: [_D],
    Phase.OPERATION: [_D, _O],
    Phase.SUSPENDED: [_D, _O, ("suspend", Phase.OPERATION, Phase.SUSPENDED)],
    Phase.ASSESSMENT: [_D, _O, _A],
    Phase.CLOSURE: [_D, _O, _A, ("close", Phase.ASSESSMENT, Phase.CLOSURE)],
    Phase.WITHDRAWN: [("withdraw", Phase.INTEREST, Phase.WITHDRAWN)],
}
# Most partnerships are running; a few closed, withdrawn or suspended.
PHASE_WEIGHTS = {
    Phase.INTEREST: 15,
    Phase.DESIGN: 15,
    Phase.OPERATION: 35,
    Phase.ASSESSMENT: 10,
    Phase.SUSPENDED: 5,
    Phase.CLOSURE: 15,
    Phase.WITHDRAWN: 5,
}
COUNTRIES = ["CO", "PE", "EC", "BO", "MX", "GT", "HN", "SV", "NI", "CR", "PA", "DO", "PY", "UY"]
DAC = ["11220", "12220", "14030", "15110", "23210", "31120", "32130", "41010", "43040", "16010"]
ROLES = [
    MemberRole.FACILITATOR,
    MemberRole.FUNDER,
    MemberRole.FUNDER,
    MemberRole.IMPLEMENTER,
    MemberRole.IMPLEMENTER,
    MemberRole.ALLY,
    MemberRole.PUBLIC_ENTITY,
    MemberRole.BENEFICIARY,
    MemberRole.ALLY,
    MemberRole.IMPLEMENTER,
]


class Table:
    """COPY rows into one model's table: every concrete column except generated ones."""

    def __init__(self, model):
        self.model = model
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if not isinstance(f, models.GeneratedField) and not f.primary_key
        ]
        self.columns = ["id"] + [f.column for f in self.fields]
        self.defaults = {}
        for f in self.fields:
            value = f.get_default()
            if isinstance(f, models.JSONField):
                value = json.dumps(value)
            self.defaults[f.attname] = value
        self.rows = []
        self.count = 0

    def reserve(self, cursor, n: int) -> list[int]:
        table = self.model._meta.db_table
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, n],
        )
        return [r[0] for r in cursor.fetchall()]

    def add(self, pk: int, **values) -> None:
        row = dict(self.defaults, **values)
        self.rows.append([pk] + [row[f.attname] for f in self.fields])

    def flush(self, cursor) -> None:
        if not self.rows:
            return
        table = connection.ops.quote_name(self.model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in self.rows:
                copy.write_row(row)
        self.count += len(self.rows)
        self.rows = []


class Command(BaseCommand):
    help = "Seed N partnerships with realistic related data, with COPY (PostgreSQL only)."

    def add_arguments(self, parser):
        parser.add_argument("--partnerships", type=int, required=True)
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=10)

    def handle(self, *args, partnerships: int, batch: int, seed: int, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale needs PostgreSQL (it uses COPY).")
        rng = random.Random(seed)
        start_number = self.next_number()
        organisations, facilitators = self.pools(start_number + partnerships - 1)
        tables = {
            m: Table(m)
            for m in (
                Partnership,
                Member,
                Objective,
                Indicator,
                Measurement,
                Contribution,
                Risk,
                PhaseChange,
                Activity,
                AssessmentDue,
                GateRequest,
                GateApproval,
            )
        }
        started = time.perf_counter()
        done = 0
        while done < partnerships:
            n = min(batch, partnerships - done)
            with transaction.atomic():
                raw = connection.cursor().cursor
                self.batch(raw, tables, rng, start_number + done, n, organisations, facilitators)
                for table in tables.values():
                    table.flush(raw)
            done += n
            elapsed = time.perf_counter() - started
            rows = sum(t.count for t in tables.values())
            self.stdout.write(
                f"{done}/{partnerships} partnerships, {rows} rows, "
                f"{rows / elapsed:,.0f} rows/s, {done / elapsed:,.0f} partnerships/s"
            )
        tallies.rebuild()  # COPY bypassed them
        with connection.cursor() as cursor:
            for model in [*tables, tallies.Tally]:
                # VACUUM too: the visibility map lets counts use index-only scans
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        elapsed = time.perf_counter() - started
        rows = sum(t.count for t in tables.values())
        for model, table in tables.items():
            self.stdout.write(f"  {model._meta.label}: {table.count}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {partnerships} partnerships, {rows} rows in {elapsed:.1f} s "
                f"({rows / max(elapsed, 1e-9):,.0f} rows/s)"
            )
        )

    def next_number(self) -> int:
        last = (
            Partnership.objects.filter(reference__startswith=PREFIX)
            .order_by("-reference")
            .values_list("reference", flat=True)
            .first()
        )
        return int(last.removeprefix(PREFIX)) + 1 if last else 1

    def pools(self, last_number: int):
        """Organisations and facilitators for partnerships up to ``last_number`` (created once;
        ordered lists of ids, index i is "Scale org i" / "facilitator{i}")."""
        n_orgs = last_number // PER_ORGANISATION + WINDOW
        n_facilitators = (last_number - 1) // PER_FACILITATOR + 1
        existing = set(
            Organisation.objects.filter(name__startswith="Scale org ").values_list(
                "name", flat=True
            )
        )
        sectors = [s for s, _ in Sector.choices]
        Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Scale org {i:06d}",
                    sector=sectors[i % len(sectors)],
                    country=COUNTRIES[i % len(COUNTRIES)],
                )
                for i in range(n_orgs)
                if f"Scale org {i:06d}" not in existing
            ],
            batch_size=2000,
        )
        organisations = list(
            Organisation.objects.filter(name__startswith="Scale org ")
            .order_by("name")
            .values_list("pk", flat=True)
        )
        password = make_password(PASSWORD)
        known = set(
            User.objects.filter(email__endswith="@scale.example").values_list("email", flat=True)
        )
        User.objects.bulk_create(
            [
                User(
                    email=f"facilitator{i}@scale.example",
                    full_name=f"Facilitator {i}",
                    role=Role.FACILITATOR,
                    # an organisation in the middle of its block: about 100 memberships
                    organisation_id=organisations[
                        min(i * PER_FACILITATOR // PER_ORGANISATION + WINDOW // 2, n_orgs - 1)
                    ],
                    password=password,
                )
                for i in range(n_facilitators)
                if f"facilitator{i}@scale.example" not in known
            ],
            batch_size=2000,
        )
        if not User.objects.filter(email="admin@scale.example").exists():
            User.objects.create_superuser(
                email="admin@scale.example",
                password=PASSWORD,
                full_name="Scale administrator",
                role=Role.ADMINISTRATOR,
            )
        by_email = dict(
            User.objects.filter(
                email__startswith="facilitator", email__endswith="@scale.example"
            ).values_list("email", "pk")
        )
        facilitators = [by_email[f"facilitator{i}@scale.example"] for i in range(n_facilitators)]
        return organisations, facilitators

    def batch(self, cursor, tables, rng, first, n, organisations, facilitators):
        t = tables
        now = timezone.now()
        today = date.today()
        phases = list(PHASE_WEIGHTS)
        weights = list(PHASE_WEIGHTS.values())
        p_ids = t[Partnership].reserve(cursor, n)
        m_ids = iter(t[Member].reserve(cursor, n * 10))
        o_ids = iter(t[Objective].reserve(cursor, n))
        i_ids = iter(t[Indicator].reserve(cursor, n * 5))
        s_ids = iter(t[Measurement].reserve(cursor, n * 60))
        c_ids = iter(t[Contribution].reserve(cursor, n * 20))
        r_ids = iter(t[Risk].reserve(cursor, n * 8))
        phase_of = [
            Phase.OPERATION if first + k <= DUE_SET else rng.choices(phases, weights)[0]
            for k in range(n)
        ]
        a_ids = iter(t[Activity].reserve(cursor, n * 2))
        due_here = max(0, min(n, DUE_SET - first + 1))
        # Every partnership in operation has its next assessment scheduled; outside the due set
        # it falls beyond every reminder and dashboard horizon (45 to 180 days ahead).
        scheduled = sum(
            1 for k in range(n) if first + k > DUE_SET and phase_of[k] in DUE_PHASES["assessments"]
        )
        d_ids = iter(t[AssessmentDue].reserve(cursor, due_here + scheduled))
        g_ids = iter(t[GateRequest].reserve(cursor, due_here))
        ga_ids = iter(t[GateApproval].reserve(cursor, due_here))
        h_ids = iter(t[PhaseChange].reserve(cursor, sum(len(HISTORY[p]) for p in phase_of)))
        kinds = [k for k, _ in ContributionKind.choices]
        categories = [c for c, _ in Category.choices]
        statuses = [Status.OPEN] * 5 + [Status.MITIGATED, Status.OCCURRED, Status.CLOSED]
        for k in range(n):
            pk, number, phase = p_ids[k], first + k, phase_of[k]
            due = number <= DUE_SET
            created = now - timedelta(days=rng.randint(30, 1500), minutes=rng.randint(0, 1440))
            updated = created + (now - created) * rng.random()
            start = created.date() + timedelta(days=60)
            history = HISTORY[phase]
            reference = f"{PREFIX}{number:06d}"
            title = f"Alianza {number}: agua y saneamiento rural"
            territory = f"Territory {number % 97}"
            t[Partnership].add(
                pk,
                reference=reference,
                title=title,
                search_key=search_key(title, reference, territory),
                general_objective="Improve access to safe water in rural communities.",
                country=rng.choice(COUNTRIES),
                territory=territory,
                dac_sector=rng.choice(DAC),
                start_date=start,
                end_date=start + timedelta(days=730),
                facilitator_id=facilitators[(number - 1) // PER_FACILITATOR],
                phase=phase,
                created_at=created,
                updated_at=updated,
                operation_started_on=start if phase not in (Phase.INTEREST, Phase.DESIGN) else None,
                closed_on=updated.date() if phase == Phase.CLOSURE else None,
                closure_outcome="completed" if phase == Phase.CLOSURE else "",
            )
            step = (updated - created) / (len(history) + 1)
            for h, (name, source, target) in enumerate(history):
                t[PhaseChange].add(
                    next(h_ids),
                    partnership_id=pk,
                    transition=name,
                    from_phase=source,
                    to_phase=target,
                    at=created + step * (h + 1),
                )
            base = (number - 1) // PER_ORGANISATION
            chosen = [base + w for w in rng.sample(range(WINDOW), 10)]
            members = []
            for j in range(10):
                mid = next(m_ids)
                members.append(mid)
                t[Member].add(
                    mid,
                    partnership_id=pk,
                    organisation_id=organisations[chosen[j]],
                    role=ROLES[j],
                    created_at=created,
                    updated_at=created,
                )
            objective = next(o_ids)
            t[Objective].add(
                objective, partnership_id=pk, kind="specific", description="Access to water"
            )
            for j in range(5):
                iid = next(i_ids)
                t[Indicator].add(
                    iid,
                    objective_id=objective,
                    name=f"Indicator {j + 1}",
                    unit="households",
                    target=Decimal(rng.randint(100, 5000)),
                )
                for month in range(12):
                    on = start + timedelta(days=30 * month)
                    t[Measurement].add(
                        next(s_ids),
                        indicator_id=iid,
                        measured_on=on,
                        value=Decimal(rng.randint(0, 5000)),
                        created_at=created,
                        updated_at=created,
                    )
            for j in range(20):
                planned = Decimal(rng.randint(1000, 200000))
                ends = start + timedelta(days=rng.randint(90, 730))
                # Contributions whose period is over were delivered in full, so that the
                # reminder sweeps find the same few things due at every size.
                share = 100 if ends < today else rng.randint(0, 100)
                if due and j == 0:  # one contribution short, its period just over
                    ends, share = today - timedelta(days=10), 50
                t[Contribution].add(
                    next(c_ids),
                    partnership_id=pk,
                    member_id=members[j % 10],
                    kind=rng.choice(kinds),
                    description=f"Contribution {j + 1}",
                    planned_amount=planned,
                    delivered_amount=(planned * Decimal(share) / 100).quantize(Decimal("0.01")),
                    period_start=min(start, ends),
                    period_end=ends,
                    created_at=created,
                    updated_at=created,
                )
            for j in range(8):
                t[Risk].add(
                    next(r_ids),
                    partnership_id=pk,
                    title=f"Risk {j + 1}",
                    category=rng.choice(categories),
                    phase_identified=Phase.DESIGN,
                    likelihood=rng.randint(1, 5),
                    impact=rng.randint(1, 5),
                    # a member owns each risk but the last (not yet assigned)
                    owner_id=rng.choice(members) if j < 7 else None,
                    mitigation="Agreed with the owner" if j < 7 else "",
                    # reviews fall due beyond the reminder horizon, except in the due set
                    status=Status.OPEN if due and j == 0 else rng.choice(statuses),
                    next_review_on=today
                    + timedelta(days=-3 if due and j == 0 else rng.randint(20, 200)),
                    created_at=created,
                    updated_at=created,
                )
            facilitator = facilitators[(number - 1) // PER_FACILITATOR]
            # Two activities: one done, one ahead (the due set's is late instead).
            for j, (ends, status) in enumerate(
                [
                    (today - timedelta(days=20), ActivityStatus.DONE),
                    (
                        today - timedelta(days=5) if due else today + timedelta(days=90),
                        ActivityStatus.PLANNED,
                    ),
                ]
            ):
                t[Activity].add(
                    next(a_ids),
                    partnership_id=pk,
                    title=f"Activity {j + 1}",
                    starts_on=ends - timedelta(days=60),
                    ends_on=ends,
                    status=status,
                    created_at=created,
                    updated_at=created,
                )
            if phase in DUE_PHASES["assessments"] and not due:
                t[AssessmentDue].add(
                    next(d_ids), partnership_id=pk, due_on=today + timedelta(rng.randint(45, 180))
                )
            if due:
                t[AssessmentDue].add(
                    next(d_ids), partnership_id=pk, due_on=today + timedelta(days=2)
                )
                gate = next(g_ids)
                t[GateRequest].add(
                    gate,
                    partnership_id=pk,
                    transition="start_assessment",
                    fingerprint="0" * 64,
                    content=json.dumps({}),
                    arguments=json.dumps({}),
                    requested_by_id=facilitator,
                    requested_at=now - timedelta(days=10),
                    from_phase=Phase.OPERATION,
                )
                t[GateApproval].add(
                    next(ga_ids),
                    request_id=gate,
                    approver_id=facilitator,
                    capacity="official",
                )
