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

from playground.course.activations import sigmoid, softplus


@dataclass(frozen=True)
class Loss:
    """One loss, paired with its derivatives (as TensorFlow Playground pairs ``{error, der}``).

    loss(z, y): per-example loss from logits; arrays broadcast, same shape out.
    dz(z, y): dL/dz per example.
    da(a, y): dL/da per example — the backward step the computational graph shows.
    formula, da_formula, dz_formula: the same in the course's notation, as plain Unicode text (a page
    that shows them needs no math typesetting bundle).
    """

    name: str
    label: str
    formula: str
    loss: Callable[[np.ndarray, np.ndarray], np.ndarray]
    dz: Callable[[np.ndarray, np.ndarray], np.ndarray]
    da: Callable[[np.ndarray, np.ndarray], np.ndarray]
    da_formula: str
    dz_formula: str

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
    formula="L(a, y) = −(y log a + (1 − y) log(1 − a))",
    loss=_ce_loss,
    dz=_ce_dz,
    da=_ce_da,
    da_formula="da = ∂L/∂a = −y/a + (1 − y)/(1 − a)",
    dz_formula="dz = ∂L/∂z = ∂L/∂a · a(1 − a) = a − y",
)

MSE = Loss(
    name="mse",
    label="Mean squared error",
    formula="L(a, y) = ½(a − y)²",
    loss=_mse_loss,
    dz=_mse_dz,
    da=_mse_da,
    da_formula="da = ∂L/∂a = a − y",
    dz_formula="dz = ∂L/∂z = ∂L/∂a · a(1 − a) = (a − y) a(1 − a)",
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


def mean_losses(loss, Z, y, scale: float = 1.0, work: tuple[np.ndarray, np.ndarray] | None = None,
                tanh_half: np.ndarray | None = None, labels01: bool | None = None) -> np.ndarray:
    """The cost of each row of logits scale·Z (..., m) against labels y (m,): mean over the last axis.
    The loss's own numbers to the last few bits, in fewer passes over the array (Z is not changed).
    ``work``: two scratch arrays shaped like Z (a loop's own, reused: a fresh half-megabyte temporary
    costs its page faults every time, a fifth of a batch of rates). ``tanh_half``: tanh(scale·Z/2) when
    the caller has it (squared error only: the dual loop's, which steps from it). ``labels01``: whether
    every y is 0 or 1, when the caller has checked (a loop calls this every chunk).

    Cross-entropy with 0/1 labels is max(s·z, 0) + log1p(e^(−|z|)) with s = 1 − 2y: the loss's
    own y·softplus(−z) + (1 − y)·softplus(z), term by term, in half the passes over the array.
    """
    v, tail = work if work is not None else (np.empty_like(Z, dtype=float), np.empty_like(Z, dtype=float))
    if labels01 is None:
        labels01 = bool(np.all((y == 0) | (y == 1)))
    if loss.name == "cross_entropy" and labels01:
        np.multiply(Z, scale * (1.0 - 2.0 * y), out=v)  # s·z
        np.abs(Z, out=tail)
        tail *= -abs(scale)
        np.exp(tail, out=tail)
        np.log1p(tail, out=tail)
        np.maximum(v, 0.0, out=v)
        v += tail
        return v.mean(axis=-1)
    if loss.name == "mse":
        # ½(σ(z) − y)² with σ(z) = (1 + tanh(z/2))/2: one tanh instead of the loss's abs, exp, where
        # and divisions (the same numbers to the last few bits).
        if tanh_half is None:
            np.multiply(Z, 0.5 * scale, out=v)
            np.tanh(v, out=v)
            v *= 0.5
        else:
            np.multiply(tanh_half, 0.5, out=v)
        v += 0.5 - y
        np.square(v, out=v)
        return 0.5 * v.mean(axis=-1)
    return loss.loss(scale * Z if scale != 1.0 else Z, y).mean(axis=-1)
