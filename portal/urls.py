from django.urls import path

from . import register

app_name = "public"
urlpatterns = [
    path("", register.register, name="register"),
    path("documents/<int:pk>/download/", register.document_download, name="download"),
    path("<str:reference>/", register.register_detail, name="detail"),
]
