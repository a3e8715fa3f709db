"""Small SVG bar charts drawn on the server, for the PDFs (WeasyPrint draws inline SVG).

Plain strings rather than a charting library: two chart shapes are needed, and the output must
be deterministic, offline and legible in print (no colour-only meaning: every bar is labelled).
"""

from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.formats import number_format
from django.utils.safestring import mark_safe

FONT = "DejaVu Sans, sans-serif"
INK = "#1f2937"
GRID = "#d1d5db"
PLANNED = "#9ca3af"
DONE = "#1d4ed8"
TRACK = "#e5e7eb"


def _text(x, y, label, *, size=8.5, anchor="start", weight="normal", fill=INK) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" '
        f'text-anchor="{anchor}" font-weight="{weight}" fill="{fill}">{escape(str(label))}</text>'
    )


def _clip(label: str, limit: int) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: limit - 1] + "…"


@dataclass
class IndicatorBar:
    label: str
    progress: float  # share of the way from baseline to target, 0..1 (clipped for drawing)
    caption: str  # e.g. "45 / 60 %"


def indicator_chart(bars: list[IndicatorBar], *, width: int = 480) -> str:
    """One horizontal bar per indicator: the track is the way from baseline to target."""
    if not bars:
        return ""
    label_w, caption_w, row_h, top = 190, 90, 22, 18
    track_w = width - label_w - caption_w - 10
    height = top + row_h * len(bars) + 16
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
    ]
    for pct in (0, 50, 100):
        x = label_w + track_w * pct / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 14}" '
            f'stroke="{GRID}" stroke-width="0.6"/>'
        )
        parts.append(_text(x, top - 7, f"{pct} %", size=7, anchor="middle"))
    for i, bar in enumerate(bars):
        y = top + i * row_h
        share = max(0.0, min(1.0, bar.progress))
        parts.append(_text(0, y + 13, _clip(bar.label, 34)))
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{track_w:.1f}" height="12" fill="{TRACK}"/>'
        )
        if share > 0:
            parts.append(
                f'<rect x="{label_w}" y="{y + 4}" width="{track_w * share:.1f}" height="12" '
                f'fill="{DONE}"/>'
            )
        parts.append(_text(label_w + track_w + 6, y + 13, bar.caption, size=8))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above


@dataclass
class PairBar:
    label: str
    planned: Decimal
    delivered: Decimal


def planned_vs_delivered_chart(
    rows: list[PairBar], *, planned_label: str, delivered_label: str, width: int = 480
) -> str:
    """Two bars per member (planned, delivered) on one scale, amounts written beside them."""
    if not rows:
        return ""
    label_w, value_w, row_h, top = 170, 95, 30, 24
    track_w = width - label_w - value_w - 10
    height = top + row_h * len(rows) + 6
    biggest = max([max(r.planned, r.delivered) for r in rows] + [Decimal(1)])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">',
        f'<rect x="{label_w}" y="2" width="10" height="8" fill="{PLANNED}"/>',
        _text(label_w + 14, 10, planned_label, size=7.5),
        f'<rect x="{label_w + 110}" y="2" width="10" height="8" fill="{DONE}"/>',
        _text(label_w + 124, 10, delivered_label, size=7.5),
    ]
    for i, row in enumerate(rows):
        y = top + i * row_h
        parts.append(_text(0, y + 15, _clip(row.label, 30)))
        for j, (amount, colour) in enumerate(((row.planned, PLANNED), (row.delivered, DONE))):
            w = float(track_w) * float(amount / biggest)
            by = y + 2 + j * 12
            parts.append(
                f'<rect x="{label_w}" y="{by}" width="{max(w, 0.5):.1f}" height="10" '
                f'fill="{colour}"/>'
            )
            parts.append(
                _text(
                    label_w + track_w + 6,
                    by + 8.5,
                    number_format(amount, 0, force_grouping=True),
                    size=7.5,
                )
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above
