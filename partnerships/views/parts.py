"""Create and edit the parts of a partnership: objectives, indicators, contributions and their
deliveries, activities, measurements, meetings and assessments.

Editing needs permissions.can_edit; deliveries and measurements need can_contribute."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import Form
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DeleteView, UpdateView

from .. import gates, services
from ..forms import (
    ActivityForm,
    AssessmentForm,
    ContributionForm,
    DeliveryForm,
    IndicatorForm,
    MeasurementForm,
    MeetingForm,
    ObjectiveForm,
)
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
from ..permissions import (
    CONTRIBUTE,
    EDIT,
    EDIT_AGREEMENT,
    can_change_measurement,
    can_record_delivery,
    get_partnership_for,
)


def add_errors(form, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` on the form: by field where the form has the field,
    at the top otherwise."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class PartMixin:
    """A view on one part of the partnership ``pk``; the part's own key is ``item``."""

    action = EDIT
    section = ""
    heading = ""
    pk_url_kwarg = "item"
    form_takes_partnership = True
    template_name_suffix = "_form"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        self.partnership = get_partnership_for(request.user, kwargs["pk"], self.action)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return self.model.objects.filter(partnership=self.partnership)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.form_takes_partnership:
            kwargs["partnership"] = self.partnership
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if hasattr(form.instance, "partnership_id") and not form.instance.partnership_id:
            form.instance.partnership = self.partnership
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            partnership=self.partnership,
            heading=self.heading,
            cancel_url=self.get_success_url(),
            **kwargs,
        )

    def get_success_url(self):
        return f"{self.partnership.get_absolute_url()}#{self.section}"

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.object = self.save(form)
                # Open sign-offs approved other content: recompute them and tell the approvers.
                gates.agreed_content_saved(partnership=self.partnership, by=self.request.user)
        except ValidationError as refused:
            # A service's rules, shown next to the fields they are about.
            add_errors(form, refused)
            return self.form_invalid(form)
        messages.success(self.request, self.get_success_message())
        return redirect(self.get_success_url())

    def get_success_message(self) -> str:
        return _("Saved.")

    def save(self, form):
        return form.save()


class ObjectiveCreateView(PartMixin, CreateView):
    action = EDIT_AGREEMENT  # part of what the parties sign
    model, form_class, section = Objective, ObjectiveForm, "objectives"
    heading = gettext_lazy("Add an objective")
    form_takes_partnership = False

    def get_initial(self):
        return {"order": services.objective_next_order(self.partnership)}


class ObjectiveUpdateView(PartMixin, UpdateView):
    action = EDIT_AGREEMENT  # part of what the parties sign
    model, form_class, section = Objective, ObjectiveForm, "objectives"
    heading = gettext_lazy("Edit objective")
    form_takes_partnership = False


class IndicatorMixin(PartMixin):
    action = EDIT_AGREEMENT  # part of what the parties sign
    model, form_class, section = Indicator, IndicatorForm, "objectives"

    def get_queryset(self):
        return Indicator.objects.filter(objective__partnership=self.partnership)


class IndicatorCreateView(IndicatorMixin, CreateView):
    heading = gettext_lazy("Add an indicator")

    def get_initial(self):
        objective = self.request.GET.get("objective", "")
        return {"objective": objective} if objective.isdigit() else {}


class IndicatorUpdateView(IndicatorMixin, UpdateView):
    heading = gettext_lazy("Edit indicator")


class ContributionCreateView(PartMixin, CreateView):
    action = EDIT_AGREEMENT  # part of what the parties sign
    model, form_class, section = Contribution, ContributionForm, "contributions"
    heading = gettext_lazy("Add a contribution")


class ContributionUpdateView(PartMixin, UpdateView):
    action = EDIT_AGREEMENT  # part of what the parties sign
    model, form_class, section = Contribution, ContributionForm, "contributions"
    heading = gettext_lazy("Edit contribution")


