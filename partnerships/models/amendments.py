"""Amendments: the one way to change a signed agreement.

An amendment of a kind (``AmendmentKind``) is drafted in a working copy of the partnership
(``Partnership.is_working_copy``), edited with the design pages; its sign-off is a
``GateRequest`` on the working copy (transition ``amend``), so re-authentication, the frozen
fingerprint, refusal with a reason and the recomputed approvers are the design gate's own. On
the last approval the working copy's agreed content is merged into the partnership
(``amendments.services``) and the amendment gets its number.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from ..choices import AmendmentKind, AmendmentStatus
from .gates import GateRequest
from .partnership import Partnership
from .results import Indicator

OPEN_STATUSES = (AmendmentStatus.DRAFT, AmendmentStatus.SUBMITTED)


class Amendment(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="amendments"
    )
    kind = models.CharField(_("kind of change"), max_length=20, choices=AmendmentKind.choices)
    reason = models.TextField(_("reason"))
    status = FSMField(
        _("status"),
        max_length=10,
        choices=AmendmentStatus.choices,
        default=AmendmentStatus.DRAFT,
        protected=True,
    )
    # "Amendment N": given when the parties have signed it, so numbers have no gaps.
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    effective_on = models.DateField(
        _("takes effect on"),
        null=True,
        blank=True,
        help_text=_("For a member joining or leaving: the date it does. Empty: when signed."),
    )
    working_copy = models.OneToOneField(
        Partnership,
        on_delete=models.PROTECT,
        related_name="amendment_of_copy",
        verbose_name=_("working copy"),
    )
    # Which row of the working copy stands for which row of the partnership, per part:
    # {"members": {"<copy pk>": <pk>}, "objectives": ..., "indicators": ..., ...}.
    rows = models.JSONField(_("rows of the working copy"), default=dict, editable=False)
    # The agreed content's fingerprint when the working copy was made: a draft of an older
    # version cannot be signed over a newer one.
    based_on = models.CharField(_("based on version"), max_length=64, editable=False)
    sign_off = models.OneToOneField(
        GateRequest,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendment",
        verbose_name=_("sign-off"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("opened"), default=timezone.now)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    # What it replaced (what was signed is its sign-off's content): the amendment's own
    # document and pages show the difference.
    content_before = models.JSONField(_("content it replaced"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(status="submitted"),
                name="one_amendment_open_for_signature",
            ),
            models.UniqueConstraint(
                fields=["partnership", "number"],
                condition=Q(number__isnull=False),
                name="one_amendment_per_number",
            ),
        ]

    def __str__(self):
        if self.number:
            return str(_("Amendment %(n)s") % {"n": self.number})
        return str(_("Draft amendment: %(kind)s") % {"kind": self.get_kind_display()})

    def get_absolute_url(self):
        return reverse("partnerships:amendment_detail", args=[self.partnership_id, self.pk])

    @property
    def is_open(self) -> bool:
        """Drafted or awaiting signatures: its working copy may change (an approval given to
        older content is then void and asked again)."""
        return self.status in OPEN_STATUSES

    def working_copy_indicators(self):
        return Indicator.objects.filter(objective__partnership_id=self.working_copy_id)

    # ----- lifecycle: change fields in memory only; ``amendments.services`` saves -------------

    @transition(field=status, source=AmendmentStatus.DRAFT, target=AmendmentStatus.SUBMITTED)
    def submit(self):
        pass

    @transition(field=status, source=AmendmentStatus.SUBMITTED, target=AmendmentStatus.DRAFT)
    def reopen(self):
        """A signer refused, or the facilitator took it back: it can be corrected."""

    @transition(field=status, source=AmendmentStatus.SUBMITTED, target=AmendmentStatus.SIGNED)
    def sign(self, *, number: int):
        self.number = number
        self.signed_at = timezone.now()

    @transition(field=status, source=list(OPEN_STATUSES), target=AmendmentStatus.WITHDRAWN)
    def withdraw(self):
        pass

    def refresh_from_db(self, *args, **kwargs):
        self.__dict__.pop("status", None)  # the protected field must be replaced on reload
        super().refresh_from_db(*args, **kwargs)
