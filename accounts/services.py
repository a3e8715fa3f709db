"""Inviting people, and letting them go: one function per action, every page goes through them.

An invitation creates the person at once (no usable password until they accept, so a member
can name them its signatory and a sign-off can wait for them) and emails a one-time link that
expires after ``ALIANZA_INVITATION_DAYS``. Resending makes a new link (the old one stops
working). Revoking an invitation is deactivating its person: whatever they were to sign passes
to someone else first (``person_deactivate``), so no sign-off waits for someone who cannot act.
"""

import datetime
import logging
import smtplib

from allauth.account.models import EmailAddress
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.links import absolute_url
from actors.models import Organisation, Role, User
from actors.notify import build_email
from partnerships import audit, gates
from partnerships.models import (
    Member,
)

from .handovers import pending_approvals, person_handovers
from .models import Invitation, RevokedReason, hash_key, new_key
from .permissions import can_deactivate, can_invite, can_manage_invitation
from .tokens import api_tokens_revoke_all

log = logging.getLogger(__name__)


class InvitationError(Exception):
    def __init__(self, reasons):
        self.reasons = [str(r) for r in reasons]
        super().__init__(" ".join(self.reasons))


# ----- invitations ---------------------------------------------------------------------------


def invitation_link(key: str) -> str:
    return absolute_url(reverse("accounts:invitation_accept", args=[key]))


def _send(invitation_id: int, key: str) -> None:
    """Email the link; a mail server that refuses is logged (the invitation can be resent)."""
    invitation = Invitation.objects.select_related(
        "user", "organisation", "invited_by", "member__partnership"
    ).get(pk=invitation_id)
    message = build_email(
        recipient=invitation.user,
        subject=_("You are invited to Alianza"),
        template="accounts/email/invitation",
        context={
            "invitation": invitation,
            "link": invitation_link(key),
            "days": settings.ALIANZA_INVITATION_DAYS,
        },
    )
    try:
        message.send(fail_silently=False)
    except (smtplib.SMTPException, OSError):
        log.exception("invitation %s: the email could not be sent", invitation_id)


def _new_link(invitation: Invitation) -> str:
    key = new_key()
    now = timezone.now()
    invitation.key_hash = hash_key(key)
    invitation.sent_at = now
    invitation.expires_at = now + datetime.timedelta(days=settings.ALIANZA_INVITATION_DAYS)
    return key


