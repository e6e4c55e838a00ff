"""The Loss landscape page's checkpoints, both on the counterexample (view 3): where gradient descent
on the squared error ends from a start, and on which cost a midpoint can rise above its chord."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from playground.lessons.checkpoints.catalog import Checkpoint
from playground.lessons.checkpoints.kinds import Choice, Question
from playground.lessons.landscape import counterexample as cx
from playground.lessons.landscape.surfaces import is_negative

CHECKPOINTS = (
    Checkpoint("landscape", "ends", "choice"),
    Checkpoint("landscape", "chord", "choice"),
)

ENDINGS = ("global", "local", "plateau", "moving")
"""Where a descent ends: the lowest valley, another valley, stuck where the cost is flat, or still going."""
ASKED_STARTS = (-3.6, 1.4, -1.1, -2.4)
"""log₁₀ w₀ the first question asks about: the first one no start slider shows already. With the page's
default α and iterations they end in the global minimum (-3.6, although valley 2 is nearer), on the
flat right plateau (1.4), in valley 3 and in valley 2; all four lie on the sliders' 0.1 grid."""
PLATEAU_SLOPE = 1e-3
"""|dJ/du| (per decade of w) under which a descent that is not in a valley counts as stalled: the
walls of the squared error's valleys slope by 0.01 to 0.07; it flattens below 1e-3 towards w = 10⁻⁷
(every σ(w·x) near ½) and past w = 10 (every σ(w·x) near 1)."""
CHORD_POINTS = 181
"""Points of the weight axis searched for chords: every pair of them, 16,290 chords."""
CHORD_ANSWERS = ("mse", "cross_entropy", "both", "neither")
"""On which cost a midpoint can rise above its chord."""


def _g(value: float) -> str:
    return f"{value:.3g}"


# ------------------------------------------------------------------ 1 · where the descent ends
def start_to_ask(current) -> float:
    """The first of ASKED_STARTS that none of the page's starts (log₁₀ w₀) shows already."""
    return next(u for u in ASKED_STARTS if not any(math.isclose(u, float(c), abs_tol=1e-9) for c in current))


def ending(curve: cx.CounterexampleCurve, run: int = 0) -> str:
    """Where the run ``run`` of ``curve`` ended, one of ENDINGS: in the valley of lowest J ("global"),
    in another ("local"), elsewhere with |dJ/du| < PLATEAU_SLOPE ("plateau"), or elsewhere ("moving")."""
    reached = curve.reached[run]
    if reached is not None:
        return "global" if reached == int(np.argmin(curve.minima_J)) else "local"
    slope, _ = cx.slope_along_u(cx.counterexample_dataset(), curve.loss, curve.paths[run].u[-1])
    return "plateau" if abs(float(slope)) < PLATEAU_SLOPE else "moving"


def ends(curve: cx.CounterexampleCurve, learning_rate: float, num_iterations: int) -> Question:
    """Where gradient descent on the squared error ends: ``curve`` is the page's counterexample for the
    squared error with one run, from the asked start with α = ``learning_rate`` for ``num_iterations``."""
    if curve.loss != "mse" or len(curve.paths) != 1:
        raise ValueError(f"Expected the squared error's curve with one run, got {curve.loss!r} "
                         f"with {len(curve.paths)} runs.")
    path = curve.paths[0]
    u0 = float(path.u[0])
    return Question(
        Choice(ENDINGS, ending(curve)),
        fields={"start": f"{u0:g}", "w0": _g(10.0**u0), "alpha": f"{learning_rate:g}",
                "iterations": f"{num_iterations:,}", "w_end": _g(path.w[-1]), "J_end": f"{path.costs[-1]:.4f}",
                "minima": ", ".join(_g(10.0**u) for u in curve.minima),
                "minima_J": ", ".join(f"{J:.4f}" for J in curve.minima_J)},
        show={"view": "counter", "start": u0, "lr": learning_rate, "iterations": num_iterations},
    )


