import numpy as np
import pytest
from numpy.testing import assert_allclose

from playground.course.losses import LOSSES, get_loss, mean_losses
from playground.course.model import propagate
from tests.helpers import random_problem


def _cost(loss, w, b, X, Y):
    return propagate(w, b, X, Y, loss)[1]


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_gradients_agree_with_centred_finite_differences(loss):
    X, Y, w = random_problem(5, 40, seed=3, w_scale=0.5, gaussian=True)
    b = 0.3
    grads, _ = propagate(w, b, X, Y, loss)
    eps = 1e-6
    num_w = np.zeros_like(w)
    for j in range(len(w)):
        e = np.zeros_like(w)
        e[j] = eps
        num_w[j] = (_cost(loss, w + e, b, X, Y) - _cost(loss, w - e, b, X, Y)) / (2 * eps)
    num_b = (_cost(loss, w, b + eps, X, Y) - _cost(loss, w, b - eps, X, Y)) / (2 * eps)
    g = np.append(grads["dw"], grads["db"])
    g_num = np.append(num_w, num_b)
    rel = np.linalg.norm(g_num - g) / (np.linalg.norm(g_num) + np.linalg.norm(g))
    assert rel < 1e-6


@pytest.mark.parametrize("loss", sorted(LOSSES))
def test_da_times_sigmoid_slope_is_dz(loss):
    lo = get_loss(loss)
    z = np.linspace(-6, 6, 25)
    a = 1 / (1 + np.exp(-z))
    for y in (0.0, 1.0):
        assert_allclose(lo.da(a, y) * a * (1 - a), lo.dz(z, y), rtol=1e-9, atol=1e-12)


def test_cross_entropy_from_logits_equals_the_course_formula_and_stays_finite():
    ce = get_loss("cross_entropy")
    z = np.array([-5.0, -0.5, 0.0, 2.0])
    y = np.array([1.0, 0.0, 1.0, 0.0])
    a = 1 / (1 + np.exp(-z))
    assert_allclose(ce.loss(z, y), -(y * np.log(a) + (1 - y) * np.log(1 - a)), rtol=1e-12)
    far = ce.loss(np.array([1e4, -1e4]), np.array([0.0, 1.0]))
    assert_allclose(far, [1e4, 1e4])


def test_mse_convention_is_half_squared_error():
    mse = get_loss("mse")
    assert_allclose(mse.loss(np.array([0.0]), np.array([1.0])), [0.125])


def test_unknown_loss_names_the_choices():
    with pytest.raises(ValueError, match=r"Unknown loss 'hinge': expected one of cross_entropy, mse"):
        get_loss("hinge")


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_history_costs_equal_the_losses_own(loss):
    """The dual loop's costs (from tanh(z/2) for squared error) are the registry's losses, for any z."""
    rng = np.random.default_rng(0)
    y = (rng.random(50) > 0.5).astype(float)
    Z = np.concatenate([rng.normal(0, 3, (3, 50)), rng.normal(0, 300, (2, 50))])
    Z[0, :4] = [1e4, -1e4, 40.0, -40.0]
    for scale in (1.0, 2.0):
        expected = get_loss(loss).loss(scale * Z, y).mean(axis=-1)
        assert_allclose(mean_losses(get_loss(loss), Z, y, scale=scale), expected, rtol=1e-14, atol=1e-16)


def test_squared_error_costs_from_the_loops_tanh_are_the_same():
    rng = np.random.default_rng(1)
    y = (rng.random(40) > 0.5).astype(float)
    U = rng.normal(0, 4, (7, 3, 40))
    loss = get_loss("mse")
    assert np.array_equal(mean_losses(loss, U, y, scale=2.0, tanh_half=np.tanh(U)), mean_losses(loss, U, y, scale=2.0))
