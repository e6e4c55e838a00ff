"""The computational graph's values against the course's vectorized code, for both losses."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from playground.course.model import propagate
from playground.lessons.graph.graph import build_graph, fmt, image_summary, revealed
from tests.helpers import random_problem

CASES = [
    (1.0, 2.0, 0.5, -0.3, 0.2, 1.0),
    (-1.5, 0.7, 2.0, 1.0, -0.4, 0.0),
    (3.0, -2.0, -1.0, 0.25, 1.5, 1.0),
]


def _course(x1, x2, w1, w2, b, y, loss):
    """The same numbers from model.propagate with m = 1."""
    X = np.array([[x1], [x2]])
    grads, cost = propagate(np.array([[w1], [w2]]), b, X, np.array([[y]]), loss)
    return grads["dw"][:, 0], grads["db"], cost


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
@pytest.mark.parametrize("case", CASES)
def test_graph_matches_propagate(case, loss):
    g = build_graph(*case, loss=loss)
    dw, db, cost = _course(*case, loss)
    x1, x2, w1, w2, b, y = case
    z = w1 * x1 + w2 * x2 + b
    assert_allclose(g.node("z").value, z, rtol=1e-15)
    assert_allclose(g.node("a").value, 1 / (1 + np.exp(-z)), rtol=1e-15)
    assert_allclose(g.node("L").value, cost, rtol=1e-14)
    assert_allclose([g.node("w1").grad, g.node("w2").grad, g.node("b").grad], [*dw, db], rtol=1e-14)
    assert g.node("x1").grad is None and g.node("y").grad is None


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_chain_rule_factors_multiply_out(loss):
    # dz is taken from the loss's own dL/dz; the drawn factor da · a(1 − a) must give the same number.
    g = build_graph(*CASES[1], loss=loss)
    a = g.node("a").value
    assert_allclose(g.node("z").grad, g.node("a").grad * a * (1 - a), rtol=1e-13)
    y = CASES[1][5]
    expected_da = a - y if loss == "mse" else -y / a + (1 - y) / (1 - a)
    assert_allclose(g.node("a").grad, expected_da, rtol=1e-14)


def test_backward_formulas_change_with_the_loss():
    ce, mse = build_graph(*CASES[0]), build_graph(*CASES[0], loss="mse")
    assert ce.node("z").simplified == "a − y"
    assert mse.node("z").simplified == "(a − y) a(1 − a)"
    assert ce.node("a").backward == "−y/a + (1 − y)/(1 − a)"
    assert mse.node("a").backward == "a − y"
    assert "½" in mse.node("L").forward and "log" in ce.node("L").forward


def test_constant_feature_folds_b_into_w():
    plain = build_graph(*CASES[2])
    folded = build_graph(*CASES[2], constant_feature=True)
    names = [n.name for n in folded.nodes]
    assert "b" not in names and {"x0", "w0"} <= set(names)
    assert folded.node("x0").value == 1.0 and folded.node("w0").value == CASES[2][4]
    assert folded.node("z").value == plain.node("z").value
    assert folded.node("w0").grad == plain.node("b").grad
    assert ("x0", "z") in folded.edges() and ("b", "z") in plain.edges()


def test_steps_go_forward_then_backward_in_the_course_order():
    g = build_graph(*CASES[0])
    order = [(s.phase, s.node) for s in g.steps()]
    assert order == [("forward", "z"), ("forward", "a"), ("forward", "L"),
                     ("backward", "a"), ("backward", "z"),
                     ("backward", "w1"), ("backward", "w2"), ("backward", "b")]
    texts = [s.text for s in g.steps()]
    assert texts[0] == "z = w₁x₁ + w₂x₂ + b = 0.5·1 + (−0.3)·2 + 0.2 = 0.1"
    assert texts[5] == "dw₁ = x₁ · dz = 1 · (−0.475) = −0.475"


def test_revealed_grows_one_value_at_a_time():
    g = build_graph(*CASES[0])
    values, grads, current = revealed(g, 0)
    assert current is None and grads == set() and "z" not in values and "x1" in values
    values, grads, current = revealed(g, 2)
    assert {"z", "a"} <= values and "L" not in values and current.node == "a"
    values, grads, current = revealed(g, 5)
    assert grads == {"a", "z"} and current.phase == "backward"
    with pytest.raises(ValueError, match="Expected a step from 0 to 8, got 9"):
        revealed(g, 9)


def test_saturated_sigmoid_keeps_dz_finite():
    # z = 49.6: a rounds to 1, da = 1/(1 − a) = ∞ for y = 0, yet dz = a − y = 1 exactly.
    g = build_graph(100.0, 2.0, 0.5, -0.3, 0.2, 0.0)
    assert g.node("a").value == 1.0 and np.isinf(g.node("a").grad)
    assert g.node("z").grad == 1.0 and g.node("w1").grad == 100.0
    assert np.isfinite(g.node("L").value)
    assert fmt(g.node("a").grad) == "∞"


@pytest.mark.parametrize(
    "args, message",
    [
        ((np.nan, 1, 1, 1, 1, 1), "finite number for x₁"),
        ((1, 1, 1, 1, 1, 2), "label y from 0 to 1, got 2"),
        ((1, 1, "a", 1, 1, 1), "finite number for w₁"),
        ((1, 1, 1, 1, 2e6, 1), r"\|b\| ≤ 1e\+06"),
    ],
)
def test_bad_inputs_raise(args, message):
    with pytest.raises(ValueError, match=message):
        build_graph(*args)


def test_unknown_loss_raises():
    with pytest.raises(ValueError, match="Unknown loss 'hinge'"):
        build_graph(*CASES[0], loss="hinge")


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_image_summary_matches_propagate(loss):
    X, Y, w = random_problem(300, 7, seed=1, w_scale=0.05)
    b = 0.1
    s = image_summary(w, b, X, Y, 3, loss)
    grads, cost = propagate(w, b, X, Y, loss)
    assert_allclose(s.cost, cost, rtol=1e-14)
    assert_allclose(s.dw, grads["dw"][:, 0], rtol=1e-12)
    assert_allclose(s.db, grads["db"], rtol=1e-12)
    # Example 3 alone: the graph of one example with m = 1.
    one, one_cost = propagate(w, b, X[:, 3:4], Y[:, 3:4], loss)
    assert_allclose(s.loss, one_cost, rtol=1e-14)
    assert_allclose(s.dw_example, one["dw"][:, 0], rtol=1e-12)
    assert_allclose(s.dz, one["db"], rtol=1e-12)
    assert s.n_x == 300 and s.m == 7
    with pytest.raises(ValueError, match="example index from 0 to 6, got 7"):
        image_summary(w, b, X, Y, 7, loss)
