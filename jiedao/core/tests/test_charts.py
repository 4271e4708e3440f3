"""The server-drawn SVG charts: well-formed, escaped, titled, and drawn to scale."""

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import translation

from jiedao.core import charts

NS = "{http://www.w3.org/2000/svg}"
STATUS_LABELS = {"done": "已完成", "late": "滞后", "none": "未填报"}
STATUS_COLOURS = {"done": "#166534", "late": "#b91c1c", "none": "#9ca3af"}


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):  # the words drawn (基线, 目标, 暂无数据) are checked as written
        yield


def parse(svg: str) -> ET.Element:
    """The chart as XML: parsing fails on markup that escaping let through or on a broken tag."""
    return ET.fromstring(svg)


def bars(root: ET.Element) -> list[ET.Element]:
    """The data bars of a grouped bar chart: the rects that carry a tooltip (the legend's do not)."""
    return [r for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]


def every_chart(title: str) -> list[str]:
    return [
        charts.grouped_bars(["一月", "二月"], [("立案数", [3, 5])], title=title),
        charts.stacked_bar({"done": 2, "late": 1}, title=title, labels=STATUS_LABELS, colours=STATUS_COLOURS),
        charts.line_chart([("2024", Decimal("1.5")), ("2025", Decimal("2"))], title=title),
        charts.sparkline([1, 2, 3], title=title),
        charts.progress_bar(40, title=title),
        charts.grouped_bars([], [], title=title),
    ]


def test_every_chart_is_an_image_named_by_its_title():
    for svg in every_chart("按时办结率"):
        root = parse(svg)
        assert root.tag == f"{NS}svg" and root.get("role") == "img" and "chart" in root.get("class")
        assert root.get("aria-label") == "按时办结率"
        assert root[0].tag == f"{NS}title" and root[0].text == "按时办结率"


def test_a_title_that_is_markup_comes_out_escaped():
    for svg in every_chart('<script>alert("x")</script>'):
        assert "<script>" not in svg and "&lt;script&gt;" in svg
        assert parse(svg).get("aria-label") == '<script>alert("x")</script>'


def test_labels_and_series_names_that_are_markup_come_out_escaped():
    svg = charts.grouped_bars(["<script>alert(1)</script>"], [("A & <b>B</b>", [1])], title="t", unit="<u>")
    assert "<script>" not in svg and "<b>" not in svg and "<u>" not in svg
    assert "&lt;script&gt;" in svg and "A &amp; &lt;b&gt;B&lt;/b&gt;" in svg
    texts = [t.text for t in parse(svg).iter(f"{NS}text")]
    assert "A & <b>B</b>" in texts  # the legend

    svg = charts.line_chart([("<i>2024</i>", 1)], title="t", unit='"m"')
    assert "<i>" not in svg and "&lt;i&gt;2024&lt;/i&gt;" in svg and "&quot;m&quot;" in svg
    svg = charts.stacked_bar({"x": 1}, title="t", labels={"x": "<em>x</em>"}, colours={"x": '"red" onclick="y'})
    assert "<em>" not in svg
    segment = bars(parse(svg))[0]
    assert segment.get("fill") == '"red" onclick="y' and segment.get("onclick") is None


def test_bar_heights_are_proportional_to_the_values():
    root = parse(charts.grouped_bars(["a", "b", "c", "d"], [("n", [10, 20, 40, 0])], title="t"))
    heights = [float(r.get("height")) for r in bars(root)]
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.2)
    assert heights[2] == pytest.approx(4 * heights[0], abs=0.2)
    assert heights[3] == 0
    # The tallest bar spans the plot: it starts where the top grid line is.
    assert float(bars(root)[2].get("y")) == min(float(line.get("y1")) for line in root.iter(f"{NS}line"))


def test_a_fixed_top_scales_rates_against_100():
    root = parse(charts.grouped_bars(["a", "b"], [("按时办结率", [50, 100])], title="t", unit="%", top=100))
    half, full = (float(r.get("height")) for r in bars(root))
    assert full == pytest.approx(2 * half, abs=0.2)
    assert "100%" in [t.text for t in root.iter(f"{NS}text")]


