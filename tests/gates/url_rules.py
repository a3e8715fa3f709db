"""Who may reach each URL: the expected HTTP status of every URL pattern for every role, read by
test_role_urls."""

from dataclasses import dataclass, field

ROLES = (
    "anonymous",
    "facilitator",  # facilitates the partnership
    "facilitator_other",  # facilitates another one
    "partner",  # representative of a member organisation
    "official",  # official of the public member, assigned to the open gate
    "official_other",  # official of a public body that is not a member
    "donor",  # donor whose organisation funds the partnership
    "donor_other",  # donor whose organisation does not
    "administrator",
)


LOGGED_IN = [r for r in ROLES if r != "anonymous"]


@dataclass
class Rule:
    """Expected status per role; ``default`` for roles not listed. A set allows several."""

    default: object
    method: str = "get"
    kwargs: dict = field(default_factory=dict)
    roles: dict = field(default_factory=dict)

    def expected(self, role):
        value = self.roles.get(role, self.default)
        return value if isinstance(value, set) else {value}


def everyone(status, **kw):
    return Rule(default=status, **kw)


def logged_in(status, **kw):
    """Anonymous people are sent to the login page; everyone else gets ``status``."""
    return Rule(default=status, roles={"anonymous": 302}, **kw)


def partnership_page(*, edit=False, **kw):
    """A page about one partnership: 404 for those who may not see it; 403 for those who may
    see but not change it (``edit``)."""
    seeing = 403 if edit else 200
    return Rule(
        default=404,
        roles={
            "anonymous": 302,
            "facilitator": 200,
            "administrator": 200,
            "partner": seeing,
            "official": seeing,
            "donor": seeing,
        },
        **kw,
    )


def signoff_action(**kw):
    """POST a decision: only the assigned official may (an empty form lacks the password: 400)."""
    return Rule(
        default=404,
        method="post",
        roles={
            "anonymous": 302,
            "official": 400,
            "facilitator": 403,
            "administrator": 403,
            "partner": 403,
            "donor": 403,
        },
        **kw,
    )


VIEWERS = ("facilitator", "administrator", "partner", "official", "donor")


def on_partnership(level="view", *, ok=200, method="get", **kw):
    """Something about one partnership: 404 for those who may not see it, 403 for those who see
    it but may not do ``level`` (``view``, ``contribute``: members' people, ``edit``: its
    facilitator and administrators); ``ok`` for those who may; anonymous to the login page.
    A role given as a keyword (``official=403``) overrides its status."""
    allowed = {
        "view": VIEWERS,
        "contribute": ("facilitator", "administrator", "partner", "official"),
        "edit": ("facilitator", "administrator"),
    }[level]
    roles = {"anonymous": 302}
    for role in VIEWERS:
        roles[role] = ok if role in allowed else 403
    for role in [k for k in kw if k in ROLES]:
        roles[role] = kw.pop(role)
    return Rule(default=404, method=method, roles=roles, **kw)


def api(status, *, hidden=None, **kw):
    """An API endpoint: anonymous callers are refused (401/403); ``hidden`` roles get 404."""
    roles = {"anonymous": {401, 403}}
    for role in hidden or ():
        roles[role] = 404
    return Rule(default=status, roles=roles, **kw)


NOT_VIEWERS = ("facilitator_other", "official_other", "donor_other")


def only_partner(status, **kw):
    """Seen by every viewer of the partnership, done only by the partner representative."""
    rule = on_partnership("view", ok=403, **kw)
    rule.roles["partner"] = status
    return rule


FACILITATORS_ONLY = Rule(
    default=403,
    roles={"anonymous": 302, "facilitator": 200, "facilitator_other": 200, "administrator": 200},
)


# Records kept by the system: staff read them in the admin, never add or delete them there.
ADMIN_READ_ONLY = Rule(default=302, roles={"administrator": 403})


STAFF_ONLY = Rule(default=302, roles={"administrator": {200, 302, 404, 405}})


ONLY_ANONYMOUS = Rule(default=302, roles={"anonymous": 200})  # the signed-in are sent on


