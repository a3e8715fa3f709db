"""The sign-off's forms: the request (transition, officials, closure details) and the two
decision boxes, each carrying the proof of who decides (``reauth.ProofFields``)."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actors.forms import OrganisationNameField

from .. import gates
from ..lifecycle import services
from ..models import ClosureOutcome
from . import reauth


class GateRequestForm(forms.Form):
    transition = forms.ChoiceField(label=gettext_lazy("Move the partnership to"))
    officials = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Public officials who sign off"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("Everyone chosen must approve."),
    )
    comment = forms.CharField(
        label=gettext_lazy("Message to the approvers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("How it ends (closure only)"),
        required=False,
        choices=[("", "—"), *ClosureOutcome.choices],
    )
    transferred_to = OrganisationNameField(
        label=gettext_lazy("Transferred to (closure only)"), required=False
    )
    handover_note = forms.CharField(
        label=gettext_lazy("Hand-over note (closure only)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        choices = [
            (name, gates.transition_label(name))
            for name, _blockers in services.available_transitions(partnership)
            if gates.is_gated(name)
        ]
        self.fields["transition"].choices = choices
        officials = gates.eligible_officials(partnership)
        self.fields["officials"].queryset = officials
        self.fields["officials"].initial = list(officials)
        self.fields["officials"].label_from_instance = lambda u: (
            f"{u.full_name} — {u.position + ', ' if u.position else ''}{u.organisation}"
        )

    def clean(self):
        data = super().clean()
        if not self.fields["officials"].queryset.exists():
            _none, reasons = gates.required_approvers(self.partnership, "start_design")
            for reason in reasons:
                self.add_error(None, reason)
        elif not data.get("officials"):
            self.add_error("officials", _("Choose at least one public official."))
        if data.get("transition") == "close" and not data.get("outcome"):
            self.add_error("outcome", _("Choose how the partnership ends."))
        if (
            data.get("outcome") == ClosureOutcome.TRANSFERRED
            and not data.get("transferred_to")
            and "transferred_to" not in self.errors  # a name that matched nothing says so already
        ):
            self.add_error("transferred_to", _("Say to which actor it is transferred."))
        return data


class DecisionForm(reauth.ProofFields):
    """Approve: a comment, and the proof of who approves (``reauth.ProofFields``)."""

    comment = forms.CharField(
        label=gettext_lazy("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    field_order = ["comment", "password", "code"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "approve_%s")
        super().__init__(*args, **kwargs)


class RefusalForm(reauth.ProofFields):
    comment = forms.CharField(
        label=gettext_lazy("Why do you refuse?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Say why you refuse.")},
    )
    field_order = ["comment", "password", "code"]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "refuse_%s")
        super().__init__(*args, **kwargs)
