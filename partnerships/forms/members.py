"""Members: joining (a member, a prioritised candidate invited) and leaving."""

from django import forms
from django.utils.translation import gettext_lazy as _

from actors.forms import OrganisationNameField

from ..models import (
    Member,
    MemberRole,
    PartnerCandidate,
)
from .fields import PersonChoiceField, User


class MemberForm(forms.ModelForm):
    """Adding a member names its organisation (``OrganisationNameField``: no list of every
    organisation). Its authorised signatory is chosen once it is a member, on the edit page,
    among the people of that organisation only; the organisation of a member stays."""

    organisation = OrganisationNameField(
        label=_("Organisation"),
        help_text=_(
            "Type part of the name or acronym and choose a suggestion, or type the whole name. "
            "Its authorised signatory is chosen next, among its people."
        ),
    )
    signatory = PersonChoiceField(
        label=_("Authorised signatory"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("A person of the member organisation who may sign for it."),
    )

    class Meta:
        model = Member
        fields = ["organisation", "role", "signatory", "motivation", "responsibilities"]
        widgets = {
            "motivation": forms.Textarea(attrs={"rows": 3}),
            "responsibilities": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        if not self.instance.pk:
            # Only the people of the organisation may sign for it: they are offered once it is
            # a member, rather than every person of every organisation now.
            del self.fields["signatory"]
            return
        organisation = self.instance.organisation
        self.initial["organisation"] = organisation  # shown by name, and kept as it is
        self.fields["organisation"].disabled = True
        self.fields["organisation"].help_text = ""
        signatory = self.fields["signatory"]
        signatory.queryset = (
            User.objects.filter(is_active=True, organisation=organisation)
            .select_related("organisation")
            .order_by("full_name")
        )
        # Shown next to the field for anybody else (%% survives the field's %(value)s step).
        signatory.error_messages["invalid_choice"] = _(
            "The signatory must be a person of %(organisation)s."
        ) % {"organisation": organisation.name.replace("%", "%%")}

    def clean_organisation(self):
        organisation = self.cleaned_data["organisation"]
        taken = Member.objects.filter(partnership=self.partnership, organisation=organisation)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("This organisation is already a member."))
        return organisation


class MemberRemovalForm(forms.Form):
    """Confirm a member's removal; when it owns risks, say which member takes them over."""

    risks_to = forms.ModelChoiceField(
        label=_("Give the risks it owns to"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("Nobody for now"),
    )

    def __init__(self, *args, member, asks_successor: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not asks_successor:
            del self.fields["risks_to"]
            return
        self.fields["risks_to"].queryset = (
            Member.objects.filter(partnership_id=member.partnership_id)
            .exclude(pk=member.pk)
            .select_related("organisation")
        )
        self.fields["risks_to"].label_from_instance = lambda m: m.organisation.name


class CandidateForm(forms.ModelForm):
    SCORE_CHOICES = [(i, str(i)) for i in range(1, 6)]

    organisation = OrganisationNameField(label=_("Organisation"))

    class Meta:
        model = PartnerCandidate
        fields = [
            "organisation",
            *PartnerCandidate.CRITERIA,
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        for name in PartnerCandidate.CRITERIA:
            field = self.fields[name]
            field.widget = forms.RadioSelect(
                choices=self.SCORE_CHOICES, attrs={"class": "score-scale"}
            )
            field.help_text = _("1 = very low, 5 = very high")

    def clean_organisation(self):
        organisation = self.cleaned_data["organisation"]
        if organisation.candidacies.filter(partnership=self.partnership).exists():
            message = _("%(name)s is already a candidate.")
        elif organisation.memberships.filter(partnership=self.partnership).exists():
            message = _("%(name)s is already a member.")
        else:
            return organisation
        raise forms.ValidationError(message, params={"name": organisation.name})


class InviteForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