@transaction.atomic
def invitation_create(
    *,
    by,
    email: str,
    full_name: str,
    organisation: Organisation | None = None,
    role: str = Role.PARTNER,
    member: Member | None = None,
    signatory: bool = False,
    position: str = "",
    language: str = "",
) -> Invitation:
    """Create the person and their invitation, and email the link (after the commit).

    With ``signatory``, the person becomes ``member``'s authorised signatory now (an open
    sign-off then waits for them). Raises ``PermissionDenied`` if ``by`` may not invite to this
    organisation or role, ``InvitationError`` for an address already known.
    """
    if member is not None:
        organisation = member.organisation
    if signatory and member is None:
        raise InvitationError([_("Say which member the person signs for.")])
    if not can_invite(by, organisation=organisation, role=role, member=member):
        raise PermissionDenied
    email = User.objects.normalize_email(email).strip().lower()
    if (
        User.objects.filter(email__iexact=email).exists()
        or EmailAddress.objects.filter(email__iexact=email).exists()
    ):
        raise InvitationError(
            [_("Someone with this email address already has an account in Alianza.")]
        )
    person = User.objects.create_user(
        email=email,
        password=None,
        full_name=full_name.strip(),
        organisation=organisation,
        role=role,
        position=position.strip(),
        language=language or by.language or settings.LANGUAGE_CODE,
        is_staff=role == Role.ADMINISTRATOR,
        is_superuser=role == Role.ADMINISTRATOR,
    )
    invitation = Invitation(
        user=person,
        email=email,
        organisation=organisation,
        role=role,
        member=member if signatory else None,
        invited_by=by,
    )
    key = _new_link(invitation)
    invitation.save()
    audit.record(
        action=audit.Action.INVITATION_SENT,
        obj=invitation,
        actor=by,
        data={
            "person": person.pk,
            "email": email,
            "organisation": getattr(organisation, "pk", None),
            "role": role,
            "signatory_of_member": member.pk if signatory else None,
            "expires_at": invitation.expires_at.isoformat(),
        },
    )
    if signatory:
        signatory_replace(member=member, to=person, by=by, reason=_("Invited as signatory."))
    transaction.on_commit(lambda: _send(invitation.pk, key))
    return invitation


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by) -> Invitation:
    """A new link (the previous one stops working), valid for the full period again."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not can_manage_invitation(by, invitation):
        raise PermissionDenied
    if not invitation.is_open:
        raise InvitationError(
            [_("This invitation is %(status)s.") % {"status": invitation.get_status_display()}]
        )
    key = _new_link(invitation)
    invitation.send_count += 1
    invitation.save(update_fields=["key_hash", "sent_at", "expires_at", "send_count"])
    audit.record(
        action=audit.Action.INVITATION_RESENT,
        obj=invitation,
        actor=by,
        data={"expires_at": invitation.expires_at.isoformat(), "times": invitation.send_count},
    )
    transaction.on_commit(lambda: _send(invitation.pk, key))
    return invitation


def invitation_for_key(key: str) -> Invitation:
    """The open invitation this link belongs to, or ``InvitationError`` saying why not."""
    invitation = (
        Invitation.objects.select_related("user", "organisation", "invited_by")
        .filter(key_hash=hash_key(key or ""))
        .first()
    )
    if invitation is None or not invitation.is_open or not invitation.user.is_active:
        raise InvitationError(
            [
                _(
                    "This invitation link does not work: it was already used, replaced by a "
                    "newer one, or revoked."
                )
            ]
        )
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            [
                _("This invitation expired on %(date)s. Ask %(who)s to send it again.")
                % {
                    "date": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d"),
                    "who": invitation.invited_by.full_name,
                }
            ]
        )
    return invitation


@transaction.atomic
def invitation_accept(*, key: str, password: str) -> User:
    """The invitee sets their password: the link is used up, the address is verified (the
    email reached them). The password must already be validated (the form does)."""
    found = invitation_for_key(key)
    invitation = Invitation.objects.select_for_update().get(pk=found.pk)
    if not invitation.is_open:
        raise InvitationError([_("This invitation was already used.")])
    person = invitation.user
    person.set_password(password)
    person.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    EmailAddress.objects.filter(user=person).exclude(email__iexact=person.email).update(
        primary=False
    )
    address, _created = EmailAddress.objects.get_or_create(
        user=person, email=person.email, defaults={"primary": True, "verified": True}
    )
    if not (address.primary and address.verified):
        address.primary = address.verified = True
        address.save(update_fields=["primary", "verified"])
    audit.record(
        action=audit.Action.INVITATION_ACCEPTED,
        obj=invitation,
        actor=person,
        data={"person": person.pk},
    )
    return person


# ----- replacing a signatory, letting a person go ---------------------------------------------


@transaction.atomic
def signatory_replace(*, member: Member, to: User | None, by, reason: str = "") -> None:
    """``to`` signs for ``member`` from now on (None: nobody yet). The signatory is part of the
    agreed content, so open approvals given to the old content are voided
    (``gates.agreed_content_saved``), and a sign-off still awaiting the old signatory for this
    member waits for ``to`` instead."""
    member = Member.objects.select_for_update().select_related("partnership").get(pk=member.pk)
    old = member.signatory
    if old is not None and to is not None and old.pk == to.pk:
        return
    member.signatory = to
    member.save(update_fields=["signatory", "updated_at"])
    audit.record(
        action=audit.Action.SIGNATORY_REPLACED,
        obj=member,
        actor=by,
        data={
            "partnership": member.partnership_id,
            "from": getattr(old, "pk", None),
            "to": getattr(to, "pk", None),
            "reason": reason,
        },
    )
    gates.agreed_content_saved(partnership=member.partnership, by=by)
    if old is None:
        return
    for approval in pending_approvals(old, member.partnership).filter(member=member):
        gates.gate_approval_reassign(approval_id=approval.pk, to=to, by=by, reason=reason)


class HandoverError(Exception):
    """``errors`` by handover key, ``reasons`` for the whole request."""

    def __init__(self, errors=None, reasons=None):
        self.errors = errors or {}
        self.reasons = [str(r) for r in reasons or []]
        super().__init__(" ".join([*self.reasons, *map(str, self.errors.values())]))


@transaction.atomic
def person_deactivate(*, person: User, by, takeovers: dict, reason: str = "") -> None:
    """``person`` left: each open role of theirs passes to the person chosen in ``takeovers``
    (handover key -> User or None), then they can no longer log in, their sessions end, their
    tokens and open invitation are revoked. Every open role must be handed over unless nobody
    is needed (``Handover.optional``). Raises ``PermissionDenied`` or ``HandoverError``."""
    person = User.objects.select_for_update().get(pk=person.pk)
    handovers = person_handovers(person)
    if not can_deactivate(by, person, handovers=handovers):
        raise PermissionDenied
    errors = {}
    for h in handovers:
        choice = takeovers.get(h.key)
        if choice is None:
            if not h.optional:
                errors[h.key] = _("Choose who takes this over.")
        elif choice.pk not in {c.pk for c in h.candidates}:
            errors[h.key] = _("%(who)s cannot take this over.") % {"who": choice.full_name}
    if errors:
        raise HandoverError(errors)
    why = reason or _("%(who)s left the organisation.") % {"who": person.full_name}
    try:
        for h in handovers:
            if h.member is not None:
                signatory_replace(member=h.member, to=takeovers.get(h.key), by=by, reason=why)
        for h in handovers:
            if h.approval is not None:
                gates.gate_approval_reassign(
                    approval_id=h.approval.pk, to=takeovers.get(h.key), by=by, reason=why
                )
    except gates.GateError as refused:
        raise HandoverError(reasons=refused.reasons)
    person.is_active = False
    person.save(update_fields=["is_active"])
    now = timezone.now()
    revoked = list(person.invitations.open().values_list("pk", flat=True))
    Invitation.objects.filter(pk__in=revoked).update(revoked_at=now)
    for invitation_id in revoked:
        audit.record(
            action=audit.Action.INVITATION_REVOKED,
            actor=by,
            object_type=Invitation._meta.label_lower,
            object_id=invitation_id,
            data={"person": person.pk},
        )
    api_tokens_revoke_all(user=person, reason=RevokedReason.DEACTIVATED)
    for session in UserSession.objects.filter(user=person):
        session.end()
    audit.record(
        action=audit.Action.PERSON_DEACTIVATED,
        obj=person,
        actor=by,
        data={
            "reason": why,
            "handovers": {h.key: getattr(takeovers.get(h.key), "pk", None) for h in handovers},
        },
    )
