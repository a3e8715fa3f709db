"""The bar charts Alianza draws, on the server as inline SVG: for pages (the donor dashboard)
and for print (the PDFs; WeasyPrint draws inline SVG). One renderer per chart shape, each in
two media: ``SCREEN`` scales with its container and names itself for screen readers,
``PRINT`` has a fixed size and the PDF's font.

Plain strings rather than a charting library: two chart shapes are needed, and the output must
be deterministic, offline and legible in print (no colour-only meaning: every bar is labelled).
"""

from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.formats import number_format
from django.utils.safestring import mark_safe

INK = "#1f2937"
GRID = "#d1d5db"
PLANNED = "#9ca3af"
DONE = "#1d4ed8"
TRACK = "#e5e7eb"


@dataclass(frozen=True)
class Medium:
    font: str
    label_width: int
    caption_width: int
    row_height: int
    bar_height: int
    text_size: float
    scale_size: float
    caption_size: float
    grid_width: float
    clip: int  # characters of a label before it is cut with "…"
    top: int  # room above the first row for the 0/50/100 % scale
    bottom: int
    bar_offset: int  # from the top of a row to its bar
    label_baseline: int
    scale_gap: int  # from the scale's baseline down to the first row
    grid_tail: int  # how far the grid lines reach below the last row
    fixed_size: bool  # width/height attributes (print) or a viewBox that scales (screen)


SCREEN = Medium(
    font="system-ui, sans-serif",
    label_width=210,
    caption_width=150,
    row_height=28,
    bar_height=16,
    text_size=12,
    scale_size=10,
    caption_size=11,
    grid_width=1,
    clip=28,
    top=22,
    bottom=8,
    bar_offset=3,
    label_baseline=15,
    scale_gap=8,
    grid_tail=4,
    fixed_size=False,
)
PRINT = Medium(
    font="DejaVu Sans, sans-serif",
    label_width=230,
    caption_width=120,
    row_height=26,
    bar_height=14,
    text_size=10,
    scale_size=8.5,
    caption_size=9.5,
    grid_width=0.6,
    clip=36,
    top=20,
    bottom=16,
    bar_offset=4,
    label_baseline=14,
    scale_gap=7,
    grid_tail=2,
    fixed_size=True,
)


def _text(x, y, label, *, size, anchor="start", weight="normal", fill=INK, font=None) -> str:
    family = f'font-family="{font}" ' if font else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" {family}font-size="{size}" '
        f'text-anchor="{anchor}" font-weight="{weight}" fill="{fill}">{escape(str(label))}</text>'
    )


def _clip(label: str, limit: int) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _open_svg(medium: Medium, width, height, *, title="", desc="", chart_id="chart") -> list[str]:
    if medium.fixed_size:
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img">'
        )
    else:
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" '
            f'viewBox="0 0 {width} {height}" role="img" '
            f'aria-labelledby="{chart_id}-title {chart_id}-desc" '
            f'preserveAspectRatio="xMinYMin meet" font-family="{medium.font}">'
        )
    parts = [head]
    if title:
        parts.append(f'<title id="{chart_id}-title">{escape(str(title))}</title>')
    if desc:
        parts.append(f'<desc id="{chart_id}-desc">{escape(str(desc))}</desc>')
    return parts


@dataclass
class ShareBar:
    label: str
    share: float  # 0..1 of the way (clipped for drawing): delivered of planned, or to target
    caption: str  # written beside the bar, e.g. "45 / 60 %" or "1.200 / 3.000 EUR"


def share_chart(
    bars: list[ShareBar],
    *,
    medium: Medium = PRINT,
    title: str = "",
    desc: str = "",
    chart_id: str = "chart",
    width: int = 640,
) -> str:
    """One horizontal bar per row on a 0-100 % scale, its caption beside it; ``title`` and
    ``desc`` name the chart for screen readers (``aria-labelledby``)."""
    if not bars:
        return ""
    m = medium
    font = m.font if m.fixed_size else None  # on screen the <svg> names the font once
    top = m.top
    track_w = width - m.label_width - m.caption_width - 10
    height = top + m.row_height * len(bars) + m.bottom
    grid_bottom = top + m.row_height * len(bars) + m.grid_tail
    parts = _open_svg(m, width, height, title=title, desc=desc, chart_id=chart_id)
    for pct in (0, 50, 100):
        x = m.label_width + track_w * pct / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{grid_bottom}" '
            f'stroke="{GRID}" stroke-width="{m.grid_width}"/>'
        )
        parts.append(
            _text(x, top - m.scale_gap, f"{pct} %", size=m.scale_size, anchor="middle", font=font)
        )
    for i, bar in enumerate(bars):
        y = top + i * m.row_height
        share = max(0.0, min(1.0, float(bar.share)))
        label = _clip(bar.label, m.clip)
        parts.append(_text(0, y + m.label_baseline, label, size=m.text_size, font=font))
        parts.append(
            f'<rect x="{m.label_width}" y="{y + m.bar_offset}" width="{track_w:.1f}" '
            f'height="{m.bar_height}" fill="{TRACK}"/>'
        )
        if share > 0:
            parts.append(
                f'<rect x="{m.label_width}" y="{y + m.bar_offset}" width="{track_w * share:.1f}" '
                f'height="{m.bar_height}" fill="{DONE}"/>'
            )
        parts.append(
            _text(m.label_width + track_w + 6, y + 15, bar.caption, size=m.caption_size, font=font)
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above


def amount_caption(delivered: Decimal, planned: Decimal, currency: str) -> str:
    """ "1,200 / 3,000 EUR", grouped for the reader's language."""
    return (
        f"{number_format(delivered, 0, force_grouping=True)} / "
        f"{number_format(planned, 0, force_grouping=True)} {currency}"
    )


@dataclass
class PairBar:
    label: str
    planned: Decimal
    delivered: Decimal


def planned_vs_delivered_chart(
    rows: list[PairBar], *, planned_label: str, delivered_label: str, width: int = 640
) -> str:
    """Two bars per member (planned, delivered) on one scale, amounts written beside them
    (print only: the progress report)."""
    if not rows:
        return ""
    font, label_w, value_w, row_h, top = PRINT.font, 230, 110, 34, 26
    track_w = width - label_w - value_w - 10
    height = top + row_h * len(rows) + 6
    biggest = max([max(r.planned, r.delivered) for r in rows] + [Decimal(1)])
    parts = _open_svg(PRINT, width, height)
    parts += [
        f'<rect x="{label_w}" y="3" width="11" height="10" fill="{PLANNED}"/>',
        _text(label_w + 15, 12, planned_label, size=9, font=font),
        f'<rect x="{label_w + 130}" y="3" width="11" height="10" fill="{DONE}"/>',
        _text(label_w + 145, 12, delivered_label, size=9, font=font),
    ]
    for i, row in enumerate(rows):
        y = top + i * row_h
        parts.append(_text(0, y + 17, _clip(row.label, 36), size=10, font=font))
        for j, (amount, colour) in enumerate(((row.planned, PLANNED), (row.delivered, DONE))):
            w = float(track_w) * float(amount / biggest)
            by = y + 2 + j * 14
            parts.append(
                f'<rect x="{label_w}" y="{by}" width="{max(w, 0.5):.1f}" height="12" '
                f'fill="{colour}"/>'
            )
            parts.append(
                _text(
                    label_w + track_w + 6,
                    by + 10,
                    number_format(amount, 0, force_grouping=True),
                    size=9,
                    font=font,
                )
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above
