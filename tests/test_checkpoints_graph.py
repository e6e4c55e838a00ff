"""The Computational graph page's checkpoints: dz against the chain rule by hand, and the planted bug
told apart by reading the rows the question quotes."""

import dataclasses
import math
import re

import numpy as np
import pytest

from playground.lessons.checkpoints import graph as asked
from playground.lessons.graph.gradcheck import (
    BUGS,
    DEFAULT_EPSILON,
    gradient_checks,
    sample_coordinates,
)
from playground.lessons.graph.graph import build_graph
from tests.helpers import random_problem

PAGE_INPUTS = {"x1": 1.0, "x2": 2.0, "w1": 0.5, "w2": -0.3, "b": 0.2, "y": 1.0}  # the page's defaults


def _dz_by_hand(x1, x2, w1, w2, b, y, loss):
    a = 1.0 / (1.0 + math.exp(-(w1 * x1 + w2 * x2 + b)))
    return a - y if loss == "cross_entropy" else (a - y) * a * (1.0 - a)


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_dz_is_the_chain_rule_by_hand_for_the_loss_in_use(loss):
    q = asked.dz(build_graph(**PAGE_INPUTS, loss=loss))
    expected = _dz_by_hand(**PAGE_INPUTS, loss=loss)  # −0.475 and −0.118
    assert q.answer.right == pytest.approx(expected, abs=1e-6)
    assert q.is_right(round(expected, 2)) and q.is_right(round(expected, 3))
    other = _dz_by_hand(**PAGE_INPUTS, loss="mse" if loss == "cross_entropy" else "cross_entropy")
    assert not q.is_right(round(other, 3)) and not q.is_right(0.525) and not q.is_right(-expected)
    assert q.fields["loss"] == ("½(a − y)²" if loss == "mse" else "−(y log a + (1 − y) log(1 − a))")
    assert q.fields["rule"] == ("a − y" if loss == "cross_entropy" else "(a − y) a(1 − a)")
    assert (q.fields["z"], q.fields["a"], q.fields["w2"]) == ("0.1", "0.525", "−0.3")


def test_show_me_steps_to_where_the_diagram_reveals_dz():
    for fold in (False, True):
        graph = build_graph(**PAGE_INPUTS, constant_feature=fold)
        q = asked.dz(graph)
        # Forward z, a, L; backward da, then dz: the fifth reveal of eight.
        assert q.show == {"step": 5} and (q.fields["step"], q.fields["total"]) == (5, 8)
        step = graph.steps()[4]
        assert (step.phase, step.node) == ("backward", "z") and step.text.startswith("dz = ")
        assert q.fields["b"] == "0.2"  # folded, b is the weight w₀ of x₀ = 1: the same number


@pytest.mark.parametrize("seed", range(6))
def test_dz_for_random_inputs_and_both_labels(seed):
    rng = np.random.default_rng(seed)
    inputs = dict(zip(("x1", "x2", "w1", "w2", "b"), rng.uniform(-3, 3, size=5)), y=float(seed % 2))
    for loss in ("cross_entropy", "mse"):
        q = asked.dz(build_graph(**inputs, loss=loss))
        assert q.answer.right == pytest.approx(_dz_by_hand(**inputs, loss=loss), abs=1e-6)


def test_dz_of_a_saturated_sigmoid_stays_exact():
    # z = 10·10 + …: a is 1 in floating point; for y = 0, dz = a − y = 1 (not ∞ · 0).
    q = asked.dz(build_graph(x1=10.0, x2=2.0, w1=10.0, w2=-0.3, b=0.2, y=0.0))
    assert q.answer.right == 1.0 and q.is_right(1)


# ------------------------------------------------------------------ which bug
def _checks(w, b, X, Y, loss):
    return {name: next(c for c in gradient_checks(w, b, X, Y, loss=loss, bug=name) if c.epsilon == DEFAULT_EPSILON)
            for name in BUGS}


