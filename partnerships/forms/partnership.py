"""The partnership's own form (its agreed fields, by phase) and the list's filters."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from actors.dates import validate_sensible_date
from actors.models import Role

from ..models import Partnership
from ..reference.codes import CURRENCIES, SDG_GOALS
from .fields import (
    DATE,
    CommaListField,
    PersonChoiceField,
    SectorField,
    User,
    ends_after_starts,
)


class PartnershipForm(forms.ModelForm):
    sdg_goals = forms.MultipleChoiceField(
        label=_("Sustainable Development Goals"),
        choices=SDG_GOALS,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "checkbox-grid"}),
    )
    dac_sector = SectorField(label=_("Field of intervention"), required=False)
    sdg_targets = CommaListField(
        label=_("SDG targets"),
        required=False,
        help_text=_("Comma-separated, for example 2.2, 6.2"),
    )
    assessment_dates = CommaListField(
        label=_("Assessment dates"),
        required=False,
        help_text=_("Comma-separated dates (YYYY-MM-DD), instead of every N months."),
    )
    facilitator = PersonChoiceField(
        label=_("Facilitator"), queryset=User.objects.none(), required=False
    )

    class Meta:
        model = Partnership
        fields = Partnership.EDITABLE_FIELDS
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "problem",
                    "common_interest",
                    "general_objective",
                    "scope",
                    "governance",
                    "tracking_tools",
                    "confidentiality",
                    "non_compliance",
                    "assessment_criteria",
                    "public_summary",
                )
            },
        }

    # Groups of fields shown under headings on the form page.
    SECTIONS = [
        (_("The partnership"), ["title", "country", "territory", "facilitator", "language"]),
        (
            _("Interest"),
            ["problem", "common_interest", "scenario", "general_objective"],
        ),
        (
            _("Scope"),
            ["scope", "dac_sector", "sdg_goals", "sdg_targets", "start_date", "end_date"],
        ),
        (
            _("Agreement"),
            [
                "modality",
                "formalisation_level",
                "governance",
                "communication_lead",
                "tracking_tools",
                "confidentiality",
                "non_compliance",
                "currency",
            ],
        ),
        (
            _("Assessment"),
            ["assessment_criteria", "assessment_every_months", "assessment_dates"],
        ),
        (_("Public register"), ["is_published", "public_summary"]),
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitator"].queryset = User.objects.filter(
            role=Role.FACILITATOR, is_active=True
        ).select_related("organisation")
        if not self.instance.pk:
            # A new partnership counts in its country's currency (partnership_create picks
            # it) unless the person chooses another one.
            currency = self.fields["currency"]
            currency.required = False
            currency.choices = [("", _("The country's currency")), *CURRENCIES]
            self.initial["currency"] = ""
        if self.instance.pk and self.instance.agreement_signed:
            # What the parties signed shows, and stays as signed; the rest is still edited.
            for name in Partnership.AGREED_FIELDS:
                field = self.fields[name]
                field.disabled = True
                field.help_text = _("Signed: it stands as the parties signed it.")

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    def clean_assessment_dates(self):
        dates = []
        for text in self.cleaned_data["assessment_dates"]:
            try:
                day = datetime.date.fromisoformat(text)
            except ValueError:
                raise forms.ValidationError(
                    _("“%(value)s” is not a date in the form YYYY-MM-DD."), params={"value": text}
                )
            validate_sensible_date(day)
            dates.append(day.isoformat())
        return sorted(dates)

    def clean_sdg_targets(self):
        targets = self.cleaned_data["sdg_targets"]
        for target in targets:
            goal, _dot, rest = target.partition(".")
            if not (goal.isdigit() and 1 <= int(goal) <= 17 and rest):
                raise forms.ValidationError(
                    _("“%(value)s” is not an SDG target such as 6.2."), params={"value": target}
                )
        return targets

    def clean(self):
        cleaned = super().clean()
        ends_after_starts(self, "start_date", "end_date")
        return cleaned


class PartnershipFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    phase = forms.ChoiceField(label=_("Phase"), required=False)
    dac_sector = SectorField(label=_("Field of intervention"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, countries=(), **kwargs):
        from ..models import Phase

        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [("", _("All phases")), *Phase.choices]
        self.fields["country"].choices = [("", _("All countries")), *countries]
