"""The tallies (partnerships by phase, risks by cell) follow every change, stay exact with stale
instances and rollbacks, fold, rebuild, and feed the administrator's dashboard and portfolio."""

import io
import threading
import time

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.urls import reverse

from actors.models import Role
from partnerships import services
from partnerships.models import Partnership, Phase, tallies
from risks import services as risk_services
from risks.heatmap import heat_map_counts
from risks.models import Category, Risk, Status
from tests.factories import PartnershipFactory, UserFactory, make_designable

pytestmark = pytest.mark.django_db


def live_phases() -> dict[str, int]:
    return dict(Partnership.objects.order_by().values_list("phase").annotate(n=Count("pk")))


def live_cells() -> dict[str, int]:
    rows = Risk.objects.order_by().values_list("likelihood", "impact", "status")
    return {f"{lk}:{im}:{st}": n for lk, im, st, n in rows.annotate(n=Count("pk"))}


def add_risk(partnership, **fields):
    fields = {"title": "Rotation of officials", "category": Category.POLITICAL} | fields
    fields.setdefault("likelihood", 3)
    fields.setdefault("impact", 3)
    return risk_services.risk_create(partnership=partnership, by=partnership.facilitator, **fields)


def test_phase_tally_follows_creation_transitions_and_deletion():
    first = make_designable(PartnershipFactory())
    second = make_designable(PartnershipFactory())
    assert tallies.counts("partnership.phase") == {Phase.INTEREST: 2}

    services.partnership_transition(name="start_design", partnership=first, by=first.facilitator)
    assert tallies.counts("partnership.phase") == {Phase.INTEREST: 1, Phase.DESIGN: 1}
    # Saving without a phase change adds nothing.
    first.refresh_from_db()
    first.title = "Agua segura para Cusco"
    first.save()
    second.delete()  # cascades to its members etc.
    assert tallies.counts("partnership.phase") == {Phase.DESIGN: 1} == live_phases()
    assert tallies.drift() == {}


def test_risk_tally_follows_create_update_close_and_cascades():
    partnership = make_designable(PartnershipFactory())
    risk = add_risk(partnership, likelihood=5, impact=4)
    add_risk(partnership, likelihood=2, impact=2)
    risk_services.risk_update(risk=risk, by=partnership.facilitator, likelihood=4)
    risk_services.risk_close(risk=risk, by=partnership.facilitator, note="Dealt with")
    assert tallies.counts("risk.cell") == {"4:4:closed": 1, "2:2:open": 1} == live_cells()

    partnership.delete()  # the risks go with it, one post_delete each
    assert tallies.counts("risk.cell") == {} == live_cells()


def test_a_stale_instance_is_counted_from_the_stored_row():
    risk = add_risk(make_designable(PartnershipFactory()), likelihood=1, impact=1)
    stale = Risk.objects.get(pk=risk.pk)
    risk.status = Status.MITIGATED
    risk.save()
    stale.likelihood = 2  # still thinks the status is open; the row says mitigated
    stale.save()
    assert tallies.counts("risk.cell") == {"2:1:open": 1}
    assert live_cells() == {"2:1:open": 1}  # the stale save wrote its status back too


def test_a_rolled_back_change_leaves_the_tally_alone():
    partnership = make_designable(PartnershipFactory())
    before = tallies.counts("partnership.phase")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.partnership_transition(
            name="start_design", partnership=partnership, by=partnership.facilitator
        )
        raise RuntimeError("the request failed after the transition")
    assert tallies.counts("partnership.phase") == before == live_phases()


def test_saving_other_fields_only_costs_no_tally_query():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    partnership = make_designable(PartnershipFactory())
    partnership.title = "Quiero mi barrio"
    with CaptureQueriesContext(connection) as ctx:
        partnership.save(update_fields=["title"])
    # The UPDATE, the lock's read of the stored phase and the audit entry; no tally.
    assert ctx.captured_queries
    assert not [q for q in ctx.captured_queries if "tally" in q["sql"].lower()]


def test_fold_moves_deltas_into_totals_without_changing_counts():
    partnership = make_designable(PartnershipFactory())
    for impact in (1, 2, 2):
        add_risk(partnership, impact=impact)
    before = {name: tallies.counts(name) for name in ("partnership.phase", "risk.cell")}
    assert tallies.TallyDelta.objects.count() == 4  # one partnership, three risks

    assert tallies.fold() == 4
    assert not tallies.TallyDelta.objects.exists()
    assert tallies.fold() == 0
    after = {name: tallies.counts(name) for name in ("partnership.phase", "risk.cell")}
    assert after == before
    assert tallies.Tally.objects.get(name="risk.cell", key="3:2:open").count == 2


def test_rebuild_repairs_what_bypassed_the_tallies():
    partnership = make_designable(PartnershipFactory())
    add_risk(partnership, likelihood=4, impact=4)
    Risk.objects.update(status=Status.CLOSED)  # a bulk update: no save(), no delta
    assert tallies.drift() == {"risk.cell": {"4:4:open": (1, 0), "4:4:closed": (0, 1)}}

    out = io.StringIO()
    with pytest.raises(SystemExit) as exit_code:
        call_command("rebuild_tallies", "--check", stdout=out)
    assert exit_code.value.code == 1
    assert "risk.cell[4:4:open]: tallied 1, counted 0" in out.getvalue()

    call_command("rebuild_tallies", stdout=io.StringIO())
    assert tallies.drift() == {}
    assert tallies.counts("risk.cell") == {"4:4:closed": 1}
    assert not tallies.TallyDelta.objects.exists()


