"""Every URL pattern of the project, for every role: the expected HTTP status.

A pattern without a rule in ``url_rules.RULES`` fails ``test_every_url_pattern_has_a_rule``: a new page
must say who may see it. Add a line keyed by the URL name (``namespace:name``); unnamed
patterns are keyed by ``namespace:<route>``; ``fnmatch`` wildcards (``admin:*``) are allowed
and the most specific key wins (exact name first). Path converters are filled from ``FILL``
(by argument name) unless the rule gives its own ``kwargs``.
"""

import datetime
import fnmatch
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.services import invitation_create
from accounts.tokens import api_token_create
from actors.models import Capacity, ContactPerson, Notification, Role, Sector
from partnerships import gates
from partnerships.models import (
    Activity,
    Assessment,
    Attachment,
    Attendance,
    AuditEntry,
    Conflict,
    Contribution,
    ContributionKind,
    Delivery,
    HealthCheck,
    Indicator,
    MatrixRow,
    Measurement,
    Meeting,
    MemberRole,
    Objective,
    PartnerCandidate,
    PhaseChange,
    ProblemNode,
)
from reminders.models import CalendarFeed
from reports.models import Document, DocumentKind, DocumentStatus
from risks.models import Risk
from tests.factories import (
    MemberFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
    make_designable,
)

from .url_rules import FILL, ROLES, RULES


