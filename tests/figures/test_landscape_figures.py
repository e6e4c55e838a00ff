"""Figures of the Loss landscape page: frames move only the path, controls exist, JSON stays small."""

import base64
import io
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from numpy.testing import assert_allclose
from PIL import Image

from playground.figures.cost_map import LEVELS, LOG_FLOOR, UPSAMPLE, cost_map_png
from playground.figures.landscape import (
    HOVER_POINTS,
    MAX_FRAMES,
    ContourPanel,
    CurvePanel,
    contour_paths_figure,
    counterexample_figure,
    frame_indices,
    surface_figure,
)
from playground.lessons.landscape.counterexample import counterexample_curves
from playground.lessons.landscape.surfaces import overlapping_dataset, two_parameter_landscapes

TWO_MB = 2 * 1024 * 1024


@pytest.fixture(scope="module")
def runs():
    return two_parameter_landscapes(overlapping_dataset(), -6.0, 4.0, 1.0, 500)


@pytest.fixture(scope="module")
def contour(runs):
    panels = [ContourPanel(n, r.w_values, r.b_values, r.J, r.path.w, r.path.b, r.path.costs, r.lambda_min_path)
              for n, r in runs.items()]
    return contour_paths_figure(panels, np.arange(501), "w", "b")


def _buttons(fig) -> list[str]:
    return [b.label for menu in fig.layout.updatemenus for b in menu.buttons]


def _frames(fig) -> list[dict]:
    """The frames as sent to the browser (the figures attach them unvalidated: read them as dicts)."""
    return fig.to_dict()["frames"]


def _spec(fig) -> dict:
    return json.loads(pio.to_json(fig, validate=False))


def test_every_figure_is_what_plotly_validation_accepts(contour, runs):
    """The builders skip Plotly's validation at run time; here it runs on everything they make,
    and the validated figure sends exactly the same JSON."""
    assert _spec(go.Figure(contour.to_dict())) == _spec(contour)
    curves = counterexample_curves((-5.5, -2.0, -0.5), 3.0, 80)
    panels = [CurvePanel(n, 10.0 ** c.u, c.J, 10.0 ** c.minima, c.minima_J, [(p.w, p.costs) for p in c.paths],
                         log_y=n == "cross_entropy") for n, c in curves.items()]
    counter = counterexample_figure(panels)
    assert _spec(go.Figure(counter.to_dict())) == _spec(counter)
    r = runs["mse"]
    surface = surface_figure(r.w_values, r.b_values, r.J, r.path.w, r.path.b, r.path.costs, "w", "b")
    validated = _spec(go.Figure(surface.to_dict()))
    # Validation spells the colour scale's name out as its stops; plotly.js knows the name.
    assert validated["data"][0].pop("colorscale")[0] == [0.0, "#440154"]
    ours = _spec(surface)
    assert ours["data"][0].pop("colorscale") == "Viridis" and validated == ours
    # What a presenter-mode chart does: copy the figure, frames included.
    assert len(go.Figure(contour).frames) == MAX_FRAMES


def test_cost_maps_are_drawn_once_per_grid(runs):
    """The map does not depend on the learning rate: the same grid gives the same picture object."""
    J = runs["mse"].J
    assert cost_map_png(J) is cost_map_png(J.copy())
    assert cost_map_png(J) != cost_map_png(J[::-1])  # (J × 2 would give the same bands: the scale is log J)


def test_subplot_layout_matches_make_subplots():
    """The figures lay out their panels themselves; the same domains and titles as Plotly's helper."""
    from plotly.subplots import make_subplots

    from playground.figures.landscape import subplot_layout

    for n, spacing in ((2, 0.16), (2, 0.1), (1, 0.16), (3, 0.1)):
        titles = [f"panel {k}" for k in range(n)]
        ours, _ = subplot_layout(titles, spacing, 1.0)
        theirs = make_subplots(rows=1, cols=n, subplot_titles=titles, horizontal_spacing=spacing).layout
        for k in range(n):
            suffix = str(k + 1) if k else ""
            assert_allclose(ours[f"xaxis{suffix}"]["domain"], theirs[f"xaxis{suffix}"].domain)
            assert ours[f"xaxis{suffix}"]["anchor"] == theirs[f"xaxis{suffix}"].anchor
        assert [(a["text"], a["y"]) for a in ours["annotations"]] == [(a.text, a.y) for a in theirs.annotations]
        assert_allclose([a["x"] for a in ours["annotations"]], [a.x for a in theirs.annotations])