def test_integer_scales_step_by_whole_numbers():
    root = parse(charts.grouped_bars(["a"], [("立案数", [5])], title="t", integer=True))
    ticks = [t.text for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"]
    assert ticks == ["0", "2", "4", "6", "8"]


def test_series_sit_side_by_side_in_their_own_colours_with_a_legend():
    root = parse(charts.grouped_bars(["a"], [("立案数", [4]), ("结案数", [2])], title="t"))
    first, second = bars(root)
    assert float(second.get("x")) > float(first.get("x"))
    assert (first.get("fill"), second.get("fill")) == charts.SERIES_COLOURS[:2]
    assert second.find(f"{NS}title").text == "a · 结案数: 2"
    assert {"立案数", "结案数"} <= {t.text for t in root.iter(f"{NS}text")}


def test_a_none_value_draws_no_bar_but_keeps_its_label():
    root = parse(charts.grouped_bars(["a", "b", "c"], [("n", [1, None, 3])], title="t"))
    assert [r.find(f"{NS}title").text for r in bars(root)] == ["a · n: 1", "c · n: 3"]
    assert {"a", "b", "c"} <= {t.text for t in root.iter(f"{NS}text")}


def test_a_none_value_is_a_gap_in_the_line_chart():
    root = parse(charts.line_chart([("Q1", 1), ("Q2", None), ("Q3", 3), ("Q4", 2)], title="t"))
    dots = [c.find(f"{NS}title").text for c in root.iter(f"{NS}circle")]
    assert dots == ["Q1: 1", "Q3: 3", "Q4: 2"]
    assert len(root.find(f"{NS}polyline").get("points").split()) == 3
    assert {"Q1", "Q2", "Q3", "Q4"} <= {t.text for t in root.iter(f"{NS}text")}


def test_the_line_chart_draws_the_target_and_the_baseline_as_dashed_lines():
    root = parse(charts.line_chart([("2024", 5), ("2025", 6)], title="t", unit="条", target=Decimal("8"),
                                   baseline=Decimal("2")))
    dashed = [line for line in root.iter(f"{NS}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 2
    texts = {t.text for t in root.iter(f"{NS}text")}
    assert {"基线 2条", "目标 8条"} <= texts
    baseline_y, target_y = (float(line.get("y1")) for line in dashed)
    assert target_y < baseline_y  # higher values higher up


def test_a_single_value_draws_a_dot_and_no_line():
    root = parse(charts.line_chart([("2025", 3)], title="t"))
    assert len(list(root.iter(f"{NS}circle"))) == 1 and root.find(f"{NS}polyline") is None


def test_an_empty_series_says_there_is_no_data_yet():
    for svg in (charts.grouped_bars([], [], title="t"),
                charts.grouped_bars(["a", "b"], [("n", [None, None])], title="t"),
                charts.line_chart([], title="t"),
                charts.line_chart([("2024", None)], title="t")):
        root = parse(svg)
        assert root.get("height") == "40" and [t.text for t in root.iter(f"{NS}text")] == ["暂无数据"]
        assert not bars(root)


def test_a_line_chart_with_only_a_target_still_draws_the_target():
    root = parse(charts.line_chart([("2024", None)], title="t", target=Decimal("5")))
    assert "目标 5" in {t.text for t in root.iter(f"{NS}text")} and root.find(f"{NS}circle") is None


def test_a_sparkline_skips_none_and_draws_nothing_under_two_values():
    root = parse(charts.sparkline([1, None, 3, 2], title="t", width=96, height=22))
    points = [tuple(map(float, p.split(","))) for p in root.find(f"{NS}polyline").get("points").split()]
    assert [x for x, _y in points] == [2, 63.3, 94]
    assert points[1][1] < points[2][1] < points[0][1]  # 3 highest, 1 lowest
    assert charts.sparkline([None, 4, None], title="t") == "" and charts.sparkline([], title="t") == ""


def test_the_stacked_bar_splits_by_count_in_the_callers_colours_and_leaves_out_empty_statuses():
    root = parse(charts.stacked_bar({"done": 3, "late": 1, "none": 0}, title="t", labels=STATUS_LABELS,
                                    colours=STATUS_COLOURS, width=400))
    segments = bars(root)
    assert [(s.get("fill"), s.get("width")) for s in segments] == [("#166534", "300"), ("#b91c1c", "100")]
    assert [s.find(f"{NS}title").text for s in segments] == ["已完成: 3", "滞后: 1"]
    assert {"已完成 3", "滞后 1"} <= {t.text for t in root.iter(f"{NS}text")}
    assert "未填报" not in charts.stacked_bar({"done": 3, "none": 0}, title="t", labels=STATUS_LABELS,
                                            colours=STATUS_COLOURS)


def test_the_stacked_bar_legend_wraps_within_its_width():
    labels = {str(i): f"状态名称{i}" for i in range(6)}
    colours = dict.fromkeys(labels, "#000")
    root = parse(charts.stacked_bar(dict.fromkeys(labels, 1), title="t", labels=labels, colours=colours, width=200))
    legend = [r for r in root.iter(f"{NS}rect") if r.get("height") == "11"]
    assert len({r.get("y") for r in legend}) > 1
    assert all(float(r.get("x")) < 200 for r in legend)
    assert int(root.get("height")) > 48


@pytest.mark.parametrize(("progress", "done", "colour"), [
    (None, "0", "#1d4ed8"), (-5, "0", "#1d4ed8"), (30, "36", "#1d4ed8"),
    (100, "120", "#166534"), (140, "120", "#166534"),
])
def test_the_progress_bar_is_clamped_to_0_to_100_and_green_when_complete(progress, done, colour):
    root = parse(charts.progress_bar(progress))
    _track, bar = root.iter(f"{NS}rect")
    assert (bar.get("width"), bar.get("fill")) == (done, colour)
    assert root.find(f"{NS}line") is None


def test_the_progress_bar_marks_the_planned_progress_and_is_titled_with_its_value():
    root = parse(charts.progress_bar(30, planned=Decimal("50"), width=240))
    assert root.find(f"{NS}line").get("x1") == "120" and root.get("aria-label") == "30%"


def test_coordinates_are_never_localised(settings):
    settings.USE_THOUSAND_SEPARATOR = True
    root = parse(charts.grouped_bars(["a"], [("n", [1500])], title="t", width=1200, height=1000))
    assert root.get("width") == "1200" and root.get("viewBox") == "0 0 1200 1000"


@pytest.mark.parametrize("values, upper, expected", [
    ([70.6, 79.5, 66.0], 100, ["0", "25", "50", "75", "100"]),  # a score out of 100 (平安指数)
    ([70.6, 79.5, 66.0], None, ["0", "20", "40", "60", "80"]),  # the values' own span, in round steps
    ([0.3, 1.7], None, ["0", "0.5", "1", "1.5", "2"]),
    ([1200, 4830], None, ["0", "2,000", "4,000", "6,000"]),
])
def test_the_value_axis_is_labelled_in_round_steps(values, upper, expected):
    """Ticks at 0, 25, 50 …, not at a quarter of whatever the data spans (0, 19.88, 39.75 …)."""
    root = parse(charts.line_chart([(str(i), v) for i, v in enumerate(values)], title="t", upper=upper))
    labels = [t.text for t in root.iter(f"{NS}text") if t.get("text-anchor") == "end"]
    assert labels == expected
