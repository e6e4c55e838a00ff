"""Figures of the Train page: built from real training runs, checked for what they draw."""

from __future__ import annotations

import dataclasses
import json
import re

import numpy as np
import pytest
from numpy.testing import assert_allclose

from playground.data.builtin import make_builtin_dataset
from playground.data.features import make_features, pixel_index
from playground.figures import training as figs
from playground.figures.pictures import diverging_levels, diverging_palette
from playground.figures.replay import replay_figure
from playground.training import TrainingSettings, train
from playground.ui.i18n import catalog
from tests.course_reference import BASELINE_CONFUSION, LEARNING_RATE_TABLE
from tests.helpers import random_pictures

MAX_FIGURE_BYTES = 2_000_000


def _words(lang: str) -> dict[str, str]:
    """The words on the figures, as the Train page passes them (locales' train.fig_<name>)."""
    return {name: catalog(lang)[f"train.fig_{name}"] for name in figs.WORDS}


EN, KO = _words("en"), _words("ko")


@pytest.fixture(scope="module")
def builtin_features():
    return make_features(make_builtin_dataset(0))


def _noise_dataset(m: int = 60, seed: int = 0):
    """Random 1 × 1 pictures with random labels (m to train on, 10 to test, both classes among the
    first): no w separates them, so a big step never recovers."""
    return random_pictures(m + 10, (1, 1, 3), seed, name="noise",
                           labels=lambda x, rng: np.r_[0, 1, rng.integers(0, 2, len(x) - 2)])


@pytest.fixture(scope="module")
def broken_run():
    """A run whose cost turns NaN at iteration 1 (features ~1e300 overflow z): training stops there."""
    F = make_features(_noise_dataset())
    F = dataclasses.replace(F, key="huge", X_train=F.X_train * 1e300, X_test=F.X_test * 1e300, K_train=None, K_test=None)
    result = train(F, TrainingSettings(learning_rate=1.0, num_iterations=50))
    assert result.stopped_early and not np.isfinite(result.costs[-1])
    return result


def _spec(fig) -> dict:
    return json.loads(fig.to_json())


def _values(trace: dict, key: str = "y") -> np.ndarray:
    """A trace's numbers as floats, whether Plotly wrote them as a list or as base64 'bdata'."""
    import base64

    v = trace[key]
    if isinstance(v, dict):
        arr = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
        return arr.astype(float)
    return np.array([np.nan if x is None else x for x in v], dtype=float)


# ---------------------------------------------------------------- helpers


def test_plottable_hides_what_cannot_be_drawn():
    y = np.array([1.0, np.nan, np.inf, -np.inf, 0.0, -2.0, 1e300, 0.5])
    lin = figs.plottable(y)
    assert lin.dtype == np.float32
    assert_allclose(lin[[0, 4, 5, 7]], [1.0, 0.0, -2.0, 0.5])
    assert np.isnan(lin[[1, 2, 3, 6]]).all()
    log = figs.plottable(y, log_y=True)
    assert np.isnan(log[[1, 2, 3, 4, 5, 6]]).all() and log[0] == 1.0 and log[7] == 0.5


def test_cost_series_ends_with_the_cost_at_the_final_weights():
    x, y = figs.cost_series([0.7, 0.6, 0.5], 0.45)
    assert x.tolist() == [0, 1, 2, 3] and y.tolist() == [0.7, 0.6, 0.5, 0.45]
    x, y = figs.cost_series([0.7, np.inf], float("nan"))
    assert x.tolist() == [0, 1]
    x, y = figs.cost_series([], 0.69)
    assert x.tolist() == [0] and y.tolist() == [0.69]
    # A test history recorded every 50 iterations of a 120-iteration run: at 0, 50, 100, then 120.
    x, y = figs.cost_series([0.7, 0.5, 0.4], 0.35, every=50, total=120)
    assert x.tolist() == [0, 50, 100, 120] and y.tolist() == [0.7, 0.5, 0.4, 0.35]


def test_a_test_curve_recorded_every_50_iterations_is_drawn_at_those_iterations(builtin_features):
    from playground.training import TrainingSettings, train

    run = train(builtin_features, TrainingSettings(num_iterations=120), test_every=50)
    spec = _spec(figs.cost_figure(run, EN))
    test = next(tr for tr in spec["data"] if tr.get("name") == EN["test_cost"])
    assert _values(test, "x").tolist() == [0, 50, 100, 120]
    with pytest.raises(ValueError, match="test_every=1"):
        replay_figure(run, (64, 64, 3), EN)


