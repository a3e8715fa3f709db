"""The parts of a partnership: objectives, indicators, contributions and deliveries, activities,
measurements, meetings, assessments. Choices are limited to the partnership at hand, so a
member, indicator or person from elsewhere cannot be submitted."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import (
    Activity,
    Assessment,
    Contribution,
    Delivery,
    Indicator,
    Measurement,
    Meeting,
    Objective,
)
from .fields import DATE, PeopleChoiceField, PersonChoiceField, User, ends_after_starts


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
        ends_after_starts(self, "period_start", "period_end")
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
        ends_after_starts(self, "starts_on", "ends_on")
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
        from ..models import Attendance

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
        ends_after_starts(self, "period_start", "period_end")
        return cleaned
