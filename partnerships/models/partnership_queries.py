"""Which partnerships: who may see them (the one visibility rule), search, phases, countries in
use, contribution totals. Partnership.objects is this QuerySet."""

from django.db import models
from django.db.models import OuterRef, Sum

from actors.models import (
    Role,
    SearchKeyedQuerySet,
)
from actors.text import normalise

from ..choices import (
    MemberRole,
)


class PartnershipQuerySet(SearchKeyedQuerySet):
    def in_phase(self, *phases):
        return self.filter(phase__in=phases)

    def visible_to(self, user):
        """Partnerships a user may see; the single rule every page and endpoint uses (the
        roles are described in ``partnerships.permissions``)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_administrator:
            return self
        return self.filter(pk__in=self.visible_ids(user))

    def visible_ids(self, user):
        """The ids a non-administrator may see, as one UNION ALL of index scans (facilitated
        partnerships, memberships of their organisation, gates assigned to them): the database
        reads only the user's own rows, however many partnerships exist, and joins the rest.
        The related models are reached through their relations, so this module imports none
        of them."""
        member = self.model.members.rel.related_model
        approval = self.model.gate_requests.rel.related_model.approvals.rel.related_model
        # Amendments' working copies are left out: whoever sees a partnership sees its copies
        # (WorkingCopyQuerySet), and rows filtered by these ids are never a copy's.
        original = {"partnership__is_working_copy": False}
        parts = []
        if user.role == Role.DONOR:
            if user.organisation_id:
                parts.append(
                    member.objects.filter(
                        organisation_id=user.organisation_id, role=MemberRole.FUNDER, **original
                    )
                    .order_by()
                    .values("partnership_id")
                )
        else:
            parts.append(
                self.model._base_manager.filter(facilitator=user, is_working_copy=False)
                .order_by()
                .values("pk")
            )
            if user.organisation_id:
                parts.append(
                    member.objects.filter(organisation_id=user.organisation_id, **original)
                    .order_by()
                    .values("partnership_id")
                )
        # Anyone assigned to sign off a gate sees that partnership (officials of other bodies);
        # assigned to an amendment's, the partnership it amends.
        parts.append(
            approval.objects.filter(approver=user, request__partnership__is_working_copy=False)
            .order_by()
            .values("request__partnership_id")
        )
        parts.append(
            approval.objects.filter(approver=user, request__partnership__is_working_copy=True)
            .order_by()
            .values("request__partnership__amendment_of_copy__partnership_id")
        )
        return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]

    def countries_in_use(self) -> list[str]:
        """Distinct countries of all partnerships, read as a loose index scan of the
        (country, phase) index: one probe per country, not one row per partnership."""
        from django.db import connection

        if connection.vendor != "postgresql":
            return list(self.order_by().values_list("country", flat=True).distinct())
        table = connection.ops.quote_name(self.model._meta.db_table)
        sql = f"""
            WITH RECURSIVE c(country) AS (
                (SELECT country FROM {table} ORDER BY country LIMIT 1)
                UNION ALL
                SELECT (SELECT country FROM {table} WHERE country > c.country
                        ORDER BY country LIMIT 1)
                FROM c WHERE c.country IS NOT NULL
            ) SELECT country FROM c WHERE country IS NOT NULL"""  # noqa: S608 (table from _meta)
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return [row[0] for row in cursor.fetchall()]

    def search(self, text: str):
        """Partnerships whose title, reference or territory contains ``text``, up to case,
        accents and extra spaces ("ancash" finds "Áncash"; see ``actors.text.normalise``)."""
        key = normalise(text)
        if not key:
            return self
        return self.filter(search_key__contains=key)

    def with_contribution_totals(self):
        contribution = self.model.contributions.rel.related_model
        # order_by(): the model's ordering (member__organisation__name) would add two joins.
        totals = (
            contribution.objects.filter(partnership=OuterRef("pk")).order_by().values("partnership")
        )
        return self.annotate(
            planned_total=models.Subquery(
                totals.annotate(total=Sum("planned_amount")).values("total")
            ),
            delivered_total=models.Subquery(
                totals.annotate(total=Sum("delivered_amount")).values("total")
            ),
        )


class PartnershipManager(models.Manager.from_queryset(PartnershipQuerySet)):
    """Every partnership people work with: the working copies of amendments are left out, so
    that no list, count, export or search shows them (``Partnership.with_working_copies``
    reaches them)."""

    def get_queryset(self):
        return super().get_queryset().filter(is_working_copy=False)


class WorkingCopyQuerySet(PartnershipQuerySet):
    """Partnerships with the working copies of their amendments (``with_working_copies``):
    a copy is visible to whoever sees the partnership it amends."""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.is_administrator:
            return self
        ids = self.visible_ids(user)
        return self.filter(
            models.Q(pk__in=ids)
            | models.Q(is_working_copy=True, amendment_of_copy__partnership_id__in=ids)
        )
