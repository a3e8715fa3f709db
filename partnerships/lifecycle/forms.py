"""What a direct transition asks for (the gated ones go through the sign-off's forms)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import transitions


class TransitionForm(forms.Form):
    """What a direct transition (suspend, resume, withdraw) asks for: a comment, required where
    the transition table says it must give a reason (``transitions.reason_required``). The
    gated ones, closing included, go through ``GateRequestForm``."""

    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.name = name
        if transitions.reason_required(name):
            self.fields["comment"].required = True
            self.fields["comment"].label = _("Why?")

    def service_kwargs(self) -> dict:
        return {"comment": self.cleaned_data["comment"]}
