from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from actors.forms import OrganisationNameField
from partnerships.models import Member, Phase

from .models import (
    ACTIVE_STATUSES,
    IMPACT_CHOICES,
    LIKELIHOOD_CHOICES,
    Risk,
    Status,
    grouped_category_choices,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OPEN_STATUSES = [(s.value, s.label) for s in Status if s != Status.CLOSED]


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ``ValidationError`` next to the fields it names (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.organisation} ({obj.get_role_display()})"


class RiskForm(forms.ModelForm):
    owner = OwnerChoiceField(
        queryset=Member.objects.none(),
        required=False,
        label=_("Owner"),
        help_text=_("The member most able to mitigate it."),
    )

    class Meta:
        model = Risk
        fields = [
            "title",
            "category",
            "description",
            "phase_identified",
            "likelihood",
            "impact",
            "owner",
            "mitigation",
            "contingency",
            "status",
            "next_review_on",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
            "contingency": forms.Textarea(attrs={"rows": 2}),
            "next_review_on": DATE_INPUT,
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["owner"].queryset = partnership.members.select_related("organisation")
        self.fields["category"].choices = [("", "---------"), *grouped_category_choices()]
        self.fields["status"].choices = OPEN_STATUSES
        if not self.instance.pk:
            self.fields["phase_identified"].initial = partnership.phase

    def _post_clean(self):
        # The service validates the whole risk (owner, dates, ratings) against the partnership.
        pass


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DATE_INPUT)
    likelihood = forms.TypedChoiceField(
        label=_("Likelihood"), choices=LIKELIHOOD_CHOICES, coerce=int
    )
    impact = forms.TypedChoiceField(label=_("Impact"), choices=IMPACT_CHOICES, coerce=int)
    status = forms.ChoiceField(label=_("Status after the review"), choices=OPEN_STATUSES)
    next_review_on = forms.DateField(label=_("Next review"), required=False, widget=DATE_INPUT)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CloseForm(forms.Form):
    note = forms.CharField(
        label=_("Why is the risk closed?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


SORTS = [("-score", _("Score, highest first")), ("score", _("Score, lowest first"))]
STATUS_FILTER = [("", _("Any status")), ("active", _("Not closed"))] + [
    (s.value, s.label) for s in Status
]


class RiskFilterForm(forms.Form):
    """Filters of a partnership's risk list (the heat map's cells link here)."""

    likelihood = forms.TypedChoiceField(
        label=_("Likelihood"), choices=[("", "—"), *LIKELIHOOD_CHOICES], coerce=int, required=False
    )
    impact = forms.TypedChoiceField(
        label=_("Impact"), choices=[("", "—"), *IMPACT_CHOICES], coerce=int, required=False
    )
    min_score = forms.IntegerField(
        label=_("Minimum score"), min_value=1, max_value=25, required=False
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTER, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Any category")), *grouped_category_choices()]

    def filter(self, qs):
        # Bad filters are shown as errors (and left out of cleaned_data); the valid ones apply.
        self.is_valid()
        data = self.cleaned_data
        if data.get("likelihood"):
            qs = qs.filter(likelihood=data["likelihood"])
        if data.get("impact"):
            qs = qs.filter(impact=data["impact"])
        if data.get("min_score"):
            qs = qs.filter(score__gte=data["min_score"])
        if data.get("category"):
            qs = qs.filter(category=data["category"])
        status = data.get("status")
        if status == "active":
            qs = qs.active()
        elif status:
            qs = qs.filter(status=status)
        return qs


class PortfolioFilterForm(RiskFilterForm):
    """Filters of the risk portfolio. The owner is an organisation's name (the picker): the
    owners of an administrator's risks are nearly every organisation, too many to list, and a
    name keeps the filter readable in the links that carry it (heat-map cells, pages)."""

    owner = OrganisationNameField(label=_("Owner"), required=False, help_text="")
    phase = forms.ChoiceField(
        label=_("Partnership phase"), choices=[("", _("Any phase")), *Phase.choices], required=False
    )
    identified_in = forms.ChoiceField(
        label=_("Identified in"), choices=[("", _("Any phase")), *Phase.choices], required=False
    )
    overdue = forms.BooleanField(label=_("Review overdue"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORTS, required=False)

    def cell_filter(self):
        """``keep(likelihood, impact, status)`` when only filters the risk tally can answer are
        set (likelihood, impact, minimum score, status; sorting changes no count), else None."""
        self.is_valid()
        data = self.cleaned_data
        if any(data.get(name) for name in ("category", "owner", "phase", "identified_in")):
            return None
        if data.get("overdue"):
            return None
        status = data.get("status")
        statuses = set(ACTIVE_STATUSES) if status == "active" else {status} if status else None

        def keep(likelihood: int, impact: int, risk_status: str) -> bool:
            return (
                (not data.get("likelihood") or likelihood == data["likelihood"])
                and (not data.get("impact") or impact == data["impact"])
                and (not data.get("min_score") or likelihood * impact >= data["min_score"])
                and (statuses is None or risk_status in statuses)
            )

        return keep

    def filter(self, qs):
        qs = super().filter(qs)
        data = self.cleaned_data
        if data.get("owner"):
            qs = qs.filter(owner__organisation=data["owner"])
        if data.get("phase"):
            qs = qs.filter(partnership__phase=data["phase"])
        if data.get("identified_in"):
            qs = qs.filter(phase_identified=data["identified_in"])
        if data.get("overdue"):
            qs = qs.overdue()
        sort = data.get("sort") or "-score"
        return qs.order_by(sort, "title", "pk")
