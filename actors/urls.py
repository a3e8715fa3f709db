from django.urls import path

from . import views

app_name = "actors"
urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="list"),
    path("new/", views.OrganisationCreateView.as_view(), name="create"),
    path("search/", views.organisation_search, name="search"),
    path("capacities/", views.CapacityCatalogueView.as_view(), name="capacities"),
    path("<int:pk>/", views.OrganisationDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.OrganisationUpdateView.as_view(), name="edit"),
    path("import/", views.organisation_import, name="import"),
]
