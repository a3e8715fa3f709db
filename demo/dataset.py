"""The demo data (``demo/data/*.yaml``), read and checked before anything is written.

``organisations.yaml`` (keyed by slug), ``people.yaml`` (keyed by login), ``risks.yaml`` (the
risks every demo partnership shares, keyed by name) and one file per partnership under
``partnerships/``, loaded in file-name order. Records refer to each other by those keys: a member
by its organisation's slug, a signatory or an attendee by a person's key, an activity's indicator
by the indicator's key within the partnership, a shared risk by its key in ``risks.yaml``.

``read()`` returns the checked data, or raises ``DemoDataError`` naming the file and the key of
the first problem: an unknown key or field, a missing field, a value the model does not accept,
a reference to nothing.
"""

from dataclasses import dataclass
from pathlib import Path

from actors.models import Capacity, Organisation, User
from partnerships.models import (
    Activity,
    AmendmentKind,
    Assessment,
    Attribute,
    ClosureNote,
    ClosureOutcome,
    Conflict,
    Contribution,
    Delivery,
    HealthCheckResponse,
    Indicator,
    MatrixRow,
    Measurement,
    Meeting,
    Member,
    Objective,
    PartnerCandidate,
    Partnership,
)
from risks.models import Risk, RiskReview

from .checks import (
    At,
    expect_date,
    expect_int,
    expect_key,
    expect_keys,
    expect_list,
    expect_mapping,
    expect_text,
    load_yaml,
    model_fields,
    pick,
)

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_DOMAIN = "demo.alianza.org"
DEMO_PASSWORD = "alianza-demo"

# The steps of a history: a transition (the lifecycle's names), "assess" (an assessment), or
# "amend" (an amendment of the signed agreement: its kind, reason and new targets or end date,
# signed by everyone its kind names).
STEPS = (
    "start_design",
    "start_operation",
    "start_assessment",
    "continue_operation",
    "renegotiate",
    "close",
    "suspend",
    "resume",
    "withdraw",
    "assess",
    "amend",
)
# Set by the lifecycle, not by a partnership file's `fields` (the title has its own key).
LIFECYCLE_FIELDS = (
    "title",
    "reference",
    "phase",
    "operation_started_on",
    "assessment_requested_at",
    "closure_outcome",
    "handover_note",
    "closed_on",
    "search_key",
)
SECTIONS = (
    "title",
    "facilitator",
    "fields",
    "members",
    "candidates",
    "problem_tree",
    "matrix",
    "objectives",
    "contributions",
    "activities",
    "meetings",
    "conflicts",
    "risks",
    "history",
)
RISK_FIELDS = ("title", "category", "description", "mitigation", "contingency")


def email_for(key: str) -> str:
    """The demo login of the person ``key`` in ``people.yaml``."""
    return f"{key}@{DEMO_DOMAIN}"


@dataclass
class PartnershipData:
    key: str
    file: str
    data: dict


@dataclass
class Dataset:
    organisations: dict
    people: dict
    logins: list
    risks: dict
    partnerships: list


# ----- organisations, people, shared risks ----------------------------------------------------


def _organisations(raw, at: At) -> dict:
    organisations = {}
    for slug, values in expect_mapping(raw, at).items():
        where = at / slug
        values = dict(expect_mapping(values, where, required=("name", "sector")))
        capacities = []
        for i, item in enumerate(
            expect_list(values.pop("capacities", None) or [], where / "capacities")
        ):
            spot = where / "capacities" / i
            if not isinstance(item, dict) or len(item) != 1:
                raise spot.error("expected one `area: description` pair")
            ((area, description),) = item.items()
            capacities.append(
                model_fields({"area": area, "description": description}, spot, Capacity)
            )
        organisations[slug] = {
            **model_fields(values, where, Organisation),
            "capacities": capacities,
        }
    return organisations


