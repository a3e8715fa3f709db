"""The likelihood x impact heat map: counts per cell, as rows for HTML and as an SVG string.

Readable without colour: each cell carries its count as a number and the axes are labelled; the
colours (bands of the score) only repeat what the position already says.
"""

from collections.abc import Callable
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from django.db.models import Count
from django.utils.translation import gettext as _

from partnerships.models import tallies

from .models import RATING_MAX, RATING_MIN, Risk

RATINGS = range(RATING_MIN, RATING_MAX + 1)

Counts = dict[tuple[int, int], int]


def heat_map_counts(queryset) -> Counts:
    """``{(likelihood, impact): count}`` for all 25 cells, in one query."""
    counts = {(lk, im): 0 for lk in RATINGS for im in RATINGS}
    rows = queryset.order_by().values("likelihood", "impact").annotate(n=Count("pk"))
    for row in rows:
        counts[(row["likelihood"], row["impact"])] = row["n"]
    return counts


def tallied_heat_map_counts(keep: Callable[[int, int, str], bool]) -> Counts:
    """The same over every risk in the database, from the risk tally (25 cells x statuses,
    whatever the number of risks), keeping the cells ``keep(likelihood, impact, status)``."""
    counts = {(lk, im): 0 for lk in RATINGS for im in RATINGS}
    for key, n in tallies.counts("risk.cell").items():
        likelihood, impact, status = key.split(":")
        cell = (int(likelihood), int(impact))
        if cell in counts and keep(*cell, status):
            counts[cell] += n
    return counts


def partnership_heat_map_counts(partnership) -> Counts:
    """The counts of a partnership's active risks: its register page and its progress report."""
    return heat_map_counts(Risk.objects.filter(partnership=partnership).active())


def partnership_heat_map_svg(partnership) -> str:
    """The SVG of a partnership's active risks, as its progress report shows it."""
    return heat_map_svg(partnership_heat_map_counts(partnership))


def band(score: int) -> str:
    """low (1-4), medium (5-9), high (10-14), severe (15-25)."""
    if score >= 15:
        return "severe"
    if score >= 10:
        return "high"
    if score >= 5:
        return "medium"
    return "low"


def band_label(name: str) -> str:
    return {
        "low": _("low"),
        "medium": _("medium"),
        "high": _("high"),
        "severe": _("severe"),
    }[name]


BAND_FILL = {"low": "#d9f0d3", "medium": "#fff2b3", "high": "#fdc98f", "severe": "#f4a3a3"}


@dataclass(frozen=True)
class Cell:
    likelihood: int
    impact: int
    count: int
    url: str

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> str:
        return band(self.score)

    @property
    def band_label(self) -> str:
        return band_label(self.band)


@dataclass(frozen=True)
class Row:
    likelihood: int
    cells: list[Cell]


@dataclass(frozen=True)
class HeatMap:
    rows: list[Row]
    impacts: list[int]
    total: int
    caption: str


def heat_map(
    counts: Counts, *, link: Callable[[int, int], str] | None = None, caption: str = ""
) -> HeatMap:
    """The grid for the HTML partial: likelihood 5 at the top, impact 1 on the left."""
    rows = [
        Row(
            likelihood=lk,
            cells=[
                Cell(lk, im, counts.get((lk, im), 0), link(lk, im) if link else "")
                for im in RATINGS
            ],
        )
        for lk in reversed(RATINGS)
    ]
    return HeatMap(
        rows=rows,
        impacts=list(RATINGS),
        total=sum(counts.values()),
        caption=caption or _("Risks by likelihood (rows) and impact (columns)"),
    )


def heat_map_svg(
    counts: Counts,
    *,
    title: str = "",
    cell: int = 56,
    link: Callable[[int, int], str] | None = None,
) -> str:
    """A standalone SVG of the heat map (for PDFs): numbers in the cells, labelled axes.

    ``link(likelihood, impact)``, if given, makes each cell a link to the risks behind it.
    """
    title = title or _("Risk heat map: likelihood by impact")
    left, top, gap = 96, 40, 2
    width = left + 5 * cell + 16
    height = top + 5 * cell + 64
    total = sum(counts.values())
    desc = _(
        "%(total)s risks. Rows are likelihood from 5 (top) to 1, columns impact from 1 to 5; "
        "each cell shows how many risks have that rating."
    ) % {"total": total}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="hm-title hm-desc" '
        'font-family="DejaVu Sans, Arial, sans-serif">',
        f'<title id="hm-title">{escape(title)}</title>',
        f'<desc id="hm-desc">{escape(desc)}</desc>',
        f'<text x="{left + 5 * cell / 2}" y="20" font-size="14" text-anchor="middle" '
        f'font-weight="bold">{escape(title)}</text>',
    ]
    for row_index, lk in enumerate(reversed(RATINGS)):
        y = top + row_index * cell
        parts.append(
            f'<text x="{left - 8}" y="{y + cell / 2 + 5}" font-size="13" '
            f'text-anchor="end">{lk}</text>'
        )
        for col_index, im in enumerate(RATINGS):
            x = left + col_index * cell
            n = counts.get((lk, im), 0)
            name = band(lk * im)
            label = _("likelihood %(l)s, impact %(i)s: %(n)s risks (%(band)s)") % {
                "l": lk,
                "i": im,
                "n": n,
                "band": band_label(name),
            }
            cell_svg = (
                f"<g><title>{escape(label)}</title>"
                f'<rect x="{x + gap / 2}" y="{y + gap / 2}" width="{cell - gap}" '
                f'height="{cell - gap}" fill="{BAND_FILL[name]}" stroke="#444" '
                f'stroke-width="1"/>'
                f'<text x="{x + cell / 2}" y="{y + cell / 2 + 7}" font-size="20" '
                f'text-anchor="middle" font-weight="{"bold" if n else "normal"}" '
                f'fill="{"#000" if n else "#666"}">{n}</text></g>'
            )
            if link:
                cell_svg = f"<a href={quoteattr(link(lk, im))}>{cell_svg}</a>"
            parts.append(cell_svg)
    # axes
    base = top + 5 * cell
    for col_index, im in enumerate(RATINGS):
        parts.append(
            f'<text x="{left + col_index * cell + cell / 2}" y="{base + 18}" font-size="13" '
            f'text-anchor="middle">{im}</text>'
        )
    parts.append(
        f'<text x="{left + 5 * cell / 2}" y="{base + 40}" font-size="13" '
        f'text-anchor="middle">{escape(_("Impact"))} →</text>'
    )
    mid = top + 5 * cell / 2
    parts.append(
        f'<text x="{left - 40}" y="{mid}" font-size="13" text-anchor="middle" '
        f'transform="rotate(-90 {left - 40} {mid})">{escape(_("Likelihood"))} →</text>'
    )
    parts.append(
        f'<text x="{left + 5 * cell / 2}" y="{base + 58}" font-size="11" '
        f'text-anchor="middle">{escape(_("Total: %(n)s risks") % {"n": total})}</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
