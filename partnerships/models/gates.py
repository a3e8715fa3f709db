"""Sign-off requests of the phase gates and the approvals they wait for."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.deferred import render

from ..choices import (
    ApprovalCapacity,
    Decision,
    GateStatus,
    Phase,
)
from .members import Member
from .partnership import Partnership


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
    # Recomputing who must approve keeps this choice (gates.approvers._revalidate_locked).
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


class GateApproval(models.Model):
    """One person assigned to a gate request, and their decision."""

    request = models.ForeignKey(GateRequest, on_delete=models.CASCADE, related_name="approvals")
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gate_approvals"
    )
    capacity = models.CharField(_("as"), max_length=12, choices=ApprovalCapacity.choices)
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
