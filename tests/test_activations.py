import numpy as np
from numpy.testing import assert_allclose

from playground.course.activations import log_sigmoid, sigmoid, softplus


def test_sigmoid_matches_the_formula_where_the_formula_is_safe():
    z = np.linspace(-30, 30, 601)
    assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-14, atol=0)


def test_sigmoid_and_logs_stay_finite_and_silent_far_out():
    z = np.array([-1e308, -1e4, -800.0, -37.0, 0.0, 37.0, 800.0, 1e4, 1e308])
    a = sigmoid(z)  # warnings are errors in this suite: an overflow in exp would fail here
    assert np.all(np.isfinite(a)) and a[0] == 0.0 and a[-1] == 1.0 and a[4] == 0.5
    assert np.all(np.isfinite(log_sigmoid(z[1:-1])))
    assert_allclose(log_sigmoid(np.array([-1e4, 1e4])), [-1e4, 0.0])
    assert_allclose(softplus(np.array([1e4, -1e4])), [1e4, 0.0])


def test_log_sigmoid_keeps_precision_where_log_of_sigmoid_gives_minus_infinity():
    # log(σ(−800)) underflows to log(0); the log-sigmoid form returns −800.
    assert_allclose(log_sigmoid(-800.0), -800.0)
    assert_allclose(np.exp(log_sigmoid(np.array([-3.0, 0.0, 3.0]))), sigmoid(np.array([-3.0, 0.0, 3.0])))


def test_softplus_equals_logaddexp():
    z = np.concatenate([np.linspace(-50, 50, 1001), [-1e4, 1e4, 0.0]])
    assert_allclose(softplus(z), np.logaddexp(0.0, z), rtol=4e-16, atol=0)
