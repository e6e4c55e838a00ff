"""The Class page's pictures: a checkpoint's answers (first try against final), the class's runs on
α against test accuracy, and the join link's QR code."""

from __future__ import annotations

import io
import re

import numpy as np
import plotly.graph_objects as go
import pytest
from PIL import Image

from playground.classroom import qr
from playground.figures import classroom as figs

WORDS = {name: name.upper() for name in figs.WORDS} | {
    "hover_run": "α = {rate}, {iterations} it, {init}<br>test {test}, train {train}", "more": "+{n}",
    "hover_same": "{n} alike"}


# ------------------------------------------------------------------ answer bars


def test_a_choice_lists_every_option_in_order_answered_or_not():
    bars = figs.answer_bars({"zigzag": 2, "blow_up": 1}, {"blow_up": 3}, order=("downhill", "zigzag", "blow_up", "stall"))
    assert bars == figs.AnswerBars(("downhill", "zigzag", "blow_up", "stall"), (0, 2, 1, 0), (0, 0, 3, 0))


def test_numbers_come_in_increasing_order_and_the_rare_ones_are_summed():
    first = {f"0.{k}": 1 for k in range(20)} | {"0.693": 5, "abc": 1}
    final = {"0.693": 9, "0.7": 2}
    bars = figs.answer_bars(first, final, numeric=True, limit=5)
    assert len(bars.answers) == 5 and bars.answers[-1] is None  # four kept, then "other"
    kept = [float(a) for a in bars.answers[:-1]]
    assert kept == sorted(kept) and "0.693" in bars.answers and "0.7" in bars.answers
    assert sum(bars.first) == sum(first.values()) and sum(bars.final) == sum(final.values())  # nobody lost


def test_a_revealed_right_answer_keeps_its_own_bar():
    first = {str(k): 10 - k for k in range(10)} | {"42": 1}
    assert "42" not in figs.answer_bars(first, {}, limit=4).answers
    assert "42" in figs.answer_bars(first, {}, limit=4, keep=("42",)).answers


def test_hidden_answers_are_drawn_alike_revealed_ones_in_green():
    labels, first, final = ["0.5", "0.693"], [1, 1], [0, 2]
    hidden = figs.answers_figure(labels, first, final, WORDS)
    assert [tr.name for tr in hidden.data] == ["FIRST", "FINAL"] and hidden.layout.barmode == "group"
    assert list(hidden.data[0].y) == [1, 1] and list(hidden.data[1].y) == [0, 2]
    assert list(hidden.layout.xaxis.ticktext) == ["0.5", "0.693"]
    assert all(isinstance(tr.marker.color, str) for tr in hidden.data)
    shown = figs.answers_figure(labels, first, final, WORDS, right=[False, True])
    assert list(shown.layout.xaxis.ticktext) == ["0.5", "✓ 0.693"]
    assert list(shown.data[1].marker.color) == [figs.OTHER_FINAL_COLOR, figs.RIGHT_FINAL_COLOR]
    assert list(shown.data[1].text) == ["", "2"]  # a count over each bar, none over an empty one


def test_answer_labels_are_text_escaped_and_wrapped():
    fig = figs.answers_figure(["<b>x</b> & <a href='javascript:1'>y</a>", "w" * 100], [1, 1], [1, 1], WORDS)
    escaped, long = fig.layout.xaxis.ticktext
    assert "<b>" not in escaped and "<a " not in escaped and "&lt;b&gt;" in escaped and "&amp;" in escaped
    assert long.endswith("…") and long.count("<br>") == (figs.MAX_LABEL - 1) // figs.LABEL_WIDTH
    assert list(fig.data[0].x) == [0, 1]  # by position: labels alike stay apart


def test_bad_counts_raise():
    with pytest.raises(ValueError, match="one count per answer, got 2 labels, 1 first counts"):
        figs.answers_figure(["a", "b"], [1], [1, 1], WORDS)
    with pytest.raises(ValueError, match="counts of students"):
        figs.answers_figure(["a"], [-1], [1], WORDS)


