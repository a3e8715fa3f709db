from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView, ListView, UpdateView

from .models import Partnership
from .permissions import EDIT, get_partnership_for


class PartnershipListView(LoginRequiredMixin, ListView):
    paginate_by = 25

    def get_queryset(self):
        return Partnership.objects.visible_to(self.request.user)


class PartnershipDetailView(LoginRequiredMixin, DetailView):
    def get_object(self, queryset=None):
        return get_partnership_for(self.request.user, self.kwargs["pk"])


class PartnershipUpdateView(LoginRequiredMixin, UpdateView):
    fields = ["title"]

    def get_object(self, queryset=None):
        return get_partnership_for(self.request.user, self.kwargs["pk"], EDIT)
