from django.urls import path

from . import views_public

app_name = "public"
urlpatterns = [
    path("", views_public.register, name="register"),
    path("documents/<int:pk>/download/", views_public.document_download, name="download"),
    path("<str:reference>/", views_public.register_detail, name="detail"),
]
