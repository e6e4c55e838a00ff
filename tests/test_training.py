"""Training runs: the course's numbers, the fast path's exactness, divergence, validation."""

import dataclasses

import numpy as np
import pytest
from numpy.testing import assert_allclose

from playground.course.model import initialize_random
from playground.data.features import make_features
from playground.training import TrainingSettings, train
from playground.training.histories import snapshot_schedule
from tests.course_reference import (
    BASELINE_B,
    BASELINE_CONFUSION,
    BASELINE_COSTS,
    BASELINE_FINAL_COST,
    BASELINE_TEST_ACCURACY,
    BASELINE_TRAIN_ACCURACY,
    BASELINE_W_NORM,
    LEARNING_RATE_TABLE,
)
from tests.helpers import random_pictures
from tests.results import identical as _identical


@pytest.fixture(scope="module")
def course_features_plain(course_dataset):
    return make_features(course_dataset, precompute_kernel=False)


def _assert_the_courses_run(r) -> None:
    """The course's published numbers (α = 0.005, 2,000 iterations from w = 0), as tests/course_reference.py holds them."""
    assert_allclose(r.costs[list(BASELINE_COSTS)], list(BASELINE_COSTS.values()), atol=1e-6)
    assert r.final_cost == pytest.approx(BASELINE_FINAL_COST, abs=1e-6)
    assert r.b == pytest.approx(BASELINE_B, abs=1e-6)
    assert np.linalg.norm(r.w) == pytest.approx(BASELINE_W_NORM, abs=1e-6)
    assert r.train_accuracy == pytest.approx(BASELINE_TRAIN_ACCURACY, abs=1e-6)
    assert r.test_accuracy == pytest.approx(BASELINE_TEST_ACCURACY, abs=1e-6)
    assert r.confusion == BASELINE_CONFUSION
    assert r.diverged_at is None and len(r.costs) == 2000


def test_baseline_reproduces_reference(course_features):
    r = train(course_features, TrainingSettings())
    assert r.method == "dual"
    _assert_the_courses_run(r)


@pytest.mark.parametrize("lr", sorted(LEARNING_RATE_TABLE))
def test_learning_rate_table(course_features, lr):
    recorded, final, train_acc, test_acc = LEARNING_RATE_TABLE[lr]
    r = train(course_features, TrainingSettings(learning_rate=lr, num_iterations=1500))
    assert r.costs[1400] == pytest.approx(recorded, abs=1e-6)
    assert r.final_cost == pytest.approx(final, abs=1e-6)
    assert r.train_accuracy == pytest.approx(train_acc, abs=1e-6)
    assert r.test_accuracy == pytest.approx(test_acc, abs=1e-6)


def test_too_large_rate_overshoots_early_as_the_course_shows(course_features, course_features_plain):
    s = TrainingSettings(learning_rate=0.01, num_iterations=301)
    plain = train(course_features_plain, s, method="plain")
    assert_allclose(plain.costs[[100, 200, 300]], [0.823921, 0.418944, 0.617350], atol=1e-6)
    # While the steps overshoot, rounding differences of 1e-16 between K·α and wᵀX are
    # amplified about a hundred-million-fold: the dual path agrees to 1e-4 there, not 1e-9.
    fast = train(course_features, s, method="dual")
    assert np.max(np.abs(fast.costs - plain.costs)) < 1e-4


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
@pytest.mark.parametrize("init", ["zeros", "random"])
def test_fast_path_equals_plain_path(course_features, course_features_plain, loss, init):
    s = TrainingSettings(loss=loss, init=init, seed=7, learning_rate=0.005, num_iterations=2000)
    fast = train(course_features, s, method="dual")
    plain = train(course_features_plain, s, method="plain")
    assert (fast.method, plain.method) == ("dual", "plain")
    assert np.max(np.abs(fast.costs - plain.costs)) <= 1e-9
    assert np.max(np.abs(fast.test_costs - plain.test_costs)) <= 1e-9
    assert np.max(np.abs(fast.w - plain.w)) <= 1e-9
    assert abs(fast.b - plain.b) <= 1e-9
    assert np.max(np.abs(fast.snapshot_w - plain.snapshot_w)) <= 1e-6  # float32 snapshots


def _bright(pictures: np.ndarray, rng) -> np.ndarray:
    """1 for a picture brighter than mid-grey on average; the first two 0 and 1 (both classes present)."""
    y = pictures.reshape(len(pictures), -1).mean(axis=1) > 127
    y[:2] = [False, True]
    return y


