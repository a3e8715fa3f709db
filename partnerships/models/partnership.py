"""The partnership: its fields, its lifecycle (a django-fsm-2 state machine on ``phase``; each
``@transition`` carries its label and whether it is gated) and its agreed content."""

import hashlib
import json

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from django_fsm import FSMField, transition

from actors.dates import validate_sensible_date
from actors.models import (
    Organisation,
    SearchKeyed,
    Sector,
    TimeStampedModel,
    User,
)

from ..choices import (
    FINAL_PHASES,
    SIGNED_PHASES,
    ClosureOutcome,
    FormalisationLevel,
    Language,
    Modality,
    Phase,
    Scenario,
)
from ..lifecycle import checklists, schedule
from ..reference.codes import CURRENCIES, sector_choices
from .agreed import AgreedContent, comparable
from .partnership_queries import PartnershipManager, WorkingCopyQuerySet
from .tallies import Tallied


class Partnership(AgreedContent, Tallied, SearchKeyed, TimeStampedModel):
    # The administrator's dashboard counts partnerships by phase from this tally.
    tallies = {"partnership.phase": ("phase",)}
    tally_scope = Q(is_working_copy=False)

    # The field lists, once: the form, the API, the admin, the agreed content and a
    # continued partnership read them.
    # The partnership's own fields the parties sign (with its members, objectives and
    # indicators, contributions, and the sections other apps add): ``agreed_content()``.
    AGREED_FIELDS = (
        "title",
        "problem",
        "common_interest",
        "general_objective",
        "scope",
        "country",
        "territory",
        "dac_sector",
        "sdg_targets",
        "start_date",
        "end_date",
        "modality",
        "formalisation_level",
        "governance",
        "communication_lead",
        "tracking_tools",
        "confidentiality",
        "non_compliance",
        "assessment_criteria",
        "assessment_every_months",
        "assessment_dates",
    )
    # What the facilitator writes (the partnership form, the API), in the form's order.
    EDITABLE_FIELDS = (
        "title",
        "country",
        "territory",
        "facilitator",
        "problem",
        "common_interest",
        "scenario",
        "general_objective",
        "scope",
        "dac_sector",
        "sdg_goals",
        "sdg_targets",
        "start_date",
        "end_date",
        "modality",
        "formalisation_level",
        "governance",
        "communication_lead",
        "tracking_tools",
        "confidentiality",
        "non_compliance",
        "assessment_criteria",
        "assessment_every_months",
        "assessment_dates",
        "language",
        "currency",
        "is_published",
        "public_summary",
    )
    # Written only by the lifecycle's services: read-only everywhere else.
    LIFECYCLE_FIELDS = (
        "phase",
        "operation_started_on",
        "assessment_requested_at",
        "closure_outcome",
        "transferred_to",
        "handover_note",
        "predecessor",
        "closed_on",
    )
    # What a partnership continued after its closure takes over from the one it continues.
    CONTINUED_FIELDS = (
        "problem",
        "common_interest",
        "general_objective",
        "country",
        "territory",
        "dac_sector",
        "sdg_goals",
        "sdg_targets",
        "modality",
        "facilitator",
        "language",
        "currency",
    )

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

    # The working copy an amendment is drafted in (``amendments``): a partnership of its own,
    # edited with the design pages, that no list, count, export or search ever shows.
    is_working_copy = models.BooleanField(_("working copy of an amendment"), default=False)

    objects = PartnershipManager()
    # The pages of an amendment's working copy, the sign-off and the merge reach copies here.
    with_working_copies = WorkingCopyQuerySet.as_manager()

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

    def is_counted(self) -> bool:
        return not self.is_working_copy

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

    def agreement_partnership_id(self):
        return self.pk

    @property
    def agreement_signed(self) -> bool:
        """Whether the parties have signed the agreement (operation onwards): its content is
        then read-only (``models.agreed``)."""
        return self.phase in SIGNED_PHASES

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
    # is gated (needs a sign-off); ``partnerships.lifecycle.transitions`` reads it for everyone else.

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
        # A member that left by an amendment stays on record, no longer part of what stands.
        members = (
            self.members.filter(left_on__isnull=True)
            .select_related("organisation", "signatory")
            .order_by("organisation__name")
        )
        objectives = self.objectives.prefetch_related("indicators").order_by("order", "pk")
        contributions = (
            self.contributions.filter(closed_out_on__isnull=True)
            .select_related("member__organisation")
            .order_by("pk")
        )
        return {
            **{
                name: comparable(self._meta.get_field(name), getattr(self, name))
                for name in self.AGREED_FIELDS
            },
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
            self.objectives.filter(indicators__measurements__isnull=False).exists()
            or self.contributions.filter(delivered_amount__gt=0).exists()
        )

    def next_assessment_due(self):
        """The next scheduled assessment date, from explicit dates or every N months."""
        return schedule.next_assessment_due(self)
