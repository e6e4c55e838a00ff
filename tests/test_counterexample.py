"""The counterexample: three local minima for squared error along one weight, one for cross-entropy."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from playground.course.model import propagate
from playground.lessons.landscape.counterexample import (
    COUNTER_B,
    LN10,
    cost_along_w,
    counterexample_curves,
    counterexample_dataset,
    descend_log_weight,
    local_minima,
    log_w_grid,
    nearest_minimum,
    negative_curvature_count,
    slope_along_u,
)
from playground.lessons.landscape.surfaces import OneFeatureData

STARTS = (-5.5, -2.0, -0.5)


@pytest.fixture(scope="module")
def data():
    return counterexample_dataset()


@pytest.fixture(scope="module")
def curves():
    return counterexample_curves(STARTS, learning_rate=3.0, num_iterations=60)


def test_three_mse_minima_and_one_cross_entropy_minimum(data):
    mse = local_minima(data, "mse")
    ce = local_minima(data, "cross_entropy")
    assert len(mse) == 3
    assert len(ce) == 1
    assert_allclose(mse, [-4.699, -2.699, -0.710], atol=2e-3)
    assert_allclose(ce, [-4.539], atol=2e-3)


@pytest.mark.parametrize("name", ["mse", "cross_entropy"])
def test_each_minimum_is_a_minimum(data, name):
    for u in local_minima(data, name):
        slope, scale = slope_along_u(data, name, np.array([u]))
        assert abs(slope[0]) <= 1e-6 * max(scale[0], 1e-300)
        around = cost_along_w(data, name, np.array([u - 0.05, u, u + 0.05]))
        assert around[1] < around[0] and around[1] < around[2]


def test_the_minima_do_not_depend_on_the_grids_resolution(data):
    coarse = local_minima(data, "mse", log_w_grid(181))
    fine = local_minima(data, "mse", log_w_grid(3601))
    assert_allclose(coarse, fine, atol=1e-8)


def test_the_courses_four_inputs_give_two_minima_on_the_log_axis():
    """Why six inputs: x = (10⁶, 10⁴, 10², 1), y = (1, 0, 1, 0) has only two minima for w > 0."""
    four = OneFeatureData("course", np.array([1e6, 1e4, 1e2, 1.0]), np.array([1.0, 0.0, 1.0, 0.0]))
    u = np.linspace(-9, 2, 2001)
    assert len(local_minima(four, "mse", u)) == 2
    assert len(local_minima(four, "cross_entropy", u)) == 1


def test_squared_error_bends_down_along_w_and_cross_entropy_never(data):
    u = log_w_grid()
    assert negative_curvature_count(data, "mse", u) > 100
    assert negative_curvature_count(data, "cross_entropy", u) == 0


def test_three_starts_end_in_three_mse_minima_and_one_cross_entropy_minimum(curves):
    mse, ce = curves["mse"], curves["cross_entropy"]
    assert mse.reached == (0, 1, 2)
    assert ce.reached == (0, 0, 0)
    ends = [p.u[-1] for p in ce.paths]
    assert_allclose(ends, ce.minima[0], atol=1e-6)
    assert_allclose([p.u[-1] for p in mse.paths], mse.minima, atol=1e-3)
    assert mse.negative_points > 0 and ce.negative_points == 0
    assert_allclose(mse.minima_J, cost_along_w(counterexample_dataset(), "mse", mse.minima))


def test_descent_steps_on_the_exponent_with_the_courses_propagate(data):
    path = descend_log_weight(data, "mse", -3.0, learning_rate=5.0, num_iterations=1)
    w = 10.0**-3.0
    grads, cost = propagate(np.array([[w]]), COUNTER_B, data.X, data.Y, "mse")
    step = 5.0 * LN10 * w * grads["dw"][0, 0]
    assert abs(step) < 0.25
    assert_allclose(path.u, [-3.0, -3.0 - step])
    assert_allclose(path.costs[0], cost)


def test_no_step_is_longer_than_the_cap(data):
    path = descend_log_weight(data, "cross_entropy", 1.5, learning_rate=3.0, num_iterations=40, max_step=0.25)
    assert np.max(np.abs(np.diff(path.u))) <= 0.25 + 1e-12
    assert_allclose(path.w, 10.0**path.u)


def test_nearest_minimum():
    minima = np.array([-4.7, -2.7, -0.7])
    assert nearest_minimum(-2.71, minima) == 1
    assert nearest_minimum(-3.5, minima) is None
    assert nearest_minimum(-1.0, np.array([])) is None


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(u0=5.0), "start log₁₀ w₀ from -7 to 2, got 5.0"),
        (dict(learning_rate=-1.0), "learning rate above 0 and at most 100, got -1.0"),
        (dict(num_iterations=5000), "iterations from 1 to 2,000, got 5000"),
        (dict(max_step=0.0), "positive step cap, got 0.0"),
    ],
)
def test_descent_refuses_bad_settings(data, kwargs, message):
    args = dict(u0=-3.0, learning_rate=1.0, num_iterations=10) | kwargs
    with pytest.raises(ValueError, match=message):
        descend_log_weight(data, "mse", **args)


def test_unknown_loss_is_refused(data):
    with pytest.raises(ValueError, match="Unknown loss 'l1'"):
        local_minima(data, "l1")
