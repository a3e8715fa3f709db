from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("partnerships/<int:pk>/documents/", views.document_list, name="list"),
    path("partnerships/<int:pk>/documents/status/", views.document_status, name="status"),
    path("documents/<int:pk>/download/", views.document_download, name="download"),
    path("verify/", views.verify, name="verify"),
]
