from django.urls import path

from . import views

app_name = "partnerships"
urlpatterns = [
    path("", views.PartnershipListView.as_view(), name="list"),
    path("<int:pk>/", views.PartnershipDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PartnershipUpdateView.as_view(), name="edit"),
]

# The work of each phase (views_phases).
from . import views_phases as phases  # noqa: E402

urlpatterns += [
    path("lessons/", phases.lessons, name="lessons"),
    path("<int:pk>/interest/", phases.interest, name="phase_interest"),
    path("<int:pk>/interest/nodes/", phases.node_add, name="phase_node_add"),
    path("<int:pk>/interest/nodes/<int:node_pk>/", phases.node_edit, name="phase_node_edit"),
    path(
        "<int:pk>/interest/nodes/<int:node_pk>/delete/",
        phases.node_delete,
        name="phase_node_delete",
    ),
    path("<int:pk>/interest/matrix/", phases.matrix_save, name="phase_matrix_add"),
    path("<int:pk>/interest/matrix/<int:row_pk>/", phases.matrix_save, name="phase_matrix_edit"),
    path(
        "<int:pk>/interest/matrix/<int:row_pk>/delete/",
        phases.matrix_delete,
        name="phase_matrix_delete",
    ),
    path("<int:pk>/design/", phases.design, name="phase_design"),
    path("<int:pk>/design/checklist/", phases.design_checklist, name="phase_design_checklist"),
    path(
        "<int:pk>/design/sections/<slug:section>/",
        phases.design_section,
        name="phase_design_section",
    ),
    path("<int:pk>/design/changes/", phases.agreement_changes, name="phase_agreement_changes"),
    path("<int:pk>/operation/", phases.operation, name="phase_operation"),
    path("<int:pk>/conflicts/new/", phases.conflict_edit, name="phase_conflict_new"),
    path("<int:pk>/conflicts/<int:conflict_pk>/", phases.conflict_edit, name="phase_conflict_edit"),
    path("<int:pk>/meetings/<int:meeting_pk>/minutes/", phases.meeting, name="phase_meeting"),
    path(
        "<int:pk>/meetings/<int:meeting_pk>/minutes/edit/",
        phases.meeting_minutes,
        name="phase_meeting_minutes",
    ),
    path(
        "<int:pk>/meetings/<int:meeting_pk>/minutes/confirm/",
        phases.meeting_confirm,
        name="phase_meeting_confirm",
    ),
    path("<int:pk>/assessment/", phases.assessment, name="phase_assessment"),
    path("<int:pk>/assessment/new/", phases.assessment_edit, name="phase_assessment_new"),
    path(
        "<int:pk>/assessment/<int:assessment_pk>/edit/",
        phases.assessment_edit,
        name="phase_assessment_edit",
    ),
    path(
        "<int:pk>/assessment/<int:assessment_pk>/health-check/send/",
        phases.health_send,
        name="phase_health_send",
    ),
    path(
        "<int:pk>/health-checks/<int:check_pk>/",
        phases.health_respond,
        name="phase_health_respond",
    ),
    path("<int:pk>/closure/", phases.closure, name="phase_closure"),
    path("<int:pk>/attachments/", phases.attachment_upload, name="phase_attachment_upload"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        phases.attachment_download,
        name="phase_attachment_download",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        phases.attachment_delete,
        name="phase_attachment_delete",
    ),
]