# ------------------------------------------------------------------ 2 · a midpoint above its chord
@dataclass(frozen=True)
class Chord:
    """The chord of one loss's J(w) between w1 < w2: J at both ends, and at the midpoint
    w_mid = (w1 + w2)/2 the chord's height and the curve's. gap > 0: the curve rises above the chord."""

    loss: str
    w1: float
    w2: float
    J1: float
    J2: float
    chord_mid: float
    J_mid: float

    @property
    def w_mid(self) -> float:
        return (self.w1 + self.w2) / 2.0

    @property
    def gap(self) -> float:
        return self.J_mid - self.chord_mid

    def line(self, points: int = 81) -> tuple[np.ndarray, np.ndarray]:
        """The chord drawn: w (points,) evenly spread in log₁₀ w (smooth on a log axis), J on the straight line."""
        w = np.logspace(math.log10(self.w1), math.log10(self.w2), points)
        return w, self.J1 + (self.J2 - self.J1) * (w - self.w1) / (self.w2 - self.w1)


def _cost(loss_name: str, w) -> np.ndarray:
    return cx.cost_along_w(cx.counterexample_dataset(), loss_name, np.log10(np.asarray(w, dtype=float)))


def chord(loss_name: str, w1: float, w2: float) -> Chord:
    """The chord of ``loss_name`` on the counterexample between the weights w1 < w2 (both > 0)."""
    if not 0 < w1 < w2:
        raise ValueError(f"Expected weights 0 < w1 < w2, got w1 = {w1!r}, w2 = {w2!r}.")
    J1, J2, J_mid = (float(v) for v in _cost(loss_name, [w1, w2, (w1 + w2) / 2.0]))
    return Chord(loss_name, float(w1), float(w2), J1, J2, (J1 + J2) / 2.0, J_mid)


def chord_weights() -> tuple[float, float]:
    """(w1, w2): the squared error's two lowest valleys, the chord the page draws on both costs."""
    data = cx.counterexample_dataset()
    minima = cx.local_minima(data, "mse")
    lowest = minima[np.argsort(cx.cost_along_w(data, "mse", minima))[:2]]
    return float(10.0 ** lowest.min()), float(10.0 ** lowest.max())


def chords_above(loss_name: str, points: int = CHORD_POINTS) -> tuple[int, int]:
    """(chords whose midpoint's J lies above them beyond rounding, chords tried): every pair of
    ``points`` weights evenly spread in log₁₀ w over the page's axis. 0 for a convex cost."""
    w = 10.0 ** cx.log_w_grid(points)
    J = _cost(loss_name, w)
    i, j = np.triu_indices(points, 1)
    J_mid = _cost(loss_name, (w[i] + w[j]) / 2.0)
    gap = J_mid - (J[i] + J[j]) / 2.0
    return int(np.sum(is_negative(-gap, np.abs(J[i]) + np.abs(J[j]) + np.abs(J_mid)))), int(gap.size)


def midpoint_above(counts: dict[str, tuple[int, int]], chords: dict[str, Chord]) -> Question:
    """On which cost a midpoint can lie above its chord: ``counts`` per loss from ``chords_above``,
    ``chords`` per loss the chord the page draws (between the same two weights)."""
    mse, ce = (counts[name][0] > 0 for name in ("mse", "cross_entropy"))
    right = {(True, False): "mse", (False, True): "cross_entropy", (True, True): "both"}.get((mse, ce), "neither")
    example = chords["mse"]
    return Question(
        Choice(CHORD_ANSWERS, right),
        fields={"pairs": f"{counts['mse'][1]:,}", "mse_above": f"{counts['mse'][0]:,}",
                "ce_above": f"{counts['cross_entropy'][0]:,}", "w1": _g(example.w1), "w2": _g(example.w2),
                "mse_gap": _g(chords["mse"].gap), "ce_gap": _g(chords["cross_entropy"].gap)},
        show={"view": "counter", "chord": True},
    )