def _people(raw, at: At, organisations: dict) -> tuple[dict, list]:
    raw = expect_mapping(raw, at, allowed=("logins", "people"), required=("people",))
    people = {}
    for key, values in expect_mapping(raw["people"], at / "people").items():
        where = at / "people" / key
        values = dict(expect_mapping(values, where, required=("name", "role")))
        organisation = values.pop("organisation", None)
        if organisation is not None:
            expect_key(organisation, where / "organisation", organisations, "organisation")
        values["full_name"] = values.pop("name")
        people[key] = {**model_fields(values, where, User), "organisation": organisation}
    logins = expect_keys(raw.get("logins") or [], at / "logins", people, "person")
    return people, logins


def _risk(values, at: At, *, members=None) -> dict:
    """A risk: its content, its owner (a member key, in a partnership file only), the days to its
    next review and its reviews (oldest first; the first identified it)."""
    allowed = (*RISK_FIELDS, "owner", "next_review_in_days", "reviews")
    values = expect_mapping(values, at, allowed=allowed, required=("title", "category", "reviews"))
    risk = model_fields(pick(values, RISK_FIELDS), at, Risk)
    risk["owner"] = None
    if values.get("owner") is not None:
        if members is None:
            raise (at / "owner").error("a shared risk's owner is set in each partnership's file")
        risk["owner"] = expect_key(values["owner"], at / "owner", members, "member")
    days = values.get("next_review_in_days")
    risk["next_review_in_days"] = (
        None if days is None else expect_int(days, at / "next_review_in_days")
    )
    reviews = []
    for i, review in enumerate(expect_list(values["reviews"], at / "reviews")):
        where = at / "reviews" / i
        allowed = ("days_ago", "likelihood", "impact", "note")
        review = expect_mapping(review, where, allowed=allowed, required=allowed[:3])
        days_ago = expect_int(review["days_ago"], where / "days_ago")
        if days_ago < 0:
            raise (where / "days_ago").error("a review cannot be in the future")
        rating = model_fields(pick(review, ("likelihood", "impact", "note")), where, RiskReview)
        reviews.append({"days_ago": days_ago, "note": "", **rating})
    if not reviews:
        raise (at / "reviews").error("a risk needs at least the review that identified it")
    if any(a["days_ago"] < b["days_ago"] for a, b in zip(reviews, reviews[1:], strict=False)):
        raise (at / "reviews").error("list the reviews from the oldest to the newest")
    risk["reviews"] = reviews
    return risk


# ----- a partnership ----------------------------------------------------------------------------


def _members(raw, at: At, ds: Dataset) -> dict:
    members = {}
    for slug, values in expect_mapping(raw, at).items():
        where = at / slug
        expect_key(slug, where, ds.organisations, "organisation")
        values = dict(expect_mapping(values, where, required=("role", "signatory")))
        signatory = expect_key(values.pop("signatory"), where / "signatory", ds.people, "person")
        if ds.people[signatory]["organisation"] != slug:
            raise (where / "signatory").error(f"{signatory!r} does not belong to {slug!r}")
        members[slug] = {**model_fields(values, where, Member), "signatory": signatory}
    return members


def _problem_tree(raw, at: At) -> dict:
    raw = expect_mapping(raw, at, allowed=("problem", "causes", "effects"), required=("problem",))
    causes = []
    for i, cause in enumerate(expect_list(raw.get("causes") or [], at / "causes")):
        where = at / "causes" / i
        if isinstance(cause, dict) and len(cause) == 1:
            ((text, deeper),) = cause.items()
            causes.append(
                (
                    expect_text(text, where),
                    [expect_text(t, where / j) for j, t in enumerate(deeper)],
                )
            )
        else:
            causes.append((expect_text(cause, where), []))
    effects = [expect_text(e, at / "effects" / i) for i, e in enumerate(raw.get("effects") or [])]
    return {
        "problem": expect_text(raw["problem"], at / "problem"),
        "causes": causes,
        "effects": effects,
    }


def _dated(values, at: At, model, date_key: str, value_key: str, *others) -> dict:
    """A dated amount (a measurement, a delivery): its date, its value and any other fields."""
    allowed = (date_key, value_key, *others)
    values = expect_mapping(values, at, allowed=allowed, required=allowed[:2])
    checked = model_fields(pick(values, (value_key, *others)), at, model)
    return {**checked, date_key: expect_date(values[date_key], at / date_key)}