RULES = {
    # allauth: logging in and out, password reset, email, second factors, sessions.
    "account_login": ONLY_ANONYMOUS,
    "account_signup": ONLY_ANONYMOUS,  # "sign-up is closed": people are invited
    "account_logout": logged_in(200),  # GET asks to confirm; the POST logs out
    "account_inactive": everyone(200),
    "account_reauthenticate": logged_in(200),
    # No code recipients (login by code is off): back to the password.
    "account_request_reauthentication_code": logged_in(302),
    "account_confirm_reauthentication_code": logged_in(302),
    "account_confirm_login_code": Rule(default=302),
    "account_email": logged_in(200),
    "account_email_verification_sent": everyone(200),
    "account_confirm_email": everyone(200),  # an unknown key: the page says so
    "account_change_password": logged_in(200),
    "account_set_password": logged_in(302),  # they have a password: to the change page
    "account_reset_password": everyone(200),
    "account_reset_password_done": everyone(200),
    "account_reset_password_from_key": everyone(200),  # an unknown key: the page says so
    "account_reset_password_from_key_done": everyone(200),
    "mfa_index": logged_in(200),
    "mfa_authenticate": Rule(default=302),  # only between password and second factor
    "mfa_list_webauthn": logged_in(200),
    # Adding or changing a second factor asks for the password again first.
    "mfa_*": logged_in(302),
    # Nothing to show or turn off for someone without a second factor.
    "mfa_deactivate_totp": logged_in(404),
    "mfa_view_recovery_codes": logged_in(404),
    "mfa_download_recovery_codes": logged_in(404),
    "usersessions_list": logged_in(200),
    # Alianza's own account pages.
    "accounts:security": logged_in(200),
    "accounts:token_create": logged_in(302, method="post"),  # to re-authenticate first
    "accounts:token_revoke": Rule(  # the partner's own token
        default=404, method="post", roles={"anonymous": 302, "partner": 302}
    ),
    "accounts:invitations": FACILITATORS_ONLY,
    "accounts:invitation_new": FACILITATORS_ONLY,
    "accounts:invitation_resend": Rule(  # sent by the facilitator
        default=403,
        method="post",
        roles={"anonymous": 302, "facilitator": 302, "administrator": 302},
    ),
    "accounts:invitation_accept": everyone(404),  # an unknown link
    "accounts:deactivate": Rule(  # the partner: their facilitator or an administrator
        default=403, roles={"anonymous": 302, "facilitator": 200, "administrator": 200}
    ),
    "home": logged_in(200),  # the dashboard
    "dashboard": logged_in(200),
    # The public register shows only published partnerships: this one is not published.
    "public:register": everyone(200),
    "public:detail": everyone(404, kwargs={"reference": lambda w: w.partnership.reference}),
    "public:download": everyone(404, kwargs={"pk": lambda w: w.document.pk}),
    "favicon": everyone(200),
    "set_language": everyone(302),
    "actors:list": logged_in(200),
    "actors:detail": logged_in(200, kwargs={"pk": lambda w: w.ministry.pk}),
    "partnerships:list": logged_in(200),
    "partnerships:detail": partnership_page(),
    "partnerships:edit": partnership_page(edit=True),
    "partnerships:gate_request": partnership_page(edit=True),
    "partnerships:gate_detail": partnership_page(),
    "partnerships:gate_approve": signoff_action(),
    "partnerships:gate_refuse": signoff_action(),
    "partnerships:gate_cancel": Rule(default=405, roles={"anonymous": 302}),
    # Amendments: this partnership is in design, so nobody amends it yet (tests/amendments
    # walks a signed one); an amendment it does not have is nobody's.
    "partnerships:amendment_kinds": logged_in(200),
    "partnerships:amendment_new": on_partnership("edit", ok=403),
    "partnerships:amendment_detail": Rule(
        default=404, roles={"anonymous": 302}, kwargs={"amendment_pk": lambda w: 999999}
    ),
    "partnerships:amendment_submit": on_partnership(
        "edit", ok=403, method="post", kwargs={"amendment_pk": lambda w: 999999}
    ),
    "partnerships:amendment_withdraw": on_partnership(
        "edit", ok=403, method="post", kwargs={"amendment_pk": lambda w: 999999}
    ),
    "partnerships:my_signoffs": logged_in(200),
    # Organisations: everyone signed in reads the directory; who may add or change them.
    "actors:create": FACILITATORS_ONLY,
    "actors:capacities": logged_in(200),
    "actors:search": logged_in(200),  # the organisation picker's suggestions (directory data)
    "partnerships:sector_search": logged_in(200),  # the sector picker's suggestions (codes)
    "actors:edit": Rule(  # the ministry: facilitators, administrators and its own people
        default=403,
        roles={
            "anonymous": 302,
            "facilitator": 200,
            "facilitator_other": 200,
            "administrator": 200,
            "official": 200,
        },
        kwargs={"pk": lambda w: w.ministry.pk},
    ),
    "actors:import": FACILITATORS_ONLY,
    "partnerships:create": FACILITATORS_ONLY,
    "partnerships:transition": on_partnership("edit", ok=302, method="post"),
    "partnerships:request_assessment": on_partnership("edit", ok=302, method="post"),
    "partnerships:candidates": on_partnership("edit"),  # scoring candidates: its facilitator
    "partnerships:candidate_invite": on_partnership("edit", ok=302, method="post"),
    "partnerships:member_add": on_partnership("edit"),
    "partnerships:member_edit": on_partnership("edit", kwargs={"item": lambda w: w.member.pk}),
    # The confirmation page (nothing is removed by a GET).
    "partnerships:member_remove": on_partnership("edit", kwargs={"item": lambda w: w.member.pk}),
    "partnerships:objective_add": on_partnership("edit"),
    "partnerships:objective_edit": on_partnership(
        "edit", kwargs={"item": lambda w: w.objective.pk}
    ),
    "partnerships:indicator_add": on_partnership("edit"),
    "partnerships:indicator_edit": on_partnership(
        "edit", kwargs={"item": lambda w: w.indicator.pk}
    ),
    "partnerships:measurement_add": on_partnership("contribute"),
    # Nobody in particular recorded it: only the facilitator corrects or removes it.
    "partnerships:measurement_edit": on_partnership(
        "edit", kwargs={"item": lambda w: w.measurement.pk}
    ),
    "partnerships:measurement_delete": on_partnership(
        "edit", kwargs={"item": lambda w: w.measurement.pk}
    ),
    "partnerships:contribution_add": on_partnership("edit"),
    "partnerships:contribution_edit": on_partnership(
        "edit", kwargs={"item": lambda w: w.contribution.pk}
    ),
    # The contribution is the NGO's: its partner records it, the ministry's official does not.
    "partnerships:delivery_add": on_partnership(
        "contribute", kwargs={"item": lambda w: w.contribution.pk}, official=403
    ),
    "partnerships:activity_add": on_partnership("edit"),
    "partnerships:activity_edit": on_partnership("edit", kwargs={"item": lambda w: w.activity.pk}),
    "partnerships:meeting_add": on_partnership("edit"),
    "partnerships:meeting_edit": on_partnership("edit", kwargs={"item": lambda w: w.meeting.pk}),
    "partnerships:assessment_add": on_partnership("edit"),
    "partnerships:assessment_edit": on_partnership(
        "edit", kwargs={"item": lambda w: w.assessment.pk}
    ),
    "partnerships:lessons": logged_in(200),
    # The phase workspaces (phasework).
    "partnerships:phase_interest": on_partnership("view"),
    # An empty POST is refused with 400 to those who may make it.
    "partnerships:phase_node_add": on_partnership("edit", ok=400, method="post"),
    "partnerships:phase_node_edit": on_partnership("edit", ok=302),  # the form lives on the page
    "partnerships:phase_node_delete": on_partnership("edit", ok=302, method="post"),
    "partnerships:phase_matrix_add": on_partnership("edit", ok=400, method="post"),
    "partnerships:phase_matrix_edit": on_partnership("edit", ok=400, method="post"),
    "partnerships:phase_matrix_delete": on_partnership("edit", ok=302, method="post"),
    "partnerships:phase_design": on_partnership("view"),
    "partnerships:phase_design_checklist": on_partnership("view"),
    "partnerships:phase_design_section": on_partnership("edit", ok=302, method="post"),
    "partnerships:phase_agreement_changes": on_partnership("view"),
    "partnerships:phase_operation": on_partnership("view"),
    "partnerships:phase_conflict_new": on_partnership("edit"),
    "partnerships:phase_conflict_edit": on_partnership("edit"),
    "partnerships:phase_meeting": on_partnership("view"),
    "partnerships:phase_meeting_minutes": on_partnership("edit", ok=302, method="post"),
    # Only the people at the meeting confirm its minutes (the partner attended).
    "partnerships:phase_meeting_confirm": only_partner(302, method="post"),
    "partnerships:phase_assessment": on_partnership("view"),
    "partnerships:phase_assessment_new": on_partnership("edit"),
    "partnerships:phase_assessment_edit": on_partnership("edit"),
    "partnerships:phase_health_send": on_partnership("edit", ok=302, method="post"),
    # Only the people it was sent to answer a health check (the partner).
    "partnerships:phase_health_respond": only_partner(200),
    "partnerships:phase_closure": on_partnership("view"),
    "partnerships:phase_attachment_upload": on_partnership("contribute", ok=302, method="post"),
    "partnerships:phase_attachment_download": on_partnership("view"),
    "partnerships:phase_attachment_delete": on_partnership("edit", ok=302, method="post"),
    "partnerships:iati": on_partnership("view"),
    # Risks.
    "risks:portfolio": logged_in(200),
    "risks:list": on_partnership("view"),
    "risks:add": on_partnership("edit"),
    "risks:detail": on_partnership("view"),
    "risks:edit": on_partnership("edit"),
    "risks:review": on_partnership("edit"),
    "risks:close": on_partnership("edit", ok=200, method="post"),  # the form again, with errors
    "risks:row": on_partnership("view"),
    # Documents (reports): the verification page is public.
    "reports:list": on_partnership("view"),
    "reports:status": on_partnership("view"),
    "reports:download": on_partnership("view", kwargs={"pk": lambda w: w.document.pk}),
    "reports:verify": everyone(200),
    "health": everyone(200),
    # Reminders: each person's own notifications and preferences.
    "reminders:notifications": logged_in(200),
    "reminders:mark_read": Rule(
        default=404,
        method="post",
        roles={"anonymous": 302, "facilitator": 302},
        kwargs={"pk": lambda w: w.notification.pk},
    ),
    "reminders:mark_all_read": logged_in(302, method="post"),
    "reminders:preferences": logged_in(200),
    "reminders:calendar_regenerate": logged_in(302, method="post"),
    "reminders:calendar_revoke": logged_in(302, method="post"),
    # A private address: whoever holds the secret reads the feed, signed in or not.
    "reminders:calendar": everyone(200, kwargs={"pk": lambda w: w.calendar.pk}),
    # Exports.
    "exports:index": logged_in(200),
    "exports:iati": logged_in(200),
    "exports:dataset": logged_in(200),
    # The API: lists show what each caller may see; a partnership's records 404 for others.
    "api:*": api(200),
    "api:*-detail": api(200, hidden=NOT_VIEWERS),
    "api:organisation-detail": api(200, kwargs={"pk": lambda w: w.ministry.pk}),
    "api:capacity-detail": api(200, kwargs={"pk": lambda w: w.capacity.pk}),
    "api:contact-detail": api(200, kwargs={"pk": lambda w: w.contact.pk}),
    "api:member-detail": api(200, hidden=NOT_VIEWERS, kwargs={"pk": lambda w: w.member.pk}),
    "api:objective-detail": api(200, hidden=NOT_VIEWERS, kwargs={"pk": lambda w: w.objective.pk}),
    "api:indicator-detail": api(200, hidden=NOT_VIEWERS, kwargs={"pk": lambda w: w.indicator.pk}),
    "api:measurement-detail": api(
        200, hidden=NOT_VIEWERS, kwargs={"pk": lambda w: w.measurement.pk}
    ),
    "api:contribution-detail": api(
        200, hidden=NOT_VIEWERS, kwargs={"pk": lambda w: w.contribution.pk}
    ),
    "api:delivery-detail": api(200, hidden=NOT_VIEWERS, kwargs={"pk": lambda w: w.delivery.pk}),
    "api:activity-detail": api(200, hidden=NOT_VIEWERS, kwargs={"pk": lambda w: w.activity.pk}),
    "api:meeting-detail": api(200, hidden=NOT_VIEWERS, kwargs={"pk": lambda w: w.meeting.pk}),
    "api:assessment-detail": api(200, hidden=NOT_VIEWERS, kwargs={"pk": lambda w: w.assessment.pk}),
    "api:candidate-detail": api(200, hidden=NOT_VIEWERS, kwargs={"pk": lambda w: w.candidate.pk}),
    "api:phase-change-detail": api(
        200, hidden=NOT_VIEWERS, kwargs={"pk": lambda w: w.phase_change.pk}
    ),
    "api:gate-request-detail": api(200, hidden=NOT_VIEWERS, kwargs={"pk": lambda w: w.gate.pk}),
    # Decisions are POSTed (with the password); a GET is refused before anything is looked up.
    "api:gate-request-approve": api(405, kwargs={"pk": lambda w: w.gate.pk}),
    "api:gate-request-refuse": api(405, kwargs={"pk": lambda w: w.gate.pk}),
    "api:partnership-iati": api(200, hidden=NOT_VIEWERS),
    "api:partnership-transitions": api(200, hidden=NOT_VIEWERS),
    "api:partnership-transition": api(405),
    "api:partnership-request-assessment": api(405),
    "api:token": everyone(405),
    "api:schema": everyone(200),
    "api:docs": everyone(200),
    "api:redoc": everyone(200),
    # The admin: staff only. The audit trail can be read there, never added, changed or deleted.
    "admin:*": STAFF_ONLY,
    "admin:index": Rule(default=302, roles={"administrator": 200}),
    # Through allauth's login (its limits, its second factor); people who are not staff: 403.
    "admin:login": Rule(default=403, roles={"anonymous": 302, "administrator": 302}),
    "admin:autocomplete": Rule(default=302, roles={"administrator": 403}),  # no parameters
    "admin:logout": Rule(default=302, roles={"administrator": 405}),
    "admin:partnerships_auditentry_changelist": Rule(default=302, roles={"administrator": 200}),
    "admin:partnerships_auditentry_change": Rule(
        default=302, roles={"administrator": 200}, kwargs={"object_id": lambda w: w.audit.pk}
    ),
    "admin:partnerships_auditentry_add": Rule(default=302, roles={"administrator": 403}),
    "admin:partnerships_phasechange_add": ADMIN_READ_ONLY,
    "admin:partnerships_phasechange_delete": ADMIN_READ_ONLY,
    "admin:partnerships_gaterequest_add": ADMIN_READ_ONLY,
    "admin:partnerships_gaterequest_delete": ADMIN_READ_ONLY,
    "admin:partnerships_gateapproval_add": ADMIN_READ_ONLY,
    "admin:partnerships_gateapproval_delete": ADMIN_READ_ONLY,
    "admin:partnerships_amendment_add": ADMIN_READ_ONLY,
    "admin:partnerships_amendment_delete": ADMIN_READ_ONLY,
    "admin:reports_document_add": ADMIN_READ_ONLY,
    "admin:reminders_reminder_add": ADMIN_READ_ONLY,
    "admin:partnerships_auditentry_delete": Rule(
        default=302, roles={"administrator": 403}, kwargs={"object_id": lambda w: w.audit.pk}
    ),
}


