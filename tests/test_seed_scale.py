"""seed_scale: bulk-loads N partnerships with their related rows (PostgreSQL, COPY)."""

from io import StringIO

import pytest
from django.core.management import call_command

from actors.models import Organisation, User
from partnerships.models import (
    Contribution,
    Indicator,
    Measurement,
    Member,
    Partnership,
    PhaseChange,
    tallies,
)
from risks.models import Risk

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_seed_scale_counts_per_table_and_can_grow():
    out = StringIO()
    call_command("seed_scale", partnerships=7, batch=3, stdout=out)
    assert "rows/s" in out.getvalue()
    assert Partnership.objects.count() == 7
    assert Member.objects.count() == 70
    assert Indicator.objects.count() == 35
    assert Measurement.objects.count() == 420
    assert Contribution.objects.count() == 140
    assert Risk.objects.count() == 56
    history = sum(
        {
            "interest": 0,
            "design": 1,
            "operation": 2,
            "suspended": 3,
            "assessment": 3,
            "closure": 4,
            "withdrawn": 1,
        }[p]
        for p in Partnership.objects.values_list("phase", flat=True)
    )
    assert PhaseChange.objects.count() == history
    # The generated score column is computed by the database.
    risk = Risk.objects.first()
    assert risk.score == risk.likelihood * risk.impact
    # COPY bypasses the tallies; the command recounts them.
    assert sum(tallies.counts("partnership.phase").values()) == 7
    assert sum(tallies.counts("risk.cell").values()) == 56
    assert tallies.drift() == {}
    # The organisation pool goes in with bulk_create, which fills the search keys too.
    assert Organisation.objects.filter(name_key="scale org 000001").exists()
    assert not Organisation.objects.filter(name__startswith="Scale org ", name_key="").exists()
    # COPY bypasses save(): the command writes the partnerships' search keys itself.
    first = Partnership.objects.get(reference="SCALE-000001")
    assert first.search_key == "alianza 1: agua y saneamiento rural\nscale-000001\nterritory 1"
    assert not Partnership.objects.filter(search_key="").exists()
    assert Partnership.objects.search("scale-000007").get().reference == "SCALE-000007"
    # Running again continues the references and reuses the organisation and user pools.
    users = User.objects.count()
    call_command("seed_scale", partnerships=3, stdout=StringIO())
    refs = sorted(Partnership.objects.values_list("reference", flat=True))
    assert refs[0] == "SCALE-000001" and refs[-1] == "SCALE-000010"
    assert User.objects.count() == users
    assert (
        Partnership.objects.visible_to(User.objects.get(email="admin@scale.example")).count() == 10
    )
    assert sum(tallies.counts("partnership.phase").values()) == 10


def test_the_reminder_sweeps_find_the_same_number_due_at_every_size():
    import datetime

    from demo.management.commands.seed_scale import DUE_SET
    from reminders import sweeps

    today = datetime.date.today()
    counts = []
    for n in (DUE_SET + 5, 40):
        call_command("seed_scale", partnerships=n, batch=16, stdout=StringIO())
        counts.append({str(kind): len(sweep(today)) for kind, sweep in sweeps.SWEEPS.items()})
    assert counts[0] == counts[1]
    assert set(counts[0].values()) == {DUE_SET}, counts[0]
