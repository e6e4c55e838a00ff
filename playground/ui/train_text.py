"""The Train page's words about a run: accuracies as people read them, and an honest
account of a run that diverged, overshot or stalled. Pure Python (no Streamlit)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from playground.training import DIVERGENCE_FACTOR, TrainingResult
from playground.ui.train_params import LEARNING_RATES, format_rate


def format_percent(value: float) -> str:
    """99.043… → "99.04 %", 70.0 → "70 %" (two decimals at most, no trailing zeros)."""
    if not math.isfinite(value):
        return "–"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} %"


def format_cost(value: float) -> str:
    """0.135608 → "0.1356", 1051.07 → "1,051", 2.7e-05 → "2.7e-05"."""
    if not math.isfinite(value):
        return "not finite"
    if value != 0 and abs(value) < 1e-3 or abs(value) >= 1e6:
        return f"{value:.3g}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.4f}"


def smaller_rate(rate: float, factor: float = 10.0) -> float:
    """A rate about ``factor`` times smaller, on the slider (the smallest notch at least)."""
    target = rate / factor
    below = [r for r in LEARNING_RATES if r <= target * (1 + 1e-9)]
    return below[-1] if below else LEARNING_RATES[0]


@dataclass(frozen=True)
class Message:
    """kind: "error" | "warning" | "info" (how loud the page shows it); text: Markdown."""

    kind: str
    text: str


def run_message(result: TrainingResult, loss_label: str = "") -> Message | None:
    """What to say about a run that did not simply go downhill, or None when it did.

    Follows what training.py reports: ``diverged_at`` is the first iteration whose cost
    was not finite or above DIVERGENCE_FACTOR × the starting cost; ``stopped_early``
    means a cost became non-finite and training stopped there; ``recovered`` means the
    cost jumped but ended finite and below where it started.
    """
    s = result.settings
    lr = format_rate(s.learning_rate)
    try_lr = format_rate(smaller_rate(s.learning_rate))
    factor = f"{DIVERGENCE_FACTOR:g}"
    costs = result.costs
    if s.num_iterations == 0:
        return Message("info", "With **0 iterations** nothing is learned: w and b keep their initial values. "
                               "Move the **Iterations** slider to train.")
    if result.stopped_early:
        broke = len(costs) - 1
        start = f"at iteration {result.diverged_at:,}" if result.diverged_at is not None else "early"
        return Message(
            "error",
            f"**Training diverged and stopped at iteration {broke:,}.** The cost rose above {factor}× "
            f"its starting value {start} and then stopped being a finite number, so training "
            f"stopped there; the curve shows it up to that point. With α = {lr} each step jumps "
            f"past the bottom of the valley and lands higher than the last. "
            f"A smaller learning rate takes shorter steps that go downhill: try α = {try_lr}.",
        )
    if result.diverged:
        d = int(result.diverged_at)
        jump = f"{costs[0]:.3f} → {format_cost(float(costs[d]))}" if d < len(costs) else ""
        if result.recovered:
            return Message(
                "warning",
                f"**The steps overshot.** At iteration {d:,} the cost jumped above {factor}× its "
                f"starting value ({jump}): with α = {lr} each step went far past the bottom of the valley. "
                f"The cost came back down afterwards and ended at J = {format_cost(result.final_cost)}, "
                f"below where it started, but by an erratic path. A smaller learning rate descends "
                f"smoothly: try α = {try_lr}. The log scale shows both parts of the curve.",
            )
        return Message(
            "error",
            f"**Training diverged from iteration {d:,}.** The cost rose above {factor}× its starting "
            f"value ({jump}) and ended at J = {format_cost(result.final_cost)}, higher than it started. "
            f"With α = {lr} each step jumps past the bottom of the valley and lands higher than the last. "
            f"A smaller learning rate takes shorter steps that go downhill: try α = {try_lr}.",
        )
    if len(costs) and math.isfinite(result.final_cost) and result.final_cost >= costs[0] - 1e-12:
        if s.loss == "mse":
            why = ("With mean squared error a step that is too large pushes z = wᵀx + b deep into the "
                   "sigmoid's flat tails, where a(1 − a) ≈ 0 makes the gradient vanish, and training stalls.")
        else:
            why = "The steps are too large to go downhill."
        return Message(
            "warning",
            f"**The cost did not go down** (J = {format_cost(float(costs[0]))} at the start, "
            f"{format_cost(result.final_cost)} at the end). {why} Try a smaller learning rate, e.g. α = {try_lr}.",
        )
    return None


def outcome(result: TrainingResult) -> str:
    """A few words for a table row: how the run went."""
    if result.stopped_early:
        return f"diverged, stopped at iteration {len(result.costs) - 1:,}"
    if result.diverged:
        if result.recovered:
            return f"overshot at iteration {result.diverged_at:,}, then came back down"
        return f"diverged from iteration {result.diverged_at:,}"
    if len(result.costs) and result.final_cost >= result.costs[0] - 1e-12:
        return "did not go down"
    ups = _rises(result.costs)
    if ups.size >= 2:
        return f"zigzagged until iteration {int(ups[-1]) + 1:,}, then went downhill"
    return "went downhill"


def _rises(costs) -> np.ndarray:
    """Indices i where the cost went up from iteration i to i + 1."""
    costs = np.asarray(costs, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.flatnonzero(np.diff(costs) > 1e-12 * np.abs(costs[:-1]))


def model_is_usable(result: TrainingResult) -> bool:
    return bool(np.isfinite(result.w).all() and math.isfinite(result.b))


def zigzag_note(result: TrainingResult) -> str | None:
    """A sentence when the training cost went *up* at some steps of a run that did not diverge
    (the steps overshoot a little and the cost zigzags before settling), else None."""
    if result.diverged or len(result.costs) < 3:
        return None
    up = _rises(result.costs)
    if up.size < 2:
        return None
    steps = len(result.costs) - 1
    return (
        f"The training cost went **up** at {up.size:,} of the {steps:,} steps, the last time at iteration "
        f"{int(up[-1]) + 1:,}: each of those steps overshot the bottom of the valley a little, so the "
        "cost zigzags before it settles. A table that records it every 100 iterations, as the course's "
        "does, hides this."
    )
