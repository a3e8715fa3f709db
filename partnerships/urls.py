from django.urls import path

from . import views

app_name = "partnerships"
urlpatterns = [
    path("", views.PartnershipListView.as_view(), name="list"),
    path("<int:pk>/", views.PartnershipDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PartnershipUpdateView.as_view(), name="edit"),
]

# Sign-off of phase gates (partnerships.views_gates, partnerships.reauth).
from . import reauth as _reauth  # noqa: E402
from . import views_gates as _gates  # noqa: E402

urlpatterns += [
    path("<int:pk>/gates/request/", _gates.gate_request, name="gate_request"),
    path("gates/<int:gate_pk>/", _gates.gate_detail, name="gate_detail"),
    path("gates/<int:gate_pk>/approve/", _gates.gate_approve, name="gate_approve"),
    path("gates/<int:gate_pk>/refuse/", _gates.gate_refuse, name="gate_refuse"),
    path("gates/<int:gate_pk>/cancel/", _gates.gate_cancel, name="gate_cancel"),
    path("gates/mine/", _gates.my_signoffs, name="my_signoffs"),
    path("confirm-password/", _reauth.reauth_view, name="reauth"),
]
