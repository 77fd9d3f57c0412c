"""The comparison's chart laid out: grouped bars, one group per figure and one bar per year, their
heights proportional to the values (the largest fills the plot). The template draws it as inline
SVG: no script, no font or file from elsewhere."""

from __future__ import annotations

from dataclasses import dataclass

from compliance.models.comparison import ChartFigure

PLOT_HEIGHT = 220  # px: the tallest bar
BAR = 26  # px: a bar's width
GROUP = 2 * BAR + 30  # px: a figure's two bars and the space after them
LEFT, TOP, BOTTOM = 16, 24, 46  # px: room for the first group, the values above, the labels below


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    value: float | None  # None: that year's table does not give it
    year: str  # "last" or "this"
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: float
    bars: list[Bar]
    labels: list[tuple[float, str]]  # (x of the group's middle, the figure's label)
    bar_width: int = BAR


def layout_chart(figures: list[ChartFigure]) -> Chart:
    largest = max((v for f in figures for v in (f.last, f.this) if v is not None), default=0.0)
    scale = PLOT_HEIGHT / largest if largest > 0 else 0.0
    baseline = TOP + PLOT_HEIGHT
    bars: list[Bar] = []
    labels: list[tuple[float, str]] = []
    for index, figure in enumerate(figures):
        x = LEFT + index * GROUP
        for offset, (year, value) in enumerate((("last", figure.last), ("this", figure.this))):
            height = (value or 0.0) * scale
            bars.append(Bar(x + offset * BAR, baseline - height, height, value, year, figure.label))
        labels.append((x + BAR, figure.label))
    return Chart(
        width=LEFT + len(figures) * GROUP, height=baseline + BOTTOM, baseline=baseline, bars=bars, labels=labels
    )