def test_plain_path_is_used_when_examples_outnumber_features():
    # 60 pictures of 2 × 2 × 3 (n_x = 12 < m), bright or dark: the primal path must be chosen.
    F = make_features(random_pictures(60, (2, 2, 3), labels=_bright, classes=("dark", "bright"), name="tiny"))
    assert F.K_train is None
    r = train(F, TrainingSettings(num_iterations=50, learning_rate=0.1))
    assert r.method == "plain"
    with pytest.raises(ValueError, match="dual path needs K"):
        train(F, TrainingSettings(num_iterations=5), method="dual")


@pytest.mark.parametrize("lr", [1.0, 10.0, 100.0])
def test_huge_rates_are_reported_as_diverged_without_warnings(course_features, lr):
    r = train(course_features, TrainingSettings(learning_rate=lr, num_iterations=300))
    assert r.diverged_at == 1
    assert np.all(np.isfinite(r.costs))


def test_mse_with_huge_logits_and_rate_stays_finite(course_features):
    r = train(course_features, TrainingSettings(loss="mse", learning_rate=100.0, num_iterations=200))
    assert np.all(np.isfinite(r.costs)) and np.isfinite(r.final_cost)


def test_non_finite_cost_stops_the_run(course_features, unlimited):
    r = train(course_features, TrainingSettings(learning_rate=1.7e308, num_iterations=500))
    assert r.stopped_early and r.diverged_at == 1 and len(r.costs) == 2
    assert not r.recovered


def test_snapshots_cover_start_and_end(course_features):
    r = train(course_features, TrainingSettings(num_iterations=200), snapshots=5)
    assert r.snapshot_iterations.tolist() == [0, 50, 100, 150, 200]
    assert_allclose(r.snapshot_w[-1], r.w[:, 0], atol=1e-6)
    assert not r.snapshot_w[0].any()
    assert snapshot_schedule(0).tolist() == [0]


def test_zero_iterations_returns_the_starting_point(course_features):
    r = train(course_features, TrainingSettings(num_iterations=0))
    assert len(r.costs) == 0 and r.final_cost == pytest.approx(np.log(2))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"learning_rate": 0}, r"learning rate above 0 and at most 1e\+06, got 0"),
        ({"learning_rate": float("nan")}, "learning rate above 0"),
        ({"num_iterations": -1}, r"whole number of iterations from 0 to 100,000, got -1"),
        ({"num_iterations": 2.5}, "whole number of iterations"),
        ({"init": "ones"}, r"Unknown initialisation 'ones': expected one of zeros, random"),
        ({"loss": "hinge"}, "Unknown loss 'hinge'"),
    ],
)
def test_settings_are_validated(kwargs, message):
    with pytest.raises(ValueError, match=message):
        TrainingSettings(**kwargs)


def test_unknown_method(course_features):
    with pytest.raises(ValueError, match="Unknown method 'fast'"):
        train(course_features, method="fast")


