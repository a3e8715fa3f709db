from django.urls import path

from .amendments import views as amendments
from .exports import views as export_views
from .gates import views as gates
from .lifecycle import views as lifecycle
from .phases import views as phases
from .views import members, partnership, parts

app_name = "partnerships"
urlpatterns = [
    path("", partnership.PartnershipListView.as_view(), name="list"),
    path("new/", partnership.PartnershipCreateView.as_view(), name="create"),
    path("sectors/search/", partnership.sector_search, name="sector_search"),
    path("<int:pk>/", partnership.PartnershipDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", partnership.PartnershipUpdateView.as_view(), name="edit"),
    path("<int:pk>/transition/<str:name>/", lifecycle.partnership_transition, name="transition"),
    path(
        "<int:pk>/request-assessment/",
        lifecycle.partnership_request_assessment,
        name="request_assessment",
    ),
    path("<int:pk>/candidates/", members.CandidateListView.as_view(), name="candidates"),
    path(
        "<int:pk>/candidates/<int:candidate>/invite/",
        members.candidate_invite,
        name="candidate_invite",
    ),
    path("<int:pk>/members/add/", members.MemberCreateView.as_view(), name="member_add"),
    path("<int:pk>/members/<int:item>/", members.MemberUpdateView.as_view(), name="member_edit"),
    path("<int:pk>/members/<int:item>/remove/", members.member_remove, name="member_remove"),
    path("<int:pk>/objectives/add/", parts.ObjectiveCreateView.as_view(), name="objective_add"),
    path(
        "<int:pk>/objectives/<int:item>/",
        parts.ObjectiveUpdateView.as_view(),
        name="objective_edit",
    ),
    path("<int:pk>/indicators/add/", parts.IndicatorCreateView.as_view(), name="indicator_add"),
    path(
        "<int:pk>/indicators/<int:item>/",
        parts.IndicatorUpdateView.as_view(),
        name="indicator_edit",
    ),
    path(
        "<int:pk>/measurements/add/",
        parts.MeasurementCreateView.as_view(),
        name="measurement_add",
    ),
    path(
        "<int:pk>/measurements/<int:item>/",
        parts.MeasurementUpdateView.as_view(),
        name="measurement_edit",
    ),
    path(
        "<int:pk>/measurements/<int:item>/delete/",
        parts.MeasurementDeleteView.as_view(),
        name="measurement_delete",
    ),
    path(
        "<int:pk>/contributions/add/",
        parts.ContributionCreateView.as_view(),
        name="contribution_add",
    ),
    path(
        "<int:pk>/contributions/<int:item>/",
        parts.ContributionUpdateView.as_view(),
        name="contribution_edit",
    ),
    path(
        "<int:pk>/contributions/<int:item>/deliveries/add/",
        parts.DeliveryCreateView.as_view(),
        name="delivery_add",
    ),
    path("<int:pk>/activities/add/", parts.ActivityCreateView.as_view(), name="activity_add"),
    path(
        "<int:pk>/activities/<int:item>/",
        parts.ActivityUpdateView.as_view(),
        name="activity_edit",
    ),
    path("<int:pk>/meetings/add/", parts.MeetingCreateView.as_view(), name="meeting_add"),
    path(
        "<int:pk>/meetings/<int:item>/",
        parts.MeetingUpdateView.as_view(),
        name="meeting_edit",
    ),
    path(
        "<int:pk>/assessments/add/",
        parts.AssessmentCreateView.as_view(),
        name="assessment_add",
    ),
    path(
        "<int:pk>/assessments/<int:item>/",
        parts.AssessmentUpdateView.as_view(),
        name="assessment_edit",
    ),
]

# Sign-off of phase gates (gates.views; the proof of who decides: gates.reauth).
urlpatterns += [
    path("<int:pk>/gates/request/", gates.gate_request, name="gate_request"),
    path("gates/<int:gate_pk>/", gates.gate_detail, name="gate_detail"),
    path("gates/<int:gate_pk>/approve/", gates.gate_approve, name="gate_approve"),
    path("gates/<int:gate_pk>/refuse/", gates.gate_refuse, name="gate_refuse"),
    path("gates/<int:gate_pk>/cancel/", gates.gate_cancel, name="gate_cancel"),
    path("gates/mine/", gates.my_signoffs, name="my_signoffs"),
]

# The work of each phase (phases.views).
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
    path("<int:pk>/iati.xml", export_views.partnership_iati, name="iati"),
]

# Amendments of a signed agreement (amendments.views; signing: the gate pages above).
urlpatterns += [
    path("amendments/kinds/", amendments.amendment_kinds, name="amendment_kinds"),
    path("<int:pk>/amendments/new/", amendments.amendment_new, name="amendment_new"),
    path(
        "<int:pk>/amendments/<int:amendment_pk>/",
        amendments.amendment_detail,
        name="amendment_detail",
    ),
    path(
        "<int:pk>/amendments/<int:amendment_pk>/submit/",
        amendments.amendment_submit,
        name="amendment_submit",
    ),
    path(
        "<int:pk>/amendments/<int:amendment_pk>/withdraw/",
        amendments.amendment_withdraw,
        name="amendment_withdraw",
    ),
]
