from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from actors.forms import OrganisationNameField
from actors.models import Role


class InvitationForm(forms.Form):
    """Facilitators invite to one member (``member``) as partner representatives; administrators
    also choose any organisation and role."""

    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("Email"))
    position = forms.CharField(label=gettext_lazy("Position"), max_length=200, required=False)
    organisation = OrganisationNameField(label=gettext_lazy("Organisation"), required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices, initial=Role.PARTNER)
    signatory = forms.BooleanField(
        label=gettext_lazy("Authorised signatory of this member"),
        required=False,
        help_text=gettext_lazy(
            "They sign the agreement for the member. A sign-off that needs them waits until "
            "they have accepted."
        ),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of the email"), choices=())

    def __init__(self, *args, user, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.member = user, member
        self.fields["language"].choices = [(c, str(n)) for c, n in settings.LANGUAGES]
        if member is not None:
            del self.fields["organisation"]
        else:
            del self.fields["signatory"]
        if not user.is_administrator:
            del self.fields["role"]
            self.fields.pop("organisation", None)

    def clean(self):
        data = super().clean()
        if (
            self.member is None
            and "organisation" in self.fields
            and data.get("role") != Role.ADMINISTRATOR
            and not data.get("organisation")
            and "organisation" not in self.errors  # a name that matched nothing says so already
        ):
            self.add_error("organisation", _("Say which organisation they belong to."))
        return data


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(
        label=gettext_lazy("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=gettext_lazy("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password2(self):
        one, two = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if one and two and one != two:
            raise forms.ValidationError(_("The two passwords differ."))
        return two

    def clean(self):
        data = super().clean()
        if data.get("password1") and not self.errors:
            try:
                password_validation.validate_password(data["password1"], self.user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("What the token is for"),
        max_length=100,
        help_text=gettext_lazy("For example: monthly export script."),
    )


class HandoverForm(forms.Form):
    """One choice per open role of the person leaving (``accounts.handovers.Handover``)."""

    def __init__(self, *args, handovers, **kwargs):
        super().__init__(*args, **kwargs)
        self.handovers = handovers
        for h in handovers:
            choices = [("", _("Nobody for now") if h.optional else "—")]
            choices += [
                (
                    str(u.pk),
                    f"{u.full_name} ({u.email})"
                    if u.has_usable_password()
                    else _("%(name)s (%(email)s, invited, has not joined yet)")
                    % {"name": u.full_name, "email": u.email},
                )
                for u in h.candidates
            ]
            self.fields[h.key] = forms.ChoiceField(
                label=h.label, choices=choices, required=not h.optional
            )
            self.fields[h.key].error_messages["required"] = _("Choose who takes this over.")

    def takeovers(self) -> dict:
        by_pk = {str(u.pk): u for h in self.handovers for u in h.candidates}
        return {h.key: by_pk.get(self.cleaned_data.get(h.key) or "") for h in self.handovers}