def test_frame_indices():
    assert frame_indices(1).tolist() == [0]
    idx = frame_indices(501)
    assert len(idx) == MAX_FRAMES and idx[0] == 0 and idx[-1] == 500
    assert np.all(np.diff(idx) > 0)
    assert frame_indices(10).tolist() == list(range(10))
    with pytest.raises(ValueError, match="at least 1 point, got 0"):
        frame_indices(0)


def test_contour_frames_carry_only_the_moving_path(contour):
    frames = _frames(contour)
    assert len(frames) == MAX_FRAMES
    types = [t.type for t in contour.data]
    moving = frames[0]["traces"]
    assert [types[i] for i in moving] == ["scatter"] * 4
    # The maps are layout pictures (plotly.js drops contour traces during partial redraws).
    assert set(types) == {"scatter"}
    assert [im.xref for im in contour.layout.images] == ["x", "x2"]
    assert [contour.data[i].xaxis for i in moving] == ["x", "x", "x2", "x2"]
    for frame in frames:
        assert frame["traces"] == moving
        assert [d["type"] for d in frame["data"]] == ["scatter"] * 4
        # Data only: the style stays on the traces.
        assert "line" not in frame["data"][0] and "marker" not in frame["data"][1]


def test_last_frame_is_where_the_run_ended(contour, runs):
    frames = _frames(contour)
    last = frames[-1]
    for k, name in enumerate(runs):
        point = last["data"][2 * k + 1]
        assert_allclose([point["x"][0], point["y"][0]], [runs[name].path.w[-1], runs[name].path.b[-1]], rtol=1e-5)
        assert_allclose(point["customdata"][0], [500, runs[name].path.costs[-1], runs[name].lambda_min_end],
                        rtol=1e-12)
        assert "λ_min = %{customdata[2]" in contour.data[frames[0]["traces"][2 * k + 1]].hovertemplate
        trail = last["data"][2 * k]
        assert len(trail["x"]) == MAX_FRAMES
        # The trail grows by one point a frame, through the points the moving dot visits.
        assert [len(f["data"][2 * k]["x"]) for f in frames] == list(range(1, MAX_FRAMES + 1))
        assert [f["data"][2 * k + 1]["x"][0] for f in frames] == trail["x"]
    assert last["name"] == "500"


def test_play_pause_and_a_slider_over_the_frames(contour):
    assert _buttons(contour) == ["▶ Play", "❚❚ Pause"]
    play = contour.layout.updatemenus[0].buttons[0]
    assert play.method == "animate" and play.args[0] is None
    steps = contour.layout.sliders[0].steps
    assert [s.args[0][0] for s in steps] == [f["name"] for f in _frames(contour)]


def _png(uri: str) -> np.ndarray:
    assert uri.startswith("data:image/png;base64,")
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB"))


def test_cost_map_picture_is_log_cost_with_the_highest_y_on_top():
    y = np.linspace(0, 1, 11)
    J = np.tile(10.0 ** (3 * y)[:, None], (1, 6))  # grows with y: 1 … 1000
    img = _png(cost_map_png(J))
    assert img.shape == (10 * UPSAMPLE + 1, 5 * UPSAMPLE + 1, 3)
    top, bottom = img[0, 2].astype(int), img[-1, 2].astype(int)
    assert top.sum() > 500 and bottom.sum() < 250  # Viridis: yellow for the highest J, violet for the lowest
    with pytest.raises(ValueError, match=r"shape \(ny, nx\) with ny, nx ≥ 2, got \(1, 6\)"):
        cost_map_png(J[:1])


