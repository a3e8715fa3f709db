"""The REST API: one router for every app, the OpenAPI schema and its documentation page.

Mounted at ``/api/`` by ``config/urls.py``. An app adds its endpoints here, one line each
(``router.register("risks", RiskViewSet, basename="risk")``).
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from accounts import api as accounts_api
from actors import api as actors_api
from partnerships.api import views as partnerships_api

router = DefaultRouter()
router.register("organisations", actors_api.OrganisationViewSet, basename="organisation")
router.register("capacities", actors_api.CapacityViewSet, basename="capacity")
router.register("contacts", actors_api.ContactPersonViewSet, basename="contact")
router.register("partnerships", partnerships_api.PartnershipViewSet, basename="partnership")
router.register("members", partnerships_api.MemberViewSet, basename="member")
router.register("objectives", partnerships_api.ObjectiveViewSet, basename="objective")
router.register("indicators", partnerships_api.IndicatorViewSet, basename="indicator")
router.register("measurements", partnerships_api.MeasurementViewSet, basename="measurement")
router.register("contributions", partnerships_api.ContributionViewSet, basename="contribution")
router.register("deliveries", partnerships_api.DeliveryViewSet, basename="delivery")
router.register("activities", partnerships_api.ActivityViewSet, basename="activity")
router.register("meetings", partnerships_api.MeetingViewSet, basename="meeting")
router.register("assessments", partnerships_api.AssessmentViewSet, basename="assessment")
router.register("candidates", partnerships_api.PartnerCandidateViewSet, basename="candidate")
router.register("phase-changes", partnerships_api.PhaseChangeViewSet, basename="phase-change")
router.register("gate-requests", partnerships_api.GateRequestViewSet, basename="gate-request")

app_name = "api"
urlpatterns = [
    path("", include(router.urls)),
    path("token/", accounts_api.ObtainTokenView.as_view(), name="token"),
    re_path(
        r"^exports/(?P<dataset>[a-z_]+)\.(?P<fmt>csv|xlsx)$",
        partnerships_api.ExportView.as_view(),
        name="export",
    ),
    path("exports/iati.xml", partnerships_api.PortfolioIatiView.as_view(), name="iati"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
]
