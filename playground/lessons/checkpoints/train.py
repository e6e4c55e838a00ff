"""The Train page's checkpoints: the first cost, how a learning rate will go, a goal to reach."""

from __future__ import annotations

import math

import numpy as np

from playground.course.losses import LOSSES
from playground.lessons.checkpoints.catalog import Checkpoint
from playground.lessons.checkpoints.kinds import Choice, Number, Question, Target
from playground.training.results import TrainingResult, outcome

CHECKPOINTS = (
    Checkpoint("train", "first_cost", "number"),
    Checkpoint("train", "blow_up", "choice"),
    Checkpoint("train", "reach", "target"),
)

SHAPES = ("downhill", "zigzag", "blow_up", "stall")
"""How a cost curve goes, as a student would say it."""
_SHAPE_OF_OUTCOME = {"downhill": "downhill", "zigzag": "zigzag", "stalled": "stall",
                     "overshot": "blow_up", "diverged": "blow_up", "stopped": "blow_up"}
ASKED_RATE = 0.05
"""The rate the blow-up question asks about: fixed, so that "show me" (which sets it) keeps the question."""
GOAL = 95.0
"""The train accuracy (percent) the target asks for, or less when no rate of the slider reaches it."""


def _percent(value: float) -> str:
    """99.043… → "99.04", 100.0 → "100" (as the page writes accuracies)."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def first_cost(Y) -> Question:
    """The cross-entropy cost before any step, from w = 0 and b = 0 (every z = 0) on labels Y (1, m)."""
    Y = np.asarray(Y, dtype=float)
    cost = LOSSES["cross_entropy"].cost(np.zeros_like(Y), Y)
    return Question(Number(round(float(cost), 6), tolerance=0.01, digits=3),
                    show={"init": "zeros", "loss": "cross_entropy", "log": False})


def blow_up(run: TrainingResult) -> Question:
    """How the cost of ``run`` (ASKED_RATE, the page's other settings) goes: one of SHAPES."""
    s = run.settings
    return Question(Choice(SHAPES, _SHAPE_OF_OUTCOME[outcome(run)]),
                    fields={"alpha": f"{s.learning_rate:g}", "iterations": f"{s.num_iterations:,}"},
                    show={"lr": s.learning_rate})


def goal_and_fewest(runs: list[TrainingResult], step: int) -> tuple[float, int, float]:
    """(goal, fewest iterations, its rate): the fewest iterations, a multiple of ``step``, after which
    one of ``runs`` (one per rate, each with every iteration's train accuracy) is at the goal or above.
    The goal is GOAL, or the best multiple of 5 some run reaches. Runs that diverged do not count:
    their path is chaotic, so the page's own run of a shorter count need not repeat it."""
    runs = [r for r in runs if not r.diverged and len(r.train_accuracies)]
    best = max((float(np.max(r.train_accuracies[::step])) for r in runs), default=0.0)
    goal = min(GOAL, 5.0 * math.floor(best / 5.0))
    fewest = []
    for run in runs:
        at = np.flatnonzero(run.train_accuracies[::step] >= goal)
        if at.size:
            fewest.append((int(at[0]) * step, run.settings.learning_rate))
    count, rate = min(fewest)  # (ties to the smaller rate)
    return goal, count, rate


def reach(current: TrainingResult, runs: list[TrainingResult], step: int) -> Question:
    """Reach the goal's train accuracy in at most half as many iterations again as the fewest that
    ``runs`` (every rate of the slider, the page's loss and start) need; checked on ``current``."""
    goal, fewest, rate = goal_and_fewest(runs, step)
    limit = max(step, step * math.ceil(1.5 * fewest / step))
    s = current.settings
    met = current.train_accuracy >= goal and s.num_iterations <= limit
    return Question(Target(met, best={"lr": rate, "iterations": max(fewest, step)}),
                    fields={"goal": f"{goal:g}", "limit": f"{limit:,}", "fewest": f"{fewest:,}",
                            "best_alpha": f"{rate:g}", "accuracy": _percent(current.train_accuracy),
                            "iterations": f"{s.num_iterations:,}"},
                    show={"lr": rate, "iterations": max(fewest, step)})
