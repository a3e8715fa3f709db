"""A decision on a sign-off carries its own proof of who decides: the person's password and,
where they have one, their second factor (a code from their authenticator app or a recovery
code, or a passkey assertion made by the page's script), all in the Approve or Refuse form
itself. There is no "sudo mode" left open between a password page and the decision: what is
checked is exactly the request that decides (and, for personal signatures, the same request
will carry the password that unlocks the signer's key).

Pages and API go through ``signoff_decide``; ``actors.credentials`` checks the proof with
django-allauth and limits wrong attempts per person (``signoff_failed`` in
``ACCOUNT_RATE_LIMITS``).
"""

from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actors import credentials

from .. import audit, gates
from ..permissions import pending_approval_for

# What a caller catches: a limit hit (``retry_after``) or wrong credentials (``errors``).
RateLimited = credentials.ratelimits.RateLimited
CredentialsRefused = credentials.CredentialsRefused


@dataclass(frozen=True)
class Proof:
    password: str
    code: str = ""
    credential: str | dict | None = None


def signoff_decide(
    request, *, gate_request, approve: bool, comment: str, proof: Proof
) -> "gates.GateRequest":
    """Approve or refuse ``gate_request`` as ``request.user``, after checking ``proof``.

    Raises ``gates.GateError`` (nothing awaited from this person, no reason to refuse),
    ``RateLimited`` or ``CredentialsRefused``; then ``gates.signoff_approve`` or
    ``gates.signoff_refuse`` (which lock the request and the partnership).
    """
    user = request.user
    if pending_approval_for(user, gate_request) is None:
        raise gates.GateError([_("No decision of yours is awaited on this sign-off.")])
    if not approve and not (comment or "").strip():
        raise gates.GateError([_("Say why you refuse.")])
    credentials.confirm_identity(
        request,
        user=user,
        password=proof.password,
        code=proof.code,
        credential=proof.credential,
    )
    decide = gates.signoff_approve if approve else gates.signoff_refuse
    return decide(gate_request=gate_request, by=user, comment=comment, ip=audit.client_ip(request))


class ProofFields(forms.Form):
    """The proof fields of a decision form, shaped by the person's second factors."""

    password = forms.CharField(
        label=gettext_lazy("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": gettext_lazy("Enter your password to sign off.")},
    )
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app (or a recovery code)"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    credential = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.factors = credentials.second_factors(user)
        if not self.factors.codes:
            del self.fields["code"]
        elif not self.factors.totp:
            self.fields["code"].label = gettext_lazy("Or one of your recovery codes")
        if not self.factors.webauthn:
            del self.fields["credential"]

    def proof(self) -> Proof:
        data = self.cleaned_data
        return Proof(
            password=data.get("password", ""),
            code=data.get("code", ""),
            credential=data.get("credential") or None,
        )

    def add_refusal(self, refused: CredentialsRefused) -> None:
        for name, messages in refused.errors.items():
            field = name if name in self.fields else None
            if name == "credential" and field:
                field = None  # hidden: shown with the form
            for message in messages:
                self.add_error(field, message)