def _same_run(a, b, tol: float = 1e-12):
    """Two results of the same settings: the same run, to ``tol`` (a batch differs from a run alone
    only by the rounding of one matrix product)."""
    assert a.settings == b.settings and a.method == b.method
    assert a.diverged_at == b.diverged_at and len(a.costs) == len(b.costs)
    assert a.snapshot_iterations.tolist() == b.snapshot_iterations.tolist()
    assert_allclose(a.costs, b.costs, rtol=tol, atol=tol)
    assert_allclose(a.test_costs, b.test_costs, rtol=tol, atol=tol)
    assert_allclose(a.train_accuracies, b.train_accuracies, rtol=tol, atol=tol)
    assert_allclose(a.test_accuracies, b.test_accuracies, rtol=tol, atol=tol)
    assert_allclose(a.w, b.w, rtol=tol, atol=tol)
    assert_allclose(a.snapshot_w, b.snapshot_w, rtol=1e-6, atol=1e-9)  # float32
    assert_allclose(a.snapshot_b, b.snapshot_b, rtol=tol, atol=tol)
    assert a.b == pytest.approx(b.b, rel=tol, abs=tol)
    for name in ("final_cost", "final_test_cost", "train_accuracy", "test_accuracy"):
        x, y = getattr(a, name), getattr(b, name)
        assert (x == pytest.approx(y, rel=tol, abs=tol)) or (np.isnan(x) and np.isnan(y)), name
    assert a.confusion == b.confusion


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_rates_trained_together_equal_separate_runs(course_features, loss):
    from playground.training import train_many

    rates = [10.0, 0.01, 0.005, 0.001, 0.0001]
    settings = [TrainingSettings(loss=loss, learning_rate=r, num_iterations=700, init="random", seed=3) for r in rates]
    together = train_many(course_features, settings)
    assert [r.settings for r in together] == settings
    alone = [train(course_features, s) for s in settings]
    for run, single in zip(together[2:], alone[2:]):
        _same_run(run, single)
    # 0.01 overshoots for a while (cross-entropy): its steps amplify the product's rounding, as they
    # amplify the dual path's against the plain one; the run ends the same.
    run, single = together[1], alone[1]
    assert run.diverged_at == single.diverged_at and np.max(np.abs(run.costs - single.costs)) < 1e-2
    assert run.final_cost == pytest.approx(single.final_cost, abs=1e-8)
    assert run.test_accuracy == single.test_accuracy and run.confusion == single.confusion
    # 10 blows up from the first step (cross-entropy) and then wanders chaotically: the same
    # divergence, finite all along, in its own row.
    run, single = together[0], alone[0]
    assert run.diverged_at == single.diverged_at and len(run.costs) == len(single.costs) == 700
    assert np.isfinite(run.costs).all() and np.isfinite(run.w).all()


def test_the_courses_table_comes_out_of_one_batch(course_features):
    from playground.training import train_many

    rates = sorted(LEARNING_RATE_TABLE, reverse=True)
    runs = train_many(course_features, [TrainingSettings(learning_rate=lr, num_iterations=1500) for lr in rates],
                      snapshots=0)
    for lr, r in zip(rates, runs):
        recorded, final, train_acc, test_acc = LEARNING_RATE_TABLE[lr]
        assert r.costs[1400] == pytest.approx(recorded, abs=1e-6)
        assert r.final_cost == pytest.approx(final, abs=1e-6)
        assert r.train_accuracy == pytest.approx(train_acc, abs=1e-6)
        assert r.test_accuracy == pytest.approx(test_acc, abs=1e-6)
        assert len(r.snapshot_iterations) == 0 and r.snapshot_w.shape == (0, course_features.n_x)


def test_a_rate_that_breaks_does_not_poison_the_batch(course_features, unlimited):
    """1.7e308 turns the logits non-finite after one step: that rate stops, the others run on
    as alone, and nothing non-finite reaches their results (warnings are errors here)."""
    import playground.training as training

    settings = [TrainingSettings(learning_rate=r, num_iterations=450) for r in (1.7e308, 100.0, 0.005)]
    broken, huge, fine = training.train_many(course_features, settings)
    assert broken.stopped_early and broken.diverged_at == 1 and len(broken.costs) == 2
    assert broken.snapshot_iterations.tolist() == [0]
    assert huge.diverged_at == 1 and not huge.stopped_early and fine.diverged_at is None
    for run in (huge, fine):
        assert np.isfinite(run.costs).all() and np.isfinite(run.test_costs).all() and np.isfinite(run.w).all()
        assert np.isfinite(run.snapshot_w).all()
    for run, s in zip((broken, fine), (settings[0], settings[2])):
        _same_run(run, train(course_features, s))
    alone = train(course_features, settings[1])
    assert huge.diverged_at == alone.diverged_at and len(huge.costs) == len(alone.costs)


def test_mixed_settings_come_back_in_order(course_features, course_features_plain):
    from playground.training import train_many

    settings = [
        TrainingSettings(learning_rate=0.01, num_iterations=120),
        TrainingSettings(loss="mse", learning_rate=0.5, num_iterations=80),
        TrainingSettings(learning_rate=0.002, num_iterations=120),
        TrainingSettings(learning_rate=0.01, num_iterations=0),
    ]
    for F, method in ((course_features, "dual"), (course_features_plain, "plain")):
        runs = train_many(F, settings, method=method)
        assert [r.settings for r in runs] == settings and {r.method for r in runs} == {method}
        for run, s in zip(runs, settings):
            # (0.01 overshoots at first: in a batch its rounding grows to ~1e-10 in 120 iterations.)
            _same_run(run, train(F, s, method=method), tol=1e-8 if method == "dual" else 0.0)
    assert train_many(course_features, []) == []


