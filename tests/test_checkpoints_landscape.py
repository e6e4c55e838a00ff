"""The Loss landscape page's checkpoints: their answers against a second computation, written out by
hand from the formulas (σ, the two losses, descent on u = log₁₀ w), not through the course's code."""

import math

import numpy as np
import pytest

from playground.lessons.checkpoints import landscape as asked
from playground.lessons.checkpoints import on_page
from playground.lessons.landscape.counterexample import (
    LOG_W_RANGE,
    MAX_STEP,
    counterexample_curves,
)

X = 10.0 ** np.arange(5, -1, -1)
Y = np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0])
DEFAULT_RATE, DEFAULT_ITERATIONS = 3.0, 60  # the page's view 3 as it opens


def cost(loss: str, w) -> np.ndarray:
    """J(w) of the six examples, for w of any shape (w > 0, so z = w·x ≥ 0)."""
    z = np.asarray(w, dtype=float)[..., None] * X
    if loss == "mse":
        a = 1.0 / (1.0 + np.exp(-z))
        return (0.5 * (a - Y) ** 2).mean(-1)
    return (np.logaddexp(0.0, -z) + (1.0 - Y) * z).mean(-1)  # −y log a − (1 − y) log(1 − a)


def mse_slope_u(u: float) -> float:
    """dJ/du of the squared error at u = log₁₀ w: ln 10 · w · (1/m) Σ (a − y) a (1 − a) x."""
    w = 10.0**u
    a = 1.0 / (1.0 + np.exp(-w * X))
    return math.log(10.0) * w * float(np.mean((a - Y) * a * (1.0 - a) * X))


def valleys(loss: str) -> tuple[np.ndarray, np.ndarray]:
    """u and J of the local minima of J on a fine grid (lower than both neighbours), ascending in u."""
    u = np.linspace(*LOG_W_RANGE, 18001)
    J = cost(loss, 10.0**u)
    inside = np.flatnonzero((J[1:-1] < J[:-2]) & (J[1:-1] < J[2:])) + 1
    return u[inside], J[inside]


def independent_ending(u0: float, rate: float, iterations: int) -> str:
    """Descend u := u − clip(α·dJ/du, ±MAX_STEP) and say where it ends, as the question defines it."""
    u = u0
    for _ in range(iterations):
        u -= float(np.clip(rate * mse_slope_u(u), -MAX_STEP, MAX_STEP))
    where, depth = valleys("mse")
    k = int(np.argmin(np.abs(where - u)))
    if abs(where[k] - u) <= 0.05:
        return "global" if k == int(np.argmin(depth)) else "local"
    return "plateau" if abs(mse_slope_u(u)) < asked.PLATEAU_SLOPE else "moving"


def _ends(u0: float, rate: float = DEFAULT_RATE, iterations: int = DEFAULT_ITERATIONS):
    curve = counterexample_curves((u0,), rate, iterations, losses=("mse",))["mse"]
    return asked.ends(curve, rate, iterations)


def test_the_page_asks_two_choices_in_order():
    assert [(c.name, c.kind) for c in on_page("landscape")] == [("ends", "choice"), ("chord", "choice")]


def test_the_start_asked_is_one_no_slider_shows():
    assert asked.start_to_ask((-5.5, -2.0, -0.5)) == -3.6
    assert asked.start_to_ask((-3.6, -2.0, -0.5)) == 1.4
    assert asked.start_to_ask((-3.6, 1.4, -1.1)) == -2.4


@pytest.mark.parametrize("u0", asked.ASKED_STARTS)
def test_where_the_descent_ends_matches_a_second_computation(u0):
    q = _ends(u0)
    assert q.answer.right == independent_ending(u0, DEFAULT_RATE, DEFAULT_ITERATIONS)
    assert q.show == {"view": "counter", "start": u0, "lr": DEFAULT_RATE, "iterations": DEFAULT_ITERATIONS}
    assert q.fields["start"] == f"{u0:g}" and q.fields["alpha"] == "3" and q.fields["iterations"] == "60"
    # the starts lie on the start sliders' grid (0.1 from −7), so "Show me" can set them
    assert abs(round((u0 - LOG_W_RANGE[0]) / 0.1) * 0.1 + LOG_W_RANGE[0] - u0) < 1e-9


def test_the_asked_starts_have_different_answers():
    # -3.6 sits nearer valley 2 (log₁₀ w ≈ −2.7) than valley 1 (≈ −4.7), yet its slope leads to valley 1.
    answers = [_ends(u0).answer.right for u0 in asked.ASKED_STARTS]
    assert answers == ["global", "plateau", "local", "local"]


