"""The graph figure only walks the graph's data: every node, arrow and revealed value is drawn."""

import numpy as np
import plotly.graph_objects as go
import pytest

from playground.figures.graph import (
    computational_graph_figure,
    error_vs_epsilon_figure,
    gradient_image_html,
    graph_layout,
    graph_width,
    text_width,
)
from playground.lessons.graph.graph import build_graph

INPUTS = (1.0, 2.0, 0.5, -0.3, 0.2, 1.0)


def _texts(fig):
    return [a.text for a in fig.layout.annotations]


def _arrows(fig):
    return [a for a in fig.layout.annotations if a.showarrow]


def test_every_node_is_a_box_and_every_edge_an_arrow():
    g = build_graph(*INPUTS)
    fig = computational_graph_figure(g)
    assert len(fig.layout.shapes) == len(g.nodes) == 9
    assert len(_arrows(fig)) == len(g.edges()) == 8
    assert list(fig.data[0].customdata) == [n.name for n in g.nodes]


def test_all_revealed_shows_values_and_chain_rule_labels():
    fig = computational_graph_figure(build_graph(*INPUTS))
    text = " ".join(_texts(fig))
    for piece in ("<b>z</b> = <span style='color:#111827'>0.1</span>", "0.525", "0.6444",
                  "<b>da = −1.905</b>", "<b>dz = −0.475</b>", "= da · a(1 − a)",
                  "<b>dw₁ = −0.475</b>", "= x₁ · dz", "<b>dw₂ = −0.95</b>", "<b>db = −0.475</b>"):
        assert piece in text, piece


def test_step_zero_hides_computed_values_and_gradients():
    fig = computational_graph_figure(build_graph(*INPUTS), step=0)
    text = " ".join(_texts(fig))
    assert "0.525" not in text and "dz =" not in text and "?" in text
    assert "<b>w₁</b> = <span style='color:#111827'>0.5</span>" in text  # inputs are always known


def test_current_forward_step_highlights_its_node():
    g = build_graph(*INPUTS)
    fig = computational_graph_figure(g, step=2)  # forward: a
    widths = {n.name: s.line.width for n, s in zip(g.nodes, fig.layout.shapes)}
    assert widths["a"] == 4 and all(w < 4 for k, w in widths.items() if k != "a")
    assert "0.525" in " ".join(_texts(fig)) and "0.6444" not in " ".join(_texts(fig))


def test_current_backward_step_highlights_its_arrow():
    g = build_graph(*INPUTS)
    fig = computational_graph_figure(g, step=5)  # backward: dz, on the arrow z → a
    thick = [a for a in _arrows(fig) if a.arrowwidth == 4]
    assert len(thick) == 1
    z, a = graph_layout(g)["z"], graph_layout(g)["a"]
    assert thick[0].ax > z[0] and thick[0].x < a[0]
    assert "dw₁" not in " ".join(_texts(fig))


def test_mse_and_constant_feature_redraw_the_graph():
    fig = computational_graph_figure(build_graph(*INPUTS, loss="mse", constant_feature=True))
    text = " ".join(_texts(fig))
    assert "<b>da = −0.475</b>" in text and "= a − y" in text
    assert "<b>x₀</b>" in text and "<b>dw₀ = −0.1185</b>" in text and "<b>db" not in text
    assert len(fig.layout.shapes) == 10


def test_layout_puts_inputs_left_and_loss_right():
    pos = graph_layout(build_graph(*INPUTS))
    assert pos["x1"][0] == pos["w1"][0] == pos["b"][0] < pos["z"][0] < pos["a"][0] < pos["L"][0]
    assert pos["y"][0] == pos["L"][0] and pos["y"][1] > pos["L"][1]  # y under L (y runs downwards)
    assert pos["x1"][1] < pos["w1"][1] < pos["x2"][1] < pos["w2"][1] < pos["b"][1]


