"""Gradient checking: the chain rule's gradient against centred finite differences.

For a sample of coordinates θ_j of θ = (w, b), the numerical derivative is

    g_num_j = (J(θ + ε e_j) − J(θ − ε e_j)) / (2ε),

two cost evaluations per coordinate, where one backward pass gives every
coordinate at once. In a general network each evaluation is a full forward
pass; here z = wᵀx + b is linear in θ, so ``gradient_checks`` computes
Z = wᵀX + b once and moves it by ±ε·X[j, :] (the same J(θ ± εe_j) to
rounding, O(m) instead of O(n_x·m) each). The two are compared with the
relative error ‖g_num − g‖ / (‖g_num‖ + ‖g‖): below 1e-7 the analytic gradient
is right, above 1e-5 it is wrong.

Its error has two sources that pull ε in opposite directions: truncation
(the centred difference is exact only up to ε² J'''/6, so a large ε is too
coarse) and rounding (J is known to about 1e-16 · |J|, and dividing that by
2ε blows it up for a tiny ε). ``error_vs_epsilon`` traces both.

Planted bugs (``BUGS``) are wrong backward passes the check must catch.
Everything runs in float64.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from playground.course.activations import sigmoid
from playground.course.losses import LOSSES, get_loss
from playground.course.model import propagate

GOOD = 1e-7
"""Relative error below which the analytic gradient is taken as right."""
WRONG = 1e-5
"""Relative error above which the analytic gradient is certainly wrong."""
DEFAULT_EPSILON = 1e-6
DEFAULT_SAMPLE = 20
MIN_EPSILON, MAX_EPSILON = 1e-12, 1.0
EPSILON_GRID = tuple(10.0 ** -k for k in range(10, 0, -1)) + (0.3,)
"""ε from 1e-10 to 1e-1 (and 0.3), one per decade: the error-vs-ε curve."""


def _backward_correct(w, b, X, Y, loss):
    grads, _ = propagate(w, b, X, Y, loss)
    return grads["dw"], grads["db"]


def _backward_no_mean(w, b, X, Y, loss):
    # Forgot the 1/m: the gradient of m·J, not of J.
    m = X.shape[1]
    grads, _ = propagate(w, b, X, Y, loss)
    return grads["dw"] * m, grads["db"] * m


def _backward_sign(w, b, X, Y, loss):
    # dz = y − a: the gradient of −J, which gradient descent would climb.
    grads, _ = propagate(w, b, X, Y, loss)
    return -grads["dw"], -grads["db"]


def _backward_other_loss(w, b, X, Y, loss):
    # The backward pass of the other loss (a − y for squared error, or the reverse).
    other = next(name for name in LOSSES if name != loss)
    return _backward_correct(w, b, X, Y, other)


def _backward_db_without_y(w, b, X, Y, loss):
    # db = mean(a): the "− y" forgotten in db only, so dw is right and b alone is wrong.
    dw, _ = _backward_correct(w, b, X, Y, loss)
    return dw, float(np.mean(sigmoid(w.T @ X + b)))


@dataclass(frozen=True)
class Bug:
    name: str
    label: str
    backward: Callable


BUGS: dict[str, Bug] = {
    bug.name: bug
    for bug in (
        Bug("none", "No bug: the real backward pass (propagate)", _backward_correct),
        Bug("no_mean", "Forget the 1/m: dw = X dZᵀ, db = Σ dZ", _backward_no_mean),
        Bug("sign", "Flip the sign: dz = y − a", _backward_sign),
        Bug("other_loss", "Use the other loss's dz (a − y ↔ (a − y)a(1 − a))", _backward_other_loss),
        Bug("db_without_y", "Forget − y in db only: db = mean(a)", _backward_db_without_y),
    )
}


def get_bug(name: str) -> Bug:
    try:
        return BUGS[name]
    except (KeyError, TypeError):
        raise ValueError(f"Unknown planted bug {name!r}: expected one of {', '.join(BUGS)}.") from None


def cost(w, b, X, Y, loss: str = "cross_entropy") -> float:
    """J(w, b) = (1/m) Σ L(σ(wᵀx⁽ⁱ⁾ + b), y⁽ⁱ⁾): one full forward pass. w (n_x, 1), X (n_x, m), Y (1, m)."""
    return get_loss(loss).cost(w.T @ X + b, Y)


def relative_error(g_num, g) -> float:
    """‖g_num − g‖ / (‖g_num‖ + ‖g‖), 0 when both vanish: scale-free, so one threshold fits all models."""
    g_num, g = np.ravel(g_num), np.ravel(g)
    denom = np.linalg.norm(g_num) + np.linalg.norm(g)
    if denom == 0:
        return 0.0
    return float(np.linalg.norm(g_num - g) / denom)


def verdict(error: float) -> str:
    """"good" below GOOD, "wrong" above WRONG, "doubtful" between."""
    if error < GOOD:
        return "good"
    if error > WRONG:
        return "wrong"
    return "doubtful"


def diagnose(checks, epsilon: float) -> str:
    """Why the check at ``epsilon`` reads as it does, judged from every ε of ``checks`` (one backward pass).

    "good": right at this ε. "rounding" / "truncation": wrong-looking here, yet below GOOD at another ε,
    so the backward pass is right and this ε is too small (rounding error) / too large (truncation
    error). "wrong": above WRONG at every ε, a real bug. "doubtful": none of these.
    """
    checks = tuple(checks)
    here = next((c for c in checks if c.epsilon == epsilon), None)
    if here is None:
        raise ValueError(f"No check at ε = {epsilon!r}: the checks are at {', '.join(f'{c.epsilon:g}' for c in checks)}.")
    if here.verdict == "good":
        return "good"
    best = best_check(checks)
    if best.relative_error < GOOD:
        return "rounding" if epsilon < best.epsilon else "truncation"
    if all(c.relative_error > WRONG for c in checks):
        return "wrong"
    return "doubtful"


def best_check(checks):
    """The check with the smallest relative error: the ε a page can point to."""
    return min(checks, key=lambda c: c.relative_error)


def sample_coordinates(n_x: int, k: int = DEFAULT_SAMPLE, seed: int = 0) -> np.ndarray:
    """k distinct indices of w out of n_x, sorted, from a seeded RNG (the same every run)."""
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 1 <= k <= n_x:
        raise ValueError(f"Expected a sample of 1 to {n_x} coordinates of w, got {k!r}.")
    return np.sort(np.random.default_rng(seed).choice(n_x, size=int(k), replace=False))


@dataclass(frozen=True, eq=False)
class GradientCheck:
    """One comparison.

    coordinates: (k,) indices of w checked; b is checked too, as the last entry.
    numeric, analytic: (k + 1,) — ∂J/∂w_j for those j, then ∂J/∂b.
    cost_evaluations: forward passes the numerical gradient of the sample took (2 per coordinate);
    full_evaluations: what the whole gradient (n_x + 1 coordinates) would take; the chain rule
    needs one forward and one backward pass for all of them.
    """

    coordinates: np.ndarray
    numeric: np.ndarray
    analytic: np.ndarray
    epsilon: float
    relative_error: float
    verdict: str
    bug: str
    loss: str
    cost: float
    n_x: int
    cost_evaluations: int

    @property
    def full_evaluations(self) -> int:
        return 2 * (self.n_x + 1)


def _check_inputs(w, b, X, Y) -> tuple[np.ndarray, float, np.ndarray, np.ndarray]:
    w, X, Y = (np.asarray(a, dtype=np.float64) for a in (w, X, Y))
    if X.ndim != 2:
        raise ValueError(f"Expected X of shape (n_x, m), got shape {X.shape}.")
    n_x, m = X.shape
    if w.shape != (n_x, 1):
        raise ValueError(f"Expected w of shape ({n_x}, 1) to match X {X.shape}, got {w.shape}.")
    if Y.shape != (1, m):
        raise ValueError(f"Expected Y of shape (1, {m}) to match X {X.shape}, got {Y.shape}.")
    if not (np.isfinite(w).all() and np.isfinite(b)):
        raise ValueError("Expected finite w and b; the model holds inf or nan.")
    return w, float(b), X, Y


def _check_epsilon(epsilon) -> float:
    if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float)) or not MIN_EPSILON <= epsilon <= MAX_EPSILON:
        raise ValueError(f"Expected ε from {MIN_EPSILON:g} to {MAX_EPSILON:g}, got {epsilon!r}.")
    return float(epsilon)


def _centred_differences(Z, X, Y, coordinates, epsilon: float, lo) -> np.ndarray:
    """(J(θ + εe_j) − J(θ − εe_j)) / 2ε for each j in ``coordinates``, then for b: (k + 1,).

    Z (1, m) = wᵀX + b at θ. Nudging w_j by ±ε moves every logit by ±ε·X[j, :] (nudging b,
    by ±ε), so each perturbed cost is mean L(Z ± ε·X[j, :], Y): O(m), not a new O(n_x·m)
    product wᵀX. It equals recomputing wᵀX + b up to rounding (~1e-10 relative).
    """
    out = np.empty(len(coordinates) + 1)
    for n, j in enumerate(coordinates):
        step = epsilon * X[j:j + 1, :]  # (1, m): how the logits move when w_j moves by ε
        out[n] = (lo.cost(Z + step, Y) - lo.cost(Z - step, Y)) / (2 * epsilon)
    out[-1] = (lo.cost(Z + epsilon, Y) - lo.cost(Z - epsilon, Y)) / (2 * epsilon)
    return out


def gradient_checks(
    w, b, X, Y, loss: str = "cross_entropy", epsilons=EPSILON_GRID,
    sample: int = DEFAULT_SAMPLE, seed: int = 0, bug: str = "none",
) -> tuple[GradientCheck, ...]:
    """``gradient_check`` at each ε of ``epsilons`` (same sample), one GradientCheck per ε.

    The backward pass, the cost and Z = wᵀX + b do not depend on ε: computed once for all.
    """
    planted = get_bug(bug)
    lo = get_loss(loss)
    w, b, X, Y = _check_inputs(w, b, X, Y)
    epsilons = [_check_epsilon(e) for e in epsilons]
    coords = sample_coordinates(X.shape[0], sample, seed)
    dw, db = planted.backward(w, b, X, Y, lo.name)  # the backward pass, with the bug planted
    analytic = np.append(np.asarray(dw)[np.asarray(coords), 0], db)  # (k + 1,): the sampled dw, then db
    Z = w.T @ X + b
    J = lo.cost(Z, Y)
    checks = []
    for eps in epsilons:
        numeric = _centred_differences(Z, X, Y, coords, eps, lo)
        error = relative_error(numeric, analytic)
        checks.append(GradientCheck(
            coordinates=coords, numeric=numeric, analytic=analytic, epsilon=eps,
            relative_error=error, verdict=verdict(error), bug=bug, loss=lo.name,
            cost=J, n_x=X.shape[0], cost_evaluations=2 * (len(coords) + 1),
        ))
    return tuple(checks)


def gradient_check(
    w, b, X, Y, loss: str = "cross_entropy", epsilon: float = DEFAULT_EPSILON,
    sample: int = DEFAULT_SAMPLE, seed: int = 0, bug: str = "none",
) -> GradientCheck:
    """Compare the analytic gradient (``bug`` planted, or none) with centred differences.

    w (n_x, 1), b float, X (n_x, m), Y (1, m); ``sample`` coordinates of w chosen with ``seed``, plus b.
    """
    return gradient_checks(w, b, X, Y, loss, (epsilon,), sample, seed, bug)[0]


def error_vs_epsilon(
    w, b, X, Y, loss: str = "cross_entropy", epsilons=EPSILON_GRID,
    sample: int = DEFAULT_SAMPLE, seed: int = 0, bug: str = "none",
) -> np.ndarray:
    """Relative error for each ε in ``epsilons`` (same sample): (len(epsilons),).

    Too small an ε drowns the difference in rounding error (∝ 1/ε); too large
    an ε measures a secant, not a tangent (truncation error ∝ ε²).
    """
    return np.array([c.relative_error for c in gradient_checks(w, b, X, Y, loss, epsilons, sample, seed, bug)])
