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


def _text(x, y, label, *, size=10, anchor="start", weight="normal", fill=INK) -> str:
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


def indicator_chart(bars: list[IndicatorBar], *, width: int = 640) -> str:
    """One horizontal bar per indicator: the track is the way from baseline to target."""
    if not bars:
        return ""
    label_w, caption_w, row_h, top = 230, 120, 26, 20
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
        parts.append(_text(x, top - 7, f"{pct} %", size=8.5, anchor="middle"))
    for i, bar in enumerate(bars):
        y = top + i * row_h
        share = max(0.0, min(1.0, bar.progress))
        parts.append(_text(0, y + 14, _clip(bar.label, 36)))
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{track_w:.1f}" height="14" fill="{TRACK}"/>'
        )
        if share > 0:
            parts.append(
                f'<rect x="{label_w}" y="{y + 4}" width="{track_w * share:.1f}" height="14" '
                f'fill="{DONE}"/>'
            )
        parts.append(_text(label_w + track_w + 6, y + 15, bar.caption, size=9.5))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above


@dataclass
class PairBar:
    label: str
    planned: Decimal
    delivered: Decimal


def planned_vs_delivered_chart(
    rows: list[PairBar], *, planned_label: str, delivered_label: str, width: int = 640
) -> str:
    """Two bars per member (planned, delivered) on one scale, amounts written beside them."""
    if not rows:
        return ""
    label_w, value_w, row_h, top = 230, 110, 34, 26
    track_w = width - label_w - value_w - 10
    height = top + row_h * len(rows) + 6
    biggest = max([max(r.planned, r.delivered) for r in rows] + [Decimal(1)])
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">',
        f'<rect x="{label_w}" y="3" width="11" height="10" fill="{PLANNED}"/>',
        _text(label_w + 15, 12, planned_label, size=9),
        f'<rect x="{label_w + 130}" y="3" width="11" height="10" fill="{DONE}"/>',
        _text(label_w + 145, 12, delivered_label, size=9),
    ]
    for i, row in enumerate(rows):
        y = top + i * row_h
        parts.append(_text(0, y + 17, _clip(row.label, 36)))
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
                )
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above
