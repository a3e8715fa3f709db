"""Demo risks for the demo partnerships, drawn from the source documents.

001 Table 05 (risk distribution in a "traditional" PPP), 001 §4 (the qualitative risks that
dominate partnerships for development: reputation, political factors, environmental conflicts,
community participation, communication, fulfilment of commitments, distrust, credibility) and
001 Table 07 (conditions that limit PPPs in Ancash and Huancavelica).

``load(stdout)`` is idempotent: a risk is identified by its partnership and title. Partnerships
are looked up by title; missing ones are skipped. Rows are written directly (not through the
services) because the demo needs reviews dated in the past and overdue review dates.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from partnerships.models import MemberRole, Partnership, Phase

from .models import Category, ReviewKind, Risk, RiskReview, Status

P = MemberRole


@dataclass
class Spec:
    title: str
    category: str
    likelihood: int
    impact: int
    owner_roles: tuple = ()
    mitigation: str = ""
    contingency: str = ""
    description: str = ""
    status: str = Status.OPEN
    # days from today to the next review; negative means overdue
    review_in: int | None = 60
    # earlier ratings (likelihood, impact, days ago, note) for the score history
    history: list = field(default_factory=list)


COMMON = [
    Spec(
        "Rotation of public sector officials",
        Category.POLITICAL,
        4,
        4,
        (P.PUBLIC_ENTITY, P.FACILITATOR),
        "Sign the agreement at institution level, not with a person; brief every new "
        "official within a month of arrival; keep minutes that any newcomer can read.",
        "Ask the regional government to designate an alternate focal point.",
        "001 Table 07: rotation of public sector officials limits partnerships.",
        review_in=-12,
        history=[(3, 4, 120, "Regional elections announced.")],
    ),
    Spec(
        "Partners do not fulfil their agreed contributions",
        Category.COMMITMENTS,
        3,
        4,
        (P.FACILITATOR, P.IMPLEMENTER),
        "Contributions scheduled by period and reviewed at each monthly meeting; "
        "non-compliance clause in the agreement.",
        "Re-plan activities with the contributions actually delivered.",
        "001 §4: fulfilment of agreements and commitments.",
        review_in=30,
    ),
    Spec(
        "Distrust between public and private partners",
        Category.DISTRUST,
        3,
        3,
        (P.FACILITATOR,),
        "Transparency of interests from the first meeting; minutes that everybody signs.",
        description="001: private and public entities may distrust the motives of their "
        "counterparts; it takes time to build trust.",
        review_in=-5,
    ),
    Spec(
        "Weak community participation",
        Category.COMMUNITY_PARTICIPATION,
        3,
        4,
        (P.BENEFICIARY, P.IMPLEMENTER),
        "Community leaders in the steering committee; activities scheduled around the "
        "agricultural calendar.",
        description="001: community participation and consensus-building mechanisms are "
        "essential to the success of the projects.",
        review_in=45,
    ),
    Spec(
        "Inadequate information and communication among members",
        Category.COMMUNICATION,
        3,
        2,
        (P.FACILITATOR,),
        "One communication lead; a shared calendar and a monthly bulletin.",
        review_in=90,
    ),
    Spec(
        "Damage to the reputation of a partner institution",
        Category.REPUTATION,
        2,
        4,
        (P.FUNDER, P.IMPLEMENTER),
        "Agree who speaks for the partnership; review partners' socio-environmental record.",
        review_in=120,
    ),
    Spec(
        "Timely availability of resources",
        Category.FINANCIAL,
        3,
        5,
        (P.FUNDER,),
        "Disbursement schedule tied to the work plan; a reserve of two months of operation.",
        "Prioritise the activities with the highest impact on the objectives.",
        "001 Table 05, financial risks related to financial closing.",
        review_in=-30,
        history=[(2, 5, 200, "Budget approved."), (4, 5, 90, "Disbursement delayed.")],
    ),
]

SPECIFIC = {
    "Child Nutrition": [
        Spec(
            "Fear of relating with companies in socio-environmental conflicts",
            Category.ENVIRONMENTAL_CONFLICT,
            3,
            4,
            (P.PUBLIC_ENTITY,),
            "Public criteria for company participation; the local government chairs the selection.",
            description="001 Table 07: fear of the public sector in relating with companies "
            "that have socio-environmental conflicts (Huancavelica).",
        ),
        Spec(
            "Partnership seen as extra work load; participation weakens over time",
            Category.OPERATING,
            4,
            3,
            (P.FACILITATOR,),
            "Fold partnership tasks into the members' existing plans.",
            review_in=-2,
        ),
    ],
    "Handwashing": [
        Spec(
            "Soap companies' brands dominate the public campaign",
            Category.CREDIBILITY,
            2,
            4,
            (P.PUBLIC_ENTITY,),
            "Generic, non-branded messages approved by the Ministry of Health.",
        ),
        Spec(
            "Low demand for soap in rural households",
            Category.DEMAND,
            3,
            3,
            (P.IMPLEMENTER,),
            "Behaviour-change activities in schools and health posts.",
            description="001 Table 05, business risks: demand and willingness to pay.",
        ),
    ],
    "Quiero mi barrio": [
        Spec(
            "Connectivity provider withdraws from the neighbourhood",
            Category.COMPETITION,
            2,
            4,
            (P.ALLY, P.IMPLEMENTER),
            "Open call with two providers; service levels in the agreement.",
        ),
        Spec(
            "Telecentre equipment becomes obsolete",
            Category.TECHNOLOGY,
            3,
            3,
            (P.IMPLEMENTER,),
            "Maintenance budget and a renewal plan at year three.",
            description="001 Table 05: technological obsolescence.",
        ),
    ],
    "Escuelas Inter@ctivas": [
        Spec(
            "Ministry accreditation of the teacher training lapses",
            Category.REGULATORY,
            2,
            5,
            (P.PUBLIC_ENTITY,),
            "Renew the accreditation six months before it expires.",
            description="001 Table 05, contractual risks: regulatory.",
        ),
        Spec(
            "Schools lack maintenance for the computer labs",
            Category.OPERATING,
            4,
            3,
            (P.IMPLEMENTER, P.BENEFICIARY),
            "Train a technician per school; parents' association contributes in kind.",
            review_in=-20,
        ),
    ],
    "iMallsAmericas": [
        Spec(
            "Telecentres' communities are not willing to pay for online services",
            Category.DEMAND,
            4,
            4,
            (P.IMPLEMENTER, P.ALLY),
            "Pilot prices in three telecentres before scaling up.",
            description="001 Table 05, business risks: willingness to pay, elasticity of demand.",
        ),
        Spec(
            "Exchange-rate losses on the company's contribution",
            Category.FINANCIAL,
            3,
            3,
            (P.FUNDER,),
            "Contributions valued in local currency at the date of delivery.",
            description="001 Table 05: exchange risk.",
        ),
    ],
    "SERVIVIENDA": [
        Spec(
            "Construction costs exceed the budget",
            Category.CONSTRUCTION,
            3,
            4,
            (P.IMPLEMENTER,),
            "Fixed-price contracts for materials; community labour counted as contribution.",
            description="001 Table 05: availability of materials and excessive construction costs.",
        ),
        Spec(
            "Natural disaster interrupts the works",
            Category.FORCE_MAJEURE,
            2,
            5,
            (P.PUBLIC_ENTITY, P.IMPLEMENTER),
            "Insurance for the works; an emergency protocol with the municipality.",
        ),
    ],
}

DEMO_TITLES = tuple(SPECIFIC)

# A risk without an owner in partnerships still in design, so the design gate shows its rule.
GATE_EXAMPLE = Spec(
    "Political intentions prevail over a vision of sustained development",
    Category.POLITICAL,
    4,
    4,
    (),
    "",
    description="001 Table 07 (Regional Government of Huancavelica).",
)


def _owner(partnership, roles):
    members = list(partnership.members.all())
    for role in roles:
        for member in members:
            if member.role == role:
                return member
    return members[0] if members and roles else None


def _phase_identified(partnership) -> str:
    return Phase.DESIGN if partnership.phase != Phase.INTEREST else Phase.INTEREST


@transaction.atomic
def _load_partnership(partnership, specs, today) -> int:
    created = 0
    existing = set(partnership.risks.values_list("title", flat=True))
    facilitator = partnership.facilitator
    for spec in specs:
        if spec.title in existing:
            continue
        risk = Risk.objects.create(
            partnership=partnership,
            title=spec.title,
            description=spec.description,
            category=spec.category,
            phase_identified=_phase_identified(partnership),
            likelihood=spec.likelihood,
            impact=spec.impact,
            owner=_owner(partnership, spec.owner_roles),
            mitigation=spec.mitigation,
            contingency=spec.contingency,
            status=spec.status,
            next_review_on=(
                today + datetime.timedelta(days=spec.review_in)
                if spec.review_in is not None
                else None
            ),
        )
        first = spec.history[0] if spec.history else (spec.likelihood, spec.impact, 150, "")
        RiskReview.objects.create(
            risk=risk,
            kind=ReviewKind.IDENTIFIED,
            reviewed_on=today - datetime.timedelta(days=first[2]),
            reviewer=facilitator,
            likelihood=first[0],
            impact=first[1],
            status=Status.OPEN,
            note=first[3] or "Identified.",
        )
        later = spec.history[1:]
        if spec.history:
            later = [*later, (spec.likelihood, spec.impact, 20, "Reviewed at the monthly meeting.")]
        for likelihood, impact, days_ago, note in later:
            RiskReview.objects.create(
                risk=risk,
                kind=ReviewKind.REVIEW,
                reviewed_on=today - datetime.timedelta(days=days_ago),
                reviewer=facilitator,
                likelihood=likelihood,
                impact=impact,
                status=Status.OPEN,
                note=note,
            )
        created += 1
    return created


def prepare_transition(*, partnership, transition, by) -> None:
    """Before the design gate, register the risks the partners agree on, as a facilitator
    would while drafting the agreement, so the signed agreement lists them (``load`` adds the
    rest afterwards)."""
    if transition != "start_operation":
        return
    for title, specific in SPECIFIC.items():
        if title.lower() in partnership.title.lower():
            _load_partnership(partnership, COMMON + specific, timezone.localdate())


def load(stdout) -> None:
    today = timezone.localdate()
    for title, specific in SPECIFIC.items():
        partnerships = Partnership.objects.filter(title__icontains=title).exclude(
            phase__in=[Phase.INTEREST, Phase.WITHDRAWN]
        )
        found = False
        for partnership in partnerships:
            found = True
            specs = COMMON + specific
            if partnership.phase == Phase.DESIGN:
                specs = [*specs, GATE_EXAMPLE]
            n = _load_partnership(partnership, specs, today)
            stdout.write(f"risks: {n} new risks for “{partnership.title}”\n")
        if not found:
            stdout.write(f"risks: no demo partnership past interest matches “{title}”, skipped\n")