# ------------------------------------------------------------------ the runs


def _points():
    """Five runs: three alike (the course's settings), one with MSE, one that diverged."""
    return figs.run_points(
        learning_rates=[0.005, 0.005, 0.005, 0.05, 1.0], test_accuracies=[70.0, 70.0, 70.0, 64.0, None],
        losses=["cross_entropy", "cross_entropy", "cross_entropy", "mse", "cross_entropy"],
        diverged=[False, False, False, False, True], nicknames=["Ada", "", "<b>Cy</b>", "Dee", "Eve"],
        iterations=[2000, 2000, 2000, 1000, 2000], inits=["zeros"] * 5, train_accuracies=[99.04, 99.04, 99.04, 80.0, None])


def test_identical_runs_make_one_point_that_names_who_sent_them():
    points = _points()
    assert [p.count for p in points] == [3, 1, 1]
    assert points[0].nicknames == ("Ada", "", "<b>Cy</b>")


def test_the_scatter_has_alpha_on_a_log_axis_colours_by_loss_and_crosses_for_divergence():
    fig = figs.runs_figure(_points(), WORDS, {"cross_entropy": "Cross-entropy", "mse": "MSE"}, {"zeros": "w = 0"})
    assert fig.layout.xaxis.type == "log" and tuple(fig.layout.yaxis.range) == (-5, 105)
    lo, hi = fig.layout.xaxis.range  # (log10 units) every α inside
    assert lo < np.log10(0.005) and hi > np.log10(1.0)
    assert list(fig.layout.xaxis.ticktext) == ["0.01", "0.1", "1"]
    by_name = {tr.name: tr for tr in fig.data}
    assert set(by_name) == {"Cross-entropy", "Cross-entropy · DIVERGED", "MSE"}
    ce, broke, mse = by_name["Cross-entropy"], by_name["Cross-entropy · DIVERGED"], by_name["MSE"]
    assert ce.marker.color != mse.marker.color and broke.marker.color == ce.marker.color
    assert ce.marker.symbol == "circle" and broke.marker.symbol == "x"
    assert list(broke.y) == [figs.NO_ACCURACY] and "test DIVERGED" in broke.hovertext[0]
    assert ce.marker.size[0] > mse.marker.size[0]  # three runs in one point: larger
    hover = ce.hovertext[0]
    assert "Ada, ANONYMOUS, &lt;b&gt;Cy&lt;/b&gt;" in hover and "<b>Cy" not in hover
    assert "3 alike" in hover and "α = 0.005, 2,000 it, w = 0" in hover and "test 70 %, train 99.04 %" in hover


def test_the_alpha_axis_spans_the_sliders_rates_whatever_the_runs():
    fig = figs.runs_figure(_points(), WORDS, {"mse": "MSE"}, rates=(1e-5, 10.0))
    lo, hi = fig.layout.xaxis.range
    assert lo < -5 < 1 < hi and list(fig.layout.xaxis.ticktext) == [
        "0.00001", "0.0001", "0.001", "0.01", "0.1", "1", "10"]
    assert list(fig.layout.xaxis.tickvals) == pytest.approx([1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0])


def test_a_crowded_point_lists_a_few_names_and_counts_the_rest():
    n = figs.MAX_NAMES + 4
    points = figs.run_points([0.01] * n, [80.0] * n, ["mse"] * n, [False] * n, [f"s{k}" for k in range(n)],
                             [500] * n, ["random"] * n)
    hover = figs.runs_figure(points, WORDS, {"mse": "MSE"}).data[0].hovertext[0]
    assert f"s{figs.MAX_NAMES - 1}, " not in hover and f"s{figs.MAX_NAMES - 1} +4" in hover and "s9" not in hover


