import xml.etree.ElementTree as ET

import pytest

from risks.heatmap import heat_map, heat_map_counts, heat_map_svg
from risks.models import Risk

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def rated(partnership, make_risk):
    for likelihood, impact in [(5, 4), (5, 4), (1, 1), (3, 5)]:
        make_risk(partnership, likelihood=likelihood, impact=impact)
    return partnership


def test_counts_per_cell(rated, django_assert_num_queries):
    with django_assert_num_queries(1):
        counts = heat_map_counts(Risk.objects.filter(partnership=rated))
    assert len(counts) == 25
    assert counts[(5, 4)] == 2 and counts[(1, 1)] == 1 and counts[(3, 5)] == 1
    assert sum(counts.values()) == 4


def test_grid_puts_likelihood_five_on_top_and_links_cells(rated):
    counts = heat_map_counts(Risk.objects.filter(partnership=rated))
    grid = heat_map(counts, link=lambda lk, im: f"/r/?likelihood={lk}&impact={im}")
    assert [row.likelihood for row in grid.rows] == [5, 4, 3, 2, 1]
    top = grid.rows[0].cells[3]
    assert (top.likelihood, top.impact, top.count, top.score, top.band) == (5, 4, 2, 20, "severe")
    assert top.url == "/r/?likelihood=5&impact=4"
    assert grid.total == 4


def test_svg_is_well_formed_and_shows_the_counts_and_axes(rated):
    counts = heat_map_counts(Risk.objects.filter(partnership=rated))
    svg = heat_map_svg(counts, title="Risks <Handwashing>", link=lambda lk, im: f"/r?l={lk}&i={im}")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text == "Risks <Handwashing>"
    cells = root.findall(f".//{SVG}a/{SVG}g")
    assert len(cells) == 25
    by_label = {g.find(f"{SVG}title").text: g.find(f"{SVG}text").text for g in cells}
    assert by_label["likelihood 5, impact 4: 2 risks (severe)"] == "2"
    assert by_label["likelihood 1, impact 1: 1 risks (low)"] == "1"
    assert by_label["likelihood 2, impact 2: 0 risks (low)"] == "0"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert any(t and t.startswith("Impact") for t in texts)
    assert any(t and t.startswith("Likelihood") for t in texts)
    assert "Total: 4 risks" in texts
