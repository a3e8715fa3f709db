from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Capacity, CapacityArea, ContactPerson, Level, Organisation, Sector


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = Organisation.EDITABLE_FIELDS
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


class OrganisationPicker(forms.TextInput):
    """A text input for an organisation's name. With JavaScript it suggests organisations while
    the person types (``static/actors/organisation_picker.js`` asking ``actors:search``); without
    it the typed name is resolved by ``OrganisationNameField``. The page stays the same size
    however many organisations exist."""

    class Media:
        js = [forms.Script("actors/organisation_picker.js", defer=True)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["attrs"].get("disabled"):
            return context  # a fixed organisation: its name, read-only, nothing to suggest
        context["widget"]["attrs"].update(
            {
                "data-organisation-picker": True,
                "data-search-url": reverse("actors:search"),
                "data-hint": _("Suggestions below: choose one with the arrow keys and Enter."),
                "data-no-match": _("No organisation matches; check the spelling."),
                "data-more": _("More organisations match: type more of the name."),
            }
        )
        return context

    def format_value(self, value):
        if isinstance(value, Organisation):
            return value.name
        return super().format_value(value)


class OrganisationNameField(forms.CharField):
    """One organisation, chosen by its name: the whole name, whatever its case, accents or
    spacing, or, when no name matches, its acronym. The cleaned value is the ``Organisation`` (or
    ``None`` when empty); names that differ only in case or accents need the exact spelling."""

    widget = OrganisationPicker
    AMBIGUOUS_SHOWN = 5
    default_error_messages = {
        "unknown": _(
            "No organisation is called “%(text)s”. Type its whole name or acronym, or choose "
            "one of the suggestions."
        ),
        "ambiguous": _(
            "Several organisations go by “%(text)s”: %(names)s. Type the whole name as it is "
            "written."
        ),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", Organisation._meta.get_field("name").max_length)
        kwargs.setdefault(
            "help_text",
            _("Type part of the name or acronym and choose a suggestion, or type the whole name."),
        )
        super().__init__(empty_value=None, **kwargs)

    def prepare_value(self, value):
        return value.name if isinstance(value, Organisation) else value

    def clean(self, value):
        if isinstance(value, Organisation):
            return value  # the initial value of a disabled field (the organisation that stays)
        text = super().clean(value)
        return self.resolve(text) if text else None

    def resolve(self, text: str) -> Organisation:
        found = list(Organisation.objects.named(text)[: self.AMBIGUOUS_SHOWN + 1])
        if not found:
            raise ValidationError(
                self.error_messages["unknown"], code="unknown", params={"text": text}
            )
        best = [o for o in found if o.named_rank == found[0].named_rank]
        if found[0].named_rank == 0 or len(best) == 1:
            return best[0]
        names = ", ".join(o.name for o in best[: self.AMBIGUOUS_SHOWN])
        if len(best) > self.AMBIGUOUS_SHOWN:
            names += ", …"
        raise ValidationError(
            self.error_messages["ambiguous"],
            code="ambiguous",
            params={"text": text, "names": names},
        )
