"""The chart of the penalty figures: a horizontal bar chart drawn on the server as SVG
(docs/adr/0014-statistics-chart-server-side-svg.md). No script, no library, no other
origin: the page's Content-Security-Policy holds, and the table beside it carries the
same figures for readers without images or with a screen reader."""

from __future__ import annotations

from dataclasses import dataclass

#: Geometry (SVG user units; the chart scales to the page's width through its viewBox).
WIDTH = 360
LABEL = 150
BAR_MAX = WIDTH - LABEL - 40
ROW = 26
BAR = 16


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    url: str
    y: int
    width: int
    text_y: int
    value_x: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: int
    width: int = WIDTH
    label_x: int = LABEL - 6
    bar_x: int = LABEL


def bar_chart(rows: list[tuple[str, int, str]]) -> Chart:
    """``rows``: (label, value, link); each bar links to the list its value counts."""
    top = max((value for _label, value, _url in rows), default=0)
    bars = []
    for i, (label, value, url) in enumerate(rows):
        width = 0 if top == 0 else max(round(BAR_MAX * value / top), 1 if value else 0)
        y = 4 + i * ROW
        bars.append(Bar(label, value, url, y, width, y + BAR - 3, LABEL + width + 4))
    return Chart(bars, height=8 + ROW * len(rows))