@pytest.mark.parametrize("method", ["dual", "plain"])
def test_without_test_history_the_rest_is_the_same(course_features, course_features_plain, method):
    from playground.training import train_many

    F = course_features if method == "dual" else course_features_plain
    settings = [TrainingSettings(learning_rate=r, num_iterations=300) for r in (0.01, 0.002)]
    full = train_many(F, settings, method=method)
    light = train_many(F, settings, method=method, snapshots=0, test_history=False)
    for a, b in zip(full, light):
        assert len(b.test_costs) == 0 and len(b.test_accuracies) == 0 and len(b.snapshot_iterations) == 0
        assert np.array_equal(a.costs, b.costs) and np.array_equal(a.train_accuracies, b.train_accuracies)
        assert np.array_equal(a.w, b.w) and a.b == b.b and a.diverged_at == b.diverged_at
        assert (a.final_cost, a.final_test_cost, a.train_accuracy, a.test_accuracy, a.confusion) == (
            b.final_cost, b.final_test_cost, b.train_accuracy, b.test_accuracy, b.confusion)


def test_dual_form_of_the_parameters(course_features):
    """alpha and snapshot_alpha are the weights in dual form, w = w₀ + X·α; snapshot_weights=False
    leaves only them."""
    s = TrainingSettings(num_iterations=300, init="random", seed=4)
    r = train(course_features, s, snapshots=5)
    X = course_features.X_train
    w0 = initialize_random(course_features.n_x, 4)[0][:, 0]
    assert_allclose(w0 + X @ r.alpha, r.w[:, 0], atol=1e-12)
    assert_allclose(w0 + r.snapshot_alpha @ X.T, r.snapshot_w, rtol=1e-6, atol=1e-7)
    light = train(course_features, s, snapshots=5, snapshot_weights=False)
    assert light.snapshot_w is None and np.array_equal(light.snapshot_alpha, r.snapshot_alpha)
    assert np.array_equal(light.w, r.w) and np.array_equal(light.costs, r.costs)


@pytest.mark.parametrize("init", ["zeros", "random"])
def test_snapshot_weights_on_demand_are_the_runs_own(course_features, init):
    from playground.training import snapshot_weights

    s = TrainingSettings(num_iterations=400, init=init, seed=1)
    full = train(course_features, s)
    light = train(course_features, s, snapshot_weights=False)
    assert light.snapshot_w is None
    assert np.array_equal(snapshot_weights(course_features, light), full.snapshot_w)
    assert snapshot_weights(course_features, full) is full.snapshot_w


def _same_curve(cut, run, tol: float = 1e-12):
    """A run cut from a longer one (training.prefix) against the run of that count: what a comparison of
    rates shows (histories, final numbers, outcome) to ``tol``: a history's numbers come from the carried
    logits, a run's final ones from its parameters."""
    assert cut.settings == run.settings and cut.diverged_at == run.diverged_at
    assert cut.stopped_early == run.stopped_early and cut.recovered == run.recovered
    assert len(cut.costs) == len(run.costs) and len(cut.test_accuracies) == len(run.test_accuracies)
    # A cost that broke is inf or NaN depending on the order of the sums that overflowed (the page
    # shows either in words): compared as broken.
    def broken_as_inf(x):
        return np.where(np.isfinite(x), x, np.inf)

    for name in ("costs", "test_costs", "train_accuracies", "test_accuracies", "final_cost", "final_test_cost",
                 "train_accuracy", "test_accuracy"):
        assert_allclose(broken_as_inf(getattr(cut, name)), broken_as_inf(getattr(run, name)), rtol=tol, atol=tol,
                        err_msg=name)


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_a_run_cut_from_a_longer_one_is_the_shorter_run(course_features, loss):
    """Gradient descent is deterministic: the first N iterations of a 2,000-iteration batch are the
    N-iteration batch, diverging rates included (10 blows up at once; 0.01 overshoots for a while)."""
    from playground.training import prefix, train_many

    rates = [10.0, 0.01, 0.001, 0.0001]
    settings = [TrainingSettings(loss=loss, learning_rate=r, num_iterations=2000, init="random", seed=3)
                for r in rates]
    long = train_many(course_features, settings, snapshots=0)
    for n in (0, 1, 7, 1500, 2000):
        short = train_many(course_features, [dataclasses.replace(s, num_iterations=n) for s in settings], snapshots=0)
        for run, whole in zip(short, long):
            cut = prefix(whole, n)
            _same_curve(cut, run, tol=1e-10)
            if n < 2000:
                assert cut.w is None and np.isnan(cut.b) and len(cut.snapshot_iterations) == 0
    assert prefix(long[1], 2000).costs is long[1].costs  # all of it: the run itself
    if loss == "cross_entropy":
        assert long[0].diverged_at == 1 and prefix(long[0], 1).diverged_at is None  # not seen in 1 iteration