def _objectives(raw, at: At) -> tuple[dict, dict]:
    """The objectives, keyed, each with its indicators; and every indicator by its key (unique
    within the partnership, so that an activity can name one)."""
    objectives, indicators = {}, {}
    for key, values in expect_mapping(raw, at).items():
        where = at / key
        allowed = ("kind", "description", "indicators")
        values = expect_mapping(values, where, allowed=allowed, required=allowed)
        objective = model_fields(pick(values, allowed[:2]), where, Objective)
        objective["indicators"] = {}
        for ikey, ivalues in expect_mapping(values["indicators"], where / "indicators").items():
            spot = where / "indicators" / ikey
            if ikey in indicators:
                raise spot.error("another indicator of this partnership has this key")
            ivalues = dict(expect_mapping(ivalues, spot, required=("name", "baseline", "target")))
            measurements = expect_list(
                ivalues.pop("measurements", None) or [], spot / "measurements"
            )
            indicator = model_fields(ivalues, spot, Indicator)
            indicator["measurements"] = [
                _dated(m, spot / "measurements" / i, Measurement, "date", "value", "note")
                for i, m in enumerate(measurements)
            ]
            objective["indicators"][ikey] = indicators[ikey] = indicator
        objectives[key] = objective
    return objectives, indicators


def _contributions(raw, at: At, members: dict) -> list:
    allowed = ("member", "kind", "description", "planned_amount", "period_start", "period_end")
    contributions = []
    for i, values in enumerate(expect_list(raw, at)):
        where = at / i
        values = expect_mapping(
            values, where, allowed=(*allowed, "deliveries"), required=allowed[:4]
        )
        member = expect_key(values["member"], where / "member", members, "member")
        contribution = model_fields(pick(values, allowed[1:]), where, Contribution)
        deliveries = [
            _dated(d, where / "deliveries" / j, Delivery, "date", "amount", "note")
            for j, d in enumerate(expect_list(values.get("deliveries") or [], where / "deliveries"))
        ]
        contributions.append({**contribution, "member": member, "deliveries": deliveries})
    return contributions


def _activities(raw, at: At, indicators: dict, people: dict) -> list:
    fields = ("title", "description", "starts_on", "ends_on", "status")
    activities = []
    for i, values in enumerate(expect_list(raw, at)):
        where = at / i
        values = expect_mapping(
            values, where, allowed=(*fields, "indicator", "responsible"), required=("title",)
        )
        activity = model_fields(pick(values, fields), where, Activity)
        activity["indicator"] = None
        if values.get("indicator") is not None:
            activity["indicator"] = expect_key(
                values["indicator"], where / "indicator", indicators, "indicator"
            )
        activity["responsible"] = None
        if values.get("responsible") is not None:
            activity["responsible"] = expect_key(
                values["responsible"], where / "responsible", people, "person"
            )
        activities.append(activity)
    return activities


def _meetings(raw, at: At, people: dict) -> list:
    fields = ("title", "place", "agenda", "minutes")
    meetings = []
    for i, values in enumerate(expect_list(raw, at)):
        where = at / i
        allowed = (*fields, "date", "attendees", "minutes_confirmed_on")
        values = expect_mapping(values, where, allowed=allowed, required=("title", "date"))
        meeting = model_fields(pick(values, fields), where, Meeting)
        meeting["date"] = expect_date(values["date"], where / "date")
        meeting["attendees"] = expect_keys(
            values.get("attendees") or [], where / "attendees", people, "person"
        )
        confirmed = values.get("minutes_confirmed_on")
        meeting["minutes_confirmed_on"] = None
        if confirmed is not None:
            meeting["minutes_confirmed_on"] = expect_date(confirmed, where / "minutes_confirmed_on")
            if not meeting.get("minutes"):
                raise (where / "minutes").error("minutes are confirmed but there are none")
        meetings.append(meeting)
    return meetings


def _conflicts(raw, at: At, members: dict) -> list:
    fields = ("title", "what_happened", "handling", "status", "raised_on", "resolved_on")
    conflicts = []
    for i, values in enumerate(expect_list(raw, at)):
        where = at / i
        values = expect_mapping(
            values,
            where,
            allowed=(*fields, "parties"),
            required=("title", "what_happened", "raised_on"),
        )
        conflict = model_fields(pick(values, fields), where, Conflict)
        conflict["parties"] = expect_keys(
            values.get("parties") or [], where / "parties", members, "member"
        )
        conflicts.append(conflict)
    return conflicts