def test_the_map_is_placed_on_its_axes_and_hovers_the_cost(contour, runs):
    image = contour.layout.images[0]
    r = runs["mse"]
    assert (image.x, image.y) == (r.w_values[0], r.b_values[-1])
    assert_allclose((image.sizex, image.sizey), (np.ptp(r.w_values), np.ptp(r.b_values)))
    hover = next(t for t in contour.data if t.name == "cost J")
    assert len(hover.x) == HOVER_POINTS**2
    j = np.searchsorted(r.w_values, hover.x[7] - 1e-4)
    i = np.searchsorted(r.b_values, hover.y[7] - 1e-4)
    assert_allclose(hover.customdata[7], r.J[i, j], rtol=1e-6)
    bar = next(t for t in contour.data if t.name == "colour bar")
    assert bar.marker.showscale and float(bar.marker.cmin) == pytest.approx(np.log10(r.J.min()))


def test_json_stays_small_with_101_by_101_grids():
    """Even a noise 'cost' (the worst case for the maps' PNG compression) stays far below 2 MB."""
    rng = np.random.default_rng(0)
    s = np.linspace(-2, 2, 101)
    J = np.exp(rng.normal(size=(101, 101)))
    path = np.cumsum(rng.normal(size=(3, 41)), axis=1)
    panels = [ContourPanel(n, s, s, J, path[0], path[1], np.exp(path[2])) for n in ("a", "b")]
    fig = contour_paths_figure(panels, np.arange(0, 2001, 50), "s", "t")
    size = len(pio.to_json(fig, validate=False))
    assert size < TWO_MB / 2
    assert len(_spec(fig)["frames"]) == 41


def test_bad_shapes_are_refused():
    panel = ContourPanel("x", np.arange(3.0), np.arange(2.0), np.ones((3, 2)), np.zeros(2), np.zeros(2), np.zeros(2))
    with pytest.raises(ValueError, match=r"J of shape \(2, 3\) for the panel 'x', got \(3, 2\)"):
        contour_paths_figure([panel], np.arange(2), "w", "b")
    good = ContourPanel("y", np.arange(3.0), np.arange(2.0), np.ones((2, 3)), np.zeros(2), np.zeros(2), np.zeros(2))
    with pytest.raises(ValueError, match="Expected 5 path points for the panel 'y'"):
        contour_paths_figure([good], np.arange(5), "w", "b")
    short_lambda = ContourPanel("z", good.x, good.y, good.J, np.zeros(2), np.zeros(2), np.zeros(2), np.zeros(1))
    with pytest.raises(ValueError, match="Expected 2 path points for the panel 'z'"):
        contour_paths_figure([short_lambda], np.arange(2), "w", "b")
    with pytest.raises(ValueError, match=r"J of shape \(2, 3\), got \(3, 2\)"):
        surface_figure(np.arange(3.0), np.arange(2.0), np.ones((3, 2)), np.zeros(2), np.zeros(2), np.zeros(2), "w", "b")


def test_surface_is_static_with_the_path_on_it(runs):
    r = runs["cross_entropy"]
    fig = surface_figure(r.w_values, r.b_values, r.J, r.path.w, r.path.b, r.path.costs, "w", "b")
    assert not fig.frames
    assert [t.type for t in fig.data] == ["surface", "scatter3d", "scatter3d"]
    # The words point at the start and end points from either side, drawn over the surface.
    points, words = fig.data[2], fig.layout.scene.annotations
    assert [a.text for a in words] == ["start", "end"] and words[0].ax < 0 < words[1].ax
    assert [(a.x, a.y, a.z) for a in words] == list(zip(points.x, points.y, points.z))
    assert fig.layout.scene.xaxis.title.text == "w" and fig.layout.scene.zaxis.title.text == "J"
    assert len(fig.data[1].x) == len(r.path.w)
    assert np.all(np.asarray(fig.data[1].z) >= r.path.costs)


