"""Every URL pattern of the project, for every role: the expected HTTP status.

A pattern without a rule in ``RULES`` fails ``test_every_url_pattern_has_a_rule``: a new page
must say who may see it. Add a line keyed by the URL name (``namespace:name``); unnamed
patterns are keyed by ``namespace:<route>``; ``fnmatch`` wildcards (``admin:*``) are allowed
and the most specific key wins (exact name first). Path converters are filled from ``FILL``
(by argument name) unless the rule gives its own ``kwargs``.
"""

import fnmatch
import re
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from actors.models import Role, Sector
from partnerships import gates
from partnerships.models import AuditEntry, MemberRole
from tests.factories import (
    MemberFactory,
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
    make_designable,
)

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
    """POST a decision: only the assigned official may (sent first to confirm the password)."""
    return Rule(
        default=404,
        method="post",
        roles={
            "anonymous": 302,
            "official": 302,
            "facilitator": 403,
            "administrator": 403,
            "partner": 403,
            "donor": 403,
        },
        **kw,
    )


# 403 for records the admin keeps read-only (history, sign-offs, documents).
STAFF_ONLY = Rule(default=302, roles={"administrator": {200, 302, 403, 404, 405}})

RULES = {
    "home": logged_in(200),  # the dashboard
    "dashboard": logged_in(200),
    "login": everyone(200),
    "logout": everyone(405),
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
    "partnerships:request_assessment": Rule(
        default=404,
        method="post",
        roles={
            "anonymous": 302,
            "facilitator": 302,
            "administrator": 302,
            "partner": 403,
            "official": 403,
            "donor": 403,
        },
    ),
    "partnerships:my_signoffs": logged_in(200),
    "partnerships:reauth": logged_in(200),
    # The admin: staff only. The audit trail can be read there, never added, changed or deleted.
    "admin:*": STAFF_ONLY,
    "admin:index": Rule(default=302, roles={"administrator": 200}),
    "admin:login": Rule(default=200, roles={"administrator": 302}),
    "admin:autocomplete": Rule(default=302, roles={"administrator": 403}),  # no parameters
    "admin:logout": Rule(default=302, roles={"administrator": 405}),
    "admin:partnerships_auditentry_changelist": Rule(default=302, roles={"administrator": 200}),
    "admin:partnerships_auditentry_change": Rule(
        default=302, roles={"administrator": 200}, kwargs={"object_id": lambda w: w.audit.pk}
    ),
    "admin:partnerships_auditentry_add": Rule(default=302, roles={"administrator": 403}),
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
    "id": lambda w: str(w.users["administrator"].pk),
}


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
    return SimpleNamespace(
        partnership=partnership,
        ministry=ministry,
        gate=gate,
        users=users,
        audit=AuditEntry.objects.first(),
    )


def test_every_url_pattern_has_a_rule():
    missing = [key for key, *_rest in iter_patterns() if rule_for(key) is None]
    assert not missing, (
        "These URL patterns have no rule in tests/gates/test_role_urls.py RULES: "
        + ", ".join(missing)
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
