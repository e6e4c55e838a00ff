"""A slice of the real model: directions, projections, and the grid against direct evaluation."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from playground.course.losses import get_loss
from playground.data.features import make_features
from playground.lessons.landscape.slices import (
    path_costs,
    plane_curvature,
    project_slice,
    slice_axes,
    slice_costs,
    slice_landscape,
)
from playground.lessons.landscape.surfaces import midpoint_violations
from playground.training import TrainingSettings, train
from tests.helpers import random_pictures


@pytest.fixture(scope="module")
def features():
    """Small random pictures (8 × 8 × 3) whose label leans on the mean red level."""
    return make_features(random_pictures(
        50, (8, 8, 3), labels=lambda images, rng: images[..., 0].mean(axis=(1, 2)) + rng.normal(0, 8, len(images)) > 127))


@pytest.fixture(scope="module")
def runs(features):
    return {name: train(features, TrainingSettings(loss=name, learning_rate=0.05, num_iterations=300), snapshots=41)
            for name in ("mse", "cross_entropy")}


def _theta(result, k):
    return np.append(result.snapshot_w[k].astype(float), result.snapshot_b[k])


@pytest.mark.parametrize("name", ["mse", "cross_entropy"])
def test_the_grid_equals_the_cost_at_each_point(features, runs, name):
    result = runs[name]
    proj = project_slice(features, result, "trajectory")
    s, t = np.array([-0.7, 0.0, 0.4]), np.array([-0.3, 0.5])
    J = slice_costs(proj, features.Y_train, s, t)
    assert J.shape == (2, 3)
    d1, d2 = proj.plane.d1, proj.plane.d2
    for i, ti in enumerate(t):
        for j, sj in enumerate(s):
            theta = np.append(result.w[:, 0], result.b) + sj * d1 + ti * d2
            Z = theta[:-1] @ features.X_train + theta[-1]
            assert_allclose(J[i, j], get_loss(name).cost(Z, features.Y_train), rtol=1e-12)
    assert_allclose(slice_costs(proj, features.Y_train, [0.0], [0.0])[0, 0], result.final_cost, rtol=1e-12)


def test_trajectory_directions_are_orthonormal_and_hold_the_path(features, runs):
    result = runs["cross_entropy"]
    proj = project_slice(features, result, "trajectory")
    d1, d2 = proj.plane.d1, proj.plane.d2
    assert_allclose([d1 @ d1, d2 @ d2, d1 @ d2], [1.0, 1.0, 0.0], atol=1e-10)
    assert proj.plane.in_plane > 0.95
    # The start, rebuilt from its two coordinates, is close to the real start.
    start = _theta(result, 0)
    rebuilt = np.append(result.w[:, 0], result.b) + proj.s[0] * d1 + proj.t[0] * d2
    assert np.linalg.norm(rebuilt - start) < 0.25 * np.linalg.norm(start - np.append(result.w[:, 0], result.b))
    assert proj.s[0] < 0
    assert_allclose([proj.s[-1], proj.t[-1]], [0.0, 0.0], atol=1e-6)
    assert_allclose(proj.true_costs[0], result.costs[0])
    assert_allclose(proj.true_costs[-1], result.final_cost)


def test_random_directions_are_filter_normalised_and_seeded(features, runs):
    result = runs["cross_entropy"]
    a = project_slice(features, result, "random", seed=3)
    b = project_slice(features, result, "random", seed=3)
    c = project_slice(features, result, "random", seed=4)
    norm = np.linalg.norm(result.w)
    for d in (a.plane.d1, a.plane.d2):
        assert_allclose(np.linalg.norm(d[:-1]), norm)
        assert d[-1] == 0.0
    assert_allclose(a.plane.d1, b.plane.d1)
    assert not np.allclose(a.plane.d1, c.plane.d1)
    assert 0.0 <= a.plane.in_plane < 0.5


def test_projections_are_xt_times_the_directions(features, runs):
    result = runs["mse"]
    proj = project_slice(features, result, "trajectory")
    X = features.X_train
    assert_allclose(proj.z_star, result.w[:, 0] @ X + result.b, rtol=1e-12)
    assert_allclose(proj.p1, proj.plane.d1[:-1] @ X + proj.plane.d1[-1], rtol=1e-10, atol=1e-12)
    assert_allclose(proj.p2, proj.plane.d2[:-1] @ X + proj.plane.d2[-1], rtol=1e-10, atol=1e-12)


def test_axes_are_square_and_hold_the_path(features, runs):
    proj = project_slice(features, runs["cross_entropy"], "trajectory")
    s, t = slice_axes(proj, points=101)
    assert len(s) == len(t) == 101
    assert_allclose(s, t)
    assert s[0] < min(proj.s.min(), proj.t.min(), -1.0) and s[-1] > max(proj.s.max(), proj.t.max(), 1.0)
    assert s[50] == 0.0


def test_path_costs_sit_on_the_plane(features, runs):
    proj = project_slice(features, runs["cross_entropy"], "trajectory")
    on_plane = path_costs(proj, features.Y_train)
    # The last snapshot is w* stored in float32: on the plane up to that rounding.
    assert_allclose(on_plane[-1], runs["cross_entropy"].final_cost, rtol=1e-7)
    direct = slice_costs(proj, features.Y_train, [proj.s[5]], [proj.t[5]])[0, 0]
    assert_allclose(on_plane[5], direct, rtol=1e-12)


def test_cross_entropy_slice_is_convex(features, runs):
    proj = project_slice(features, runs["cross_entropy"], "trajectory")
    s, t = slice_axes(proj, points=41)
    assert midpoint_violations(slice_costs(proj, features.Y_train, s, t))[0] == 0
    assert plane_curvature(proj, features.Y_train) >= 0


def test_curvature_in_the_plane_along_the_path(features, runs):
    proj = project_slice(features, runs["mse"], "trajectory")
    along = plane_curvature(proj, features.Y_train, proj.s, proj.t)
    assert along.shape == proj.s.shape
    assert_allclose(along[3], float(plane_curvature(proj, features.Y_train, proj.s[3], proj.t[3])))
    # By hand at θ*: the 2 × 2 Hessian within the plane, from d²L/dz² of every example.
    from playground.lessons.landscape.surfaces import loss_curvature
    c = loss_curvature("mse", proj.z_star, features.Y_train[0])
    H = np.array([[np.mean(c * proj.p1**2), np.mean(c * proj.p1 * proj.p2)],
                  [np.mean(c * proj.p1 * proj.p2), np.mean(c * proj.p2**2)]])
    assert_allclose(float(plane_curvature(proj, features.Y_train)), np.linalg.eigvalsh(H)[0], rtol=1e-10)


def test_on_the_course_data_the_squared_error_slice_is_not_convex(course_features):
    F = course_features
    counts = {}
    for name in ("mse", "cross_entropy"):
        result = train(F, TrainingSettings(loss=name, num_iterations=500), snapshots=41)
        proj = project_slice(F, result, "trajectory")
        s, t = slice_axes(proj, points=61)
        counts[name] = midpoint_violations(slice_costs(proj, F.Y_train, s, t))[0]
    assert counts["mse"] > 100
    assert counts["cross_entropy"] == 0


def test_slice_landscape_bundles_grid_path_and_numbers(features, runs):
    sl = slice_landscape(features, runs["cross_entropy"], "trajectory", points=31)
    assert sl.J.shape == (31, 31) and sl.s.shape == sl.t.shape == (31,)
    assert_allclose(sl.J, slice_costs(sl.proj, features.Y_train, sl.s, sl.t))
    assert sl.path_J.shape == sl.path_lambda.shape == sl.proj.s.shape
    assert (sl.midpoint_violations, sl.midpoint_checks) == (0, 2 * 31 * 29)
    assert sl.lambda_at_star > 0


def test_refusals(features, runs):
    with pytest.raises(ValueError, match="Unknown directions 'pca': expected one of trajectory, random"):
        project_slice(features, runs["mse"], "pca")
    short = train(features, TrainingSettings(num_iterations=1), snapshots=41)
    with pytest.raises(ValueError, match="has 2 snapshot"):
        project_slice(features, short, "trajectory")
    proj = project_slice(features, runs["mse"])
    with pytest.raises(ValueError, match="Expected 40 labels, got 3"):
        slice_costs(proj, np.zeros(3), [0.0], [0.0])


def test_a_model_from_other_features_is_refused(features, runs, course_features):
    with pytest.raises(ValueError, match="192 weights but the features have n_x = 12,288"):
        project_slice(course_features, runs["mse"])


@pytest.mark.parametrize("name", ["mse", "cross_entropy"])
def test_the_grid_is_the_same_row_by_row_in_blocks_and_on_one_thread(features, runs, name, monkeypatch):
    """Blocks of rows shared between threads give, to the last bit, the costs of one row at a time;
    and those are the loss registry's to rounding."""
    import playground.lessons.landscape.slices as slices
    from playground.course.losses import get_loss, mean_losses

    proj = project_slice(features, runs[name], "trajectory")
    s, t = slice_axes(proj, points=21)
    t = t[:13]  # not a whole number of blocks
    y = features.Y_train.reshape(-1)
    rows = np.array([mean_losses(get_loss(name), (proj.z_star + ti * proj.p2) + s[:, None] * proj.p1, y)
                     for ti in t])
    threads = slice_costs(proj, features.Y_train, s, t)
    monkeypatch.setattr(slices, "WORKERS", 1)
    one = slice_costs(proj, features.Y_train, s, t)
    assert threads.shape == (13, 21) and np.array_equal(threads, rows) and np.array_equal(one, rows)
    registry = np.array([get_loss(name).loss((proj.z_star + ti * proj.p2) + s[:, None] * proj.p1, y).mean(axis=1)
                         for ti in t])
    assert_allclose(threads, registry, rtol=1e-13)