def test_weights_grid_puts_each_weight_on_its_pixel():
    shape = (4, 5, 3)
    w = np.arange(60, dtype=float).reshape(-1, 1)
    grid = figs.weights_grid(w, shape)
    for r, c, k in [(0, 0, 0), (2, 3, 1), (3, 4, 2)]:
        assert grid[r, c, k] == w[pixel_index(r, c, k, width=5), 0]


def test_weights_rgb_is_grey_at_zero_and_brighter_for_positive_weights():
    w = np.zeros(12)
    w[pixel_index(0, 0, 0, width=2)] = 1.0      # red, positive
    w[pixel_index(1, 1, 2, width=2)] = -1.0     # blue, negative
    w[pixel_index(0, 1, 1, width=2)] = np.nan   # not finite: shown as 0
    rgb = figs.weights_rgb(w, (2, 2, 3), limit=1.0)
    assert rgb.dtype == np.uint8 and rgb.shape == (2, 2, 3)
    assert rgb[0, 0, 0] == 255 and rgb[1, 1, 2] == 1 and rgb[0, 1, 1] == 128 and rgb[1, 0, 0] == 128


def test_weights_limit_ignores_non_finite_values_and_all_zero_w():
    assert figs.weights_limit(np.zeros(10)) == 1.0
    assert figs.weights_limit(np.array([np.nan, np.inf])) == 1.0
    w = np.r_[np.full(999, 0.1), 50.0]
    assert figs.weights_limit(w) < 1.0  # one extreme weight does not wash the picture out


# ---------------------------------------------------------------- figures of a run


def test_cost_figure_draws_train_and_test_cost_per_iteration(builtin_features):
    result = train(builtin_features, TrainingSettings(num_iterations=300))
    spec = _spec(figs.cost_figure(result, EN))
    train_trace, test_trace = spec["data"]
    y = _values(train_trace)
    assert len(y) == 301  # iterations 0 … 299, then the cost at the final weights
    assert_allclose(y[:300], result.costs, rtol=1e-6)
    assert_allclose(y[300], result.final_cost, rtol=1e-6)
    assert_allclose(_values(test_trace)[:300], result.test_costs, rtol=1e-6)
    assert spec["layout"]["yaxis"]["type"] == "linear"
    assert _spec(figs.cost_figure(result, EN, log_y=True))["layout"]["yaxis"]["type"] == "log"


def test_cost_figure_marks_where_a_run_diverged():
    result = train(make_features(_noise_dataset()), TrainingSettings(learning_rate=100.0, num_iterations=200))
    assert result.diverged and not result.recovered
    spec = _spec(figs.cost_figure(result, EN, log_y=True))
    assert any(s.get("x0") == result.diverged_at for s in spec["layout"].get("shapes", []))
    assert any("10× its start" in a["text"] for a in spec["layout"]["annotations"])
    y = _values(spec["data"][0])
    assert (y[np.isfinite(y)] > 0).all()


def test_a_run_that_broke_is_drawn_up_to_there_without_nan_in_the_json(broken_run):
    for fig in (figs.cost_figure(broken_run, EN), figs.cost_figure(broken_run, EN, log_y=True),
                replay_figure(broken_run, (1, 1, 3), EN), figs.lr_comparison_figure({1.0: broken_run}, EN)):
        text = fig.to_json()
        assert "NaN" not in text and "Infinity" not in text
    spec = _spec(figs.cost_figure(broken_run, EN))
    y = _values(spec["data"][0])
    assert np.isfinite(y[0]) and np.isnan(y[1:]).all()
    assert any("training stopped" in a["text"] for a in spec["layout"]["annotations"])


def test_log_ticks_write_each_value_in_full():
    ticks = figs.log_ticks([np.array([0.135, 1.7268])])  # the course's run at α = 0.005, every iteration
    assert ticks["tickvals"] == [0.2, 0.3, 0.5, 1.0] and ticks["ticktext"] == ["0.2", "0.3", "0.5", "1"]
    ticks = figs.log_ticks([np.array([0.35, 0.9])])  # under one decade: 1 … 9 in it
    assert ticks["ticktext"] == ["0.4", "0.5", "0.6", "0.7", "0.8", "0.9"]
    ticks = figs.log_ticks([np.array([1e-3, np.nan, 1051.0, -1.0])])  # a run that blew up: powers of ten
    assert ticks["ticktext"] == ["0.001", "0.01", "0.1", "1", "10", "100", "1,000"]
    wide = figs.log_ticks([np.array([1e-9, 1e9])])
    assert 2 <= len(wide["tickvals"]) <= 8 and all("e" in t for t in wide["ticktext"][:2])
    assert figs.log_ticks([np.array([0.6, 0.69])]) == {"tickformat": "~g"}  # Plotly's ticks, full labels
    assert figs.log_ticks([np.array([np.nan, 0.0])]) == {}


