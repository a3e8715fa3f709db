from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Capacity, CapacityArea, ContactPerson, Level, Organisation, Sector


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = [
            "name",
            "acronym",
            "sector",
            "subtype",
            "level",
            "country",
            "territory",
            "website",
            "description",
            "interests",
            "csr_topics",
            "partnership_experience",
            "iati_identifier",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ("description", "interests", "csr_topics", "partnership_experience")
        }


CapacityFormSet = forms.inlineformset_factory(
    Organisation,
    Capacity,
    fields=["area", "description"],
    extra=2,
    can_delete=True,
)

ContactFormSet = forms.inlineformset_factory(
    Organisation,
    ContactPerson,
    fields=["name", "position", "email", "phone", "is_key_leader"],
    extra=1,
    can_delete=True,
)


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices]
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices]
    )
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, countries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", _("All countries")), *countries]


class CapacitySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    area = forms.ChoiceField(
        label=_("Area"), required=False, choices=[("", _("All areas")), *CapacityArea.choices]
    )
