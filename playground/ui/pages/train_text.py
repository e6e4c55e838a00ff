"""The Train page's words about a run: accuracies as people read them, and an honest
account of a run that diverged, overshot or stalled. Pure Python (no Streamlit).

The sentences live in ``locales/<lang>/train.toml``; the functions that speak take ``t``,
a lookup ``t(key, **values) -> str`` (the page passes ``playground.ui.i18n.t``, so they
answer in the visitor's language). This module decides what to say and formats the numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from playground.training import TrainingResult, results
from playground.training.histories import DIVERGENCE_FACTOR
from playground.ui.pages.train_params import LEARNING_RATES, format_rate

Text = Callable[..., str]
"""``t(key, **values)``: the text for a locale key with its ``{fields}`` filled in."""


def format_percent(value: float) -> str:
    """99.043… → "99.04 %", 70.0 → "70 %" (two decimals at most, no trailing zeros)."""
    if not math.isfinite(value):
        return "–"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} %"


def format_cost(value: float, t: Text) -> str:
    """0.135608 → "0.1356", 1051.07 → "1,051", 2.7e-05 → "2.7e-05"; a non-finite cost in words."""
    if not math.isfinite(value):
        return t("train.not_finite")
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


def run_message(result: TrainingResult, t: Text) -> Message | None:
    """What to say about a run that did not simply go downhill, or None when it did.

    Follows what training.py reports: ``diverged_at`` is the first iteration whose cost
    was not finite or above DIVERGENCE_FACTOR × the starting cost; ``stopped_early``
    means a cost became non-finite and training stopped there; ``recovered`` means the
    cost jumped but ended finite and below where it started.
    """
    s = result.settings
    common = {
        "lr": format_rate(s.learning_rate),
        "try_lr": format_rate(smaller_rate(s.learning_rate)),
        "factor": f"{DIVERGENCE_FACTOR:g}",
    }
    costs = result.costs
    if s.num_iterations == 0:
        return Message("info", t("train.run_zero"))
    if result.stopped_early:
        broke = len(costs) - 1
        if result.diverged_at is not None:
            return Message("error", t("train.run_stopped", broke=broke, iteration=result.diverged_at, **common))
        return Message("error", t("train.run_stopped_early", broke=broke, **common))
    if result.diverged:
        d = int(result.diverged_at)
        jump = f"{costs[0]:.3f} → {format_cost(float(costs[d]), t)}" if d < len(costs) else ""
        values = dict(iteration=d, jump=jump, final=format_cost(result.final_cost, t), **common)
        if result.recovered:
            return Message("warning", t("train.run_overshot", **values))
        return Message("error", t("train.run_diverged", **values))
    if len(costs) and math.isfinite(result.final_cost) and result.final_cost >= costs[0] - 1e-12:
        # With MSE a step that is too large saturates the sigmoid, and the gradient vanishes.
        why = t("train.stalled_mse") if s.loss == "mse" else t("train.stalled_steps")
        return Message("warning", t("train.run_stalled", start=format_cost(float(costs[0]), t),
                                    end=format_cost(result.final_cost, t), why=why, try_lr=common["try_lr"]))
    return None


def outcome(result: TrainingResult, t: Text) -> str:
    """A few words for a table row: how the run went (training.results.outcome, worded)."""
    kind = results.outcome(result)
    iteration = {"stopped": len(result.costs) - 1, "overshot": result.diverged_at, "diverged": result.diverged_at,
                 "zigzag": int(results.rises(result.costs)[-1]) + 1 if kind == "zigzag" else None}.get(kind)
    return t(f"train.outcome_{kind}", iteration=iteration)


def model_is_usable(result: TrainingResult) -> bool:
    return bool(np.isfinite(result.w).all() and math.isfinite(result.b))


def zigzag_note(result: TrainingResult, t: Text) -> str | None:
    """A sentence when the training cost went *up* at some steps of a run that did not diverge
    (the steps overshoot a little and the cost zigzags before settling), else None."""
    if result.diverged or len(result.costs) < 3:
        return None
    up = results.rises(result.costs)
    if up.size < 2:
        return None
    return t("train.zigzag", ups=up.size, steps=len(result.costs) - 1, last=int(up[-1]) + 1)


def held_out_notes(result: TrainingResult, t: Text) -> tuple[str | None, str | None]:
    """What the test cost did when it did not simply follow the training cost, as two sentences (or
    None): it rose above its start in the first steps (the same overshooting steps, felt harder on
    images training never fits); it rose from a low point while the training cost kept falling
    (overfitting)."""
    if result.diverged or len(result.test_costs) < 3:
        return None, None
    costs = np.asarray(result.test_costs, dtype=float)
    if not np.isfinite(costs).all():
        return None, None
    every, zigzag, rise = result.test_every, None, None
    peak = int(np.argmax(costs))
    if peak > 0 and costs[peak] > costs[0] * (1 + 1e-9):
        zigzag = t("train.test_zigzag", peak=format_cost(float(costs[peak]), t), iteration=peak * every)
    low, end = int(np.argmin(costs)), result.final_test_cost
    train_then = result.costs[low * every] if low * every < len(result.costs) else math.nan
    if math.isfinite(end) and end > costs[low] * 1.02 and result.final_cost < train_then:
        rise = t("train.test_rise", low=format_cost(float(costs[low]), t), iteration=low * every,
                 end=format_cost(end, t))
    return zigzag, rise


def cost_notes(result: TrainingResult, t: Text, every: int = 1) -> list[str]:
    """The paragraphs under the cost curves, each only when it applies: the zigzags of both costs and
    whether the chart's view shows them (``every`` = 100 hides them; the note says how to see them);
    then the test cost's rise."""
    train_zigzag = zigzag_note(result, t)
    test_zigzag, rise = held_out_notes(result, t)
    zigzags = [text for text in (train_zigzag, test_zigzag) if text]
    if zigzags:
        zigzags.append(t("train.zigzag_hidden" if every > 1 else "train.zigzag_shown"))
    return [" ".join(zigzags)] * bool(zigzags) + [rise] * bool(rise)
