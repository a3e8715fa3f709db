from django import forms
from django.utils.translation import gettext_lazy as _

from ..choices import AmendmentKind


class AmendmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What changes"), choices=AmendmentKind.choices, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        help_text=_("Every signer reads it with the changes."),
    )
    effective_on = forms.DateField(
        label=_("Takes effect on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a member joining or leaving: the date it does. Empty: when signed."),
    )


class SubmitForm(forms.Form):
    comment = forms.CharField(
        label=_("Message to the signers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is withdrawn"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