def _risks(raw, at: At, shared: dict, members: dict) -> dict:
    risks = {}
    for key, values in expect_mapping(raw, at).items():
        where = at / key
        if key in shared:
            values = expect_mapping(values or {}, where, allowed=("owner",))
            owner = values.get("owner")
            owner = None if owner is None else expect_key(owner, where / "owner", members, "member")
            risks[key] = {**shared[key], "owner": owner}
        else:
            if not isinstance(values, dict) or "title" not in values:
                raise where.error(
                    "not a shared risk of risks.yaml: give its title, category and reviews"
                )
            risks[key] = _risk(values, where, members=members)
    return risks


def _step(raw, at: At, ds: Dataset, members: dict, indicators: dict) -> dict:
    raw = expect_mapping(raw, at, required=("step", "date"))
    name = raw["step"]
    if name not in STEPS:
        raise (at / "step").error(f"{name!r} is not one of: {', '.join(STEPS)}")
    allowed = {
        "assess": ("assessment", "health_check"),
        "close": ("outcome", "transferred_to", "handover_note", "closure_note"),
        "amend": ("kind", "reason", "targets", "end_date"),
    }.get(name, ())
    expect_mapping(raw, at, allowed=("step", "date", "comment", *allowed))
    step = {
        "step": name,
        "date": expect_date(raw["date"], at / "date"),
        "comment": raw.get("comment") or "",
    }
    expect_text(step["comment"], at / "comment")
    if name in ("suspend", "withdraw") and not step["comment"]:
        raise (at / "comment").error(
            f"say why the partnership is {'suspended' if name == 'suspend' else 'withdrawn'}"
        )
    if name == "assess":
        assessment = expect_mapping(
            raw.get("assessment"), at / "assessment", required=("period_start", "period_end")
        )
        step["assessment"] = model_fields(assessment, at / "assessment", Assessment)
        answers = {}
        for person, values in expect_mapping(
            raw.get("health_check") or {}, at / "health_check"
        ).items():
            where = at / "health_check" / person
            expect_key(person, where, ds.people, "person")
            values = expect_mapping(
                values, where, allowed=(*Attribute.values, "comments"), required=Attribute.values
            )
            answers[person] = model_fields(values, where, HealthCheckResponse)
        step["health_check"] = answers
    if name == "amend":
        kind = raw.get("kind")
        if kind not in AmendmentKind.values:
            raise (at / "kind").error(f"expected one of: {', '.join(AmendmentKind.values)}")
        step["kind"] = kind
        step["reason"] = expect_text(raw.get("reason") or "", at / "reason")
        if not step["reason"]:
            raise (at / "reason").error("say why the agreement changes")
        step["targets"] = {}
        for key, value in expect_mapping(raw.get("targets") or {}, at / "targets").items():
            expect_key(key, at / "targets" / key, indicators, "indicator")
            step["targets"][indicators[key]["name"]] = model_fields(
                {"target": value}, at / "targets" / key, Indicator
            )["target"]
        step["end_date"] = (
            expect_date(raw["end_date"], at / "end_date") if raw.get("end_date") else None
        )
    if name == "close":
        outcome = raw.get("outcome")
        if outcome not in ClosureOutcome.values:
            raise (at / "outcome").error(f"expected one of: {', '.join(ClosureOutcome.values)}")
        step["outcome"] = outcome
        step["transferred_to"] = None
        if raw.get("transferred_to") is not None:
            step["transferred_to"] = expect_key(
                raw["transferred_to"], at / "transferred_to", ds.organisations, "organisation"
            )
        elif outcome == ClosureOutcome.TRANSFERRED:
            raise (at / "transferred_to").error("say to which organisation it is transferred")
        step["handover_note"] = expect_text(raw.get("handover_note") or "", at / "handover_note")
        step["closure_note"] = None
        if raw.get("closure_note") is not None:
            note = expect_mapping(
                raw["closure_note"], at / "closure_note", required=("final_summary",)
            )
            step["closure_note"] = model_fields(note, at / "closure_note", ClosureNote)
    return step