def test_no_runs_draws_empty_axes_and_bad_runs_raise():
    fig = figs.runs_figure((), WORDS, {"mse": "MSE"})
    assert not fig.data and fig.layout.xaxis.type == "log"
    with pytest.raises(ValueError, match="positive learning rates"):
        figs.run_points([0.0], [1.0], ["mse"], [False], [""], [1], ["zeros"])
    with pytest.raises(ValueError, match="one value of each per run"):
        figs.run_points([0.1, 0.2], [1.0], ["mse"], [False], [""], [1], ["zeros"])


def test_the_figures_are_valid_plotly():
    # Built without validation (they are redrawn every two seconds): validated here, and unchanged by it.
    for fig in (figs.answers_figure(["a"], [1], [2], WORDS, [True]), figs.answers_figure(["a", "b"], [9, 0], [3, 9], WORDS),
                figs.runs_figure(_points(), WORDS, {"cross_entropy": "CE", "mse": "MSE"}, {"zeros": "w = 0"}, (1e-5, 10)),
                figs.runs_figure((), WORDS, {})):
        checked = go.Figure(fig.to_dict())  # raises on anything plotly.js would not read
        assert checked.to_dict() == fig.to_dict()


# ------------------------------------------------------------------ the QR code

URL = "http://192.168.1.20:8501/?class=AHKQR"


def test_the_png_draws_exactly_the_codes_modules_with_a_quiet_zone():
    modules = np.array(qr.modules(URL))
    side = modules.shape[0]
    assert modules.shape == (side, side) and (side - 17) % 4 == 0  # a QR code's size: version · 4 + 17
    scale = 6
    image = np.asarray(Image.open(io.BytesIO(qr.qr_png(URL, scale=scale))).convert("L"))
    assert image.shape == ((side + 2 * qr.BORDER) * scale,) * 2
    centres = image[scale // 2::scale, scale // 2::scale] < 128  # one sample per module
    border = qr.BORDER
    assert not centres[:border].any() and not centres[-border:].any()  # the quiet zone is light
    assert not centres[:, :border].any() and not centres[:, -border:].any()
    assert (centres[border:-border, border:-border] == modules).all()
    finder = modules[:7, :7]  # the top-left finder pattern: a dark ring, a light ring, a dark 3 × 3
    assert finder[0].all() and finder[:, 0].all() and not finder[1, 1:6].any() and finder[2:5, 2:5].all()


def test_the_svg_scales_and_draws_the_same_modules():
    svg = qr.qr_svg(URL)
    side = len(qr.modules(URL)) + 2 * qr.BORDER
    assert svg.startswith(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {side} {side}"')
    assert "width=" not in svg.split(">")[0]  # no fixed size: sharp at any width
    dark = np.zeros((side, side), bool)
    path = re.search(r'<path[^>]*stroke="#111827"[^>]*d="([^"]+)"', svg).group(1)
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmhv])(-?[\d.]+)(?: (-?[\d.]+))?", path):  # segno's horizontal runs
        a = float(a)
        if op in "Mm":
            x, y = (a, float(b)) if op == "M" else (x + a, y + float(b))
        elif op == "h":
            if a > 0:
                dark[int(y), int(x):int(x + a)] = True
            x += a
    assert (dark[qr.BORDER:-qr.BORDER, qr.BORDER:-qr.BORDER] == np.array(qr.modules(URL))).all()
    assert not dark[:qr.BORDER].any()


def test_a_longer_link_makes_a_denser_code_and_bad_links_raise():
    assert len(qr.modules(URL + "&lang=ko")) >= len(qr.modules(URL))
    assert len(qr.modules("x" * 400)) > len(qr.modules(URL))
    with pytest.raises(ValueError, match="link of at most 1,000 characters, got 1,001"):
        qr.qr_svg("x" * 1001)
    with pytest.raises(ValueError, match="Expected a link to encode"):
        qr.qr_png("  ")
    with pytest.raises(ValueError, match="scale of 1 to 64"):
        qr.qr_png(URL, scale=0)