class DeliveryCreateView(PartMixin, CreateView):
    """Record part of a contribution as delivered: the facilitator for any member, a member's
    people for their own organisation's contributions (``permissions.can_record_delivery``)."""

    model, form_class, section = Delivery, DeliveryForm, "contributions"
    action = CONTRIBUTE
    form_takes_partnership = False

    def get(self, request, *args, **kwargs):
        self._check()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check()
        return super().post(request, *args, **kwargs)

    def _check(self):
        if not can_record_delivery(self.request.user, self.contribution):
            raise PermissionDenied

    @cached_property
    def contribution(self):
        contribution = get_object_or_404(
            Contribution.objects.select_related("member__organisation"),
            pk=self.kwargs["item"],
            partnership=self.partnership,
        )
        contribution.partnership = self.partnership
        return contribution

    @property
    def heading(self):
        return _("Record a delivery: %(contribution)s") % {"contribution": self.contribution}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "contribution": self.contribution}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.instance.contribution = self.contribution
        return form

    def save(self, form):
        return services.contribution_record_delivery(
            contribution=self.contribution, by=self.request.user, **form.cleaned_data
        )


class ActivityCreateView(PartMixin, CreateView):
    model, form_class, section = Activity, ActivityForm, "activities"
    heading = gettext_lazy("Add an activity")


class ActivityUpdateView(PartMixin, UpdateView):
    model, form_class, section = Activity, ActivityForm, "activities"
    heading = gettext_lazy("Edit activity")


class MeasurementCreateView(PartMixin, CreateView):
    model, form_class, section = Measurement, MeasurementForm, "objectives"
    heading = gettext_lazy("Record a measurement")
    action = CONTRIBUTE

    def get_initial(self):
        indicator = self.request.GET.get("indicator", "")
        return {"indicator": indicator} if indicator.isdigit() else {}

    def save(self, form):
        return services.measurement_record(by=self.request.user, **form.cleaned_data)


class MeasurementMixin(PartMixin):
    """One measurement, which only its recorder or the facilitator changes or removes
    (``permissions.can_change_measurement``; the services check it again)."""

    model, form_class = Measurement, MeasurementForm
    action = CONTRIBUTE

    def get_queryset(self):
        return Measurement.objects.filter(
            indicator__objective__partnership=self.partnership
        ).select_related("indicator", "recorded_by", "corrected_by")

    def get_object(self, queryset=None):
        measurement = super().get_object(queryset)
        if not can_change_measurement(self.request.user, measurement, self.partnership):
            raise PermissionDenied
        return measurement

    def get_success_url(self):
        return reverse("partnerships:phase_operation", args=[self.partnership.pk]) + "#indicators"


class MeasurementUpdateView(MeasurementMixin, UpdateView):
    heading = gettext_lazy("Correct a measurement")

    def save(self, form):
        return services.measurement_correct(
            measurement=self.object, by=self.request.user, **form.cleaned_data
        )

    def get_success_message(self) -> str:
        return _("The measurement is corrected; it shows who corrected it.")


class MeasurementDeleteView(MeasurementMixin, DeleteView):
    """A confirmation page (what is removed, with how many evidence files), then the removal."""

    heading = gettext_lazy("Remove a measurement")
    template_name = "partnerships/measurement_confirm_delete.html"
    form_class = Form
    form_takes_partnership = False

    def get_form(self, form_class=None):
        return (form_class or self.get_form_class())(**self.get_form_kwargs())

    def form_valid(self, form):
        services.measurement_remove(measurement=self.object, by=self.request.user)
        messages.success(self.request, _("The measurement is removed."))
        return redirect(self.get_success_url())


class MeetingCreateView(PartMixin, CreateView):
    model, form_class, section = Meeting, MeetingForm, "meetings"
    heading = gettext_lazy("Add a meeting")


class MeetingUpdateView(PartMixin, UpdateView):
    model, form_class, section = Meeting, MeetingForm, "meetings"
    heading = gettext_lazy("Edit meeting")


class AssessmentCreateView(PartMixin, CreateView):
    model, form_class, section = Assessment, AssessmentForm, "assessments"
    heading = gettext_lazy("Record an assessment")
    form_takes_partnership = False

    def save(self, form):
        form.instance.created_by = self.request.user
        return form.save()


class AssessmentUpdateView(PartMixin, UpdateView):
    model, form_class, section = Assessment, AssessmentForm, "assessments"
    heading = gettext_lazy("Edit assessment")
    form_takes_partnership = False
