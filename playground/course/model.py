"""Logistic regression as in the course: the plain vectorized reference code.

Shapes (the course's notation): X (n_x, m) with examples as columns,
Y (1, m) of 0/1, w (n_x, 1), b a float. A = σ(wᵀX + b) has shape (1, m).

This is the code the playground shows to learners; the dual path of ``playground.training``
(``_train_dual``) computes the same iterates faster, and ``training.train`` picks a path.
"""

from __future__ import annotations

import numpy as np

from playground.course.activations import sigmoid
from playground.course.losses import get_loss


def initialize_with_zeros(dim: int) -> tuple[np.ndarray, float]:
    """w = 0 of shape (dim, 1) and b = 0.0, as the course starts."""
    return np.zeros((dim, 1)), 0.0


def initialize_random(dim: int, seed: int, scale: float = 0.01) -> tuple[np.ndarray, float]:
    """Small random w ~ N(0, scale²) of shape (dim, 1) from ``seed``, and b = 0.0."""
    rng = np.random.default_rng(seed)
    return rng.standard_normal((dim, 1)) * scale, 0.0


def propagate(w, b, X, Y, loss: str = "cross_entropy") -> tuple[dict, float]:
    """One forward and backward pass over all m examples.

    Forward:  Z = wᵀX + b (1, m), A = σ(Z), J = (1/m) Σ L(A, Y).
    Backward: dZ = ∂L/∂Z (= A − Y for cross-entropy), dw = (1/m) X dZᵀ (n_x, 1),
    db = (1/m) Σ dZ.
    Returns ({"dw": dw, "db": db}, J).
    """
    lo = get_loss(loss)
    m = X.shape[1]
    Z = w.T @ X + b
    cost = lo.cost(Z, Y)
    dZ = lo.dz(Z, Y)
    dw = (X @ dZ.T) / m
    db = float(np.sum(dZ) / m)
    return {"dw": dw, "db": db}, cost


def optimize(
    w, b, X, Y, num_iterations: int, learning_rate: float, print_cost: bool = False,
    loss: str = "cross_entropy",
) -> tuple[dict, dict, list[float]]:
    """Batch gradient descent: w := w − α dw, b := b − α db, ``num_iterations`` times.

    Returns ({"w", "b"}, last {"dw", "db"}, costs) where, as in the course, costs
    holds J every 100 iterations, recorded before that iteration's update.
    """
    costs = []
    grads = {"dw": np.zeros_like(w), "db": 0.0}
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y, loss)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print(f"Cost after iteration {i}: {cost:f}")
    return {"w": w, "b": b}, grads, costs


def predict_proba(w, b, X) -> np.ndarray:
    """A = σ(wᵀX + b), shape (1, m): each example's P(cat)."""
    return sigmoid(w.T @ X + b)


def predict(w, b, X) -> np.ndarray:
    """Y_prediction (1, m) of 0.0/1.0: 1 where P(cat) = σ(wᵀx + b) > 0.5."""
    return (predict_proba(w, b, X) > 0.5).astype(float)


def accuracy(Y_prediction, Y) -> float:
    """Percentage of predictions equal to the labels, as the course prints it."""
    return float(100.0 - np.mean(np.abs(Y_prediction - Y)) * 100.0)