def test_tall_layout_goes_down_and_fits_a_phone():
    g = build_graph(*INPUTS)
    pos = graph_layout(g, "tall")
    assert pos["z"][0] == pos["a"][0] == pos["L"][0] and pos["z"][1] < pos["a"][1] < pos["L"][1]
    assert pos["y"][1] == pos["L"][1] and pos["y"][0] < pos["L"][0]
    fig = computational_graph_figure(g, layout="tall")
    # Drawn at its own size in pixels, narrower than a 360-px phone's column.
    assert fig.layout.width == graph_width("tall") <= 330 and tuple(fig.layout.xaxis.range) == (0, fig.layout.width)
    # Built unvalidated (two per rerun): what it hands plotly.js passes Plotly's validation unchanged.
    for layout in ("wide", "tall"):
        built = computational_graph_figure(g, step=5, layout=layout).to_dict()
        assert go.Figure(built).to_dict()["layout"]["annotations"] == built["layout"]["annotations"]


def _boxes_and_texts(fig):
    shapes = [(s.x0, s.y0, s.x1, s.y1) for s in fig.layout.shapes]
    return shapes, [a for a in fig.layout.annotations if a.text and not a.showarrow]


@pytest.mark.parametrize("layout", ["wide", "tall"])
@pytest.mark.parametrize("inputs", [INPUTS, (10.0, 2.0, 1.4, -0.3, 0.2, 1.0), (-9.99, 9.99, 9.99, -9.99, -9.99, 0.0)])
def test_every_node_text_fits_its_box(layout, inputs):
    # The estimate the figure sizes its words with: every line of a node's text is narrower than its box.
    fig = computational_graph_figure(build_graph(*inputs, constant_feature=inputs[0] < 0), layout=layout)
    shapes, texts = _boxes_and_texts(fig)
    for (x0, y0, x1, y1), a in zip(shapes, texts):
        assert x0 < a.x < x1 and y0 < a.y < y1
        for line in a.text.split("<br>"):
            size = float(line.split("font-size:")[1].split("px")[0]) if "font-size:" in line else a.font.size
            assert text_width(line, size, bold=True) <= x1 - x0, (line, size)
        assert a.font.size >= 10


def test_the_gradient_pictures_are_centred_on_zero():
    import base64
    import io
    import re

    from PIL import Image

    from playground.figures.pictures import diverging_levels, diverging_palette, signed

    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    dw = rng.standard_normal(64 * 64 * 3)
    markup = gradient_image_html(image, dw, dw * 0.1, ("the <picture>", "dw one", "dw all"))
    assert re.findall(r"<figcaption>([^<]+)</figcaption>", markup) == ["the &lt;picture&gt;", "dw one", "dw all"]
    pictures = [np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB"))
                for data in re.findall(r'<img src="data:image/png;base64,([^"]+)"', markup)]
    assert len(pictures) == 3 and np.array_equal(pictures[0], image)
    palette = np.frombuffer(diverging_palette("RdBu_r"), np.uint8).reshape(-1, 3)
    grid = dw.reshape(64, 64, 3).sum(axis=2)
    top = np.abs(grid).max()
    assert np.array_equal(pictures[1], palette[diverging_levels(grid, top)])
    assert np.array_equal(pictures[2], palette[diverging_levels(grid * 0.1, top * 0.1)])  # each on its own scale
    ticks = re.findall(r'<div class="ticks"><span>([^<]+)</span><span>0</span><span>([^<]+)</span>', markup)
    assert ticks == [(signed(top, ".1e"), signed(-top, ".1e")), (signed(top * 0.1, ".1e"), signed(-top * 0.1, ".1e"))]
    assert ticks[1] == ("7.6e−01", "−7.6e−01")  # (a true minus sign, in the exponent too)
    assert "nan" not in gradient_image_html(image, np.full(64 * 64 * 3, np.nan), dw)  # a broken gradient still draws


def test_error_curve_figure_marks_the_chosen_epsilon():
    eps = [1e-8, 1e-6, 1e-4, 1e-2]
    fig = error_vs_epsilon_figure(eps, [1e-6, 1e-9, 1e-8, 1e-4], epsilon=1e-6)
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    assert list(fig.data[0].x) == eps
    assert any("1e-06" in (a.text or "") for a in fig.layout.annotations)
    assert any(s.type == "line" and s.x0 == 1e-6 for s in fig.layout.shapes)


def test_error_curve_accepts_an_exact_zero():
    fig = error_vs_epsilon_figure([1e-6, 1e-3], [0.0, 1e-5])
    assert min(fig.data[0].y) > 0