@pytest.fixture
def administrator():
    return UserFactory(role=Role.ADMINISTRATOR)


def test_administrator_dashboard_counts_phases_from_the_tally(client, administrator):
    for _ in range(3):
        make_designable(PartnershipFactory())
    designed = make_designable(PartnershipFactory())
    services.partnership_transition(
        name="start_design", partnership=designed, by=designed.facilitator
    )
    client.force_login(administrator)
    response = client.get(reverse("dashboard"))
    by_phase = {row["phase"]: row["count"] for row in response.context["by_phase"]}
    assert by_phase == {Phase.INTEREST: 3, Phase.DESIGN: 1}


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "active"},
        {"status": Status.CLOSED},
        {"min_score": "9"},
        {"likelihood": "5", "impact": "4"},
        {"category": Category.DEMAND},  # not in the tally: the GROUP BY answers
        {"status": "bogus"},  # an invalid filter is ignored (and shown as an error)
    ],
)
def test_administrator_heat_map_matches_a_count_of_the_rows(client, administrator, params):
    first = make_designable(PartnershipFactory())
    second = make_designable(PartnershipFactory())
    add_risk(first, likelihood=5, impact=4)
    add_risk(first, likelihood=2, impact=3, category=Category.DEMAND)
    closed = add_risk(second, likelihood=3, impact=3)
    risk_services.risk_close(risk=closed, by=second.facilitator, note="Gone")
    tallies.fold()
    add_risk(second, likelihood=3, impact=3)  # one delta not yet folded

    client.force_login(administrator)
    response = client.get(reverse("risks:portfolio"), params)
    assert response.status_code == 200
    form = response.context["filters"]
    expected = heat_map_counts(form.filter(Risk.objects.all()))
    shown = {
        (cell.likelihood, cell.impact): cell.count
        for row in response.context["heat_map"].rows
        for cell in row.cells
    }
    assert shown == expected
    assert response.context["paginator"].count == sum(expected.values())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_of_one_row_are_counted_from_what_was_committed():
    """A second writer that loaded the row before the first committed waits for the row lock
    and counts from the committed key, not from what it loaded."""
    risk = add_risk(make_designable(PartnershipFactory()), likelihood=1, impact=1)
    first_saved, second_loaded = threading.Event(), threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                mine = Risk.objects.get(pk=risk.pk)
                second_loaded.wait(10)
                mine.status = Status.MITIGATED
                mine.save()
                first_saved.set()
                time.sleep(0.5)  # the second writer is now waiting for the row lock
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    def second():
        try:
            mine = Risk.objects.get(pk=risk.pk)  # open, as loaded
            second_loaded.set()
            first_saved.wait(10)
            mine.status = Status.CLOSED
            mine.save()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert live_cells() == {"1:1:closed": 1}
    assert tallies.counts("risk.cell") == {"1:1:closed": 1}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_fold_skips_the_deltas_another_fold_holds():
    """Two folds at once never add a delta twice: the second skips the rows the first has
    locked (SKIP LOCKED), and they are folded once the first lets go."""
    add_risk(make_designable(PartnershipFactory()), likelihood=2, impact=2)
    held, release, errors = threading.Event(), threading.Event(), []

    def first_fold_in_progress():
        try:
            with transaction.atomic():
                list(tallies.TallyDelta.objects.select_for_update())
                held.set()
                release.wait(10)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    thread = threading.Thread(target=first_fold_in_progress)
    thread.start()
    assert held.wait(10)
    try:
        assert tallies.fold() == 0  # returns at once instead of waiting or double counting
    finally:
        release.set()
        thread.join(10)
    assert not errors
    assert tallies.fold() == 2  # the partnership and the risk
    assert tallies.counts("risk.cell") == {"2:2:open": 1}
    assert tallies.drift() == {}


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.celery_worker
def test_the_periodic_tasks_fold_and_rebuild_in_a_real_worker(celery_worker):
    from partnerships import tasks

    partnership = make_designable(PartnershipFactory())
    add_risk(partnership, likelihood=3, impact=4)
    Risk.objects.update(status=Status.CLOSED)  # bypasses the tallies: only rebuild repairs it

    def wait_for(predicate, what):
        deadline = time.monotonic() + 30
        while not predicate():
            assert time.monotonic() < deadline, f"the worker did not {what}"
            time.sleep(0.2)

    tasks.fold_tallies.delay()
    wait_for(lambda: not tallies.TallyDelta.objects.exists(), "fold the deltas")
    assert tallies.Tally.objects.get(name="risk.cell", key="3:4:open").count == 1

    tasks.rebuild_tallies.delay()
    wait_for(lambda: tallies.drift() == {}, "rebuild the tallies")
    assert tallies.counts("risk.cell") == {"3:4:closed": 1}