def test_cost_figure_every_100_iterations_draws_the_costs_as_the_course_records_them(builtin_features):
    result = train(builtin_features, TrainingSettings(num_iterations=450))
    spec = _spec(figs.cost_figure(result, EN, every=100, title="Cost"))
    train_trace, test_trace = spec["data"]
    assert _values(train_trace, "x").tolist() == [0, 100, 200, 300, 400, 450]  # then the end, 450
    assert_allclose(_values(train_trace)[:5], result.costs[::100], rtol=1e-6)
    assert_allclose(_values(train_trace)[5], result.final_cost, rtol=1e-6)
    assert _values(test_trace, "x").tolist() == [0, 100, 200, 300, 400, 450]
    assert train_trace["mode"] == "lines+markers" and train_trace["zorder"] == 1  # over the test curve
    assert spec["layout"]["xaxis"]["title"]["text"] == "iteration (the cost every 100)"


def test_the_legend_sits_under_the_title_not_beside_it(builtin_features):
    result = train(builtin_features, TrainingSettings(num_iterations=50))
    for size in (14, 19):  # as shown, and in presenter mode
        layout = _spec(figs.cost_figure(result, EN, title="Cost per iteration", font_size=size))["layout"]
        title, legend = layout["title"], layout["legend"]
        assert title["yref"] == "container" and title["y"] == 1 and title["yanchor"] == "top"
        assert legend["yanchor"] == "bottom" and legend["y"] == 1 and legend["xanchor"] == "left"
        # The top margin holds the title's line and the legend's row one above the other.
        assert layout["margin"]["t"] >= title["font"]["size"] + 1.5 * size + 16


