"""Charts for the monthly report, drawn with ReportLab graphics (vector, CJK labels in the embedded font).

Every String of a chart is set to the embedded body font explicitly: ReportLab's default Helvetica is not
embedded, and a PDF handed to the district must not depend on the reader's fonts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from desktop.documents.fonts import BODY, register_fonts

RECEIVED_COLOUR = colors.HexColor("#1f5fa8")
SETTLED_COLOUR = colors.HexColor("#e08a1e")
TYPE_COLOUR = colors.HexColor("#3a7d44")
AXIS_COLOUR = colors.HexColor("#555555")
GRID_COLOUR = colors.HexColor("#dddddd")


def nice_axis(top: float, ticks: int = 5) -> tuple[int, int]:
    """(step, maximum) of an integer axis from 0 that holds ``top`` with about ``ticks`` steps."""
    top = max(float(top), 4.0)  # small counts: 0–4 in steps of 1, never half cases
    raw = top / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(int(step), 1)
    return step, step * math.ceil(top / step)


def _drawing(width: float, height: float) -> Drawing:
    d = Drawing(width, height)
    # the renderer starts every drawing in this font; ReportLab's default is a non-embedded Helvetica
    d.initialFontName = BODY
    return d


def _style_value_axis(axis: object, top: float) -> None:
    step, maximum = nice_axis(top)
    axis.valueMin = 0  # type: ignore[attr-defined]
    axis.valueMax = maximum  # type: ignore[attr-defined]
    axis.valueStep = step  # type: ignore[attr-defined]
    axis.labels.fontName = BODY  # type: ignore[attr-defined]
    axis.labels.fontSize = 8  # type: ignore[attr-defined]
    axis.labelTextFormat = "%d"  # type: ignore[attr-defined]
    axis.strokeColor = AXIS_COLOUR  # type: ignore[attr-defined]
    axis.visibleGrid = True  # type: ignore[attr-defined]
    axis.gridStrokeColor = GRID_COLOUR  # type: ignore[attr-defined]
    axis.gridStrokeWidth = 0.4  # type: ignore[attr-defined]


def trend_chart(
    labels: Sequence[str], received: Sequence[int], settled: Sequence[int], width: float, height: float = 190
) -> Drawing:
    """Grouped bars of the cases received and settled in each of the last 12 months."""
    register_fonts()
    d = _drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 30
    chart.width, chart.height = width - 44, height - 62
    chart.data = [list(received), list(settled)]
    chart.groupSpacing = 6
    chart.barSpacing = 1
    chart.bars[0].fillColor = RECEIVED_COLOUR
    chart.bars[1].fillColor = SETTLED_COLOUR
    chart.bars.strokeColor = None
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.labels.fontName = BODY
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.dy = -3
    chart.categoryAxis.strokeColor = AXIS_COLOUR
    _style_value_axis(chart.valueAxis, max([*received, *settled], default=0))
    chart.barLabelFormat = lambda v: "" if not v else f"{int(v)}"
    chart.barLabels.fontName = BODY
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 5
    d.add(chart)
    legend = Legend()
    legend.fontName = BODY
    legend.fontSize = 9
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 80
    legend.dx = legend.dy = 8
    legend.x, legend.y = width / 2 - 80, height - 8
    legend.colorNamePairs = [(RECEIVED_COLOUR, "受理纠纷（件）"), (SETTLED_COLOUR, "调解成功（件）")]
    legend.strokeColor = None
    d.add(legend)
    return d


def type_chart(items: Sequence[tuple[str, int]], width: float) -> Drawing:
    """Horizontal bars of the month's cases by dispute type, in the order given (top to bottom)."""
    register_fonts()
    row = 15 if len(items) < 8 else 13.5
    label_width = max((len(label) for label, _n in items), default=4) * 8.5 + 8
    height = row * max(len(items), 1) + 44
    d = _drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 22
    chart.width, chart.height = width - label_width - 26, height - 40
    # the category axis runs bottom to top: reverse so the first type is at the top
    chart.data = [[n for _l, n in reversed(items)]]
    chart.bars[0].fillColor = TYPE_COLOUR
    chart.bars.strokeColor = None
    chart.barWidth = 8
    chart.groupSpacing = row - 8
    chart.categoryAxis.categoryNames = [label for label, _n in reversed(items)]
    chart.categoryAxis.labels.fontName = BODY
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = AXIS_COLOUR
    _style_value_axis(chart.valueAxis, max((n for _l, n in items), default=0))
    chart.barLabelFormat = lambda v: "" if not v else f"{int(v)}"
    chart.barLabels.fontName = BODY
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    d.add(chart)
    d.add(
        String(
            width - 26,
            height - 8,
            "单位：件",
            fontName=BODY,
            fontSize=8,
            textAnchor="end",
            fillColor=AXIS_COLOUR,
        )
    )
    return d
