"""The counterexample: one weight, three local minima for MSE, one for cross-entropy.

Six inputs a factor of ten apart, x = (10⁵, 10⁴, 10³, 10², 10, 1), labels alternating
y = (1, 0, 1, 0, 1, 0), no bias (b = 0), one weight w > 0, drawn against log₁₀ w.
As w grows by a factor of ten, one more example's σ(w·x) swings from ½ to 1: for a cat that
lowers the squared error, for a non-cat it raises it. The swings alternate, so MSE goes
down, up, down, up, down, up — three valleys. Cross-entropy is convex in w, so it has one.

This is the construction of Auer, Herbster & Warmuth (1996), "Exponentially many local minima
for single neurons": examples on very different scales each add their own bump to the squared
error of a sigmoid neuron. The course's suggestion, x = (10⁶, 10⁴, 10², 1) with y = (1, 0, 1, 0),
gives only two valleys on w > 0 (the third lies at w < 0, off a log axis); six inputs put all
three on the log axis.

Minima and curvature are properties of J(w): a monotone change of variable w = 10ᵘ neither creates
nor removes a minimum, but it changes where a function looks convex — which is why the curvature
counts are taken in w, not in log₁₀ w.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from playground.course.losses import get_loss
from playground.course.model import propagate
from playground.lessons.landscape.surfaces import OneFeatureData, check_descent_settings, is_negative, loss_curvature

COUNTER_B = 0.0
"""The bias is held at 0: the one parameter is the weight w."""
LOG_W_RANGE = (-7.0, 2.0)
"""The log₁₀ w axis drawn: w from 10⁻⁷ to 100."""
CURVE_POINTS = 901
MAX_STEP = 0.25
"""No step of u = log₁₀ w is longer than a quarter of a decade (see ``descend_log_weight``)."""
MAX_LEARNING_RATE = 100.0
MAX_ITERATIONS = 2000
LN10 = math.log(10.0)


def counterexample_dataset() -> OneFeatureData:
    """x = (10⁵, …, 10, 1), y = (1, 0, 1, 0, 1, 0): the labels can't be split by any w > 0."""
    return OneFeatureData(
        name="six inputs on scales 10⁵ … 1, alternating labels",
        x=10.0 ** np.arange(5, -1, -1),
        y=np.array([1.0, 0.0, 1.0, 0.0, 1.0, 0.0]),
    )


def log_w_grid(points: int = CURVE_POINTS) -> np.ndarray:
    """u = log₁₀ w, (points,) evenly spaced over LOG_W_RANGE."""
    return np.linspace(*LOG_W_RANGE, points)


def _logits(data: OneFeatureData, u) -> np.ndarray:
    """Z = 10ᵘ·x + b for u of shape S → S + (m,)."""
    return (10.0 ** np.asarray(u, dtype=float))[..., None] * data.x + COUNTER_B


def cost_along_w(data: OneFeatureData, loss_name: str, u) -> np.ndarray:
    """J(w = 10ᵘ), b = 0: u of shape S → S."""
    return get_loss(loss_name).loss(_logits(data, u), data.y).mean(axis=-1)


def slope_along_u(data: OneFeatureData, loss_name: str, u) -> tuple[np.ndarray, np.ndarray]:
    """dJ/du = ln 10 · w · dJ/dw with dJ/dw = (1/m) Σ (dL/dz)·x, and the size of its terms (for rounding)."""
    w = 10.0 ** np.asarray(u, dtype=float)
    terms = get_loss(loss_name).dz(_logits(data, u), data.y) * data.x
    return LN10 * w * terms.mean(-1), LN10 * w * np.abs(terms).mean(-1)


def curvature_along_w(data: OneFeatureData, loss_name: str, u) -> tuple[np.ndarray, np.ndarray]:
    """d²J/dw² = (1/m) Σ L''(z)·x² at w = 10ᵘ, and the size of its terms (for rounding)."""
    terms = loss_curvature(loss_name, _logits(data, u), data.y) * data.x**2
    return terms.mean(-1), np.abs(terms).mean(-1)


def negative_curvature_count(data: OneFeatureData, loss_name: str, u) -> int:
    """How many of the points u have d²J/dw² < 0 (beyond rounding): 0 for a convex cost."""
    d2, scale = curvature_along_w(data, loss_name, u)
    return int(np.sum(is_negative(d2, scale)))


def _slope_sign(data, loss_name, u) -> np.ndarray:
    """Sign of dJ/du, 0 where it is zero up to rounding (on the plateaus of a saturated sigmoid)."""
    g, scale = slope_along_u(data, loss_name, u)
    return np.where(is_negative(g, scale), -1, np.where(is_negative(-g, scale), 1, 0))


