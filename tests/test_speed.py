"""The four implementations of one training step agree; the timing helpers report sane numbers."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from playground.course.model import propagate
from playground.lessons.speed import (
    IMPLEMENTATIONS,
    MAX_LOOP_WORK,
    check_race_size,
    dot_loop,
    dot_numpy,
    max_difference,
    median_time,
    race_data,
    race_state,
    run_dot_race,
    run_race,
    single_blas_thread,
    step_dual,
    step_one_loop,
    step_two_loops,
    step_vectorized,
)
from tests.helpers import random_problem


@pytest.fixture(scope="module")
def data():
    X, Y, _ = random_problem(120, 40, seed=2)
    return X, Y


def test_four_ways_agree_to_1e_12(data):
    X, Y = data
    w0, alpha, b, w = race_state(X, seed=1)
    ref = step_vectorized(w, b, X, Y)
    K, z0 = X.T @ X, w0.T @ X
    J, dalpha, db = step_dual(alpha, z0, b, K, Y)
    for result in (step_two_loops(w, b, X, Y), step_one_loop(w, b, X, Y), (J, X @ dalpha, db)):
        assert result[1].shape == (120, 1)
        assert max_difference(result, ref) < 1e-12
    grads, cost = propagate(w, b, X, Y)  # and the project's own reference code
    assert max_difference((cost, grads["dw"], grads["db"]), ref) < 1e-12


def test_two_loops_reports_every_example(data):
    X, Y = data
    seen = []
    step_two_loops(np.zeros((120, 1)), 0.0, X, Y, on_example=seen.append)
    assert seen == list(range(40))


def test_race_on_course_features_agrees_and_times_everything(course_dir):
    from playground.data.course import load_course_folder
    from playground.data.features import make_features

    F = make_features(load_course_folder(course_dir), precompute_kernel=False)
    X, Y, rows = race_data(F.X_train, F.Y_train, m=60, n=500)
    assert X.shape == (500, 60) and Y.shape == (1, 60) and rows.shape == (500,)
    assert X.flags.c_contiguous and np.array_equal(X, F.X_train[rows, :60])
    fractions = []
    race = run_race(X, Y, progress=lambda f, msg: fractions.append(f))
    assert race.max_difference < 1e-12
    assert set(race.seconds) == set(IMPLEMENTATIONS) and all(s > 0 for s in race.seconds.values())
    assert race.repeats["two_loops"] == 1 and race.kernel_seconds > 0
    assert fractions[-1] == 1.0 and fractions == sorted(fractions)
    assert race.speedup("two_loops") == 1.0
    print("\nrace m=60 n=500:", {k: f"{v * 1e3:.3f} ms" for k, v in race.seconds.items()})


def test_race_state_keeps_z_small(data):
    X, _ = data
    w0, alpha, b, w = race_state(X * 30.0)
    Z = w.T @ (X * 30.0) + b
    assert np.abs(Z).max() < 5
    assert_allclose(w, w0 + (X * 30.0) @ alpha)


def test_race_size_is_bounded():
    check_race_size(100, MAX_LOOP_WORK // 100, 209, 12288)
    with pytest.raises(ValueError, match=r"209 × 12,288 = 2,568,192 is more than 1,000,000.*at most 81 examples"):
        check_race_size(209, 12288, 209, 12288)
    with pytest.raises(ValueError, match="Expected m from 1 to 209, got 0"):
        check_race_size(0, 10, 209, 12288)
    with pytest.raises(ValueError, match="number of features from 1 to 12,288, got 20000"):
        check_race_size(1, 20000, 209, 12288)


def test_dot_products_agree():
    u, v = np.arange(5.0), np.ones(5)
    assert dot_loop(u, v) == dot_numpy(u, v) == 10.0
    race = run_dot_race(length=20_000)
    assert race.difference < 1e-9 * race.numpy_value
    assert race.loop_seconds > 0 and race.numpy_seconds > 0 and race.numpy_repeats >= 1
    with pytest.raises(ValueError, match="vector length from 1 to 10,000,000, got 0"):
        run_dot_race(length=0)


def test_median_time_repeats_within_budget():
    seconds, repeats = median_time(lambda: None, budget=0.01, max_repeats=7)
    assert repeats == 7 and seconds >= 0


def test_single_blas_thread_restores_the_count():
    from playground.server import openblas_threads

    funcs = openblas_threads()
    before = funcs[0]() if funcs else None
    with single_blas_thread() as single:
        if funcs:
            assert single and funcs[0]() == 1
    if funcs:
        assert funcs[0]() == before
