"""Forms of the phase workspaces."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from actors.dates import validate_sensible_date
from actors.models import Organisation, Sector

from ..forms import (
    AssessmentForm,  # noqa: F401 - one form for the detail and workspace pages
    SectorField,
)
from ..models import (
    Attribute,
    Conflict,
    MatrixRow,
    Member,
    Modality,
    NodeKind,
    Partnership,
)
from .lessons import LESSON_OUTCOMES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NodeForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=NodeKind.choices)
    text = forms.CharField(label=_("text"), max_length=500, required=False)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class NodeTextForm(forms.Form):
    text = forms.CharField(label=_("text"), max_length=500, required=False)


class MatrixRowForm(forms.ModelForm):
    class Meta:
        model = MatrixRow
        fields = ["actor", "cause", "opportunity", "capacity"]
        widgets = {
            "cause": forms.Textarea(attrs={"rows": 2}),
            "opportunity": forms.Textarea(attrs={"rows": 2}),
            "capacity": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        members = partnership.members.values("organisation")
        candidates = partnership.candidates.values("organisation")
        self.fields["actor"].queryset = Organisation.objects.filter(
            pk__in=members
        ) | Organisation.objects.filter(pk__in=candidates)
        self.fields["actor"].required = False


class InterestStatementForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["problem", "common_interest", "scenario"]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 3}),
            "common_interest": forms.Textarea(attrs={"rows": 4}),
        }


class AssessmentDatesField(forms.CharField):
    """ISO dates, one per line or comma-separated."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        dates = []
        for part in text.replace(",", "\n").split():
            try:
                day = datetime.date.fromisoformat(part.strip())
            except ValueError:
                raise forms.ValidationError(
                    _("“%(value)s” is not a date (use YYYY-MM-DD)."), params={"value": part}
                )
            validate_sensible_date(day)
            dates.append(day.isoformat())
        return sorted(set(dates))


# The agreement builder: each section edits some fields; lists (objectives, members,
# contributions) are shown in their section with links to their own forms.
DESIGN_SECTIONS = [
    ("objectives", _("Objectives"), ["general_objective"]),
    ("scope", _("Scope and duration"), ["scope", "territory", "start_date", "end_date"]),
    ("people", _("People in charge and roles"), []),
    ("contributions", _("Contributions over time"), []),
    ("governance", _("Governance"), ["formalisation_level", "governance", "communication_lead"]),
    (
        "tracking",
        _("Tracking and assessment"),
        ["tracking_tools", "assessment_criteria", "assessment_every_months", "assessment_dates"],
    ),
    ("commitments", _("Confidentiality and non-compliance"), ["confidentiality", "non_compliance"]),
]
SECTION_FIELDS = {slug: fields for slug, _title, fields in DESIGN_SECTIONS}


_TEXTAREAS = (
    "general_objective",
    "scope",
    "governance",
    "tracking_tools",
    "assessment_criteria",
    "confidentiality",
    "non_compliance",
)


class _SectionBase(forms.ModelForm):
    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date must be after the start date."))
        return data


def design_section_form(section: str, *args, **kwargs) -> forms.ModelForm:
    fields = SECTION_FIELDS[section]
    form_class = forms.modelform_factory(
        Partnership,
        form=_SectionBase,
        fields=fields,
        widgets={
            "start_date": DATE,
            "end_date": DATE,
            **{f: forms.Textarea(attrs={"rows": 3}) for f in _TEXTAREAS},
        },
    )
    form = form_class(*args, prefix=section, **kwargs)
    if "assessment_dates" in fields:
        form.fields["assessment_dates"] = AssessmentDatesField(
            label=_("assessment dates"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("One date per line, YYYY-MM-DD."),
        )
    return form


class MinutesForm(forms.Form):
    agenda = forms.CharField(
        label=_("agenda"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    minutes = forms.CharField(
        label=_("minutes"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )


class ConflictForm(forms.ModelForm):
    class Meta:
        model = Conflict
        fields = [
            "title",
            "what_happened",
            "parties",
            "handling",
            "status",
            "raised_on",
            "resolved_on",
        ]
        widgets = {
            "raised_on": DATE,
            "resolved_on": DATE,
            "what_happened": forms.Textarea(attrs={"rows": 3}),
            "handling": forms.Textarea(attrs={"rows": 3}),
            "parties": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, partnership: Partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = Member.objects.filter(
            partnership=partnership
        ).select_related("organisation")

    def clean(self):
        data = super().clean()
        raised, resolved = data.get("raised_on"), data.get("resolved_on")
        if raised and resolved and resolved < raised:
            self.add_error("resolved_on", _("A conflict cannot be resolved before it is raised."))
        if data.get("status") == "resolved" and not (data.get("handling") or "").strip():
            self.add_error("handling", _("Say how the conflict was resolved."))
        return data


SCORE_CHOICES = [(i, str(i)) for i in range(1, 6)]


class HealthCheckResponseForm(forms.Form):
    comments = forms.CharField(
        label=_("comments"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scores = {
            a.value: forms.TypedChoiceField(
                label=a.label,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("1 = very poor, 5 = very good"),
            )
            for a in Attribute
        }
        self.fields = {**scores, **self.fields}

    def scores(self) -> dict:
        return {a: self.cleaned_data[a] for a in Attribute.values}


class ClosureNoteForm(forms.Form):
    final_summary = forms.CharField(
        label=_("final summary"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    lessons_learned = forms.CharField(
        label=_("lessons learned"), widget=forms.Textarea(attrs={"rows": 4})
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("file"))
    description = forms.CharField(label=_("description"), max_length=300, required=False)
    meeting = forms.IntegerField(required=False, widget=forms.HiddenInput)
    measurement = forms.IntegerField(required=False, widget=forms.HiddenInput)


class LessonFilterForm(forms.Form):
    q = forms.CharField(label=_("search"), required=False)
    dac_sector = SectorField(label=_("field of intervention"), required=False)
    actor_sector = forms.ChoiceField(label=_("actor sector"), required=False)
    country = forms.ChoiceField(label=_("country"), required=False)
    modality = forms.ChoiceField(label=_("modality"), required=False)
    outcome = forms.ChoiceField(label=_("outcome"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("any"))]
        self.fields["actor_sector"].choices = anything + list(Sector.choices)
        self.fields["country"].choices = anything + list(countries)
        self.fields["modality"].choices = anything + list(Modality.choices)
        self.fields["outcome"].choices = anything + [(k, v) for k, v in LESSON_OUTCOMES]
