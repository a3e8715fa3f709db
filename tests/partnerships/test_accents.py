"""The partnership list's search ignores case and accents: "ancash" finds "Áncash", as the
organisation searches do (tests/actors/test_accents.py)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actors.models import Role
from partnerships import services
from partnerships.models import Partnership
from tests.factories import PartnershipFactory, UserFactory, api_for

pytestmark = pytest.mark.django_db

LIST = reverse("partnerships:list")


def admin_api():
    return api_for(UserFactory(role=Role.ADMINISTRATOR))


def titles(qs):
    return sorted(qs.values_list("title", flat=True))


# ----- the key is kept on every path that writes a title, reference or territory ---------------


def test_saving_keeps_the_key():
    p = PartnershipFactory(title="Nutrición en Áncash", reference="ALZ-2026-00001", territory="")
    p.refresh_from_db()
    assert p.search_key == "nutricion en ancash\nalz-2026-00001\n"


def test_a_rename_keeps_the_key_with_and_without_update_fields():
    p = PartnershipFactory(title="Agua en Áncash", territory="Huaraz")
    p.title = "Niñez en Huancavelica"
    p.save()
    p.refresh_from_db()
    assert p.search_key.startswith("ninez en huancavelica\n")
    p.territory = "Junín"
    p.save(update_fields=["territory"])  # the key follows when only the territory is saved
    p.refresh_from_db()
    assert p.search_key.endswith("\njunin")
    assert Partnership.objects.search("junin").get() == p
    assert not Partnership.objects.search("huaraz").exists()


def test_saving_other_fields_alone_leaves_the_key_alone():
    p = PartnershipFactory(title="Áncash")
    p.problem = "Anemia"
    with CaptureQueriesContext(connection) as ctx:
        p.save(update_fields=["problem"])
    [update] = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    assert "search_key" not in update
    p.refresh_from_db()
    assert p.search_key.startswith("ancash\n")


def test_partnership_create_fills_the_key_with_the_final_reference():
    by = UserFactory(role=Role.FACILITATOR)
    p = services.partnership_create(by=by, title="Saneamiento en Cusco", country="PE")
    stored = Partnership.objects.get(pk=p.pk)
    assert stored.reference.startswith("ALZ-") and "tmp" not in stored.search_key
    assert stored.search_key == f"saneamiento en cusco\n{stored.reference.lower()}\n"
    assert p.search_key == stored.search_key
    assert Partnership.objects.search(stored.reference.lower()).get() == p


def test_bulk_create_fills_the_key():
    Partnership.objects.bulk_create(
        Partnership(title=f"Alianza Núm {i}", reference=f"B-{i}", country="PE") for i in range(2)
    )
    assert sorted(Partnership.objects.values_list("search_key", flat=True)) == [
        "alianza num 0\nb-0\n",
        "alianza num 1\nb-1\n",
    ]


def test_the_api_keeps_the_key_on_a_rename():
    api = admin_api()
    p = PartnershipFactory(title="Agua")
    response = api.patch(f"/api/partnerships/{p.pk}/", {"title": "Agua en Áncash"}, format="json")
    assert response.status_code == 200, response.content
    found = api.get("/api/partnerships/", {"search": "ancash"}).json()["results"]
    assert [row["title"] for row in found] == ["Agua en Áncash"]


# ----- the search ------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["ancash", "ANCASH", "Áncash", "  áNcAsH ", "en ancash"])
def test_the_search_finds_an_accented_title_typed_without_accents(typed):
    PartnershipFactory(title="Nutrición infantil en Áncash")
    PartnershipFactory(title="Agua en Cusco")
    assert titles(Partnership.objects.search(typed)) == ["Nutrición infantil en Áncash"]


def test_the_search_looks_in_the_territory_and_the_reference():
    PartnershipFactory(title="Niñez", territory="Huancavelica", reference="ALZ-2026-00042")
    PartnershipFactory(title="Agua", territory="Piura", reference="ALZ-2026-00043")
    assert titles(Partnership.objects.search("huancavelica")) == ["Niñez"]
    assert titles(Partnership.objects.search("ninez")) == ["Niñez"]
    assert titles(Partnership.objects.search("ALZ-2026-00042")) == ["Niñez"]
    assert titles(Partnership.objects.search("alz-2026-0004")) == ["Agua", "Niñez"]
    assert titles(Partnership.objects.search("")) == ["Agua", "Niñez"]
    assert titles(Partnership.objects.search("   ")) == ["Agua", "Niñez"]


def test_a_match_does_not_run_from_one_field_into_the_next():
    # The key holds "ninez\nalz-1\nhuancavelica": typed text never holds a line break.
    PartnershipFactory(title="Niñez", reference="ALZ-1", territory="Huancavelica")
    assert not Partnership.objects.search("ninez alz-1").exists()
    assert not Partnership.objects.search("alz-1 huancavelica").exists()


def test_the_list_page_finds_a_partnership_typed_without_accents(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    PartnershipFactory(title="Nutrición en Áncash")
    PartnershipFactory(title="Agua en Cusco", territory="Perú")
    page = client.get(LIST, {"q": "ancash"}).content.decode()
    assert "Nutrición en Áncash" in page and "Agua en Cusco" not in page
    page = client.get(LIST, {"q": "PERU"}).content.decode()
    assert "Agua en Cusco" in page and "Nutrición" not in page


def test_the_list_with_a_search_runs_as_many_queries_as_without(client):
    user = UserFactory(role=Role.FACILITATOR)
    client.force_login(user)

    def count(params):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(LIST, params).status_code == 200
        return len(ctx.captured_queries)

    for i in range(2):
        PartnershipFactory(facilitator=user, title=f"Áncash {i}")
    small = count({"q": "ancash"})
    for i in range(10):
        PartnershipFactory(facilitator=user, title=f"Áncash {i + 2}")
    assert count({"q": "ancash"}) == small == count({})


def test_the_api_search_ignores_accents():
    api = admin_api()
    PartnershipFactory(title="Nutrición en Áncash")
    PartnershipFactory(title="Agua en Cusco")
    for term in ("ancash", "Áncash", "ANCASH", "nutricion ancash"):
        rows = api.get("/api/partnerships/", {"search": term}).json()["results"]
        assert [row["title"] for row in rows] == ["Nutrición en Áncash"], term


# ----- the migration fills the key of existing partnerships ------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_key_of_existing_partnerships():
    executor = MigrationExecutor(connection)
    before = [("partnerships", "0003_tallies")]
    after = [("partnerships", "0004_partnership_search_key")]
    executor.migrate(before)
    try:
        old = executor.loader.project_state(before).apps.get_model("partnerships", "Partnership")
        old.objects.create(
            title="Nutrición  en Áncash",
            reference="ALZ-2026-00007",
            territory="Huaraz",
            country="PE",
        )
        old.objects.create(title="Agua", reference="ALZ-2026-00008", country="PE")
        executor = MigrationExecutor(connection)  # reload the graph after migrating
        executor.migrate(after)
    finally:
        MigrationExecutor(connection).migrate(
            MigrationExecutor(connection).loader.graph.leaf_nodes()
        )
    keys = dict(Partnership.objects.values_list("reference", "search_key"))
    assert keys == {
        "ALZ-2026-00007": "nutricion en ancash\nalz-2026-00007\nhuaraz",
        "ALZ-2026-00008": "agua\nalz-2026-00008\n",
    }
    assert Partnership.objects.search("ancash").get().reference == "ALZ-2026-00007"
