"""The donor dashboard's bar chart, drawn on the server as accessible inline SVG.

Each bar is one partnership's contributions in one currency: the share delivered of what was
planned. Shares rather than amounts, so that portfolios in several currencies share one scale;
the amounts are written beside every bar and repeated in a data table under the chart.
"""

from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from django.utils.formats import number_format
from django.utils.safestring import mark_safe

INK = "#1f2937"
GRID = "#d1d5db"
TRACK = "#e5e7eb"
DONE = "#1d4ed8"


@dataclass
class Bar:
    label: str
    planned: Decimal
    delivered: Decimal
    currency: str

    @property
    def share(self) -> float:
        if not self.planned:
            return 0.0
        return float(self.delivered / self.planned)

    @property
    def percent(self) -> int:
        return round(self.share * 100)


def _text(x, y, label, *, size=12, anchor="start") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{INK}">{escape(str(label))}</text>'
    )


def _clip(label: str, limit: int = 28) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: limit - 1] + "…"


def delivered_chart(bars: list[Bar], *, title: str, desc: str, chart_id: str = "chart") -> str:
    """Horizontal bars, 0-100 % of planned delivered; ``title``/``desc`` name it for screen
    readers (``role="img"`` with ``aria-labelledby``)."""
    if not bars:
        return ""
    width, label_w, caption_w, row_h, top = 640, 210, 150, 28, 22
    track_w = width - label_w - caption_w - 10
    height = top + row_h * len(bars) + 8
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'preserveAspectRatio="xMinYMin meet" font-family="system-ui, sans-serif">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    for pct in (0, 50, 100):
        x = label_w + track_w * pct / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 4}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(x, top - 8, f"{pct} %", size=10, anchor="middle"))
    for i, bar in enumerate(bars):
        y = top + i * row_h
        share = max(0.0, min(1.0, bar.share))
        parts.append(_text(0, y + 15, _clip(bar.label)))
        parts.append(
            f'<rect x="{label_w}" y="{y + 3}" width="{track_w:.1f}" height="16" fill="{TRACK}"/>'
        )
        if share > 0:
            parts.append(
                f'<rect x="{label_w}" y="{y + 3}" width="{track_w * share:.1f}" height="16" '
                f'fill="{DONE}"/>'
            )
        caption = (
            f"{number_format(bar.delivered, 0, force_grouping=True)} / "
            f"{number_format(bar.planned, 0, force_grouping=True)} {bar.currency}"
        )
        parts.append(_text(label_w + track_w + 6, y + 15, caption, size=11))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label is escaped above
