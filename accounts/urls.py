from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("security/", views.security, name="security"),
    path("security/tokens/new/", views.token_create, name="token_create"),
    path("security/tokens/<int:token_pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("invitations/", views.invitation_list, name="invitations"),
    path("invitations/new/", views.invitation_new, name="invitation_new"),
    path(
        "invitations/<int:invitation_pk>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path("invitation/<str:key>/", views.invitation_accept, name="invitation_accept"),
    path("people/<int:person_pk>/deactivate/", views.person_deactivate, name="deactivate"),
]