@pytest.mark.parametrize("kind", ["trajectory", "random"])
@pytest.mark.parametrize("name", ["mse", "cross_entropy"])
def test_dual_snapshots_give_the_slice_of_the_snapshot_weights(features, name, kind):
    """A dual run's slice from its snapshots as α (without snapshot weights) is the slice of a plain
    run's snapshot weights: the same plane, projections and path, to rounding (the plain run's
    snapshots are float32)."""
    s = TrainingSettings(loss=name, learning_rate=0.05, num_iterations=300, init="random", seed=2)
    plain = train(features, s, method="plain", snapshots=41)
    dual = train(features, s, method="dual", snapshots=41, snapshot_weights=False)
    assert dual.snapshot_w is None and dual.snapshot_alpha.shape == (41, features.m_train)
    a, b = project_slice(features, plain, kind, seed=5), project_slice(features, dual, kind, seed=5)
    assert_allclose(b.plane.d1, a.plane.d1, rtol=1e-5, atol=1e-6 * np.abs(a.plane.d1).max())
    assert_allclose(b.plane.d2, a.plane.d2, rtol=1e-5, atol=1e-6 * np.abs(a.plane.d2).max())
    assert b.plane.in_plane == pytest.approx(a.plane.in_plane, rel=1e-6, abs=1e-9)
    for field in ("z_star", "p1", "p2", "s", "t", "true_costs"):
        x, y = getattr(a, field), getattr(b, field)
        assert_allclose(y, x, rtol=1e-5, atol=1e-6 * max(1.0, np.abs(x).max()), err_msg=field)


@pytest.mark.parametrize("name", ["mse", "cross_entropy"])
def test_the_lowest_point_of_a_slice_and_the_cost_at_its_centre(features, runs, name):
    """w* is where training stopped, at the centre; the grid's lowest point is found wherever it is."""
    sl = slice_landscape(features, runs[name])
    s, t, J, on_edge = sl.lowest()
    assert J == sl.J.min() and sl.J[list(sl.t).index(t), list(sl.s).index(s)] == J
    assert on_edge == (abs(s) == sl.s[-1] or abs(t) == sl.t[-1])
    assert sl.at_star() == pytest.approx(runs[name].final_cost, rel=1e-9)
    assert J <= sl.at_star()
