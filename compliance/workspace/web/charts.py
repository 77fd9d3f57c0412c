"""The dashboard's charts laid out: horizontal bars, one a line, each a link to the list behind it,
lengths proportional to the counts (the largest fills the plot). The template draws them as inline
SVG: no script, no font or file from elsewhere."""

from __future__ import annotations

from dataclasses import dataclass

PLOT = 360  # px: the longest bar
ROW = 24  # px: a bar's line
LABEL = 300  # px: room for the labels left of the bars (24 Chinese characters)
COUNT = 48  # px: room for the count right of the longest bar


@dataclass(frozen=True)
class Bar:
    y: int
    width: float
    label: str
    count: int
    link: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bars: list[Bar]


def bar_chart(items: list[tuple[str, int, str]]) -> BarChart:
    """``items``: (label, count, link) in the order shown."""
    largest = max((count for _label, count, _link in items), default=0)
    scale = PLOT / largest if largest else 0.0
    bars = [Bar(index * ROW, count * scale, label, count, link) for index, (label, count, link) in enumerate(items)]
    return BarChart(width=LABEL + PLOT + COUNT, height=max(len(items), 1) * ROW, label_width=LABEL, bars=bars)
