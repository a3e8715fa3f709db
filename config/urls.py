from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from actors.language import set_language
from partnerships.views_dashboard import dashboard

from .favicon import favicon
from .health import health

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("", dashboard, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("actors/", include("actors.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("reminders/", include("reminders.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/", include("config.api")),
    path("exports/", include("partnerships.export_urls")),
    path("", include("risks.urls")),
    path("public/", include("partnerships.public_urls")),
]

handler404 = "config.errors.not_found"