def _pictures(markup: str) -> list[np.ndarray]:
    """The pixels of every <img> data: URI in ``markup``, in order, each (H, W, 3)."""
    import base64
    import io

    from PIL import Image

    out = []
    for head, data in re.findall(r'<img src="([^,"]+),([^"]+)"', markup):
        assert head == "data:image/png;base64"
        out.append(np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")))
    return out


def test_the_weights_show_w_as_a_picture_and_per_channel(builtin_features):
    result = train(builtin_features, TrainingSettings(num_iterations=100))
    markup = figs.weights_html(result.w, builtin_features.image_shape, EN, title="What <w> learned")
    grid = figs.weights_grid(result.w, builtin_features.image_shape)
    limit = figs.weights_limit(grid)
    assert '<p class="title">What &lt;w&gt; learned</p>' in markup
    assert re.findall(r"<figcaption>([^<]+)</figcaption>", markup) == [
        "all three channels", "red channel", "green channel", "blue channel"]
    rgb, *channels = _pictures(markup)
    assert np.array_equal(rgb, figs.weights_rgb(grid, builtin_features.image_shape, limit))
    palette = np.frombuffer(diverging_palette(figs.WEIGHTS_COLORSCALE), np.uint8).reshape(-1, 3)
    for k, panel in enumerate(channels):
        assert np.array_equal(panel, palette[diverging_levels(grid[:, :, k], limit)])
    # The colour bar reads the channels: the scale's ends at ±limit, white (level 127) at 0.
    assert re.findall(r'<div class="ticks"><span>([^<]+)</span><span>0</span><span>([^<]+)</span>', markup) == [
        (f"{limit:.2g}", f"−{limit:.2g}")]
    assert np.array_equal(palette[127], [247, 247, 247])
    assert markup.count("linear-gradient(to top, ") == 1 and len(markup) < 60_000


def test_a_diverged_w_still_draws_and_its_bar_is_finite():
    w = np.array([np.nan, np.inf, -np.inf, 1e300] * 3, dtype=float)
    markup = figs.weights_html(w, (2, 2, 3), EN)
    rgb, red, *_ = _pictures(markup)
    assert rgb.shape == (2, 2, 3) and "nan" not in markup and "inf" not in markup
    assert rgb[0, 0, 0] == 128  # NaN shows as w = 0


def test_replay_has_one_frame_per_snapshot_with_only_what_changes(builtin_features):
    result = train(builtin_features, TrainingSettings(num_iterations=5000, learning_rate=0.01))
    fig = replay_figure(result, builtin_features.image_shape, EN)
    text = fig.to_json()
    assert len(text) < MAX_FIGURE_BYTES, f"replay is {len(text):,} bytes"
    spec = json.loads(text)
    frames = spec["frames"]
    assert len(frames) == len(result.snapshot_iterations) == 41
    assert [f["name"] for f in frames] == [str(s) for s in result.snapshot_iterations]
    for frame in frames:
        assert frame["traces"] == [0, 1, 2, 3]
        image, train_part, test_part, now = frame["data"]
        assert image["type"] == "image" and image["z"]["dtype"] == "u1" and image["z"]["shape"] == "64, 64, 3"
        assert set(train_part) == {"type", "x", "y"}  # no styling repeated in every frame
    # The curves fill in: each frame ends at its snapshot's iteration.
    for frame, s in zip(frames, result.snapshot_iterations):
        assert _values(frame["data"][1], "x").max() == s
    assert len({f["data"][0]["z"]["bdata"] for f in frames}) > 30  # the picture changes
    menu = spec["layout"]["updatemenus"][0]
    assert [b["label"] for b in menu["buttons"]] == ["▶ Play", "❚❚ Pause"]
    assert len(spec["layout"]["sliders"][0]["steps"]) == 41


def test_replay_of_zero_iterations_is_one_still_frame(builtin_features):
    result = train(builtin_features, TrainingSettings(num_iterations=0))
    spec = _spec(replay_figure(result, builtin_features.image_shape, EN))
    assert len(spec["frames"]) == 1


def test_learning_rate_comparison_overlays_one_curve_per_rate(builtin_features):
    runs = {lr: train(builtin_features, TrainingSettings(learning_rate=lr, num_iterations=200)) for lr in (0.01, 0.001)}
    spec = _spec(figs.lr_comparison_figure(runs, EN))
    assert [t["name"] for t in spec["data"]] == ["α = 0.01", "α = 0.001"]


def test_the_comparison_every_100_iterations_is_the_courses_figure(course_features):
    runs = {lr: train(course_features, TrainingSettings(learning_rate=lr, num_iterations=1500)) for lr in LEARNING_RATE_TABLE}
    spec = _spec(figs.lr_comparison_figure(runs, EN, every=100))
    for trace, lr in zip(spec["data"], sorted(LEARNING_RATE_TABLE, reverse=True)):
        assert trace["name"] == f"α = {figs.format_rate(lr)}"
        x, y = _values(trace, "x"), _values(trace)
        assert x.tolist() == list(range(0, 1500, 100))
        assert_allclose(y[-1], LEARNING_RATE_TABLE[lr][0], atol=1e-6)
    first = _values(spec["data"][0])
    # α = 0.01 is not monotone: the course's 0.823921, 0.418944, 0.617350 (its zigzag amplifies rounding a little)
    assert_allclose(first[1:4], [0.823921, 0.418944, 0.617350], atol=1e-5)


def test_confusion_table_counts_the_course_test_set(course_dataset, course_features):
    result = train(course_features, TrainingSettings())
    assert result.confusion == BASELINE_CONFUSION
    text = figs.confusion_html(result.confusion, course_dataset.classes, EN)
    cells = re.findall(r'<td class="(right|wrong)"><b>(\d+)</b><br>([^<]+)</td>', text)
    assert cells == [("right", "12", "true negatives (TN)"), ("wrong", "5", "false positives (FP)"),
                     ("wrong", "10", "false negatives (FN)"), ("right", "23", "true positives (TP)")]
    assert re.findall(r'<th scope="row">really<br><b>([^<]+)</b>', text) == ["non-cat", "cat"]


def test_confusion_table_escapes_class_names():
    text = figs.confusion_html({"tn": 1}, ("<img src=x onerror=alert(1)>", "a&b"), EN)
    assert "<img" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text and "a&amp;b" in text


def test_find_mistakes_lists_the_wrong_ones_most_confident_first():
    p = np.array([0.9, 0.2, 0.6, 0.45, 0.99, 0.01])
    y = np.array([0, 0, 0, 1, 1, 1])
    assert figs.find_mistakes(p, y).tolist() == [5, 0, 2, 3]
    assert figs.find_mistakes(p[[1, 4]], y[[1, 4]]).size == 0


# ---------------------------------------------------------------- the words on the figures


def test_the_locales_hold_exactly_the_words_the_builders_ask_for():
    for lang in ("en", "ko"):
        held = {k.removeprefix("train.fig_") for k in catalog(lang) if k.startswith("train.fig_")}
        assert held == set(figs.WORDS), lang


def test_the_figures_speak_the_language_they_are_given(builtin_features, broken_run):
    result = train(builtin_features, TrainingSettings(num_iterations=200))
    cost = _spec(figs.cost_figure(result, KO, log_y=True, title="반복에 따른 비용"))
    assert [t["name"] for t in cost["data"]] == ["훈련 비용", "테스트 비용"]
    assert cost["data"][0]["hovertemplate"] == "반복 %{x}<br>훈련 J = %{y:.5g}<extra></extra>"
    assert cost["layout"]["xaxis"]["title"]["text"] == "반복 횟수"
    assert cost["layout"]["yaxis"]["title"]["text"] == "비용 J (로그 스케일)"
    broke = _spec(figs.cost_figure(broken_run, KO))
    assert any("학습 멈춤: 1번째 반복에서 비용이 유한하지 않음" in a["text"] for a in broke["layout"]["annotations"])

    weights = figs.weights_html(result.w, builtin_features.image_shape, KO)
    assert re.findall(r"<figcaption>([^<]+)</figcaption>", weights) == ["세 채널을 합친 그림", "빨강 채널", "초록 채널", "파랑 채널"]

    replay = _spec(replay_figure(result, builtin_features.image_shape, KO))
    assert [b["label"] for b in replay["layout"]["updatemenus"][0]["buttons"]] == ["▶ 재생", "❚❚ 멈춤"]
    assert replay["layout"]["title"]["text"].startswith("반복 0 / 200 · 훈련 J = 0.6931")
    assert replay["layout"]["sliders"][0]["currentvalue"]["prefix"] == "반복 "

    every = _spec(figs.lr_comparison_figure({0.01: result}, KO, every=100))
    assert every["data"][0]["name"] == "α = 0.01"  # formulas and numbers are the same in every language
    assert every["layout"]["xaxis"]["title"]["text"] == "반복 횟수 (비용은 100번마다)"

    confusion = figs.confusion_html({"tn": 1, "fp": 2, "fn": 3, "tp": 4}, ("고양이 아님", "고양이"), KO)
    assert re.findall(r"<br>([^<]+)</td>", confusion) == ["참 음성 (TN)", "거짓 양성 (FP)", "거짓 음성 (FN)", "참 양성 (TP)"]
    assert '<th scope="col">예측<br><b>고양이</b></th>' in confusion


def test_the_english_figures_read_as_before(builtin_features):
    result = train(builtin_features, TrainingSettings(num_iterations=200))
    cost = _spec(figs.cost_figure(result, EN))
    assert [t["name"] for t in cost["data"]] == ["train cost", "test cost"]
    assert cost["data"][1]["hovertemplate"] == "iteration %{x}<br>test J = %{y:.5g}<extra></extra>"
    assert cost["layout"]["yaxis"]["title"]["text"] == "cost J"
    replay = _spec(replay_figure(result, builtin_features.image_shape, EN))
    assert replay["layout"]["title"]["text"].startswith("iteration 0 of 200 · train J = 0.6931, test J = ")
    every = _spec(figs.lr_comparison_figure({0.01: result}, EN, every=100, log_y=True))
    assert every["layout"]["xaxis"]["title"]["text"] == "iteration (the cost every 100)"
    assert every["layout"]["yaxis"]["title"]["text"] == "training cost J (log scale)"


def test_every_figure_passes_plotlys_validation(builtin_features, broken_run):
    """The builders skip Plotly's validation (it costs 1–2 ms a figure on every new setting): each
    figure, rebuilt with validation, raises nothing and reads the same."""
    import plotly.graph_objects as go

    result = train(builtin_features, TrainingSettings(num_iterations=300))
    runs = {0.01: result, 1.0: broken_run}
    figures = [
        figs.cost_figure(result, EN), figs.cost_figure(broken_run, KO, log_y=True),
        figs.lr_comparison_figure({0.005: result}, EN, every=100), figs.lr_comparison_figure(runs, EN, log_y=True),
        replay_figure(result, builtin_features.image_shape, EN),
    ]
    for fig in figures:
        assert json.loads(go.Figure(fig.to_dict()).to_json()) == json.loads(fig.to_json())  # (keys in another order)
