from django.urls import path

from . import views

app_name = "risks"
urlpatterns = [
    path("risks/", views.PortfolioView.as_view(), name="portfolio"),
    path("partnerships/<int:pk>/risks/", views.RiskListView.as_view(), name="list"),
    path("partnerships/<int:pk>/risks/add/", views.risk_create, name="add"),
    path("partnerships/<int:pk>/risks/<int:risk_pk>/", views.risk_detail, name="detail"),
    path("partnerships/<int:pk>/risks/<int:risk_pk>/edit/", views.risk_edit, name="edit"),
    path("partnerships/<int:pk>/risks/<int:risk_pk>/review/", views.risk_review, name="review"),
    path("partnerships/<int:pk>/risks/<int:risk_pk>/close/", views.risk_close, name="close"),
    path("partnerships/<int:pk>/risks/<int:risk_pk>/row/", views.risk_row, name="row"),
]
