"""The demo data files: read and checked before anything is written; a bad file is named with the
key at fault, and the command stops without writing anything."""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from actors.models import Organisation
from demo import dataset, loader
from demo.checks import DemoDataError
from partnerships.models import Partnership

NUTRITION = "partnerships/01-child-nutrition.yaml"


@pytest.fixture
def data(tmp_path) -> Path:
    """A copy of the demo data to break."""
    root = tmp_path / "demo" / "data"
    shutil.copytree(dataset.DATA_DIR, root)
    return root


def edit(root: Path, name: str, old: str, new: str) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def error(root: Path) -> str:
    with pytest.raises(DemoDataError) as raised:
        dataset.read(root)
    return str(raised.value)


def test_the_demo_data_is_valid_and_keyed():
    data = dataset.read()

    assert len(data.organisations) == 48 and len(data.people) == 42
    assert data.logins == ["facilitator", "official", "partner", "donor", "admin"]
    assert [p.key for p in data.partnerships][:2] == ["child-nutrition", "quiero-mi-barrio"]
    nutrition = data.partnerships[0].data
    assert nutrition["members"]["minsa"]["signatory"] == "official"
    assert nutrition["activities"][0]["indicator"] == "adequate-diet"
    assert nutrition["risks"]["rotation-of-officials"]["owner"] == "gore-huancavelica"
    assert nutrition["risks"]["rotation-of-officials"]["title"] == (
        "Rotation of public sector officials"  # from the shared register, risks.yaml
    )


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            NUTRITION,
            "signatory: care\n",
            "signatory: nobody\n",
            "01-child-nutrition.yaml: members.care.signatory: no person has the key 'nobody'",
        ),
        (
            NUTRITION,
            "    signatory: adra\n",
            "    signatory: care\n",
            "members.adra.signatory: 'care' does not belong to 'adra'",
        ),
        (
            NUTRITION,
            "indicator: agents-trained",
            "indicator: agents",
            "activities[1].indicator: no indicator has the key 'agents'",
        ),
        (
            NUTRITION,
            "  - member: usaid\n",
            "  - member: unicef\n",
            "contributions[0].member: no member has the key 'unicef'",
        ),
        (NUTRITION, "title: Partnership", "titel: Partnership", "titel: unknown key"),
        (
            NUTRITION,
            "    role: implementer\n",
            "    role: sponsor\n",
            "members.adra.role: 'sponsor'",
        ),
        (
            NUTRITION,
            "  modality: csr\n",
            "  phase: closure\n",
            "fields.phase: set by the lifecycle",
        ),
        (
            NUTRITION,
            "  - step: start_design\n    date: 2025-11-10\n",
            "  - step: start_design\n",
            "history[0].date: missing",
        ),
        (NUTRITION, "baseline: 38", "baseline: lots", "baseline: expected a number"),
        ("people.yaml", "organisation: minsa", "organisation: minsaa", "no organisation has"),
        ("organisations.yaml", "  sector: public\n", "  sector: state\n", "subtel.sector"),
        ("risks.yaml", "  category: political\n", "", "rotation-of-officials.category: missing"),
    ],
)
def test_a_bad_file_is_named_with_the_key_at_fault(data, name, old, new, message):
    edit(data, name, old, new)

    assert message in error(data)


@pytest.mark.django_db
def test_a_step_the_services_refuse_stops_the_load_and_nothing_is_written(data):
    # No member of iMallsAmericas is public: it cannot leave the interest phase.
    with (data / "partnerships/04-imallsamericas.yaml").open("a", encoding="utf-8") as fh:
        fh.write("\nhistory:\n  - step: start_design\n    date: 2025-06-01\n")

    with pytest.raises(DemoDataError) as raised:
        loader.load(stdout=io.StringIO(), dataset=dataset.read(data))

    message = str(raised.value)
    assert "04-imallsamericas.yaml: history[0] (start_design):" in message
    assert "must be a public-sector actor" in message
    assert not Partnership.objects.exists() and not Organisation.objects.exists()


@pytest.mark.django_db
def test_the_command_reports_a_bad_file_as_an_error_before_writing(data, monkeypatch):
    edit(data, NUTRITION, "signatory: care\n", "signatory: nobody\n")
    monkeypatch.setattr(dataset, "DATA_DIR", data)

    with pytest.raises(CommandError, match="members.care.signatory: no person"):
        call_command("load_demo", stdout=io.StringIO(), queue_documents=True)
    assert not Organisation.objects.exists()
