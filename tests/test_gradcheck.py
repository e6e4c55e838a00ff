"""Gradient checking: the real backward pass passes, every planted bug is caught."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from playground.lessons.graph.gradcheck import (
    BUGS,
    EPSILON_GRID,
    GOOD,
    WRONG,
    cost,
    diagnose,
    error_vs_epsilon,
    gradient_check,
    gradient_checks,
    relative_error,
    sample_coordinates,
    verdict,
)
from playground.training import TrainingSettings, train
from tests.helpers import random_problem


@pytest.fixture(scope="module")
def course_trained(course_features):
    """The course's data and the course's trained model (cross-entropy, 2,000 iterations): (F, w, b)."""
    result = train(course_features, TrainingSettings())
    return course_features, result.w, result.b


@pytest.fixture(scope="module")
def small():
    X, Y, w = random_problem(50, 30, seed=0, threshold=0.4, w_scale=0.1)
    return w, -0.2, X, Y


def test_real_code_passes_on_the_course_model(course_trained):
    F, w, b = course_trained
    check = gradient_check(w, b, F.X_train, F.Y_train)
    assert check.relative_error < GOOD
    assert check.verdict == "good"
    assert check.coordinates.shape == (20,) and check.numeric.shape == (21,)
    assert check.cost_evaluations == 42
    assert check.full_evaluations == 2 * (12288 + 1)
    assert_allclose(check.cost, 0.135608, atol=1e-6)  # the course's cost at its final weights


@pytest.mark.parametrize("bug", [b for b in BUGS if b != "none"])
@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_every_planted_bug_is_caught(course_trained, bug, loss):
    F, w, b = course_trained
    check = gradient_check(w, b, F.X_train, F.Y_train, loss=loss, bug=bug)
    assert check.relative_error > WRONG
    assert check.verdict == "wrong"


def test_diagnosis_blames_epsilon_when_the_backward_pass_is_right(course_trained):
    # The real code on the course's model: wrong-looking at ε = 1e-10 (rounding) and ε = 0.3
    # (truncation), right in between: the cause is the step size, never the code.
    F, w, b = course_trained
    checks = gradient_checks(w, b, F.X_train, F.Y_train, epsilons=EPSILON_GRID)
    assert checks[0].verdict == "wrong" and checks[-1].verdict == "wrong"
    assert diagnose(checks, 1e-10) == "rounding"
    assert diagnose(checks, 0.3) == "truncation"
    assert diagnose(checks, 1e-6) == "good"
    for bug in ("sign", "db_without_y"):
        buggy = gradient_checks(w, b, F.X_train, F.Y_train, epsilons=EPSILON_GRID, bug=bug)
        assert {diagnose(buggy, e) for e in EPSILON_GRID} == {"wrong"}
    with pytest.raises(ValueError, match="No check at ε"):
        diagnose(checks, 2e-6)


def test_mse_real_code_passes(small):
    w, b, X, Y = small
    assert gradient_check(w, b, X, Y, loss="mse").relative_error < GOOD


def test_error_curve_has_rounding_and_truncation_sides(small):
    # Tiny ε: rounding error ∝ 1/ε. Large ε: truncation ∝ ε². The best ε lies between.
    w, b, X, Y = small
    eps = (1e-12, 1e-9, 1e-6, 1e-3, 1e-1)
    errors = error_vs_epsilon(w, b, X, Y, epsilons=eps)
    best = int(np.argmin(errors))
    assert 0 < best < len(eps) - 1
    assert errors[0] > 100 * errors[best] and errors[-1] > 100 * errors[best]
    assert errors[-1] > errors[-2] * 100  # ε × 100 → error × 10⁴: the ε² law


def test_numeric_gradient_is_what_it_says(small):
    # The definition, with w and b really nudged and wᵀX + b recomputed: the page's shortcut
    # (moving the logits by ±ε·X[j, :]) must give the same centred differences up to rounding
    # (|J| · 1e-16 / 2ε ≈ 1e-11 here), far tighter than what a one-sided difference (~ε·J'' ≈ 1e-6)
    # or a wrong ε would be off by.
    w, b, X, Y = small
    eps = 1e-5
    check = gradient_check(w, b, X, Y, sample=3, seed=5, epsilon=eps)
    expected = []
    for j in check.coordinates:
        w_plus, w_minus = w.copy(), w.copy()
        w_plus[j] += eps
        w_minus[j] -= eps
        expected.append((cost(w_plus, b, X, Y) - cost(w_minus, b, X, Y)) / (2 * eps))
    expected.append((cost(w, b + eps, X, Y) - cost(w, b - eps, X, Y)) / (2 * eps))
    assert_allclose(check.numeric, expected, rtol=1e-8, atol=1e-10)
    one_sided = (cost(w, b + eps, X, Y) - cost(w, b, X, Y)) / eps
    assert abs(check.numeric[-1] - one_sided) > 1e3 * abs(check.numeric[-1] - expected[-1])


def test_relative_error_and_verdict():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error([0.0], [0.0]) == 0.0
    assert_allclose(relative_error([1.0], [-1.0]), 1.0)
    assert verdict(1e-9) == "good" and verdict(1e-6) == "doubtful" and verdict(1e-3) == "wrong"


def test_sample_is_seeded_and_distinct():
    a, b = sample_coordinates(1000, 20, seed=3), sample_coordinates(1000, 20, seed=3)
    assert np.array_equal(a, b) and len(set(a.tolist())) == 20 and np.all(np.diff(a) > 0)
    assert not np.array_equal(a, sample_coordinates(1000, 20, seed=4))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(epsilon=0.0), "Expected ε from 1e-12 to 1, got 0.0"),
        (dict(epsilon=2.0), "Expected ε from 1e-12 to 1, got 2.0"),
        (dict(sample=0), "sample of 1 to 50 coordinates of w, got 0"),
        (dict(bug="typo"), "Unknown planted bug 'typo'"),
        (dict(loss="hinge"), "Unknown loss 'hinge'"),
    ],
)
def test_bad_settings_raise(small, kwargs, message):
    w, b, X, Y = small
    with pytest.raises(ValueError, match=message):
        gradient_check(w, b, X, Y, **kwargs)


def test_bad_shapes_raise(small):
    w, b, X, Y = small
    with pytest.raises(ValueError, match=r"Expected w of shape \(50, 1\) to match X \(50, 30\), got \(49, 1\)"):
        gradient_check(w[:49], b, X, Y)
    with pytest.raises(ValueError, match=r"Expected Y of shape \(1, 30\)"):
        gradient_check(w, b, X, Y[:, :5])
    with pytest.raises(ValueError, match="finite w and b"):
        gradient_check(w, np.nan, X, Y)
