"""Forms for partnerships and their parts. Choices are limited to the partnership at hand, so a
member, indicator or person from elsewhere cannot be submitted."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.forms import OrganisationNameField
from actors.models import Role

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

TRANSITION_LABELS = {
    "start_design": _("Start design"),
    "start_operation": _("Start operation"),
    "start_assessment": _("Start assessment"),
    "suspend": _("Suspend"),
    "resume": _("Resume"),
    "continue_operation": _("Continue operation"),
    "renegotiate": _("Renegotiate (back to design)"),
    "close": _("Close"),
    "withdraw": _("Withdraw"),
}

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _ends_after_starts(form, start: str, end: str, message=None):
    starts, ends = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if starts and ends and ends < starts:
        form.add_error(end, message or _("The end must not be before the start."))


def partnership_people(partnership):
    """People who can act in a partnership: its facilitator and the users of its members."""
    return (
        User.objects.filter(
            Q(organisation__memberships__partnership=partnership) | Q(pk=partnership.facilitator_id)
        )
        .filter(is_active=True)
        .select_related("organisation")
        .distinct()
        .order_by("full_name")
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.organisation})" if obj.organisation_id else obj.full_name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} ({obj.organisation})" if obj.organisation_id else obj.full_name


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
                dates.append(datetime.date.fromisoformat(text).isoformat())
            except ValueError:
                raise forms.ValidationError(
                    _("“%(value)s” is not a date in the form YYYY-MM-DD."), params={"value": text}
                )
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs["min"] = "0.01"
        self.initial.setdefault("delivered_on", timezone.localdate())

    def clean_delivered_on(self):
        day = self.cleaned_data["delivered_on"]
        if day > timezone.localdate() + datetime.timedelta(days=1):
            raise forms.ValidationError(_("A delivery cannot be recorded in the future."))
        return day


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
        self.fields["responsible"].queryset = partnership_people(partnership)
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
        self.fields["attendees"].queryset = partnership_people(partnership)

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
    dac_sector = forms.ChoiceField(label=_("Field of intervention"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, countries=(), **kwargs):
        from .codes import DAC_SECTORS
        from .models import Phase

        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [("", _("All phases")), *Phase.choices]
        self.fields["dac_sector"].choices = [("", _("All fields")), *DAC_SECTORS]
        self.fields["country"].choices = [("", _("All countries")), *countries]
