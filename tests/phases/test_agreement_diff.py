"""The readable diff of agreed content: pure functions, no database."""

from partnerships.agreement.diff import (
    ADDED,
    CHANGED,
    REMOVED,
    describe,
    diff_agreements,
    summarise,
)

BASE = {
    "title": "Handwashing",
    "scope": "Lima and Callao",
    "end_date": "2027-12-31",
    "sdg_targets": ["6.2", "3.2"],
    "members": [
        {
            "organisation": "MINSA",
            "role": "public_entity",
            "signatory": "Ana",
            "responsibilities": "",
        },
        {
            "organisation": "Unilever",
            "role": "funder",
            "signatory": "Bo",
            "responsibilities": "Soap",
        },
    ],
    "objectives": [
        {
            "kind": "specific",
            "description": "Improve hygiene",
            "indicators": [{"name": "Households washing hands", "baseline": "10", "target": "60"}],
        }
    ],
    "contributions": [],
    "extra": {"risks": [{"title": "Staff turnover", "owner": "MINSA"}]},
}


def copy(value):
    import copy as _copy

    return _copy.deepcopy(value)


def kinds(changes):
    return sorted((c.kind, c.where) for c in changes)


def test_identical_content_has_no_changes():
    assert diff_agreements(BASE, copy(BASE)) == []


def test_a_changed_field_is_reported_with_before_and_after():
    new = copy(BASE)
    new["scope"] = "Lima, Callao and Arequipa"
    (change,) = diff_agreements(BASE, new)
    assert change.kind == CHANGED
    assert change.where == "Scope"
    assert (change.old, change.new) == ("Lima and Callao", "Lima, Callao and Arequipa")


def test_filling_an_empty_field_is_an_addition_and_emptying_it_a_removal():
    old, new = copy(BASE), copy(BASE)
    old["governance"] = ""
    new["governance"] = "Steering committee, monthly"
    assert kinds(diff_agreements(old, new)) == [(ADDED, "Governance")]
    assert kinds(diff_agreements(new, old)) == [(REMOVED, "Governance")]


def test_members_are_matched_by_organisation_not_position():
    new = copy(BASE)
    new["members"].reverse()
    assert diff_agreements(BASE, new) == []
    new["members"][0]["responsibilities"] = "Soap and posters"
    (change,) = diff_agreements(BASE, new)
    assert change.kind == CHANGED
    assert change.where == "Members › Unilever › Responsibilities"


def test_added_and_removed_members():
    new = copy(BASE)
    new["members"] = [m for m in new["members"] if m["organisation"] != "Unilever"]
    new["members"].append({"organisation": "CARE", "role": "implementer"})
    changes = diff_agreements(BASE, new)
    assert kinds(changes) == [(ADDED, "Members › CARE"), (REMOVED, "Members › Unilever")]
    removed = next(c for c in changes if c.kind == REMOVED)
    assert removed.old["organisation"] == "Unilever" and removed.new is None


def test_nested_indicator_changes_name_their_objective():
    new = copy(BASE)
    new["objectives"][0]["indicators"][0]["target"] = "70"
    new["objectives"][0]["indicators"].append({"name": "Schools with soap", "target": "40"})
    assert kinds(diff_agreements(BASE, new)) == [
        (ADDED, "Objectives › Improve hygiene › Indicators › Schools with soap"),
        (CHANGED, "Objectives › Improve hygiene › Indicators › Households washing hands › Target"),
    ]


def test_rewording_an_objective_shows_as_removed_and_added():
    new = copy(BASE)
    new["objectives"][0]["description"] = "Improve hygiene in schools"
    assert summarise(diff_agreements(BASE, new)) == {ADDED: 1, REMOVED: 1, CHANGED: 0}


def test_lists_of_codes_report_each_added_and_removed_code():
    new = copy(BASE)
    new["sdg_targets"] = ["6.2", "6.1"]
    assert sorted((c.kind, c.old, c.new) for c in diff_agreements(BASE, new)) == [
        (ADDED, None, "6.1"),
        (REMOVED, "3.2", None),
    ]


def test_sections_added_by_other_apps_are_compared_too():
    new = copy(BASE)
    new["extra"]["risks"][0]["owner"] = "Unilever"
    (change,) = diff_agreements(BASE, new)
    assert change.where == "Risks › Staff turnover › Owner"


def test_duplicate_keys_are_not_lost():
    old = {
        "contributions": [{"member": "A", "kind": "k", "description": "d", "planned_amount": "1"}]
    }
    new = {"contributions": old["contributions"] * 2}
    assert [c.kind for c in diff_agreements(old, new)] == [ADDED]


def test_comparing_with_nothing_lists_everything_as_added():
    changes = diff_agreements(None, {"scope": "x", "members": [{"organisation": "A"}]})
    assert kinds(changes) == [(ADDED, "Members › A"), (ADDED, "Scope")]


def test_describe_renders_a_record_on_one_line():
    text = describe({"organisation": "CARE", "role": "implementer", "indicators": [1, 2]})
    assert text == "Organisation: CARE; Role: implementer; Indicators: 2"
