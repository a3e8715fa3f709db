"""The risks in an amendment's working copy: the owned risks (the agreed ones) are copied, and
merged back as the copy has them (``partnerships.amendments.parts``)."""

from partnerships.models.agreed import amending

from .models import Risk, Status

COPIED = ("title", "description", "category", "phase_identified", "likelihood", "impact")
# What the parties signed of a risk; its status follows its reviews in the partnership.
MERGED = ("title", "category", "likelihood", "impact", "owner_id", "mitigation")


class AmendedRisks:
    key = "risks"

    @staticmethod
    def copy(original, copy, members: dict) -> dict:
        rows = {}
        agreed = Risk.objects.filter(partnership=original, owner__isnull=False).exclude(
            status=Status.CLOSED
        )
        for risk in agreed.order_by("pk"):
            new = Risk(
                **{f: getattr(risk, f) for f in COPIED},
                partnership=copy,
                owner_id=members.get(risk.owner_id),
                mitigation=risk.mitigation,
                contingency=risk.contingency,
                status=risk.status,
                # Reviews are the partnership's own: a copy is never due for one.
                next_review_on=None,
            )
            new.save()
            rows[str(new.pk)] = risk.pk
        return rows

    @staticmethod
    def merge(copy, original, rows: dict, members: dict) -> dict:
        mapping = {int(k): v for k, v in rows.items()}
        originals = Risk.objects.in_bulk(list(mapping.values()))
        created, kept = {}, set()
        with amending():
            for risk in Risk.objects.filter(partnership=copy).order_by("pk"):
                wanted = {f: getattr(risk, f) for f in MERGED}
                wanted["owner_id"] = members.get(risk.owner_id)
                target = originals.get(mapping.get(risk.pk))
                if target is None:
                    if wanted["owner_id"] is None:
                        continue  # a risk raised without an owner is not part of the agreement
                    target = Risk(
                        **wanted,
                        status=risk.status,
                        partnership=original,
                        description=risk.description,
                        phase_identified=risk.phase_identified,
                        contingency=risk.contingency,
                    )
                    target.save()
                    created[str(risk.pk)] = target.pk
                else:
                    changed = any(getattr(target, n) != v for n, v in wanted.items())
                    for name, value in wanted.items():
                        setattr(target, name, value)
                    if risk.status == Status.CLOSED and target.status != Status.CLOSED:
                        target.status = Status.CLOSED  # closed by the amendment
                        changed = True
                    if changed:
                        target.save()
                kept.add(target.pk)
            # An agreed risk the copy no longer has is closed (its reviews stay on record).
            for pk, risk in originals.items():
                if pk not in kept and risk.status != Status.CLOSED:
                    risk.status = Status.CLOSED
                    risk.save()
        return created