# Values for path converters, by argument name.
FILL = {
    "pk": lambda w: w.partnership.pk,
    "gate_pk": lambda w: w.gate.pk,
    "object_id": lambda w: "1",
    "content_type_id": lambda w: "1",
    "app_label": lambda w: "partnerships",
    "url": lambda w: "no-such-page/",
    "id": lambda w: "1",
    "format": lambda w: "json",
    "name": lambda w: "start_design",
    "candidate": lambda w: w.candidate.pk,
    "node_pk": lambda w: w.node.pk,
    "row_pk": lambda w: w.row.pk,
    "section": lambda w: "objectives",
    "conflict_pk": lambda w: w.conflict.pk,
    "meeting_pk": lambda w: w.meeting.pk,
    "assessment_pk": lambda w: w.assessment.pk,
    "check_pk": lambda w: w.health_check.pk,
    "attachment_pk": lambda w: w.attachment.pk,
    "risk_pk": lambda w: w.risk.pk,
    "token": lambda w: w.calendar.token,
    "dataset": lambda w: "partnerships",
    "fmt": lambda w: "csv",
    "key": lambda w: "no-such-key",
    "uidb36": lambda w: "1",
    "token_pk": lambda w: w.token.pk,
    "invitation_pk": lambda w: w.invitation.pk,
    "person_pk": lambda w: w.users["partner"].pk,
}
