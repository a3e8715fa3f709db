from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path

from actors.language import set_language
from portal.dashboard import dashboard

from .favicon import favicon
from .health import health

# The admin logs in through allauth's login (its rate limits and second factor); set before
# admin.site.urls is read below, which binds the login view.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", dashboard, name="dashboard"),
    path("", dashboard, name="home"),
    # allauth (login, logout, password reset, email, second factors, sessions), then Alianza's
    # own account pages (Security, invitations, leaving); see accounts/README.md.
    path("accounts/", include("allauth.urls")),
    path("accounts/", include("accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("actors/", include("actors.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("reminders/", include("reminders.urls")),
    path("", include("reports.urls")),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
    path("api/", include("config.api")),
    path("exports/", include("partnerships.exports.urls")),
    path("", include("risks.urls")),
    path("public/", include("portal.urls")),
]

handler403 = "config.errors.permission_denied"
handler404 = "config.errors.not_found"
handler429 = "accounts.views.too_many_requests"