def test_counterexample_figure():
    curves = counterexample_curves((-5.5, -2.0, -0.5), 3.0, 80)
    panels = [CurvePanel(n, 10.0 ** c.u, c.J, 10.0 ** c.minima, c.minima_J, [(p.w, p.costs) for p in c.paths],
                         log_y=n == "cross_entropy") for n, c in curves.items()]
    fig = counterexample_figure(panels)
    assert fig.layout.xaxis.type == "log" and fig.layout.xaxis2.type == "log"
    assert fig.layout.yaxis.type == "linear" and fig.layout.yaxis2.type == "log"
    minima = [t for t in fig.data if t.name == "local minima"]
    assert [len(t.x) for t in minima] == [3, 1]
    frames = _frames(fig)
    assert len(frames) == MAX_FRAMES
    moving = frames[0]["traces"]
    assert len(moving) == 2 * (3 + 1)
    assert all(fig.data[i].type == "scatter" and fig.data[i].name != "J(w)" for i in moving)
    assert [fig.data[i].xaxis for i in moving] == ["x"] * 4 + ["x2"] * 4
    last = frames[-1]["data"]
    assert_allclose(last[3]["x"], [p.w[-1] for p in curves["mse"].paths], rtol=1e-5)
    assert_allclose(last[0]["x"][-1], curves["mse"].paths[0].w[-1], rtol=1e-5)
    assert _buttons(fig) == ["▶ Play", "❚❚ Pause"]
    assert len(pio.to_json(fig, validate=False)) < TWO_MB / 4
    with pytest.raises(ValueError, match=r"runs of one common length, got lengths \[2, 3\]"):
        counterexample_figure([CurvePanel("x", np.ones(2), np.ones(2), np.ones(0), np.ones(0),
                                          [(np.ones(2), np.ones(2)), (np.ones(3), np.ones(3))])])


def test_a_chord_is_drawn_on_each_panel_after_the_animated_traces():
    from playground.figures.landscape import Words
    from playground.lessons.checkpoints import landscape as asked

    curves = counterexample_curves((-5.5, -2.0, -0.5), 3.0, 80)
    panels = [CurvePanel(n, 10.0 ** c.u, c.J, 10.0 ** c.minima, c.minima_J, [(p.w, p.costs) for p in c.paths],
                         log_y=n == "cross_entropy") for n, c in curves.items()]
    w1, w2 = asked.chord_weights()
    chords = [asked.chord(n, w1, w2) for n in curves]
    plain = counterexample_figure(panels)
    fig = counterexample_figure(panels, words=Words(chord_end="끝점"), chords=chords)
    assert fig.data[:len(plain.data)] == plain.data and _frames(fig) == _frames(plain)  # frames name traces by index
    added = fig.data[len(plain.data):]
    assert [(t.name, t.xaxis) for t in added] == [(name, axis) for axis in ("x", "x2")
                                                  for name in ("chord", "chord ends", "chord midpoint")]
    mse_mid = added[2]
    assert_allclose(mse_mid.x, [chords[0].w_mid] * 2)
    assert_allclose(mse_mid.y, [chords[0].chord_mid, chords[0].J_mid])
    assert list(added[1].text) == ["끝점", "끝점"] and list(mse_mid.text) == ["the chord at the midpoint",
                                                                           "the curve at the midpoint"]
    assert _spec(go.Figure(fig.to_dict())) == _spec(fig)


def test_words_and_font_scale_come_in_as_arguments(runs):
    from playground.figures.landscape import Words

    words = Words(play="▶ 재생", pause="❚❚ 일시 정지", iteration="반복", curvature="가장 작은 곡률 λ_min",
                  start="시작", end="끝", minimum="최솟값 {k}", run="시작점 {k}", weight_axis="가중치 w",
                  cost_axis="비용 J", cost_axis_log="비용 J (로그 눈금)", local_minimum="국소 최솟값")
    r = runs["mse"]
    panel = ContourPanel("제곱 오차", r.w_values, r.b_values, r.J, r.path.w, r.path.b, r.path.costs, r.lambda_min_path)
    fig = contour_paths_figure([panel], np.arange(501), "w", "b", words=words, font_scale=1.35)
    assert _buttons(fig) == ["▶ 재생", "❚❚ 일시 정지"]
    assert fig.layout.sliders[0].currentvalue.prefix == "반복 "
    assert fig.layout.sliders[0].currentvalue.font.size == round(13 * 1.35)
    assert fig.layout.annotations[0].font.size == round(16 * 1.35)
    assert (fig.layout.margin.t, fig.layout.margin.b) == (round(40 * 1.35), round(166 * 1.35))
    point = fig.data[_frames(fig)[0]["traces"][1]]
    assert point.hovertemplate.startswith("반복 %{customdata[0]}") and "가장 작은 곡률 λ_min = " in point.hovertemplate
    surface = surface_figure(r.w_values, r.b_values, r.J, r.path.w, r.path.b, r.path.costs, "w", "b", words=words)
    assert list(surface.data[2].text) == ["시작", "끝"]

    curves = counterexample_curves((-5.5, -2.0, -0.5), 3.0, 20)
    panels = [CurvePanel(n, 10.0 ** c.u, c.J, 10.0 ** c.minima, c.minima_J, [(p.w, p.costs) for p in c.paths],
                         log_y=n == "cross_entropy") for n, c in curves.items()]
    fig = counterexample_figure(panels, words=words)
    minima = [t for t in fig.data if t.name == "local minima"]
    assert list(minima[0].text) == ["최솟값 1", "최솟값 2", "최솟값 3"]
    assert minima[0].hovertemplate.startswith("국소 최솟값<br>")
    assert fig.layout.xaxis.title.text == "가중치 w" and fig.layout.yaxis2.title.text == "비용 J (로그 눈금)"
    assert fig.data[2].hovertemplate.startswith("시작점 1<br>")
    # English by default, and the controls sit lower under the log axis's taller ticks than under a map's.
    default = counterexample_figure(panels)
    assert _buttons(default) == ["▶ Play", "❚❚ Pause"] and default.layout.yaxis.title.text == "cost J"
    assert default.layout.sliders[0].y < -0.16 and default.layout.updatemenus[0].y < default.layout.sliders[0].y


