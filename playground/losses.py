"""The losses the playground compares, as a registry ``name → Loss``.

Vocabulary of the course: a *loss* L(a, y) is for one example, the *cost*
J = (1/m) Σᵢ L(a⁽ⁱ⁾, y⁽ⁱ⁾) is its mean over the m training examples.

MSE convention, used everywhere in the playground: L = ½ (a − y)², so that
J = (1/2m) Σ (a − y)² and dL/da = a − y (the ½ cancels the square's 2).

Every loss is evaluated from the logit z rather than from a = σ(z): the
course's literal −(y log a + (1 − y) log(1 − a)) turns into inf/nan once
|z| passes about 37, the log-sigmoid form stays finite.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from playground.activations import sigmoid, softplus


@dataclass(frozen=True)
class Loss:
    """One loss, paired with its derivatives (as TensorFlow Playground pairs ``{error, der}``).

    loss(z, y): per-example loss from logits; arrays broadcast, same shape out.
    dz(z, y): dL/dz per example.
    da(a, y): dL/da per example — the backward step the computational graph shows.
    """

    name: str
    label: str
    latex: str
    loss: Callable[[np.ndarray, np.ndarray], np.ndarray]
    dz: Callable[[np.ndarray, np.ndarray], np.ndarray]
    da: Callable[[np.ndarray, np.ndarray], np.ndarray]
    dz_latex: str

    def cost(self, Z, Y) -> float:
        """J = mean over examples of L. Z, Y: shape (1, m) (or any equal shapes)."""
        return float(np.mean(self.loss(Z, Y)))


def _ce_loss(z, y):
    # −y log σ(z) − (1 − y) log σ(−z), each term a softplus: finite for any z.
    return y * softplus(-z) + (1.0 - y) * softplus(z)


def _ce_dz(z, y):
    return sigmoid(z) - y


def _ce_da(a, y):
    a = np.asarray(a, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -y / a + (1.0 - y) / (1.0 - a)


def _mse_loss(z, y):
    return 0.5 * (sigmoid(z) - y) ** 2


def _mse_dz(z, y):
    a = sigmoid(z)
    return (a - y) * a * (1.0 - a)


def _mse_da(a, y):
    return np.asarray(a, dtype=float) - y


CROSS_ENTROPY = Loss(
    name="cross_entropy",
    label="Cross-entropy",
    latex=r"L(a, y) = -\big(y \log a + (1 - y) \log(1 - a)\big)",
    loss=_ce_loss,
    dz=_ce_dz,
    da=_ce_da,
    dz_latex=r"\frac{\partial L}{\partial z} = \frac{\partial L}{\partial a}\, a(1 - a) = a - y",
)

MSE = Loss(
    name="mse",
    label="Mean squared error",
    latex=r"L(a, y) = \tfrac{1}{2}(a - y)^2",
    loss=_mse_loss,
    dz=_mse_dz,
    da=_mse_da,
    dz_latex=r"\frac{\partial L}{\partial z} = \frac{\partial L}{\partial a}\, a(1 - a) = (a - y)\, a (1 - a)",
)

LOSSES: dict[str, Loss] = {loss.name: loss for loss in (CROSS_ENTROPY, MSE)}


def get_loss(name: str) -> Loss:
    """The registered loss called ``name``; ValueError naming the choices otherwise."""
    try:
        return LOSSES[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"Unknown loss {name!r}: expected one of {', '.join(sorted(LOSSES))}."
        ) from None