def iter_patterns(patterns=None, namespace="", prefix=""):
    """(key, name, route, converter names) for every URL pattern, recursively."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from iter_patterns(p.url_patterns, ns, route)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            key = name or f"{namespace}:<{route}>"
            yield (
                key,
                name,
                route,
                re.findall(r"<(?:\w+:)?(\w+)>", route) + re.findall(r"\(\?P<(\w+)>", route),
            )


def rule_for(key):
    if key in RULES:
        return RULES[key]
    matches = [k for k in RULES if fnmatch.fnmatchcase(key, k)]
    return RULES[max(matches, key=len)] if matches else None


def build_url(world, key, name, route, args, rule):
    values = {}
    for arg in args:
        filler = rule.kwargs.get(arg) or FILL.get(arg)
        if filler is None:
            pytest.fail(f"{key}: no value for the path argument {arg!r}; add it to FILL")
        values[arg] = str(filler(world))
    if name:
        return reverse(name, kwargs=values)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], route)
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: values[m.group(1)], path)
    return "/" + path.replace("^", "").replace("$", "")


def make_world():
    partnership = make_designable(PartnershipFactory())
    ministry = partnership.members.get(organisation__sector=Sector.PUBLIC).organisation
    ngo = partnership.members.exclude(organisation__sector=Sector.PUBLIC).get().organisation
    funder = OrganisationFactory(sector=Sector.INTERNATIONAL)
    MemberFactory(partnership=partnership, organisation=funder, role=MemberRole.FUNDER)
    other_body = OrganisationFactory(sector=Sector.PUBLIC)
    users = {
        "facilitator": partnership.facilitator,
        "facilitator_other": PartnershipFactory().facilitator,
        "partner": UserFactory(organisation=ngo, role=Role.PARTNER),
        "official": UserFactory(organisation=ministry, role=Role.OFFICIAL),
        "official_other": UserFactory(organisation=other_body, role=Role.OFFICIAL),
        "donor": UserFactory(organisation=funder, role=Role.DONOR),
        "donor_other": UserFactory(organisation=OrganisationFactory(), role=Role.DONOR),
        "administrator": UserFactory(
            role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True, organisation=None
        ),
    }
    gate = gates.gate_request_create(
        partnership=partnership, transition="start_design", by=partnership.facilitator
    )
    audit = AuditEntry.objects.first()
    member = partnership.members.get(organisation=ngo)
    objective = Objective.objects.create(partnership=partnership, description="Fewer stunted")
    indicator = Indicator.objects.create(
        objective=objective, name="Stunting", unit="%", target=Decimal("20")
    )
    contribution = Contribution.objects.create(
        partnership=partnership,
        member=member,
        kind=ContributionKind.choices[0][0],
        description="Staff",
        planned_amount=Decimal("100"),
    )
    today = datetime.date.today()
    meeting = Meeting.objects.create(
        partnership=partnership, title="Kick-off", held_at=timezone.now()
    )
    assessment = Assessment.objects.create(partnership=partnership)
    attachment = Attachment(
        partnership=partnership, original_name="a.txt", size=5, content_type="text/plain"
    )
    attachment.file.save("a.txt", ContentFile(b"hello"), save=False)
    attachment.save()
    Attendance.objects.create(meeting=meeting, person=users["partner"])
    health_check = HealthCheck.objects.create(assessment=assessment)
    health_check.recipients.add(users["partner"])
    document = Document(
        partnership=partnership,
        kind=DocumentKind.choices[0][0],
        status=DocumentStatus.READY,
        sha256="0" * 64,
    )
    document.file.save("d.pdf", ContentFile(b"%PDF-1.4"), save=False)
    document.save()
    token, _key = api_token_create(user=users["partner"], name="export")
    invitation = invitation_create(
        by=partnership.facilitator, member=member, email="new@example.org", full_name="New"
    )
    # Someone else's feed: the roles' own requests (a new address, revoking) leave it alone.
    feed = CalendarFeed.objects.create(user=UserFactory(organisation=ngo, role=Role.PARTNER))
    return SimpleNamespace(
        partnership=partnership,
        ministry=ministry,
        gate=gate,
        users=users,
        audit=audit,
        member=member,
        objective=objective,
        indicator=indicator,
        measurement=Measurement.objects.create(
            indicator=indicator, measured_on=today, value=Decimal("30")
        ),
        contribution=contribution,
        delivery=Delivery.objects.create(
            contribution=contribution, delivered_on=today, amount=Decimal("10")
        ),
        activity=Activity.objects.create(
            partnership=partnership, title="Training", starts_on=today, ends_on=today
        ),
        meeting=meeting,
        assessment=assessment,
        health_check=health_check,
        candidate=PartnerCandidate.objects.create(
            partnership=partnership,
            organisation=OrganisationFactory(),
            complementarity=3,
            resources=3,
            leverage=3,
            partnership_experience=3,
            development_experience=3,
        ),
        phase_change=PhaseChange.objects.create(
            partnership=partnership,
            transition="start_design",
            from_phase=partnership.phase,
            to_phase=partnership.phase,
        ),
        node=ProblemNode.objects.create(
            partnership=partnership,
            kind=ProblemNode._meta.get_field("kind").choices[0][0],
            text="Stunting",
        ),
        row=MatrixRow.objects.create(partnership=partnership, cause="Poor diet"),
        conflict=Conflict.objects.create(
            partnership=partnership, title="Delay", what_happened="Late funds"
        ),
        attachment=attachment,
        document=document,
        risk=Risk.objects.create(
            partnership=partnership,
            title="Turnover",
            category=Risk._meta.get_field("category").choices[0][0],
            likelihood=2,
            impact=2,
        ),
        notification=Notification.objects.create(recipient=partnership.facilitator, title="Hello"),
        calendar=feed,
        capacity=Capacity.objects.create(organisation=ministry, area="Health", description="x"),
        contact=ContactPerson.objects.create(organisation=ministry, name="Ana"),
        token=token,
        invitation=invitation,
    )


def test_every_url_pattern_has_a_rule():
    missing = [key for key, *_rest in iter_patterns() if rule_for(key) is None]
    assert not missing, (
        "These URL patterns have no rule in tests/gates/url_rules.py RULES: " + ", ".join(missing)
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_expected(client, role):
    world = make_world()
    if role != "anonymous":
        client.force_login(world.users[role])
    wrong = []
    for key, name, route, args in iter_patterns():
        rule = rule_for(key)
        if rule is None:
            continue  # reported by test_every_url_pattern_has_a_rule
        url = build_url(world, key, name, route, args, rule)
        response = getattr(client, rule.method)(url)
        if response.status_code not in rule.expected(role):
            wrong.append(
                f"{rule.method.upper()} {url} ({key}): got {response.status_code}, "
                f"expected {sorted(rule.expected(role))}"
            )
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)