def _map_figure(J: np.ndarray):
    """A contour figure of one panel whose cost map is ``J`` (on a grid of J's shape over [−1, 1]²)."""
    y, x = np.linspace(-1, 1, J.shape[0]), np.linspace(-1, 1, J.shape[1])
    return contour_paths_figure([ContourPanel("a", x, y, J, x[:3], y[:3], np.ones(3))], np.arange(3), "s", "t")


def test_maps_are_about_320_pixels_across_whatever_the_grid():
    assert UPSAMPLE == 4
    for n, pixels in ((81, 321), (101, 301)):  # 4 pixels a grid step on 81 points, 3 on 101
        s = np.linspace(-1, 1, n)
        fig = _map_figure(np.exp(s[None, :] + s[:, None]))
        assert _png(fig.layout.images[0].source).shape == (pixels, pixels, 3)


def _bilinear(A: np.ndarray, k: int) -> np.ndarray:
    """A (ny, nx) refined bilinearly, k − 1 new samples between neighbours: ((ny − 1)k + 1, (nx − 1)k + 1)."""
    for axis in (0, 1):
        n = A.shape[axis]
        at = np.linspace(0, n - 1, (n - 1) * k + 1)
        i = np.minimum(at.astype(int), n - 2)
        f = (at - i)[:, None] if axis == 0 else at - i
        A = np.take(A, i, axis) * (1 - f) + np.take(A, i + 1, axis) * f
    return A


def test_cost_map_is_an_indexed_picture_of_the_band_colours():
    """The map is a palette PNG: each pixel its band's colour (the colour bar's, LEVELS bands of
    log J, bilinear between grid points), lightened on a band edge."""
    J = np.exp(np.random.default_rng(0).normal(size=(41, 31))).cumsum(axis=0)
    uri = cost_map_png(J, upsample=3)
    picture = Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))
    assert picture.mode == "P"
    log_J = np.log10(np.maximum(J, LOG_FLOOR))
    lo, hi = log_J.min(), log_J.max()
    band = np.clip(((_bilinear(log_J, 3) - lo) / (hi - lo) * LEVELS).astype(int), 0, LEVELS - 1)
    edge = np.zeros(band.shape, dtype=bool)
    edge[1:] |= band[1:] != band[:-1]
    edge[:, 1:] |= band[:, 1:] != band[:, :-1]
    bar = next(t for t in _map_figure(J).data if t.name == "colour bar")
    stops = bar.marker.colorscale  # two stops a band, both its colour
    colours = np.array([[int(v) for v in colour[4:-1].split(",")] for _, colour in stops[::2]], dtype=np.uint8)
    assert len(colours) == LEVELS
    lightened = (0.7 * colours + 0.3 * 255).round().astype(np.uint8)
    palette = np.concatenate([colours, lightened])
    assert np.array_equal(np.asarray(picture.convert("RGB")), palette[band + LEVELS * edge][::-1])
