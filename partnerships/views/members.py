"""Members: prioritised candidates invited, and the member pages (add, edit, remove)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import CreateView, UpdateView

from .. import gates, services
from ..forms import (
    CandidateForm,
    InviteForm,
    MemberForm,
    MemberRemovalForm,
)
from ..models import (
    Member,
    PartnerCandidate,
    ranked_candidates,
)
from ..permissions import (
    EDIT,
    EDIT_AGREEMENT,
    get_partnership_for,
)
from .parts import PartMixin, add_errors


class CandidateListView(LoginRequiredMixin, CreateView):
    """Prioritise candidate partners: score them, rank them, invite the best."""

    model = PartnerCandidate
    form_class = CandidateForm
    template_name = "partnerships/partnercandidate_list.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.partnership = get_partnership_for(request.user, kwargs["pk"], EDIT)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partnership": self.partnership}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.instance.partnership = self.partnership
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            partnership=self.partnership,
            candidates=ranked_candidates(self.partnership),
            invite_form=InviteForm(),
            criteria=[PartnerCandidate._meta.get_field(c) for c in PartnerCandidate.CRITERIA],
            **kwargs,
        )

    def form_valid(self, form):
        with transaction.atomic():
            form.save()
        messages.success(self.request, _("The candidate was added."))
        return redirect("partnerships:candidates", pk=self.partnership.pk)


@login_required
@require_POST
def candidate_invite(request, pk: int, candidate: int):
    partnership = get_partnership_for(request.user, pk, EDIT_AGREEMENT)
    candidacy = get_object_or_404(PartnerCandidate, pk=candidate, partnership=partnership)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the role of the new member."))
    elif Member.objects.filter(
        partnership=partnership, organisation_id=candidacy.organisation_id
    ).exists():
        messages.info(
            request, _("%(name)s is already a member.") % {"name": candidacy.organisation}
        )
    else:
        with transaction.atomic():
            services.candidate_invite(
                candidate=candidacy, role=form.cleaned_data["role"], by=request.user
            )
            # A new member while a sign-off is open: its signatory must sign too.
            gates.agreed_content_saved(partnership=partnership, by=request.user)
        messages.success(request, _("%(name)s is now a member.") % {"name": candidacy.organisation})
    return redirect("partnerships:candidates", pk=partnership.pk)


class MemberCreateView(PartMixin, CreateView):
    """Adds a member; when its organisation has people in Alianza, goes on to the member's page
    to choose its authorised signatory among them (the add form offers nobody to choose)."""

    action = EDIT_AGREEMENT  # part of what the parties sign

    model, form_class, section = Member, MemberForm, "members"
    heading = gettext_lazy("Add a member")

    @cached_property
    def signatory_next(self) -> bool:
        return self.object.organisation.users.filter(is_active=True).exists()

    def get_success_url(self):
        if self.object is not None and self.signatory_next:
            return reverse("partnerships:member_edit", args=[self.partnership.pk, self.object.pk])
        return super().get_success_url()

    def get_success_message(self) -> str:
        if self.signatory_next:
            return _(
                "%(name)s is now a member. Choose its authorised signatory among its people, or "
                "leave it for later."
            ) % {"name": self.object.organisation.name}
        return _("%(name)s is now a member.") % {"name": self.object.organisation.name}


class MemberUpdateView(PartMixin, UpdateView):
    action = EDIT_AGREEMENT  # part of what the parties sign
    model, form_class, section = Member, MemberForm, "members"
    heading = gettext_lazy("Edit member")

    def get_context_data(self, **kwargs):
        # Removing the member: offered until the agreement is signed, explained afterwards.
        return super().get_context_data(
            removal_blockers=services.member_removal_blockers(self.partnership), **kwargs
        )


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request, pk, item):
    """The confirmation of a member's removal (everything it undoes), then the removal, by
    ``services.member_remove``; once the agreement is signed, only why it is refused."""
    # Removing one is changing the agreed content: once signed, refused with the reason (the
    # page itself still says why, and that a member leaves through an amendment).
    action = EDIT_AGREEMENT if request.method == "POST" else EDIT
    partnership = get_partnership_for(request.user, pk, action)
    member = get_object_or_404(
        Member.objects.select_related("organisation", "signatory"), pk=item, partnership=partnership
    )
    blockers = services.member_removal_blockers(partnership)
    effects = [] if blockers else services.member_removal_effects(member)
    form = MemberRemovalForm(
        request.POST or None,
        member=member,
        asks_successor=any(effect.asks_successor for effect in effects),
    )
    if request.method == "POST":
        if blockers:
            for reason in blockers:
                messages.error(request, reason)
            return redirect("partnerships:member_edit", pk=partnership.pk, item=member.pk)
        if form.is_valid():
            try:
                services.member_remove(
                    member=member, by=request.user, successor=form.cleaned_data.get("risks_to")
                )
            except services.MemberRemovalRefused as refused:
                for reason in refused.reasons:
                    messages.error(request, reason)
                return redirect("partnerships:member_edit", pk=partnership.pk, item=member.pk)
            except ValidationError as invalid:
                add_errors(form, invalid)
            else:
                messages.success(
                    request,
                    _("%(name)s is no longer a member.") % {"name": member.organisation.name},
                )
                return redirect(f"{partnership.get_absolute_url()}#members")
    return render(
        request,
        "partnerships/member_confirm_remove.html",
        {
            "partnership": partnership,
            "member": member,
            "effects": effects,
            "blockers": blockers,
            "form": form,
            "heading": _("Remove %(name)s") % {"name": member.organisation.name},
            "cancel_url": reverse("partnerships:member_edit", args=[partnership.pk, member.pk]),
        },
    )
