"""The graph figure only walks the graph's data: every node, arrow and revealed value is drawn."""

import numpy as np

from playground.figures.graph import (
    computational_graph_figure,
    error_vs_epsilon_figure,
    gradient_image_figure,
    graph_layout,
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
    assert pos["y"][0] == pos["a"][0] and pos["y"][1] < pos["a"][1]
    assert pos["x1"][1] > pos["w1"][1] > pos["x2"][1] > pos["w2"][1] > pos["b"][1]


def test_gradient_image_figure_is_centred_on_zero():
    rng = np.random.default_rng(0)
    image = rng.integers(0, 256, (64, 64, 3), dtype=np.uint8)
    dw = rng.standard_normal(64 * 64 * 3)
    fig = gradient_image_figure(image, dw, dw * 0.1)
    heat = [t for t in fig.data if t.type == "heatmap"]
    assert len(heat) == 2 and heat[0].zmin == -heat[0].zmax
    assert np.array(heat[0].z).shape == (64, 64)


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
