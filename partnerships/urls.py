from django.urls import path

from . import export_views, views

app_name = "partnerships"
urlpatterns = [
    path("", views.PartnershipListView.as_view(), name="list"),
    path("<int:pk>/", views.PartnershipDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PartnershipUpdateView.as_view(), name="edit"),
    path("<int:pk>/iati.xml", export_views.partnership_iati, name="iati"),
]
