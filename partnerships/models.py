"""Partnerships, their members and agreed content, and the five-phase lifecycle.

The lifecycle is a django-fsm-2 state machine on ``Partnership.phase``. Transition methods only
change fields in memory; ``partnerships.services`` checks the guards, calls them, saves and
records the ``PhaseChange`` in one transaction. Each guard is a checklist (see ``checklists``):
the reasons a transition is blocked are the checklist items that are not done.
"""

import hashlib
import json
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_fsm import FSMField, transition

from actors.dates import validate_sensible_date
from actors.deferred import render
from actors.models import (
    Organisation,
    SearchKeyed,
    SearchKeyedQuerySet,
    Sector,
    TimeStampedModel,
    User,
)
from actors.text import normalise

from . import checklists
from .codes import CURRENCIES, sector_choices
from .tallies import Tallied, Tally, TallyDelta  # noqa: F401  (Tally* are models of this app)


class Phase(models.TextChoices):
    INTEREST = "interest", _("Interest")
    DESIGN = "design", _("Design")
    OPERATION = "operation", _("Operation")
    ASSESSMENT = "assessment", _("Assessment")
    CLOSURE = "closure", _("Closure")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The phases in which nothing can change any more.
FINAL_PHASES = {Phase.CLOSURE, Phase.WITHDRAWN}

# What is due, by kind, only for partnerships whose work is running: the reminder sweeps and the
# dashboards read this one table. Closed, withdrawn and suspended partnerships owe nothing;
# risks are reviewed from design to assessment.
DUE_PHASES = {
    "assessments": (Phase.OPERATION,),
    "activities": (Phase.OPERATION,),
    "risks": (Phase.DESIGN, Phase.OPERATION, Phase.ASSESSMENT),
    "contributions": (Phase.OPERATION,),
}


class ClosureOutcome(models.TextChoices):
    TERMINATED = "terminated", _("Terminated")
    TRANSFERRED = "transferred", _("Transferred")
    CONTINUED = "continued", _("Continued as a new partnership")


class Modality(models.TextChoices):
    TRADITIONAL_BUSINESS = "traditional_business", _("Traditional business")
    PHILANTHROPY = "philanthropy", _("Philanthropy")
    CSR = "csr", _("CSR / social investment")
    INCLUSIVE_MARKETS = "inclusive_markets", _("Inclusive markets")


class FormalisationLevel(models.TextChoices):
    LOW = "low", _("Low: letter of intent")
    MEDIUM = "medium", _("Medium: memorandum of understanding")
    HIGH = "high", _("High: agreement or contract")


class Scenario(models.TextChoices):
    PRIVATE_SEEKS_PUBLIC = "private_seeks_public", _("Private sector seeks public sector")
    PUBLIC_SEEKS_PRIVATE = "public_seeks_private", _("Public sector seeks private sector")
    CIVIL_SOCIETY_SEEKS_BOTH = "civil_society_seeks_both", _("Civil society seeks both")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


class PartnershipQuerySet(SearchKeyedQuerySet):
    def in_phase(self, *phases):
        return self.filter(phase__in=phases)

    def visible_to(self, user):
        """Partnerships a user may see; the single rule every page and endpoint uses."""
        from .permissions import visible_partnerships_filter

        if not user.is_authenticated:
            return self.none()
        if user.is_administrator:
            return self
        return self.filter(visible_partnerships_filter(user))

    def countries_in_use(self) -> list[str]:
        """Distinct countries of all partnerships, read as a loose index scan of the
        (country, phase) index: one probe per country, not one row per partnership."""
        from django.db import connection

        if connection.vendor != "postgresql":
            return list(self.order_by().values_list("country", flat=True).distinct())
        table = connection.ops.quote_name(self.model._meta.db_table)
        sql = f"""
            WITH RECURSIVE c(country) AS (
                (SELECT country FROM {table} ORDER BY country LIMIT 1)
                UNION ALL
                SELECT (SELECT country FROM {table} WHERE country > c.country
                        ORDER BY country LIMIT 1)
                FROM c WHERE c.country IS NOT NULL
            ) SELECT country FROM c WHERE country IS NOT NULL"""  # noqa: S608 (table from _meta)
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return [row[0] for row in cursor.fetchall()]

    def search(self, text: str):
        """Partnerships whose title, reference or territory contains ``text``, up to case,
        accents and extra spaces ("ancash" finds "Áncash"; see ``actors.text.normalise``)."""
        key = normalise(text)
        if not key:
            return self
        return self.filter(search_key__contains=key)

    def with_contribution_totals(self):
        # order_by(): the model's ordering (member__organisation__name) would add two joins.
        totals = (
            Contribution.objects.filter(partnership=OuterRef("pk")).order_by().values("partnership")
        )
        return self.annotate(
            planned_total=models.Subquery(
                totals.annotate(total=Sum("planned_amount")).values("total")
            ),
            delivered_total=models.Subquery(
                totals.annotate(total=Sum("delivered_amount")).values("total")
            ),
        )


