"""The course's reference code reproduces the course's published results."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from playground.course.model import accuracy, initialize_with_zeros, optimize, predict
from tests.course_reference import BASELINE_COSTS, BASELINE_TEST_ACCURACY, BASELINE_TRAIN_ACCURACY


def test_optimize_reproduces_the_course_table(course_features):
    F = course_features
    w, b = initialize_with_zeros(F.n_x)
    params, grads, costs = optimize(w, b, F.X_train, F.Y_train, num_iterations=2000, learning_rate=0.005)
    assert_allclose(costs, list(BASELINE_COSTS.values()), atol=1e-6)
    train = accuracy(predict(params["w"], params["b"], F.X_train), F.Y_train)
    test = accuracy(predict(params["w"], params["b"], F.X_test), F.Y_test)
    assert train == pytest.approx(BASELINE_TRAIN_ACCURACY, abs=1e-6)
    assert test == pytest.approx(BASELINE_TEST_ACCURACY, abs=1e-6)
    assert grads["dw"].shape == (F.n_x, 1)


def test_predict_is_one_where_probability_exceeds_a_half():
    w = np.array([[1.0], [-1.0]])
    X = np.array([[2.0, 0.0, 1.0], [0.0, 2.0, 1.0]])
    assert predict(w, 0.0, X).tolist() == [[1.0, 0.0, 0.0]]  # σ(0) = 0.5 is not > 0.5
