"""Forms for partnerships and their parts. Choices are limited to the partnership at hand, so a
member, indicator or person from elsewhere cannot be submitted."""

import datetime
import re

from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.dates import validate_sensible_date
from actors.forms import OrganisationNameField
from actors.models import Role

from . import codes
from .codes import CURRENCIES, SDG_GOALS
from .models import (
    Activity,
    Assessment,
    Contribution,
    Delivery,
    Indicator,
    Measurement,
    Meeting,
    Member,
    MemberRole,
    Objective,
    PartnerCandidate,
    Partnership,
)

User = get_user_model()


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _ends_after_starts(form, start: str, end: str, message=None):
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
        value = super().to_python(value)
        return [part.strip() for part in value.split(",") if part.strip()]


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
        fields = [
            "title",
            "country",
            "territory",
            "facilitator",
            "problem",
            "common_interest",
            "scenario",
            "general_objective",
            "scope",
            "dac_sector",
            "sdg_goals",
            "sdg_targets",
            "start_date",
            "end_date",
            "modality",
            "formalisation_level",
            "governance",
            "communication_lead",
            "tracking_tools",
            "confidentiality",
            "non_compliance",
            "assessment_criteria",
            "assessment_every_months",
            "assessment_dates",
            "language",
            "currency",
            "is_published",
            "public_summary",
        ]
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
        _ends_after_starts(self, "start_date", "end_date")
        return cleaned


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


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["kind", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = [
            "objective",
            "name",
            "unit",
            "measure",
            "baseline",
            "target",
            "means_of_verification",
        ]
        widgets = {"means_of_verification": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objective"].queryset = partnership.objectives.all()


class ContributionForm(forms.ModelForm):
    class Meta:
        model = Contribution
        fields = [
            "member",
            "kind",
            "description",
            "planned_amount",
            "currency",
            "period_start",
            "period_end",
        ]
        widgets = {"period_start": DATE, "period_end": DATE}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = partnership.members.select_related("organisation")
        self.fields["planned_amount"].widget.attrs["min"] = "0"
        if not self.instance.pk:
            self.initial.setdefault("currency", partnership.currency)

    def clean(self):
        cleaned = super().clean()
        _ends_after_starts(self, "period_start", "period_end")
        return cleaned


class DeliveryForm(forms.ModelForm):
    class Meta:
        model = Delivery
        fields = ["delivered_on", "amount", "note"]
        widgets = {"delivered_on": DATE}

    def __init__(self, *args, contribution, **kwargs):
        super().__init__(*args, **kwargs)
        # The rules (not in the future, a note for more than planned) are checked by
        # services.contribution_record_delivery, for this form and the API alike.
        self.fields["amount"].widget.attrs["min"] = "0.01"
        self.fields["amount"].help_text = _(
            "Planned: %(planned)s %(currency)s; delivered so far: %(delivered)s %(currency)s."
        ) % {
            "planned": f"{contribution.planned_amount:.2f}",
            "delivered": f"{contribution.delivered_amount:.2f}",
            "currency": contribution.currency,
        }
        self.fields["note"].help_text = _(
            "Required when the delivered total goes above the planned amount: say why."
        )
        self.initial.setdefault("delivered_on", timezone.localdate())


class ActivityForm(forms.ModelForm):
    responsible = PersonChoiceField(
        label=_("Responsible person"), queryset=User.objects.none(), required=False
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "description",
            "starts_on",
            "ends_on",
            "responsible",
            "status",
            "indicator",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = partnership.people()
        self.fields["indicator"].queryset = Indicator.objects.filter(
            objective__partnership=partnership
        )

    def clean(self):
        cleaned = super().clean()
        _ends_after_starts(self, "starts_on", "ends_on")
        return cleaned


class MeasurementForm(forms.ModelForm):
    class Meta:
        model = Measurement
        fields = ["indicator", "measured_on", "value", "note"]
        widgets = {"measured_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(
            objective__partnership=partnership
        )
        self.initial.setdefault("measured_on", timezone.localdate())


class MeetingForm(forms.ModelForm):
    attendees = PeopleChoiceField(
        label=_("Attendees"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Meeting
        fields = ["title", "held_at", "place", "agenda", "minutes", "attendees"]
        widgets = {
            "held_at": forms.DateTimeInput(
                attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
            ),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = partnership.people()

    def _save_m2m(self):
        # Attendance is a through model: keep the rows (and their confirmations) of people
        # still listed, add the new ones, drop the others.
        from .models import Attendance

        chosen = {user.pk for user in self.cleaned_data["attendees"]}
        meeting = self.instance
        meeting.attendances.exclude(person_id__in=chosen).delete()
        present = set(meeting.attendances.values_list("person_id", flat=True))
        Attendance.objects.bulk_create(
            Attendance(meeting=meeting, person_id=pk) for pk in sorted(chosen - present)
        )


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = [
            "period_start",
            "period_end",
            "results_summary",
            "wanted_results",
            "unwanted_results",
            "lessons_learned",
            "recommendation",
        ]
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "results_summary",
                    "wanted_results",
                    "unwanted_results",
                    "lessons_learned",
                )
            },
        }

    def clean(self):
        cleaned = super().clean()
        _ends_after_starts(self, "period_start", "period_end")
        return cleaned


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


class TransitionForm(forms.Form):
    """What a direct transition (suspend, resume, withdraw) asks for: a comment, required where
    it must say why. The gated ones, closing included, go through ``GateRequestForm``."""

    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.name = name
        if name in {"suspend", "withdraw"}:
            self.fields["comment"].required = True
            self.fields["comment"].label = _("Why?")

    def service_kwargs(self) -> dict:
        return {"comment": self.cleaned_data["comment"]}


class PartnershipFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    phase = forms.ChoiceField(label=_("Phase"), required=False)
    dac_sector = SectorField(label=_("Field of intervention"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, countries=(), **kwargs):
        from .models import Phase

        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [("", _("All phases")), *Phase.choices]
        self.fields["country"].choices = [("", _("All countries")), *countries]