def test_a_run_cut_after_it_broke_stops_where_it_broke(course_features, unlimited):
    """1.7e308 makes the cost non-finite at iteration 1: runs of 1 (ends at a non-finite cost, not yet
    seen), 2 (stops there) and 450 iterations, each cut from the 450-iteration batch."""
    import playground.training as training

    settings = [TrainingSettings(learning_rate=r, num_iterations=450) for r in (1.7e308, 0.005)]
    long = training.train_many(course_features, settings, snapshots=0)
    for n in (0, 1, 2, 3, 450):
        short = training.train_many(course_features, [dataclasses.replace(s, num_iterations=n) for s in settings],
                                    snapshots=0)
        for run, whole in zip(short, long):
            _same_curve(training.prefix(whole, n), run)


def test_the_courses_table_cut_from_5000_iterations(course_features):
    """The Compare tab's way: the course's rates trained to the slider's longest count, cut at 1,500."""
    from playground.training import prefix, train_many

    rates = sorted(LEARNING_RATE_TABLE, reverse=True)
    long = train_many(course_features, [TrainingSettings(learning_rate=lr, num_iterations=5000) for lr in rates],
                      snapshots=0)
    for lr, whole in zip(rates, long):
        r = prefix(whole, 1500)
        recorded, final, train_acc, test_acc = LEARNING_RATE_TABLE[lr]
        assert len(r.costs) == 1500 and r.costs[1400] == pytest.approx(recorded, abs=1e-6)
        assert r.final_cost == pytest.approx(final, abs=1e-6)
        assert r.train_accuracy == pytest.approx(train_acc, abs=1e-6)
        assert r.test_accuracy == pytest.approx(test_acc, abs=1e-6)


def test_a_cut_needs_a_shorter_count_and_the_test_history(course_features):
    from playground.training import prefix

    run = train(course_features, TrainingSettings(num_iterations=100), snapshots=0)
    with pytest.raises(ValueError, match="from 0 to 100 iterations"):
        prefix(run, 101)
    with pytest.raises(ValueError, match="test_history=True"):
        prefix(train(course_features, TrainingSettings(num_iterations=100), test_history=False), 50)


def _columns_independent(K: np.ndarray) -> bool:
    """Whether this BLAS computes a column of a BLOCK-wide product the same wherever it sits and
    whatever the other columns hold (OpenBLAS does; the library does not promise it)."""
    from playground.training.dual import BLOCK

    rng = np.random.default_rng(0)
    D = rng.standard_normal((BLOCK, K.shape[0]))
    alone = np.zeros_like(D)
    alone[0] = D[1]
    return all(np.array_equal((K @ np.roll(D, r, axis=0).T)[:, (r + 1) % BLOCK], (K @ alone.T)[:, 0])
               for r in range(BLOCK))


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_the_first_row_of_a_batch_is_its_run_alone_bit_for_bit(course_features, loss):
    """The Train page's main run rides along with the compared rates (longer, recording less): it must
    be the run cache.training gives with the tab closed, to the last bit (else a rate that overshoots
    would show other numbers when the tab opens). 1,550 ends mid-chunk; 0.5 overshoots."""
    from playground.training import train_many

    for lead in (TrainingSettings(loss=loss, learning_rate=0.005, num_iterations=1550, init="random", seed=2),
                 TrainingSettings(loss=loss, learning_rate=0.5, num_iterations=700, init="random", seed=2)):
        others = [dataclasses.replace(lead, learning_rate=r, num_iterations=2000) for r in (0.01, 2.0, 1e-4, 0.02)]
        batch = train_many(course_features, [lead, *others], snapshots=[41] + [0] * 4,
                           test_every=[1] + [50] * 4, snapshot_weights=False)
        alone = train(course_features, lead, snapshot_weights=False)
        assert _identical(batch[0], alone) == []
        assert len(batch[0].costs) == lead.num_iterations and len(batch[0].snapshot_iterations) == 41