ROW = re.compile(r"(w\[\d+\]|b): ([−\d.e+]*\d) → ([−\d.e+]*\d)")


def _quoted(q):
    """The rows as the question quotes them: [(name, g_num, g)], parsed back from its text."""
    return [(name, float(num.replace("−", "-")), float(g.replace("−", "-"))) for name, num, g in ROW.findall(q.fields["rows"])]


def _read(rows, m):
    """The bug a student reads off the quoted rows (3 significant digits): g / g_num on each."""
    ratios = [g / num for _, num, g in rows]

    def every(x):
        return all(abs(r - x) <= 0.02 * abs(x) for r in ratios)

    if every(1.0):
        return "none"
    if every(-1.0):
        return "sign"
    if every(float(m)):
        return "no_mean"
    if all(abs(r - 1.0) <= 0.02 for r in ratios[:-1]):
        return "db_without_y"
    return "other_loss"


@pytest.fixture(scope="module")
def problem():
    X, Y, w = random_problem(30, 40, seed=3, w_scale=0.3)
    return X, Y, w


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
@pytest.mark.parametrize("start", ["random", "zeros"])
def test_each_planted_bug_is_told_apart_by_the_rows_quoted(problem, loss, start):
    X, Y, w = problem
    if start == "zeros":
        w = np.zeros_like(w)
    checks = _checks(w, 0.1, X, Y, loss)
    for bug in asked.ASK_ORDER:
        q = asked.gradcheck_bug(checks, order=(bug,))
        rows = _quoted(q)
        assert [name for name, _, _ in rows] == [f"w[{j}]" for j in sample_coordinates(30)[:2]] + ["b"]
        assert _read(rows, m=40) == bug == q.answer.right
        assert q.is_right(bug) and all(not q.is_right(other) for other in BUGS if other != bug)
        assert q.show == {"bug": bug, "epsilon": DEFAULT_EPSILON}
        assert float(q.fields["error"]) == pytest.approx(checks[bug].relative_error, rel=1e-2) and float(q.fields["error"]) > 1e-5


def test_the_course_model_is_asked_about_b_alone(course_features, course_model):
    # The page's default: the course's trained model, cross-entropy.
    F = course_features
    q = asked.gradcheck_bug(_checks(course_model.w, course_model.b, F.X_train, F.Y_train, "cross_entropy"))
    assert q.answer.right == "db_without_y" == _read(_quoted(q), m=F.m_train)
    assert q.answer.options == tuple(BUGS) and q.fields["epsilon"] == "1e-06"
    # The b row: db without − y is mean(a), a third or so of the pictures being cats.
    name, num, g = _quoted(q)[-1]
    a = 1.0 / (1.0 + np.exp(-(course_model.w.T @ F.X_train + course_model.b)))
    assert name == "b" and g == pytest.approx(float(a.mean()), rel=1e-2) and abs(num) < 1e-2


def test_a_bug_its_rows_cannot_tell_apart_is_not_asked(problem):
    X, Y, w = problem
    checks = _checks(w, 0.1, X, Y, "cross_entropy")
    # A "sign" check whose backward pass is no_mean's: the two read alike, so neither is asked.
    twin = dict(checks, sign=dataclasses.replace(checks["sign"], analytic=checks["no_mean"].analytic))
    assert asked.gradcheck_bug(twin, order=("sign", "no_mean", "db_without_y")).answer.right == "db_without_y"
    with pytest.raises(ValueError, match="read alike"):
        asked.gradcheck_bug(twin, order=("sign", "no_mean"))


def test_the_checks_must_cover_every_bug_at_one_epsilon(problem):
    X, Y, w = problem
    checks = _checks(w, 0.1, X, Y, "cross_entropy")
    with pytest.raises(ValueError, match="every planted bug"):
        asked.gradcheck_bug({k: v for k, v in checks.items() if k != "sign"})
    with pytest.raises(ValueError, match="one ε"):
        asked.gradcheck_bug(dict(checks, sign=dataclasses.replace(checks["sign"], epsilon=1e-4)))