class Partnership(Tallied, SearchKeyed, TimeStampedModel):
    # The administrator's dashboard counts partnerships by phase from this tally.
    tallies = {"partnership.phase": ("phase",)}

    reference = models.CharField(_("reference"), max_length=40, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=250)
    problem = models.TextField(_("problem or opportunity"), blank=True)
    common_interest = models.TextField(_("common interest"), blank=True)
    general_objective = models.TextField(_("general objective"), blank=True)
    scenario = models.CharField(
        _("who sought whom"), max_length=30, choices=Scenario.choices, blank=True
    )
    scope = models.TextField(_("scope"), blank=True)
    country = CountryField(_("country"))
    territory = models.CharField(_("territory"), max_length=250, blank=True)
    dac_sector = models.CharField(
        _("field of intervention"),
        max_length=5,
        # Every active OECD DAC purpose code of the vendored IATI list (a callable: the list is
        # read from partnerships/iati_data/, not copied into migrations).
        choices=sector_choices,
        blank=True,
        help_text=_("OECD DAC sector"),
    )
    sdg_goals = models.JSONField(_("Sustainable Development Goals"), default=list, blank=True)
    sdg_targets = models.JSONField(
        _("SDG targets"), default=list, blank=True, help_text=_("For example 2.2, 6.2")
    )
    start_date = models.DateField(
        _("start date"), null=True, blank=True, validators=[validate_sensible_date]
    )
    end_date = models.DateField(
        _("end date"), null=True, blank=True, validators=[validate_sensible_date]
    )
    modality = models.CharField(_("modality"), max_length=30, choices=Modality.choices, blank=True)
    formalisation_level = models.CharField(
        _("formalisation level"), max_length=10, choices=FormalisationLevel.choices, blank=True
    )
    governance = models.TextField(
        _("governance"), blank=True, help_text=_("How decisions are taken.")
    )
    communication_lead = models.CharField(_("who leads communication"), max_length=250, blank=True)
    tracking_tools = models.TextField(_("tracking and assessment tools"), blank=True)
    confidentiality = models.TextField(_("confidentiality commitment"), blank=True)
    non_compliance = models.TextField(_("actions on non-compliance"), blank=True)
    assessment_criteria = models.TextField(_("assessment criteria"), blank=True)
    assessment_every_months = models.PositiveSmallIntegerField(
        _("assess every (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    assessment_dates = models.JSONField(
        _("assessment dates"), default=list, blank=True, help_text=_("Explicit dates (ISO).")
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="facilitated_partnerships",
        null=True,
        blank=True,
        verbose_name=_("facilitator"),
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="USD")
    is_published = models.BooleanField(_("published in the public register"), default=False)
    public_summary = models.TextField(_("public summary"), blank=True)

    phase = FSMField(
        _("phase"), default=Phase.INTEREST, choices=Phase.choices, protected=True, db_index=True
    )
    operation_started_on = models.DateField(_("operation started on"), null=True, blank=True)
    assessment_requested_at = models.DateTimeField(_("assessment requested"), null=True, blank=True)
    closure_outcome = models.CharField(
        _("closure outcome"), max_length=20, choices=ClosureOutcome.choices, blank=True
    )
    transferred_to = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_partnerships",
        verbose_name=_("transferred to"),
    )
    handover_note = models.TextField(_("hand-over note"), blank=True)
    predecessor = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successor",
        verbose_name=_("continues"),
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The title, reference and territory, normalised, one per line: what search() compares
    # (SearchKeyed). seed_scale's COPY and partnership_create()'s reference update write it
    # themselves.
    search_key = models.TextField(_("search key"), blank=True, editable=False)
    search_keys = {"search_key": ("title", "reference", "territory")}

    objects = PartnershipQuerySet.as_manager()

    SEARCHED_FIELDS = ("title", "reference", "territory")

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        indexes = [
            models.Index(fields=["phase", "-updated_at"]),
            models.Index(fields=["country", "phase"]),
            models.Index(fields=["dac_sector"]),
            models.Index(fields=["-updated_at", "-id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="partnership_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=~Q(closure_outcome="transferred") | Q(transferred_to__isnull=False),
                name="transfer_names_the_receiver",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("partnerships:detail", args=[self.pk])

    def refresh_from_db(self, *args, **kwargs):
        # The protected phase field refuses assignment once loaded; reloading must replace it.
        fields = kwargs.get("fields")
        if fields is None or "phase" in fields:
            self.__dict__.pop("phase", None)
        super().refresh_from_db(*args, **kwargs)

    def people(self):
        """People who can act in the partnership: its facilitator and the active users of its
        member organisations. The pages offer only them (a responsible person, attendees) and
        ``Activity.clean`` holds every path to the same list."""
        return (
            User.objects.filter(
                Q(organisation__memberships__partnership=self) | Q(pk=self.facilitator_id)
            )
            .filter(is_active=True)
            .select_related("organisation")
            .distinct()
            .order_by("full_name")
        )

    # ----- state -------------------------------------------------------------------------------

    @property
    def is_read_only(self) -> bool:
        return self.phase in FINAL_PHASES

    # ----- guards: each returns the reasons (in plain words) the transition is blocked ---------

    def checklist(self, transition_name: str) -> list["checklists.Item"]:
        return checklists.for_transition(self, transition_name)

    def blockers(self, transition_name: str) -> list[str]:
        return [
            item.reason
            for item in self.checklist(transition_name)
            if not item.done and item.required
        ]

    def _no_blockers(transition_name):  # noqa: N805 - used as a decorator factory in the class
        def condition(instance):
            return not instance.blockers(transition_name)

        condition.__name__ = f"no_blockers_for_{transition_name}"
        return condition

    # ----- transitions: change fields in memory only -------------------------------------------
    # Declared once, here: ``custom`` carries the label people read and whether the transition
    # is gated (needs a sign-off); ``partnerships.transitions`` reads it for everyone else.

    @transition(
        field=phase,
        source=Phase.INTEREST,
        target=Phase.DESIGN,
        conditions=[_no_blockers("start_design")],
        custom={"label": _("Start design"), "gated": True},
    )
    def start_design(self):
        pass

    @transition(
        field=phase,
        source=Phase.DESIGN,
        target=Phase.OPERATION,
        conditions=[_no_blockers("start_operation")],
        custom={"label": _("Sign the agreement and start operation"), "gated": True},
    )
    def start_operation(self):
        if self.operation_started_on is None:
            self.operation_started_on = timezone.localdate()

    @transition(
        field=phase,
        source=Phase.OPERATION,
        target=Phase.ASSESSMENT,
        conditions=[_no_blockers("start_assessment")],
        custom={"label": _("Start assessment"), "gated": True},
    )
    def start_assessment(self):
        self.assessment_requested_at = None

    @transition(
        field=phase,
        source=Phase.OPERATION,
        target=Phase.SUSPENDED,
        conditions=[_no_blockers("suspend")],
        custom={
            "label": _("Suspend"),
            "gated": False,
            "reason_required": _("Say why the partnership is suspended."),
        },
    )
    def suspend(self):
        pass

    @transition(
        field=phase,
        source=Phase.SUSPENDED,
        target=Phase.OPERATION,
        conditions=[_no_blockers("resume")],
        custom={"label": _("Resume"), "gated": False},
    )
    def resume(self):
        pass

    @transition(
        field=phase,
        source=Phase.ASSESSMENT,
        target=Phase.OPERATION,
        conditions=[_no_blockers("continue_operation")],
        custom={"label": _("Continue operation"), "gated": True},
    )
    def continue_operation(self):
        pass

    @transition(
        field=phase,
        source=Phase.ASSESSMENT,
        target=Phase.DESIGN,
        conditions=[_no_blockers("renegotiate")],
        custom={"label": _("Renegotiate (back to design)"), "gated": True},
    )
    def renegotiate(self):
        pass

    @transition(
        field=phase,
        source=Phase.ASSESSMENT,
        target=Phase.CLOSURE,
        conditions=[_no_blockers("close")],
        custom={"label": _("Close"), "gated": True},
    )
    def close(self, *, outcome: str, transferred_to=None, handover_note: str = ""):
        self.closure_outcome = outcome
        self.transferred_to = transferred_to if outcome == ClosureOutcome.TRANSFERRED else None
        self.handover_note = handover_note
        self.closed_on = timezone.localdate()

    @transition(
        field=phase,
        source=[Phase.INTEREST, Phase.DESIGN],
        target=Phase.WITHDRAWN,
        conditions=[_no_blockers("withdraw")],
        custom={
            "label": _("Withdraw"),
            "gated": False,
            "reason_required": _("Say why the partnership is withdrawn."),
        },
    )
    def withdraw(self):
        pass

    del _no_blockers

    # ----- agreed content ----------------------------------------------------------------------

    def agreed_content(self) -> dict:
        """Everything the agreement commits the partners to, as plain data.

        Its fingerprint is what a sign-off approves; any change to it voids open approvals.
        """
        members = self.members.select_related("organisation", "signatory").order_by(
            "organisation__name"
        )
        objectives = self.objectives.prefetch_related("indicators").order_by("order", "pk")
        contributions = self.contributions.select_related("member__organisation").order_by("pk")
        return {
            "title": self.title,
            "problem": self.problem,
            "common_interest": self.common_interest,
            "general_objective": self.general_objective,
            "scope": self.scope,
            "country": str(self.country),
            "territory": self.territory,
            "dac_sector": self.dac_sector,
            "sdg_targets": list(self.sdg_targets or []),
            "start_date": self.start_date.isoformat() if self.start_date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "modality": self.modality,
            "formalisation_level": self.formalisation_level,
            "governance": self.governance,
            "communication_lead": self.communication_lead,
            "tracking_tools": self.tracking_tools,
            "confidentiality": self.confidentiality,
            "non_compliance": self.non_compliance,
            "assessment_criteria": self.assessment_criteria,
            "assessment_every_months": self.assessment_every_months,
            "assessment_dates": list(self.assessment_dates or []),
            "members": [
                {
                    "organisation": m.organisation.name,
                    "role": m.role,
                    "signatory": m.signatory.full_name if m.signatory else None,
                    "responsibilities": m.responsibilities,
                }
                for m in members
            ],
            "objectives": [
                {
                    "kind": o.kind,
                    "description": o.description,
                    "indicators": [
                        {
                            "name": i.name,
                            "unit": i.unit,
                            "baseline": str(i.baseline),
                            "target": str(i.target),
                            "means_of_verification": i.means_of_verification,
                        }
                        for i in o.indicators.all()
                    ],
                }
                for o in objectives
            ],
            "contributions": [
                {
                    "member": c.member.organisation.name,
                    "kind": c.kind,
                    "description": c.description,
                    "planned_amount": str(c.planned_amount),
                    "currency": c.currency,
                    "period_start": c.period_start.isoformat() if c.period_start else None,
                    "period_end": c.period_end.isoformat() if c.period_end else None,
                }
                for c in contributions
            ],
            "extra": checklists.extra_agreed_content(self),
        }

    def agreed_fingerprint(self, content: dict | None = None) -> str:
        """SHA-256 of the agreed content; pass ``content`` when it is already built (it costs
        several queries)."""
        if content is None:
            content = self.agreed_content()
        payload = json.dumps(content, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    # ----- facts the guards read ---------------------------------------------------------------

    def member_sector_summary(self) -> dict:
        """Counts used by the interest gate, in one query."""
        return self.members.aggregate(
            actors=Count("organisation", distinct=True),
            sectors=Count("organisation__sector", distinct=True),
            public=Count("pk", filter=Q(organisation__sector=Sector.PUBLIC)),
        )

    def latest_assessment(self):
        return self.assessments.order_by("-created_at", "-pk").first()

    def has_progress_recorded(self) -> bool:
        return (
            Measurement.objects.filter(indicator__objective__partnership=self).exists()
            or self.contributions.filter(delivered_amount__gt=0).exists()
        )

    def next_assessment_due(self):
        """The next scheduled assessment date, from explicit dates or every N months."""
        from .schedule import next_assessment_due

        return next_assessment_due(self)


class MemberRole(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator / broker")
    FUNDER = "funder", _("Funder")
    IMPLEMENTER = "implementer", _("Implementer")
    ALLY = "ally", _("Technical or strategic ally")
    PUBLIC_ENTITY = "public_entity", _("Accountable public entity")
    BENEFICIARY = "beneficiary", _("Beneficiary / local lead")
    PROVIDER = "provider", _("Provider (triangular cooperation)")
    PIVOT = "pivot", _("Pivot (triangular cooperation)")
    RECIPIENT = "recipient", _("Recipient (triangular cooperation)")


class Member(TimeStampedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=MemberRole.choices)
    signatory = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatory_for",
        verbose_name=_("authorised signatory"),
    )
    motivation = models.TextField(_("motivation"), blank=True)
    responsibilities = models.TextField(_("responsibilities"), blank=True)

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="one_membership_per_organisation"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "role"]),
            # visibility: the partnerships of an organisation, index-only
            models.Index(fields=["organisation", "partnership"], name="member_org_partnership"),
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class ObjectiveKind(models.TextChoices):
    GENERAL = "general", _("General")
    SPECIFIC = "specific", _("Specific")


class Objective(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="objectives"
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=ObjectiveKind.choices, default=ObjectiveKind.SPECIFIC
    )
    description = models.TextField(_("description"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")

    def __str__(self):
        return self.description[:80]


class IndicatorMeasure(models.TextChoices):
    UNIT = "unit", _("Unit")
    PERCENTAGE = "percentage", _("Percentage")
    QUALITATIVE = "qualitative", _("Qualitative")


class Indicator(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(_("unit"), max_length=50)
    measure = models.CharField(
        _("measure"), max_length=12, choices=IndicatorMeasure.choices, default=IndicatorMeasure.UNIT
    )
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, default=0)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    means_of_verification = models.TextField(_("means of verification"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name


class Measurement(TimeStampedModel):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(_("date"), validators=[validate_sensible_date])
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # The last correction (each one is in the audit trail, with the values before and after).
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("corrected by"),
    )
    corrected_at = models.DateTimeField(_("corrected"), null=True, blank=True)

    class Meta:
        ordering = ["indicator", "measured_on"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        indexes = [models.Index(fields=["indicator", "measured_on"])]

    def __str__(self):
        return f"{self.indicator}: {self.value} ({self.measured_on})"


class ContributionKind(models.TextChoices):
    FINANCIAL = "financial", _("Financial")
    HUMAN = "human", _("Human / labour")
    IN_KIND = "in_kind", _("In kind / material")
    KNOWLEDGE = "knowledge", _("Knowledge / information")


# What "short" and "late" mean, written once: the querysets below, the partial indexes that
# serve them, the dashboard and the reminder sweeps all use these.
CONTRIBUTION_BELOW_PLAN = Q(delivered_amount__lt=models.F("planned_amount"))
ACTIVITY_OPEN = Q(status__in=["planned", "in_progress"])


class ContributionQuerySet(models.QuerySet):
    def short(self, today):
        """Contributions whose period ended before ``today`` with less delivered than planned."""
        return self.filter(CONTRIBUTION_BELOW_PLAN, period_end__lt=today)


class ActivityQuerySet(models.QuerySet):
    def late(self, today):
        """Activities past their end date (before ``today``) and neither done nor cancelled."""
        return self.filter(ACTIVITY_OPEN, ends_on__lt=today)


class Contribution(TimeStampedModel):
    """What a member promised to bring, valued in money, and how much of it has arrived."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="contributions"
    )
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, related_name="contributions", verbose_name=_("member")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ContributionKind.choices)
    description = models.CharField(_("description"), max_length=300)
    planned_amount = models.DecimalField(
        _("planned amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    delivered_amount = models.DecimalField(
        _("delivered amount"),
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="USD")
    period_start = models.DateField(
        _("from"), null=True, blank=True, validators=[validate_sensible_date]
    )
    period_end = models.DateField(
        _("until"), null=True, blank=True, validators=[validate_sensible_date]
    )

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["member__organisation__name", "pk"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_amount__gte=0) & Q(delivered_amount__gte=0),
                name="contribution_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gte=models.F("period_start")),
                name="contribution_period_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["period_end"], name="contribution_period_end"),
            # contributions short (sweep, dashboard): only those delivered below plan
            models.Index(
                fields=["period_end", "id"],
                condition=CONTRIBUTION_BELOW_PLAN,
                name="contribution_short",
            ),
        ]

    def __str__(self):
        return f"{self.member.organisation}: {self.description}"

    @property
    def delivered_ratio(self) -> Decimal:
        if not self.planned_amount:
            return Decimal(0)
        return self.delivered_amount / self.planned_amount


class Delivery(TimeStampedModel):
    """One delivery against a contribution; the contribution keeps the running total."""

    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, related_name="deliveries"
    )
    delivered_on = models.DateField(_("date"), validators=[validate_sensible_date])
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["delivered_on", "pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self):
        return f"{self.amount} ({self.delivered_on})"


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Activity(TimeStampedModel):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts"), validators=[validate_sensible_date])
    ends_on = models.DateField(_("ends"), validators=[validate_sensible_date])
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("responsible person"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    indicator = models.ForeignKey(
        Indicator,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("indicator"),
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_it_starts",
            )
        ]
        indexes = [
            models.Index(fields=["ends_on", "status"], name="activity_due"),
            # late activities (sweep, dashboard): only the ones not done or cancelled
            models.Index(
                fields=["ends_on", "id"],
                condition=ACTIVITY_OPEN,
                name="activity_open_by_end",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if (
            self.responsible_id
            and self.partnership_id
            and not self.partnership.people().filter(pk=self.responsible_id).exists()
        ):
            raise ValidationError({"responsible": RESPONSIBLE_PERSON_MESSAGE})


#: The rule of ``Activity.clean``, also the API's answer to an id that names nobody (so an id
#: that exists and one that does not answer alike).
RESPONSIBLE_PERSON_MESSAGE = _(
    "The responsible person must be the facilitator or a person of a member organisation."
)


class Meeting(TimeStampedModel):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=250)
    held_at = models.DateTimeField(_("date and time"), validators=[validate_sensible_date])
    place = models.CharField(_("place"), max_length=250, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Attendance",
        related_name="meetings",
        verbose_name=_("attendees"),
    )

    class Meta:
        ordering = ["-held_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self):
        return self.title


class Attendance(models.Model):
    """A person at a meeting, and when they confirmed its minutes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances"
    )
    minutes_confirmed_at = models.DateTimeField(_("minutes confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attend_a_meeting_once")
        ]

    def __str__(self):
        return f"{self.person} @ {self.meeting}"


class Recommendation(models.TextChoices):
    CONTINUE = "continue", _("Continue")
    RENEGOTIATE = "renegotiate", _("Renegotiate")
    CLOSE = "close", _("Close")


class Assessment(TimeStampedModel):
    """The assessment phase's record: results, lessons and the decision it recommends."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="assessments"
    )
    period_start = models.DateField(
        _("period from"), null=True, blank=True, validators=[validate_sensible_date]
    )
    period_end = models.DateField(
        _("period until"), null=True, blank=True, validators=[validate_sensible_date]
    )
    results_summary = models.TextField(_("results against objectives"), blank=True)
    wanted_results = models.TextField(_("wanted results"), blank=True)
    unwanted_results = models.TextField(_("unwanted results"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=12, choices=Recommendation.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return f"{self.partnership}: {self.created_at:%Y-%m-%d}"


class PhaseChange(models.Model):
    """Append-only history of the lifecycle: one row per transition, written with it."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="phase_changes"
    )
    transition = models.CharField(_("transition"), max_length=40)
    from_phase = models.CharField(_("from"), max_length=20, choices=Phase.choices)
    to_phase = models.CharField(_("to"), max_length=20, choices=Phase.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    # What the system adds (who signed off), kept untranslated (actors.deferred) so that each
    # reader gets it in their language; ``comment`` holds the person's own words.
    note = models.JSONField(_("note"), default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        indexes = [
            models.Index(fields=["partnership", "-at"]),
            models.Index(fields=["-at", "-id"], name="phasechange_recent"),
        ]

    def __str__(self):
        return f"{self.from_phase} → {self.to_phase}"

    @property
    def note_text(self) -> str:
        return render(self.note)


class PartnerCandidate(TimeStampedModel):
    """An actor considered for a partnership, scored on the five criteria of 001 stage 3."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="candidates"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="candidacies"
    )
    complementarity = models.PositiveSmallIntegerField(
        _("complementarity of capacities"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    resources = models.PositiveSmallIntegerField(
        _("human and economic resources available"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    leverage = models.PositiveSmallIntegerField(
        _("capacity to leverage others' resources"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    partnership_experience = models.PositiveSmallIntegerField(
        _("previous positive experience in partnerships"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    development_experience = models.PositiveSmallIntegerField(
        _("positive experience in development initiatives"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    notes = models.TextField(_("notes"), blank=True)

    CRITERIA = (
        "complementarity",
        "resources",
        "leverage",
        "partnership_experience",
        "development_experience",
    )

    class Meta:
        verbose_name = _("candidate partner")
        verbose_name_plural = _("candidate partners")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="one_candidacy_per_organisation"
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{c}__gte": 1, f"{c}__lte": 5}), name=f"candidate_{c}_1_to_5"
                )
                for c in (
                    "complementarity",
                    "resources",
                    "leverage",
                    "partnership_experience",
                    "development_experience",
                )
            ],
        ]

    def __str__(self):
        return f"{self.organisation} → {self.partnership}"

    @property
    def score(self) -> int:
        return sum(getattr(self, c) for c in self.CRITERIA)

    @property
    def is_member(self) -> bool:
        return Member.objects.filter(
            partnership_id=self.partnership_id, organisation_id=self.organisation_id
        ).exists()


def ranked_candidates(partnership):
    """Candidates ordered by total score, best first (ties by complementarity, then name)."""
    total = sum((models.F(c) for c in PartnerCandidate.CRITERIA), models.Value(0))
    member_orgs = Member.objects.filter(
        partnership=partnership, organisation=OuterRef("organisation")
    )
    return (
        partnership.candidates.select_related("organisation")
        .annotate(total_score=total, already_member=Exists(member_orgs))
        .order_by("-total_score", "-complementarity", "organisation__name")
    )


class GateStatus(models.TextChoices):
    OPEN = "open", _("Waiting for sign-off")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class GateRequest(models.Model):
    """A facilitator's request to pass a gate; the transition happens on the last approval.

    ``content`` and ``fingerprint`` freeze what is being approved (the agreed content).
    """

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="gate_requests"
    )
    transition = models.CharField(_("transition"), max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=GateStatus.choices, default=GateStatus.OPEN
    )
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    content = models.JSONField(_("content approved"), default=dict)
    arguments = models.JSONField(_("transition arguments"), default=dict, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    from_phase = models.CharField(_("from"), max_length=20, choices=Phase.choices, blank=True)
    revision = models.PositiveSmallIntegerField(
        _("revision"), default=1, help_text=_("Goes up each time the content changes.")
    )
    closed_reason = models.TextField(_("why it closed"), blank=True)
    # The officials the facilitator chose to sign off (user ids); empty: every eligible one.
    # Recomputing who must approve keeps this choice (gates._revalidate_locked).
    officials = models.JSONField(_("officials chosen"), default=list, blank=True)
    # A reason the system gave (the phase moved, cancelled by someone), translated when read.
    closed_note = models.JSONField(_("why it closed (system)"), default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("gate request")
        verbose_name_plural = _("gate requests")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(status="open"),
                name="one_open_gate_request_per_partnership",
            )
        ]
        indexes = [models.Index(fields=["status", "requested_at"], name="gate_request_waiting")]

    def __str__(self):
        return f"{self.partnership}: {self.transition} ({self.status})"

    def get_absolute_url(self):
        return reverse("partnerships:gate_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == GateStatus.OPEN

    @property
    def closed_reason_text(self) -> str:
        """Why the request closed, in the reader's language when the system said it."""
        return render(self.closed_note) or self.closed_reason

    def current_approvals(self):
        """Assignments that count now (voided ones are history)."""
        return self.approvals.exclude(decision=Decision.VOID).select_related("approver", "member")


class ApprovalCapacity(models.TextChoices):
    OFFICIAL = "official", _("Public official")
    SIGNATORY = "signatory", _("Authorised signatory")


class Decision(models.TextChoices):
    PENDING = "pending", _("Awaited")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    VOID = "void", _("Void (content changed)")


class GateApproval(models.Model):
    """One person assigned to a gate request, and their decision."""

    request = models.ForeignKey(GateRequest, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gate_approvals"
    )
    capacity = models.CharField(_("as"), max_length=10, choices=ApprovalCapacity.choices)
    member = models.ForeignKey(
        Member, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    comment = models.TextField(_("comment"), blank=True)
    fingerprint = models.CharField(_("fingerprint approved"), max_length=64, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True)
    reference = models.CharField(_("reference"), max_length=32, blank=True)

    class Meta:
        ordering = ["request", "pk"]
        verbose_name = _("gate approval")
        verbose_name_plural = _("gate approvals")
        constraints = [
            # Voided approvals stay as history; the person is then assigned again.
            models.UniqueConstraint(
                fields=["request", "approver"],
                condition=~Q(decision="void"),
                name="one_assignment_per_person_per_request",
            )
        ]
        indexes = [models.Index(fields=["approver", "decision"], name="approvals_awaited")]

    def __str__(self):
        return f"{self.approver} – {self.get_decision_display()}"


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit trail is append-only.")

    def delete(self):
        raise PermissionError("The audit trail is append-only.")

    def for_object(self, obj):
        return self.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))


class AuditEntry(models.Model):
    """One line of the append-only, hash-chained audit trail (see ``partnerships.audit``).

    ``hash`` covers every other field and ``prev_hash``, so editing or deleting a row breaks the
    chain at that row; ``manage.py verify_audit`` finds it.
    """

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    at = models.DateTimeField(_("when"), editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
        editable=False,
    )
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True, editable=False)
    action = models.CharField(_("action"), max_length=60, editable=False)
    object_type = models.CharField(_("object type"), max_length=100, editable=False)
    object_id = models.CharField(_("object id"), max_length=64, editable=False)
    data = models.JSONField(_("data"), default=dict, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, unique=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        indexes = [models.Index(fields=["object_type", "object_id", "seq"], name="audit_object")]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit trail is append-only.")


# The records of each phase's work (problem tree, agreement versions, health checks, ...).
from .phase_models import *  # noqa: E402, F403