@pytest.mark.parametrize("u0, rate, iterations", [
    (-3.6, 30.0, 60),   # steps capped at a quarter decade: it jumps about valley 1
    (-3.6, 3.0, 5),     # too few steps
    (-6.9, 3.0, 60),    # the left shoulder: flat, J → 1/8 as w → 0
    (-6.5, 3.0, 60),
    (1.4, 30.0, 300),   # the right plateau: every σ(w·x) is 1, flat at any rate
    (-1.1, 0.3, 300),
])
def test_the_answer_follows_the_pages_rate_and_iterations(u0, rate, iterations):
    assert _ends(u0, rate, iterations).answer.right == independent_ending(u0, rate, iterations)


def test_every_ending_happens_for_some_setting():
    seen = {independent_ending(u0, rate, n) for u0, rate, n in
            [(-3.6, 3.0, 60), (-2.4, 3.0, 60), (1.4, 3.0, 60), (-3.6, 30.0, 60)]}
    assert seen == set(asked.ENDINGS)


def test_ends_wants_the_squared_errors_curve_with_one_run():
    curves = counterexample_curves((-3.6, 1.4), 3.0, 60)
    with pytest.raises(ValueError, match="one run"):
        asked.ends(curves["mse"], 3.0, 60)
    with pytest.raises(ValueError, match="squared error"):
        asked.ends(counterexample_curves((-3.6,), 3.0, 60)["cross_entropy"], 3.0, 60)


def test_the_chord_joins_the_squared_errors_two_lowest_valleys():
    where, depth = valleys("mse")
    lowest = np.sort(where[np.argsort(depth)[:2]])
    w1, w2 = asked.chord_weights()
    np.testing.assert_allclose(np.log10([w1, w2]), lowest, atol=1e-3)


@pytest.mark.parametrize("loss", ["mse", "cross_entropy"])
def test_a_chord_in_numbers(loss):
    w1, w2 = 2e-5, 2e-3
    c = asked.chord(loss, w1, w2)
    J1, J2, Jm = cost(loss, [w1, w2, (w1 + w2) / 2])
    np.testing.assert_allclose([c.J1, c.J2, c.J_mid, c.chord_mid], [J1, J2, Jm, (J1 + J2) / 2], rtol=1e-12)
    w, J = c.line()
    assert w[0] == pytest.approx(w1) and w[-1] == pytest.approx(w2)
    np.testing.assert_allclose(J, J1 + (J2 - J1) * (w - w1) / (w2 - w1), rtol=1e-12)
    with pytest.raises(ValueError, match="0 < w1 < w2"):
        asked.chord(loss, w2, w1)


def test_the_squared_error_rises_above_its_chord_and_the_cross_entropy_never_does():
    # A second search: 20,000 random chords anywhere on the axis.
    rng = np.random.default_rng(0)
    w = 10.0 ** rng.uniform(*LOG_W_RANGE, size=(20_000, 2))
    mid = w.mean(axis=1)
    gaps = {}
    for loss in ("mse", "cross_entropy"):
        J = cost(loss, w)
        gaps[loss] = cost(loss, mid) - J.mean(axis=1)
        scale = np.abs(J).sum(axis=1)
        assert (gaps[loss] > 1e-9 * scale).any() == (loss == "mse")
    above, tried = asked.chords_above("mse")
    assert tried == asked.CHORD_POINTS * (asked.CHORD_POINTS - 1) // 2 and above > tried // 2
    assert asked.chords_above("cross_entropy") == (0, tried)
    assert np.mean(gaps["mse"] > 0) > 0.3


def test_the_chord_question_answers_squared_error_only():
    w1, w2 = asked.chord_weights()
    counts = {loss: asked.chords_above(loss) for loss in ("mse", "cross_entropy")}
    chords = {loss: asked.chord(loss, w1, w2) for loss in ("mse", "cross_entropy")}
    q = asked.midpoint_above(counts, chords)
    assert q.answer.right == "mse" and q.answer.options == asked.CHORD_ANSWERS
    assert q.show == {"view": "counter", "chord": True}
    Jm = cost("mse", (w1 + w2) / 2)
    assert float(q.fields["mse_gap"]) == pytest.approx(Jm - cost("mse", [w1, w2]).mean(), rel=2e-3)
    assert float(q.fields["mse_gap"]) > 0 > float(q.fields["ce_gap"])
    assert q.fields["ce_above"] == "0"


@pytest.mark.parametrize("mse, ce, right", [(5, 0, "mse"), (0, 5, "cross_entropy"), (5, 5, "both"), (0, 0, "neither")])
def test_the_chord_answer_follows_the_counts(mse, ce, right):
    chords = {loss: asked.chord(loss, 1e-3, 1e-2) for loss in ("mse", "cross_entropy")}
    q = asked.midpoint_above({"mse": (mse, 10), "cross_entropy": (ce, 10)}, chords)
    assert q.answer.right == right
