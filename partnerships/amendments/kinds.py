"""The one table of amendments: for each kind of change, who signs it and what it may change.

The app's amendment pages and the README show this table; the sign-off asks exactly these
people (``signers``) and the submission refuses a working copy that changes more than its kind
covers (``out_of_scope``), so a "correction" cannot carry a new budget past the members who
would have to sign it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..choices import AmendmentKind, ApprovalCapacity
from ..models import Partnership

# The sign-off of an amendment is a gate request of its working copy, for this "transition".
AMEND = "amend"
AMEND_LABEL = _("Sign the amendment")

# Who signs, in words and as rules.
FACILITATOR = "facilitator"  # the partnership's facilitator
SIGNATORIES = "signatories"  # the authorised signatory of every member of the amended agreement
LEAVING = "leaving"  # the authorised signatory of each member that leaves
RISK_OWNERS = "risk_owners"  # the signatories of the members owning a risk that changes
OFFICIAL = "official"  # a public official of a public-sector member (every sign-off has one)

SIGNER_LABELS = {
    FACILITATOR: _("the facilitator"),
    SIGNATORIES: _("every member's authorised signatory"),
    LEAVING: _("the signatory of a member that leaves (its own exit)"),
    RISK_OWNERS: _("the signatories of the members owning the risks changed"),
    OFFICIAL: _("a public official"),
}

# The partnership's own agreed fields, by who must sign a change of them: about time; what a
# correction of an error may fix (descriptions, not commitments); the terms every party keeps
# (their change is signed by every member's signatory). The general objective is a result.
TIMING_FIELDS = ("start_date", "end_date", "assessment_every_months", "assessment_dates")
TEXT_FIELDS = (
    "title",
    "problem",
    "common_interest",
    "scope",
    "territory",
    "dac_sector",
    "sdg_targets",
    "communication_lead",
    "tracking_tools",
)
TERMS_FIELDS = (
    "country",
    "modality",
    "formalisation_level",
    "governance",
    "confidentiality",
    "non_compliance",
    "assessment_criteria",
)
ANY = None  # a section that may change in every way


@dataclass(frozen=True)
class Kind:
    value: str
    signers: tuple[str, ...]
    # The sections of the agreed content it may change: {section: ANY or the fields of its
    # items that may change}; "extra.risks" is the risks section other apps add.
    changes: dict

    @property
    def label(self):
        return AmendmentKind(self.value).label

    def signer_labels(self) -> list:
        return [SIGNER_LABELS[s] for s in self.signers]

    def section_labels(self) -> list[str]:
        from ..agreement.diff import label

        return sorted({label(s.split(".")[-1]) for s in self.changes})


KINDS = {
    k.value: k
    for k in (
        Kind(AmendmentKind.CORRECTION, (FACILITATOR, OFFICIAL), dict.fromkeys(TEXT_FIELDS, ANY)),
        Kind(
            AmendmentKind.TIMING,
            (FACILITATOR, OFFICIAL),
            {
                **dict.fromkeys(TIMING_FIELDS, ANY),
                # a no-cost extension moves the contributions' periods, not their amounts
                "contributions": ("period_start", "period_end"),
            },
        ),
        Kind(AmendmentKind.CONTRIBUTIONS, (SIGNATORIES, OFFICIAL), {"contributions": ANY}),
        Kind(
            AmendmentKind.RESULTS,
            (SIGNATORIES, OFFICIAL),
            {"objectives": ANY, "general_objective": ANY},
        ),
        Kind(
            AmendmentKind.MEMBERSHIP,
            (SIGNATORIES, LEAVING, OFFICIAL),
            # a member joins with its contributions and leaves with them; its risks pass on
            {"members": ANY, "contributions": ANY, "extra.risks": ("owner",)},
        ),
        Kind(AmendmentKind.RISKS, (FACILITATOR, RISK_OWNERS, OFFICIAL), {"extra.risks": ANY}),
        Kind(AmendmentKind.TERMS, (SIGNATORIES, OFFICIAL), dict.fromkeys(TERMS_FIELDS, ANY)),
    )
}


def kind(value: str) -> Kind:
    return KINDS[value]


def _sections(content: dict) -> dict:
    """The agreed content flattened one level: the risks other apps add sit beside the rest."""
    flat = {k: v for k, v in content.items() if k != "extra"}
    for key, value in (content.get("extra") or {}).items():
        flat[f"extra.{key}"] = value
    return flat


def _without(items, fields) -> list:
    return [
        {k: v for k, v in item.items() if k not in fields} if isinstance(item, dict) else item
        for item in items or []
    ]


def changed_sections(before: dict, after: dict) -> list[str]:
    old, new = _sections(before), _sections(after)
    return [k for k in sorted(set(old) | set(new)) if old.get(k) != new.get(k)]


def out_of_scope(value: str, before: dict, after: dict) -> list[str]:
    """The sections the working copy changes that an amendment of this kind may not change
    (their labels; empty: it stays within its kind)."""
    from ..agreement.diff import label

    allowed = kind(value).changes
    old, new = _sections(before), _sections(after)
    outside = []
    for section in changed_sections(before, after):
        if section not in allowed:
            outside.append(section)
            continue
        fields = allowed[section]
        if fields is ANY:
            continue
        a, b = old.get(section) or [], new.get(section) or []
        # Only these fields of its items may move: the items are the same ones otherwise.
        if len(a) != len(b) or _without(a, {*fields, "score"}) != _without(b, {*fields, "score"}):
            outside.append(section)
    return [str(label(s.split(".")[-1])) for s in outside]


def scope_refusal(value: str, before: dict, after: dict) -> list[str]:
    """Why an amendment of this kind cannot carry these changes, in words (empty: it can)."""
    outside = out_of_scope(value, before, after)
    if not outside:
        return []
    return [
        gettext(
            "An amendment of the kind “%(kind)s” cannot change: %(sections)s. Undo those "
            "changes, or open an amendment of the kind that covers them (its signers differ)."
        )
        % {"kind": kind(value).label, "sections": ", ".join(outside)}
    ]


def signer_rows(value: str, *, copy: Partnership, original: Partnership):
    """Who must sign an amendment of this kind to ``original`` drafted in ``copy``, as
    ``(user, capacity, member or None)``; the member is one of the working copy's (the
    leaving ones: of ``original``). Officials are added by the sign-off itself."""
    rows = []
    signers = kind(value).signers
    members = list(
        copy.members.filter(left_on__isnull=True).select_related("signatory", "organisation")
    )
    if FACILITATOR in signers and original.facilitator_id:
        rows.append((original.facilitator, ApprovalCapacity.FACILITATOR, None))
    if SIGNATORIES in signers:
        rows += [(m.signatory, ApprovalCapacity.SIGNATORY, m) for m in members]
    if LEAVING in signers:
        staying = {m.organisation_id for m in members}
        rows += [
            (m.signatory, ApprovalCapacity.SIGNATORY, m)
            for m in original.members.filter(left_on__isnull=True).select_related("signatory")
            if m.organisation_id not in staying
        ]
    if RISK_OWNERS in signers:
        # Only this rule reads the contents (several queries each): computed when asked.
        owners = _risk_owners(original.agreed_content(), copy.agreed_content())
        rows += [
            (m.signatory, ApprovalCapacity.SIGNATORY, m)
            for m in members
            if m.organisation.name in owners
        ]
    return rows


def _risk_owners(before: dict, after: dict) -> set[str]:
    """The organisations owning a risk that is added, removed or changed."""
    old = {str(r): r for r in (before.get("extra") or {}).get("risks", [])}
    new = {str(r): r for r in (after.get("extra") or {}).get("risks", [])}
    changed = [r for k, r in old.items() if k not in new] + [
        r for k, r in new.items() if k not in old
    ]
    return {r.get("owner") for r in changed if r.get("owner")}


def markdown_table() -> str:
    """The table as the README shows it (a test keeps the README equal to it)."""
    rows = [
        "| Kind of change | It may change | Who signs |",
        "| --- | --- | --- |",
    ]
    for k in KINDS.values():
        signers = ", ".join(str(s) for s in k.signer_labels())
        rows.append(
            f"| {k.label} | {', '.join(k.section_labels())} | {signers[:1].upper()}{signers[1:]} |"
        )
    return "\n".join(rows)
