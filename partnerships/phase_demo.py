"""Demo data for the phase workspaces, added to the demo partnerships of the seeds.

``load(stdout)`` finds each partnership by a title substring and adds what it lacks (problem
tree, causes/opportunities/capacities matrix, conflicts, lessons, health-check answers, closure
notes). Running it again adds nothing; a missing partnership is skipped.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from .models import (
    Assessment,
    Attribute,
    ClosureNote,
    Conflict,
    ConflictStatus,
    HealthCheck,
    HealthCheckResponse,
    MatrixRow,
    NodeKind,
    Partnership,
    Phase,
    ProblemNode,
)
from .phase_services import health_check_recipients

# title substring -> (problem, causes [(cause, [deeper causes])], effects, matrix rows, conflict,
#                     lesson)
DEMO = {
    "Quiero mi barrio": (
        "Deprived neighbourhoods of Chilean cities lack access to information technology",
        [
            ("Few households own a computer or an Internet connection", ["Low household income"]),
            ("No public access points in the neighbourhoods", []),
        ],
        ["Residents cannot use online public services", "Young people fall behind at school"],
        [
            (
                "No public access points",
                "The national neighbourhood recovery programme funds community centres",
                "SUBTEL's regulatory leverage over telecom operators",
            ),
            (
                "Low digital skills",
                "Operators' CSR budgets for digital inclusion",
                "Neighbourhood councils that can organise courses",
            ),
        ],
        (
            "Delay in connecting the community centre",
            "The operator postponed the connection twice; the council felt ignored.",
            "SUBTEL convened both; a written schedule with dates was agreed and published.",
        ),
        "Neighbourhood councils must be partners from the first meeting, not beneficiaries "
        "informed afterwards.",
    ),
    "Escuelas Inter@ctivas": (
        "Rural schools in Ecuador do not use ICT in teaching",
        [("Teachers are not trained to teach with ICT", []), ("Schools lack equipment", [])],
        ["Rural pupils leave school without digital skills"],
        [
            (
                "Teachers not trained",
                "Ministry of Education's teacher-training plan",
                "ChasquiNet's training methodology and trainers",
            )
        ],
        (
            "Disagreement on who maintains the equipment",
            "The school and the municipality each expected the other to pay for repairs.",
            "Maintenance was written into the agreement as the municipality's contribution.",
        ),
        "Write down who maintains donated equipment before it is delivered.",
    ),
    "iMallsAmericas": (
        "Small businesses in Latin America cannot sell online",
        [
            ("No affordable e-commerce platform in Spanish", []),
            ("Little trust in online payments", []),
        ],
        ["Small businesses lose customers to large retailers"],
        [
            (
                "No affordable platform",
                "Chambers of commerce want services for their members",
                "eCOM-LAC's technical platform and network",
            )
        ],
        None,
        "Chambers of commerce are the fastest way to reach small businesses.",
    ),
    "Handwashing": (
        "Children under five in Peru suffer frequent diarrhoea",
        [
            (
                "Hands are not washed with soap at critical moments",
                ["Habit not formed in childhood", "Soap not at hand near the toilet"],
            ),
            ("Unsafe drinking water", []),
        ],
        ["Chronic child malnutrition", "School absenteeism"],
        [
            (
                "Hands not washed with soap",
                "Soap makers' interest in expanding the market of hygiene products",
                "MINSA's health promoters in every district",
            ),
            (
                "Habit not formed in childhood",
                "School health programmes of the Ministry of Education",
                "NGOs' experience in behaviour-change communication",
            ),
        ],
        (
            "Brand visibility in the campaign",
            "A soap maker wanted its brand on school materials; MINSA refused.",
            "Agreed a neutral campaign identity; companies are credited in a separate annex.",
        ),
        "Keep the campaign brand-neutral from the start: companies accept it when it is agreed "
        "before the materials are designed.",
    ),
    "Child Nutrition": (
        "High chronic child malnutrition in Ancash and Huancavelica",
        [
            ("Poor feeding practices for children under three", []),
            ("Diarrhoea and respiratory infections", ["Unsafe water and hygiene"]),
        ],
        ["Lower school performance", "Lower adult income"],
        [
            (
                "Poor feeding practices",
                "Mining companies' social investment funds in the regions",
                "ADRA, CARE, CARITAS and PRISMA's community health workers",
            ),
            (
                "Unsafe water and hygiene",
                "Regional governments' water and sanitation budgets",
                "Municipal technical units (ATM) for water management",
            ),
        ],
        (
            "District mayor changed priorities",
            "After the elections the new mayor cut the municipal contribution.",
            "The regional government and the NGOs met the mayor; a reduced contribution "
            "was agreed and a risk of political change added to the register.",
        ),
        "Political change is the main risk: sign agreements with the institution, not the "
        "person, and brief new authorities quickly.",
    ),
    "SERVIVIENDA": (
        "Low-income families in Colombia live in precarious housing",
        [("No access to housing credit", []), ("High cost of building materials", [])],
        ["Overcrowding and poor health"],
        [
            (
                "No access to credit",
                "Government housing subsidies",
                "SERVIVIENDA's experience in progressive housing",
            )
        ],
        None,
        "Housing subsidies reach the poorest only with someone accompanying the paperwork.",
    ),
}

_SCORES = [
    {"horizontality": 4, "mutual_benefit": 4, "recipient_leadership": 3, "effectiveness": 3,
     "accountability": 4, "trust": 4, "communication": 3},
    {"horizontality": 3, "mutual_benefit": 5, "recipient_leadership": 4, "effectiveness": 4,
     "accountability": 3, "trust": 3, "communication": 4},
    {"horizontality": 5, "mutual_benefit": 4, "recipient_leadership": 4, "effectiveness": 3,
     "accountability": 4, "trust": 5, "communication": 4},
]  # fmt: skip


def _tree(p, problem, causes, effects) -> bool:
    if p.problem_nodes.exists():
        return False
    root = ProblemNode.objects.create(partnership=p, kind=NodeKind.PROBLEM, text=problem)
    for i, (cause, deeper) in enumerate(causes):
        node = ProblemNode.objects.create(
            partnership=p, kind=NodeKind.CAUSE, text=cause, parent=root, order=i
        )
        for j, text in enumerate(deeper):
            ProblemNode.objects.create(
                partnership=p, kind=NodeKind.CAUSE, text=text, parent=node, order=j
            )
    for i, effect in enumerate(effects):
        ProblemNode.objects.create(
            partnership=p, kind=NodeKind.EFFECT, text=effect, parent=root, order=i
        )
    return True


def _matrix(p, rows) -> bool:
    if p.matrix_rows.exists():
        return False
    actors = [m.organisation for m in p.members.select_related("organisation")]
    for i, (cause, opportunity, capacity) in enumerate(rows):
        MatrixRow.objects.create(
            partnership=p,
            cause=cause,
            opportunity=opportunity,
            capacity=capacity,
            actor=actors[i % len(actors)] if actors else None,
            order=i,
        )
    return True


def _conflict(p, conflict) -> bool:
    if conflict is None or p.conflicts.exists() or p.phase in (Phase.INTEREST, Phase.DESIGN):
        return False
    title, what, handling = conflict
    raised = (p.operation_started_on or timezone.localdate()) + datetime.timedelta(days=60)
    raised = min(raised, timezone.localdate())
    c = Conflict.objects.create(
        partnership=p,
        title=title,
        what_happened=what,
        handling=handling,
        status=ConflictStatus.RESOLVED,
        raised_on=raised,
        resolved_on=raised + datetime.timedelta(days=14),
    )
    c.parties.set(p.members.all()[:2])
    return True


def _lessons_and_health(p, lesson) -> int:
    added = 0
    assessments = list(p.assessments.order_by("created_at", "pk"))
    for a in assessments:
        if not a.lessons_learned:
            Assessment.objects.filter(pk=a.pk).update(lessons_learned=lesson)
            added += 1
    people = list(health_check_recipients(p)[:6])
    for n, a in enumerate(assessments):
        if not people or HealthCheck.objects.filter(assessment=a).exists():
            continue
        check = HealthCheck.objects.create(assessment=a, sent_by=p.facilitator)
        check.recipients.set(people)
        for i, person in enumerate(people):
            base = _SCORES[i % len(_SCORES)]
            # Later assessments score a little better: the comparison has something to show.
            scores = {k: min(5, v + (1 if n and k in ("trust", "communication") else 0))
                      for k, v in base.items()}  # fmt: skip
            HealthCheckResponse.objects.create(
                health_check=check,
                respondent=person,
                organisation=person.organisation,
                sector=person.organisation.sector if person.organisation else "",
                comments="" if i else lesson,
                **{a_: scores[a_] for a_ in Attribute.values},
            )
        added += 1
    if p.phase == Phase.CLOSURE and not ClosureNote.objects.filter(partnership=p).exists():
        ClosureNote.objects.create(
            partnership=p,
            final_summary=p.handover_note or p.common_interest,
            lessons_learned=lesson,
        )
        added += 1
    return added


@transaction.atomic
def load(stdout) -> None:
    for needle, (problem, causes, effects, rows, conflict, lesson) in DEMO.items():
        p = Partnership.objects.filter(title__icontains=needle).order_by("pk").first()
        if p is None:
            stdout.write(f"phase demo: no partnership titled like “{needle}”, skipped\n")
            continue
        done = [
            name
            for name, changed in (
                ("problem tree", _tree(p, problem, causes, effects)),
                ("matrix", _matrix(p, rows)),
                ("conflict", _conflict(p, conflict)),
                ("lessons and health checks", _lessons_and_health(p, lesson) > 0),
            )
            if changed
        ]
        stdout.write(f"phase demo: {p.title}: {', '.join(done) or 'nothing new'}\n")