def _partnership(raw, at: At, ds: Dataset) -> dict:
    raw = expect_mapping(raw, at, allowed=SECTIONS, required=("title", "facilitator", "fields"))
    fields = expect_mapping(raw["fields"], at / "fields")
    for name in fields:
        if name in LIFECYCLE_FIELDS:
            raise (at / "fields" / name).error("set by the lifecycle, not by the data")
    data = {
        "title": model_fields({"title": raw["title"]}, at, Partnership)["title"],
        "facilitator": expect_key(raw["facilitator"], at / "facilitator", ds.people, "person"),
        "fields": model_fields(fields, at / "fields", Partnership),
    }
    data["members"] = members = _members(raw.get("members") or {}, at / "members", ds)
    data["candidates"] = {}
    for slug, values in expect_mapping(raw.get("candidates") or {}, at / "candidates").items():
        where = at / "candidates" / slug
        expect_key(slug, where, ds.organisations, "organisation")
        data["candidates"][slug] = model_fields(
            values, where, PartnerCandidate, required=PartnerCandidate.CRITERIA
        )
    data["problem_tree"] = None
    if raw.get("problem_tree") is not None:
        data["problem_tree"] = _problem_tree(raw["problem_tree"], at / "problem_tree")
    data["matrix"] = []
    for i, values in enumerate(expect_list(raw.get("matrix") or [], at / "matrix")):
        where = at / "matrix" / i
        values = expect_mapping(
            values, where, allowed=("cause", "opportunity", "capacity", "actor")
        )
        row = model_fields(pick(values, ("cause", "opportunity", "capacity")), where, MatrixRow)
        row["actor"] = None
        if values.get("actor") is not None:
            row["actor"] = expect_key(
                values["actor"], where / "actor", ds.organisations, "organisation"
            )
        data["matrix"].append(row)
    data["objectives"], indicators = _objectives(raw.get("objectives") or {}, at / "objectives")
    data["contributions"] = _contributions(
        raw.get("contributions") or [], at / "contributions", members
    )
    data["activities"] = _activities(
        raw.get("activities") or [], at / "activities", indicators, ds.people
    )
    data["meetings"] = _meetings(raw.get("meetings") or [], at / "meetings", ds.people)
    data["conflicts"] = _conflicts(raw.get("conflicts") or [], at / "conflicts", members)
    data["risks"] = _risks(raw.get("risks") or {}, at / "risks", ds.risks, members)
    data["history"] = [
        _step(s, at / "history" / i, ds, members, indicators)
        for i, s in enumerate(expect_list(raw.get("history") or [], at / "history"))
    ]
    for i, (a, b) in enumerate(zip(data["history"], data["history"][1:], strict=False)):
        if b["date"] < a["date"]:
            raise (at / "history" / (i + 1) / "date").error(
                "the history goes forward: this step is dated before the one above"
            )
    return data


def read(root: Path | None = None) -> Dataset:
    """Read and check every demo data file under ``root`` (default: ``DATA_DIR``)."""
    root = root or DATA_DIR
    name, raw = load_yaml(root / "organisations.yaml", root)
    organisations = _organisations(raw, At(name))
    name, raw = load_yaml(root / "people.yaml", root)
    people, logins = _people(raw, At(name), organisations)
    name, raw = load_yaml(root / "risks.yaml", root)
    shared = {
        key: _risk(values, At(name) / key) for key, values in expect_mapping(raw, At(name)).items()
    }
    ds = Dataset(
        organisations=organisations, people=people, logins=logins, risks=shared, partnerships=[]
    )
    titles = {}
    for path in sorted((root / "partnerships").glob("*.yaml")):
        name, raw = load_yaml(path, root)
        data = _partnership(raw, At(name), ds)
        if data["title"] in titles:
            raise At(name, "title").error(f"{titles[data['title']]} has the same title")
        titles[data["title"]] = name
        key = path.stem.split("-", 1)[-1] if path.stem[:2].isdigit() else path.stem
        ds.partnerships.append(PartnershipData(key=key, file=name, data=data))
    return ds