def test_compared_rates_recorded_every_50_cut_to_the_runs_of_that_count(course_features):
    """The Compare tab's runs: trained to 5,000 beside a main run, test numbers every 50 iterations,
    cut at multiples of 50. The test numbers are exactly those of the run of that count where this BLAS
    computes columns independently (as on this machine), and to the product's rounding elsewhere; the
    train ones come from the carried logits (~1e-15)."""
    from playground.training import prefix, train_many

    exact = _columns_independent(0.5 * (course_features.K_train + 1.0))
    lead = TrainingSettings(num_iterations=650)
    rates = (0.02, 0.001, 1e-4)
    runs = train_many(course_features, [lead] + [TrainingSettings(learning_rate=r, num_iterations=3000) for r in rates],
                      snapshots=[41, 0, 0, 0], test_every=[1, 50, 50, 50])[1:]
    for run, rate in zip(runs, rates):
        assert run.test_every == 50 and len(run.test_costs) == len(run.test_accuracies) == 60
        for n in (0, 50, 650, 1000, 2950):
            cut = prefix(run, n)
            alone = train(course_features, TrainingSettings(learning_rate=rate, num_iterations=n), snapshots=0)
            if exact:
                assert (cut.final_test_cost, cut.test_accuracy) == (alone.final_test_cost, alone.test_accuracy)
            else:
                assert cut.final_test_cost == pytest.approx(alone.final_test_cost, rel=1e-12)
                assert cut.test_accuracy == alone.test_accuracy
            assert cut.final_cost == pytest.approx(alone.final_cost, rel=1e-12)
            assert cut.train_accuracy == pytest.approx(alone.train_accuracy, rel=1e-12)
            assert len(cut.test_costs) == -(-n // 50) and cut.diverged_at == alone.diverged_at
            assert_allclose(cut.test_costs, alone.test_costs[::50], rtol=1e-12)
    with pytest.raises(ValueError, match="every 50 iterations: cut it at a multiple of 50, not at 120"):
        prefix(runs[0], 120)


def test_runs_of_other_counts_share_a_batch(course_features, course_features_plain):
    """Counts differ, snapshots differ per run: each run is its own (the plain path records its test
    numbers every iteration and keeps every e-th)."""
    from playground.training import train_many

    settings = [TrainingSettings(learning_rate=0.01, num_iterations=n) for n in (0, 130, 260)]
    for F, method in ((course_features, "dual"), (course_features_plain, "plain")):
        runs = train_many(F, settings, method=method, snapshots=[3, 0, 5], test_every=[1, 1, 20])
        assert [len(r.costs) for r in runs] == [0, 130, 260]
        assert [len(r.snapshot_iterations) for r in runs] == [1, 0, 5] and len(runs[2].test_costs) == 13
        for run, s, k in zip(runs, settings, (3, 0, 5)):
            one = train(F, s, method=method, snapshots=k)
            _same_run(dataclasses.replace(run, test_costs=one.test_costs, test_accuracies=one.test_accuracies),
                      one, tol=1e-12)
        assert_allclose(runs[2].test_costs, train(F, settings[2], method=method).test_costs[::20], rtol=1e-12)
        assert runs[0].snapshot_b.tolist() == [0.0] and runs[0].final_cost == pytest.approx(np.log(2))


@pytest.mark.parametrize("bad", [-1, 1.5, True, [41, 0], "41"])
def test_snapshot_and_test_counts_are_checked(course_features, bad):
    from playground.training import train_many

    settings = [TrainingSettings(num_iterations=10)] * 3
    with pytest.raises(ValueError, match="snapshot count"):
        train_many(course_features, settings, snapshots=bad)
    with pytest.raises(ValueError, match="test interval"):
        train_many(course_features, settings, test_every=0 if bad == -1 else bad)


def test_both_losses_share_a_batch(course_features):
    """The landscape's pair (cross-entropy and squared error from one start) trains as one batch: the
    first row is its run alone to the last bit, the other too where this BLAS computes columns
    independently (as here), else to the product's rounding. Order of the results: the caller's."""
    from playground.training import train_many

    exact = _columns_independent(0.5 * (course_features.K_train + 1.0))
    pair = [TrainingSettings(loss=name, learning_rate=0.02, num_iterations=700, init="random", seed=5)
            for name in ("mse", "cross_entropy")]
    for settings in (pair, pair[::-1], [pair[0], dataclasses.replace(pair[1], seed=6), pair[1]]):
        runs = train_many(course_features, settings, snapshots=5)
        assert [r.settings for r in runs] == settings
        for k, (run, s) in enumerate(zip(runs, settings)):
            alone = train(course_features, s, snapshots=5)
            if k == 0 or exact:
                assert _identical(run, alone) == [], (k, s)
            else:
                _same_run(run, alone, tol=1e-10)


CUT_FIELDS = ("w", "b", "alpha", "costs", "train_accuracies", "test_accuracies", "final_cost", "final_test_cost",
              "train_accuracy", "test_accuracy", "diverged_at", "confusion")


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_a_run_cut_whole_is_the_run_of_that_count_to_the_last_bit(course_features, loss):
    """The Train page's main run: one run to a horizon keeps α and b every 50 iterations; cut at a
    multiple of 50 it is the run of that count, its parameters and everything measured at them to
    the last bit (the test costs to their rounding: summed a chunk at a time), every row of a batch
    (the slider's neighbours ride along). 0.5 and 10 overshoot; random starts too."""
    from playground.training import cut, train_many

    for init, seed in (("zeros", 0), ("random", 3)):
        rates = (0.005, 0.5, 1e-4, 10.0)
        batch = train_many(course_features, [TrainingSettings(loss=loss, learning_rate=r, num_iterations=2000,
                                                              init=init, seed=seed) for r in rates],
                           snapshots=0, snapshot_weights=False, keep_every=50)
        for long in batch:
            assert long.keep_alpha.shape == (41, course_features.m_train) and long.keep_b.shape == (41,)
            for n in (0, 50, 150, 1750, 2000):
                alone = train(course_features, dataclasses.replace(long.settings, num_iterations=n),
                              snapshot_weights=False)
                whole = cut(course_features, long, n)
                assert whole.settings == alone.settings
                assert [f for f in _identical(whole, alone) if f in CUT_FIELDS] == []
                assert_allclose(whole.test_costs, alone.test_costs, rtol=1e-12, atol=0)
                its = whole.snapshot_iterations
                assert its[0] == 0 and its[-1] == n and np.all(its % 50 == 0) and len(its) == min(41, n // 50 + 1)


def test_the_courses_numbers_come_out_of_a_cut(course_features):
    """The course's published run, cut from a run to the slider's longest horizon (5,000)."""
    from playground.training import cut

    long = train(course_features, TrainingSettings(num_iterations=5000), snapshots=0, snapshot_weights=False,
                 keep_every=50)
    r = cut(course_features, long, 2000)
    _assert_the_courses_run(r)


def test_a_run_cut_whole_after_it_broke_stops_where_it_broke(course_features, unlimited):
    """1.7e308 makes the cost non-finite at iteration 1: cut at 50 or more, the run that stopped."""
    from playground.training import cut

    settings = TrainingSettings(learning_rate=1.7e308, num_iterations=450)
    long = train(course_features, settings, snapshots=0, snapshot_weights=False, keep_every=50)
    for n in (0, 50, 450):
        alone = train(course_features, dataclasses.replace(settings, num_iterations=n), snapshot_weights=False)
        whole = cut(course_features, long, n)
        assert (whole.stopped_early, len(whole.costs), whole.diverged_at) == (
            alone.stopped_early, len(alone.costs), alone.diverged_at)
        assert np.array_equal(whole.w, alone.w, equal_nan=True) and np.array_equal(whole.costs, alone.costs, equal_nan=True)


def test_a_cut_needs_kept_parameters_and_a_multiple_of_their_interval(course_features, course_features_plain):
    from playground.training import cut

    long = train(course_features, TrainingSettings(num_iterations=200), snapshots=0, keep_every=50)
    for n in (-50, 75, 250):
        with pytest.raises(ValueError, match="multiple of 50"):
            cut(course_features, long, n)
    with pytest.raises(ValueError, match="kept no parameters"):
        cut(course_features, train(course_features, TrainingSettings(num_iterations=200)), 100)
    with pytest.raises(ValueError, match="dual path"):
        train(course_features_plain, TrainingSettings(num_iterations=200), keep_every=50)
