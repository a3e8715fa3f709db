from django.urls import path

from . import views

app_name = "reminders"
urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.mark_read, name="mark_read"),
    path("notifications/read-all/", views.mark_all_read, name="mark_all_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("preferences/calendar/new/", views.calendar_regenerate, name="calendar_regenerate"),
    path("preferences/calendar/revoke/", views.calendar_revoke, name="calendar_revoke"),
    path("calendar/<int:pk>/<str:token>.ics", views.calendar_feed, name="calendar"),
]
