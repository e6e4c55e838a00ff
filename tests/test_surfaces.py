"""The two-parameter model: curvature formulas, Hessians, convexity counts and gradient-descent paths."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from playground.course.losses import get_loss
from playground.course.model import optimize
from playground.lessons.landscape.surfaces import (
    OneFeatureData,
    cost_at,
    cost_grid,
    eigenvalues_2x2,
    gradient_descent_path,
    grid_axes,
    hessian_2x2,
    loss_curvature,
    midpoint_violations,
    overlapping_dataset,
    smallest_eigenvalue,
    two_parameter_landscapes,
)

LOSSES = ("mse", "cross_entropy")
START = (-6.0, 4.0)


@pytest.fixture(scope="module")
def data():
    return overlapping_dataset()


@pytest.fixture(scope="module")
def landscapes(data):
    return two_parameter_landscapes(data, *START, learning_rate=1.0, num_iterations=200)


@pytest.mark.parametrize("name", LOSSES)
def test_curvature_is_the_derivative_of_the_registrys_dz(name):
    rng = np.random.default_rng(0)
    z = rng.uniform(-8, 8, 500)
    y = rng.integers(0, 2, 500).astype(float)
    h = 1e-5
    dz = get_loss(name).dz
    finite = (dz(z + h, y) - dz(z - h, y)) / (2 * h)
    assert_allclose(loss_curvature(name, z, y), finite, atol=1e-9)


def test_mse_bends_down_exactly_on_confidently_wrong_examples():
    a = np.linspace(0.01, 0.99, 99)
    z = np.log(a / (1 - a))
    assert_allclose(np.flatnonzero(loss_curvature("mse", z, 1.0) < 0), np.flatnonzero(a < 1 / 3))
    assert_allclose(np.flatnonzero(loss_curvature("mse", z, 0.0) < 0), np.flatnonzero(a > 2 / 3))


def test_cross_entropy_never_bends_down():
    z = np.linspace(-40, 40, 2001)
    for y in (0.0, 1.0):
        assert np.all(loss_curvature("cross_entropy", z, y) >= 0)


def test_curvature_refuses_an_unknown_loss():
    with pytest.raises(ValueError, match="Unknown loss 'hinge'"):
        loss_curvature("hinge", 0.0, 1.0)


def test_grid_matches_the_cost_point_by_point(data):
    w, b = np.array([-2.0, 0.5, 3.0]), np.array([-1.0, 2.0])
    J = cost_grid(data, "mse", w, b)
    assert J.shape == (2, 3)
    for i, bi in enumerate(b):
        for j, wj in enumerate(w):
            Z = wj * data.X + bi
            assert_allclose(J[i, j], get_loss("mse").cost(Z, data.Y))


@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.parametrize("point", [(-6.0, 4.0), (1.0, 0.0), (3.0, -2.0)])
def test_hessian_matches_finite_differences_of_the_cost(data, name, point):
    w, b = point
    h = 1e-4
    J = lambda dw, db: float(cost_at(data, name, w + dw, b + db))  # noqa: E731
    h_ww = (J(h, 0) - 2 * J(0, 0) + J(-h, 0)) / h**2
    h_bb = (J(0, h) - 2 * J(0, 0) + J(0, -h)) / h**2
    h_wb = (J(h, h) - J(h, -h) - J(-h, h) + J(-h, -h)) / (4 * h**2)
    got = hessian_2x2(data, name, w, b)[:3]
    assert_allclose(got, (h_ww, h_wb, h_bb), atol=1e-5)


def test_eigenvalues_match_numpy():
    rng = np.random.default_rng(1)
    h11, h12, h22 = rng.normal(size=(3, 50))
    lo, hi = eigenvalues_2x2(h11, h12, h22)
    expected = np.linalg.eigvalsh(np.stack([np.stack([h11, h12], -1), np.stack([h12, h22], -1)], -2))
    assert_allclose(lo, expected[:, 0], atol=1e-12)
    assert_allclose(hi, expected[:, 1], atol=1e-12)


def test_midpoint_violations_count_downward_bends_only():
    x = np.linspace(-1, 1, 11)
    bowl = x[None, :] ** 2 + x[:, None] ** 2
    assert midpoint_violations(bowl) == (0, 2 * 11 * 9)
    assert midpoint_violations(-bowl) == (2 * 11 * 9, 2 * 11 * 9)
    # A plane is convex (and concave): rounding in its values must not count.
    plane = 0.1 * x[None, :] + 3.0 * x[:, None] + 7.0
    assert midpoint_violations(plane)[0] == 0


def test_mse_has_negative_curvature_and_cross_entropy_none(landscapes):
    mse, ce = landscapes["mse"], landscapes["cross_entropy"]
    assert mse.grid_points == ce.grid_points == 81 * 81
    assert mse.negative_points > 1000
    assert ce.negative_points == 0
    assert mse.midpoint_violations > 1000
    assert ce.midpoint_violations == 0


def test_smallest_eigenvalue_at_the_start(data, landscapes):
    assert landscapes["mse"].lambda_min_start < 0
    assert landscapes["cross_entropy"].lambda_min_start > 0
    # Near the cross-entropy's minimum its Hessian is clearly positive definite.
    assert smallest_eigenvalue(data, "cross_entropy", 1.13, 0.11) > 0.05


def test_smallest_eigenvalue_along_the_whole_path(data, landscapes):
    for name, r in landscapes.items():
        assert r.lambda_min_path.shape == (201,)
        assert_allclose(r.lambda_min_path[[0, 57, 200]],
                        [float(smallest_eigenvalue(data, name, r.path.w[i], r.path.b[i])) for i in (0, 57, 200)])
    assert np.all(landscapes["cross_entropy"].lambda_min_path >= 0)
    assert np.all(landscapes["mse"].lambda_min_path < 0)  # stuck on the plateau, it never leaves negative curvature


def test_mse_stalls_on_a_plateau_where_cross_entropy_does_not(landscapes):
    mse, ce = landscapes["mse"].path, landscapes["cross_entropy"].path
    assert mse.grad_norm_start < 0.01 < 1.0 < ce.grad_norm_start
    assert mse.costs[0] - mse.costs[-1] < 1e-3
    assert ce.costs[-1] < 0.5 < 8.0 < ce.costs[0]


def test_cross_entropy_has_a_finite_minimum_on_overlapping_classes(data, landscapes):
    path = landscapes["cross_entropy"].path
    w, b = path.w[-1], path.b[-1]
    assert_allclose((w, b), (1.134, 0.106), atol=2e-3)
    # Every start ends there: it is the one minimum of a convex cost.
    for start in [(8.0, 8.0), (0.0, 0.0), (-9.0, -9.0)]:
        other = gradient_descent_path(data, "cross_entropy", *start, 1.0, 400)
        assert_allclose((other.w[-1], other.b[-1]), (w, b), atol=2e-3)


@pytest.mark.parametrize("name", LOSSES)
def test_path_is_the_courses_gradient_descent(data, name):
    path = gradient_descent_path(data, name, 0.5, -0.5, 0.3, 150)
    params, _, _ = optimize(np.array([[0.5]]), -0.5, data.X, data.Y, 150, 0.3, loss=name)
    assert_allclose((path.w[-1], path.b[-1]), (params["w"][0, 0], params["b"]))
    assert len(path.w) == len(path.costs) == 151
    assert_allclose(path.costs[0], float(cost_at(data, name, 0.5, -0.5)))


def test_grid_covers_every_path(landscapes):
    far = gradient_descent_path(overlapping_dataset(), "mse", -9.5, 9.5, 10.0, 50)
    w, b = grid_axes([far])
    assert w[0] <= far.w.min() and w[-1] >= far.w.max()
    assert b[0] <= -10 and b[-1] >= max(10, far.b.max())


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(learning_rate=0.0), "learning rate above 0 and at most 100, got 0.0"),
        (dict(learning_rate=float("nan")), "learning rate above 0"),
        (dict(num_iterations=0), "whole number of iterations from 1 to 5,000, got 0"),
        (dict(num_iterations=2.5), "whole number of iterations"),
        (dict(w0=float("inf")), r"finite starting point, got \(w₀, b₀\) = \(inf, 0.0\)"),
    ],
)
def test_descent_refuses_bad_settings(data, kwargs, message):
    args = dict(w0=0.0, b0=0.0, learning_rate=0.1, num_iterations=10) | kwargs
    with pytest.raises(ValueError, match=message):
        gradient_descent_path(data, "mse", **args)


@pytest.mark.parametrize(
    "x, y, message",
    [
        ([1.0, 2.0], [0.0], r"same shape \(m,\), got \(2,\) and \(1,\)"),
        ([1.0], [1.0], "at least 2 examples, got 1"),
        ([1.0, float("nan")], [0.0, 1.0], "finite inputs"),
        ([1.0, 2.0], [0.0, 2.0], r"labels 0 or 1, found \[2.0\]"),
        ([1.0, 2.0], [1.0, 1.0], "both labels"),
    ],
)
def test_one_feature_data_refuses_bad_input(x, y, message):
    with pytest.raises(ValueError, match=message):
        OneFeatureData("bad", np.array(x), np.array(y))


def test_one_feature_data_is_read_only(data):
    with pytest.raises(ValueError, match="read-only"):
        data.x[0] = 5.0


def test_grid_numbers_are_remembered_per_grid_and_match_a_fresh_computation(data):
    """A new learning rate reuses the grid's cost and convexity counts while the paths stay in the grid."""
    from playground.lessons.landscape.surfaces import (
        cost_grid,
        eigenvalues_2x2,
        grid_convexity,
        hessian_2x2,
        is_negative,
        midpoint_violations,
        two_parameter_landscapes,
    )

    slow, fast = (two_parameter_landscapes(data, -6.0, 4.0, lr, 50) for lr in (0.1, 0.3))
    assert np.array_equal(slow["mse"].w_values, fast["mse"].w_values)
    assert slow["mse"].J is fast["mse"].J and not fast["mse"].J.flags.writeable
    assert slow["mse"].path.w[-1] != fast["mse"].path.w[-1]
    w, b = fast["mse"].w_values, fast["mse"].b_values
    for name in ("mse", "cross_entropy"):
        J, negative, violations, checks = grid_convexity(data, name, w, b)
        assert_allclose(J, cost_grid(data, name, w, b), rtol=0, atol=0)
        h_ww, h_wb, h_bb, scale = hessian_2x2(data, name, *np.meshgrid(w, b))
        assert negative == int(np.sum(is_negative(eigenvalues_2x2(h_ww, h_wb, h_bb)[0], scale)))
        assert (violations, checks) == midpoint_violations(J)
    # Another grid (a path that leaves [−10, 10]) is computed anew.
    far = two_parameter_landscapes(data, -14.0, 4.0, 0.1, 50)
    assert far["mse"].w_values[0] < -14.0 and far["mse"].J.shape == (81, 81)
