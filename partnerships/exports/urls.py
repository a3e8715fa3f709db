from django.urls import path, re_path

from . import views as export_views

app_name = "exports"
urlpatterns = [
    path("", export_views.index, name="index"),
    path("iati.xml", export_views.portfolio_iati, name="iati"),
    re_path(r"^(?P<dataset>[a-z_]+)\.(?P<fmt>csv|xlsx)$", export_views.dataset, name="dataset"),
]