def local_minima(data: OneFeatureData, loss_name: str, u=None) -> np.ndarray:
    """log₁₀ w of every local minimum of J(w) inside the grid u, ascending.

    A minimum is where dJ/du turns from negative to positive (a flat stretch in between counts
    once); it is then located by bisection on the sign of the slope to about 1e-10 in u.
    The ends of the grid are not minima even when J is lowest there.
    """
    u = log_w_grid() if u is None else np.asarray(u, dtype=float)
    sign = _slope_sign(data, loss_name, u)
    nonzero = np.flatnonzero(sign)
    found = []
    for i, j in zip(nonzero[:-1], nonzero[1:]):
        if sign[i] < 0 < sign[j]:
            lo, hi = float(u[i]), float(u[j])
            for _ in range(60):
                mid = (lo + hi) / 2
                s = _slope_sign(data, loss_name, np.array([mid]))[0]
                if s < 0:
                    lo = mid
                elif s > 0:
                    hi = mid
                else:
                    lo = hi = mid
                    break
            found.append((lo + hi) / 2)
    return np.array(found)


@dataclass(frozen=True, eq=False)
class LogWeightPath:
    """Gradient descent on u = log₁₀ w: u and costs (T + 1,), before each update and after the last."""

    loss: str
    u: np.ndarray
    costs: np.ndarray

    @property
    def w(self) -> np.ndarray:
        return 10.0**self.u


def descend_log_weight(data: OneFeatureData, loss_name: str, u0: float, learning_rate: float,
                       num_iterations: int, max_step: float = MAX_STEP) -> LogWeightPath:
    """Gradient descent on the exponent: u := u − clip(α·dJ/du, ±max_step), w = 10ᵘ.

    Why not on w itself: the three valleys sit near w = 2·10⁻⁵, 2·10⁻³ and 0.2, so the curvature
    in w differs by a factor of about 10⁸ between them and no single learning rate suits all.
    In u they are equally wide. dJ/du = ln 10 · w · dJ/dw, with dJ/dw from the course's
    ``propagate``. The step cap keeps one step from jumping across several decades where the
    cross-entropy is steep (its slope in u reaches 10⁴ at w = 1); it never changes the direction.
    """
    get_loss(loss_name)
    check_descent_settings(learning_rate, num_iterations, MAX_LEARNING_RATE, MAX_ITERATIONS)
    lo, hi = LOG_W_RANGE
    if not (isinstance(u0, (int, float)) and lo <= u0 <= hi):
        raise ValueError(f"Expected a start log₁₀ w₀ from {lo:g} to {hi:g}, got {u0!r}.")
    if not (isinstance(max_step, (int, float)) and max_step > 0):
        raise ValueError(f"Expected a positive step cap, got {max_step!r}.")
    X, Y = data.X, data.Y
    us, costs = np.empty(num_iterations + 1), np.empty(num_iterations + 1)
    u = float(u0)
    for i in range(num_iterations + 1):
        w = 10.0**u
        grads, cost = propagate(np.array([[w]]), COUNTER_B, X, Y, loss_name)
        us[i], costs[i] = u, cost
        slope = LN10 * w * float(grads["dw"][0, 0])
        u = u - float(np.clip(learning_rate * slope, -max_step, max_step))
    return LogWeightPath(loss_name, us, costs)


def nearest_minimum(u_end: float, minima: np.ndarray, tolerance: float = 0.05) -> int | None:
    """Index of the minimum within ``tolerance`` (in log₁₀ w) of u_end, or None: still on the way."""
    if len(minima) == 0:
        return None
    k = int(np.argmin(np.abs(minima - u_end)))
    return k if abs(minima[k] - u_end) <= tolerance else None


@dataclass(frozen=True, eq=False)
class CounterexampleCurve:
    """One loss along the weight: u (n,), J (n,), its minima (log₁₀ w and J there), the
    negative-curvature count along u, and one descent per start with the minimum each reached."""

    loss: str
    u: np.ndarray
    J: np.ndarray
    minima: np.ndarray
    minima_J: np.ndarray
    negative_points: int
    paths: tuple[LogWeightPath, ...]
    reached: tuple[int | None, ...]


def counterexample_curves(starts, learning_rate: float, num_iterations: int,
                          losses=("mse", "cross_entropy"), points: int = CURVE_POINTS) -> dict[str, CounterexampleCurve]:
    """Both losses on the counterexample, with gradient descent from each start (log₁₀ w₀)."""
    data = counterexample_dataset()
    u = log_w_grid(points)
    out = {}
    for name in losses:
        minima = local_minima(data, name, u)
        paths = tuple(descend_log_weight(data, name, float(s), learning_rate, num_iterations) for s in starts)
        out[name] = CounterexampleCurve(
            loss=name, u=u, J=cost_along_w(data, name, u), minima=minima,
            minima_J=cost_along_w(data, name, minima),
            negative_points=negative_curvature_count(data, name, u),
            paths=paths, reached=tuple(nearest_minimum(p.u[-1], minima) for p in paths),
        )
    return out
