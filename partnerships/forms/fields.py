"""Fields and widgets the partnership forms share: dates, people of the partnership, the sector
picker, comma-separated lists."""

import re

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..reference import codes

User = get_user_model()


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def ends_after_starts(form, start: str, end: str, message=None):
    starts, ends = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if starts and ends and ends < starts:
        form.add_error(end, message or _("The end must not be before the start."))


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.organisation})" if obj.organisation_id else obj.full_name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.organisation})" if obj.organisation_id else obj.full_name


class SectorPicker(forms.TextInput):
    """A text input for an OECD DAC purpose code. With JavaScript it suggests codes while the
    person types words of their names (``static/actors/organisation_picker.js`` asking
    ``partnerships:sector_search``); without it the typed code or name is resolved by
    ``SectorField``. Shows a chosen code as "12240 Basic nutrition"."""

    class Media:
        js = [forms.Script("actors/organisation_picker.js", defer=True)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-sector-picker": True,
                "data-search-url": reverse("partnerships:sector_search"),
                "data-hint": _("Suggestions below: choose one with the arrow keys and Enter."),
                "data-no-match": _("No purpose code matches; try other words or the code."),
                "data-more": _("More codes match: type more words."),
            }
        )
        return context

    def format_value(self, value):
        if value and codes.is_sector(str(value)):
            return codes.sector_display(str(value))
        return super().format_value(value)


class SectorField(forms.CharField):
    """One OECD DAC 5-digit purpose code (any active code of the vendored IATI Sector list),
    typed as the code, as "12240 Basic nutrition" (what a suggestion fills in) or as its whole
    name in any of the app's languages. The cleaned value is the code, or "" when empty."""

    widget = SectorPicker
    default_error_messages = {
        "unknown_code": _("%(code)s is not an OECD DAC purpose code."),
        "unknown": _(
            "No OECD DAC purpose code is called “%(text)s”. Type words of its name and choose "
            "a suggestion, or type its 5-digit code."
        ),
    }
    _CODE = re.compile(r"^\s*(\d{5})(?:\s|$)")

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", _("Type words of the name or the 5-digit code, and choose a suggestion.")
        )
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)

    def clean(self, value):
        text = super().clean(value)
        if not text:
            return ""
        match = self._CODE.match(text)
        if match:
            if not codes.is_sector(match.group(1)):
                raise forms.ValidationError(
                    self.error_messages["unknown_code"],
                    code="unknown_code",
                    params={"code": match.group(1)},
                )
            return match.group(1)
        found = codes.sector_named(text)
        if found is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"text": text}
            )
        return found


class CommaListField(forms.CharField):
    """A JSON list edited as comma-separated text."""

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(str(v) for v in value)
        return value

    def to_python(self, value):
        if isinstance(value, list | tuple):
            # A disabled field (a signed agreement's) cleans its initial value, the list itself.
            return [str(part).strip() for part in value if str(part).strip()]
        value = super().to_python(value)
        return [part.strip() for part in value.split(",") if part.strip()]
