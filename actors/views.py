from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView, ListView

from .models import Organisation


class OrganisationListView(LoginRequiredMixin, ListView):
    model = Organisation
    paginate_by = 50


class OrganisationDetailView(LoginRequiredMixin, DetailView):
    model = Organisation
