"""The geometry of the "sales per day by customer group" chart, drawn as an inline SVG by the
template (which only writes out these numbers). Lines differ by colour and by dash pattern, so
the chart reads without colour too; every colour has a contrast of at least 4.5:1 on white."""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .selectors import DailySales

WIDTH = 720
HEIGHT = 320
LEFT, RIGHT, TOP, BOTTOM = 80, 16, 36, 56
Y_STEPS = 4
X_LABELS = 6
MARKED_DAYS = 31
# (stroke colour, stroke-dasharray): blue, red, green, purple, brown, teal, grey, plum.
STYLES = (
    ("#1f5fa8", ""),
    ("#b3261e", "8 4"),
    ("#1b7a3d", "2 3"),
    ("#6f3a96", "10 3 2 3"),
    ("#8a4b00", "5 5"),
    ("#00666f", "1 3"),
    ("#555555", "12 4"),
    ("#8a1c5b", "4 2 1 2"),
)


@dataclass(frozen=True)
class XTick:
    x: float
    day: date


@dataclass(frozen=True)
class YTick:
    y: float
    value: Decimal


@dataclass(frozen=True)
class Line:
    name: str
    colour: str
    dashes: str
    points: str  # "x,y x,y ..." for <polyline points>
    markers: list[tuple[float, float]]  # a dot per day, for short periods
    total: Decimal


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    x_ticks: list[XTick]
    y_ticks: list[YTick]
    lines: list[Line]
    first_day: date
    last_day: date

    @property
    def x_label_y(self) -> float:
        return self.bottom + 20

    @property
    def axis_title_y(self) -> float:
        return self.height - 8


def nice_step(top: Decimal) -> Decimal:
    """A round step (1, 2, 2.5 or 5 times a power of ten) so that Y_STEPS steps reach `top`."""
    if top <= 0:
        return Decimal(1)
    raw = top / Y_STEPS
    power = Decimal(10) ** math.floor(math.log10(raw))
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power  # pragma: no cover (10 x power always reaches raw)


def sales_chart(daily: DailySales) -> Chart:
    days = daily.days
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    peak = max((max(values) for values in daily.series.values()), default=Decimal(0))
    step = nice_step(peak)
    y_max = step * max(1, math.ceil(peak / step))

    def x_of(index: int) -> float:
        if len(days) == 1:
            return (LEFT + right) / 2
        return LEFT + (right - LEFT) * index / (len(days) - 1)

    def y_of(value: Decimal) -> float:
        return bottom - float(value / y_max) * (bottom - TOP)

    every = max(1, math.ceil(len(days) / X_LABELS))
    x_ticks = [XTick(x=round(x_of(i), 1), day=days[i]) for i in range(0, len(days), every)]
    y_ticks = [
        YTick(y=round(y_of(step * n), 1), value=step * n) for n in range(int(y_max / step) + 1)
    ]
    lines = [
        Line(
            name=name,
            colour=STYLES[index % len(STYLES)][0],
            dashes=STYLES[index % len(STYLES)][1],
            points=" ".join(f"{x_of(i):.1f},{y_of(value):.1f}" for i, value in enumerate(values)),
            markers=[(round(x_of(i), 1), round(y_of(v), 1)) for i, v in enumerate(values)]
            if len(days) <= MARKED_DAYS
            else [],
            total=sum(values, Decimal("0.00")),
        )
        for index, (name, values) in enumerate(sorted(daily.series.items()))
    ]
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        left=LEFT,
        right=right,
        top=TOP,
        bottom=bottom,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        lines=lines,
        first_day=days[0],
        last_day=days[-1],
    )
