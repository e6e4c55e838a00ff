"""What one run of gradient descent produced, and a shorter run cut from a longer one."""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

import numpy as np

from playground.data.features import Features
from playground.training.settings import TrainingSettings


@dataclass(frozen=True, eq=False)
class TrainingResult:
    """What one run of gradient descent produced.

    costs, test_costs, train_accuracies, test_accuracies: (T,), entry i recorded
    *before* update i (as the course records), T = iterations actually run
    (fewer than asked when the run diverged). Accuracies in percent. The test ones are
    (0,) when the run was asked for no test history (``test_history=False``), and (⌈T/e⌉,) when it
    recorded them every e = test_every iterations: entry j before update j·e.
    w: (n_x, 1) and b: the final parameters; final_* are measured at them. A run cut from a longer
    one (``prefix``) has none: w is None and b NaN (its final_* come from the longer run's histories).
    snapshot_iterations: (k,) ints; snapshot_w: (k, n_x) float32; snapshot_b: (k,) —
    the parameters before those iterations' updates (the last one may equal T: the final ones).
    snapshot_w is None when the run was asked for no snapshot weights (``snapshot_weights=False``).
    alpha (m,), snapshot_alpha (k, m): on the dual path, the same parameters in dual form,
    w = w₀ + X_train·α (None on the plain path): what a caller that only projects the snapshots
    onto X_train needs, at O(m²) a snapshot instead of O(n_x·m).
    diverged_at: None, or the first iteration whose cost was non-finite or above
    DIVERGENCE_FACTOR × the starting cost (the steps overshoot). Training goes on
    after a cost that merely exploded — on separable data cross-entropy can come
    back down — and stops at the first non-finite one (``stopped_early``).
    confusion: test-set counts {"tp", "tn", "fp", "fn"} at the final parameters.
    keep_alpha (c, m), keep_b (c,): on the dual path when asked (``keep_every`` = e > 0), the parameters
    after 0, e, 2e, … updates in dual form, each as a run of that many iterations ends with them (None
    otherwise; entries past a run that stopped early mean nothing): what ``cut`` needs to give any
    shorter run whole.
    """

    settings: TrainingSettings
    w: np.ndarray | None  # None in a run cut from a longer one (prefix)
    b: float
    costs: np.ndarray
    test_costs: np.ndarray
    train_accuracies: np.ndarray
    test_accuracies: np.ndarray
    final_cost: float
    final_test_cost: float
    train_accuracy: float
    test_accuracy: float
    snapshot_iterations: np.ndarray
    snapshot_w: np.ndarray | None
    snapshot_b: np.ndarray
    diverged_at: int | None
    confusion: dict = field(default_factory=dict)
    method: str = "plain"
    seconds: float = 0.0
    alpha: np.ndarray | None = None
    snapshot_alpha: np.ndarray | None = None
    test_every: int = 1
    keep_every: int = 0
    keep_alpha: np.ndarray | None = None
    keep_b: np.ndarray | None = None

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def stopped_early(self) -> bool:
        return len(self.costs) < self.settings.num_iterations

    @property
    def recovered(self) -> bool:
        """Diverged, yet ended finite and below the starting cost."""
        return (
            self.diverged
            and not self.stopped_early
            and np.isfinite(self.final_cost)
            and len(self.costs) > 0
            and self.final_cost < self.costs[0]
        )


def finish(features: Features, settings: TrainingSettings, loss, method: str, start: float, *, w, b, Z, Zt,
            costs, test_costs, accs, test_accs, snap_its, snap_w, snap_b, diverged_at, alpha=None,
            snap_alpha=None, test_every: int = 1, keep_every: int = 0, keep_alpha=None,
            keep_b=None) -> TrainingResult:
    """The result of one run from its final parameters, its final logits Z (1, m), Zt (1, m_test),
    and its histories already cut to the iterations run."""
    Y, Yt = features.Y_train, features.Y_test
    with np.errstate(over="ignore", invalid="ignore"):  # a run that stopped early ends at a non-finite cost
        final_cost, final_test_cost = loss.cost(Z, Y), loss.cost(Zt, Yt)
    pred_t = (Zt > 0).astype(float)
    confusion = {
        "tp": int(np.sum((pred_t == 1) & (Yt == 1))),
        "tn": int(np.sum((pred_t == 0) & (Yt == 0))),
        "fp": int(np.sum((pred_t == 1) & (Yt == 0))),
        "fn": int(np.sum((pred_t == 0) & (Yt == 1))),
    }
    return TrainingResult(
        settings=settings,
        w=w,
        b=float(b),
        costs=costs,
        test_costs=test_costs,
        train_accuracies=accs,
        test_accuracies=test_accs,
        final_cost=final_cost,
        final_test_cost=final_test_cost,
        train_accuracy=float(100.0 * np.mean((Z > 0) == (Y > 0.5))),
        test_accuracy=float(100.0 * np.mean((Zt > 0) == (Yt > 0.5))),
        snapshot_iterations=np.array(snap_its, dtype=int),
        snapshot_w=snap_w,
        snapshot_b=np.array(snap_b, dtype=float),
        diverged_at=diverged_at,
        confusion=confusion,
        method=method,
        seconds=time.perf_counter() - start,
        alpha=alpha,
        snapshot_alpha=snap_alpha,
        test_every=test_every,
        keep_every=keep_every,
        keep_alpha=keep_alpha,
        keep_b=keep_b,
    )


def prefix(result: TrainingResult, num_iterations: int) -> TrainingResult:
    """The first ``num_iterations`` of a run recorded with its test history: what a run of that many
    iterations records (gradient descent is deterministic, so that run is this one's beginning).
    With ``test_every`` = e > 1, num_iterations must be a multiple of e (or reach the iterations run).
    Only the histories and what they give: costs and accuracies, the final ones, the divergence; no
    parameters (w None, b NaN), snapshots or confusion. Final numbers taken from the histories match
    the run's own to their rounding (~1e-15, more while the steps overshoot).
    """
    # For the Compare tab: each rate trains once to a longer count and any shorter one is cut from it.
    # Test numbers recorded every e iterations are that run's own; the others come from the carried
    # logits, not from the parameters, hence the rounding. Parameters for every iteration would take
    # m numbers an iteration.
    T, e = result.settings.num_iterations, result.test_every
    if not 0 <= num_iterations <= T:
        raise ValueError(f"Expected from 0 to {T:,} iterations of this run, got {num_iterations!r}.")
    if len(result.test_accuracies) != -(-len(result.costs) // e):
        raise ValueError("A run is cut from its histories: train it with test_history=True.")
    if num_iterations % e and num_iterations < len(result.costs):
        raise ValueError(f"This run recorded its test numbers every {e:,} iterations: cut it at a multiple of {e:,}, "
                         f"not at {num_iterations:,}.")
    settings = dataclasses.replace(result.settings, num_iterations=num_iterations)
    if num_iterations == T or num_iterations >= len(result.costs):
        # All of it; or the run stopped at a non-finite cost by then, and a shorter run stops there too.
        return dataclasses.replace(result, settings=settings)
    n, d = num_iterations, result.diverged_at
    return dataclasses.replace(
        result, settings=settings, w=None, b=float("nan"), alpha=None, confusion={},
        costs=result.costs[:n], test_costs=result.test_costs[:-(-n // e)],
        train_accuracies=result.train_accuracies[:n], test_accuracies=result.test_accuracies[:-(-n // e)],
        # Entry n is recorded before update n: at the parameters after n updates, a shorter run's last.
        final_cost=float(result.costs[n]), final_test_cost=float(result.test_costs[n // e]),
        train_accuracy=float(result.train_accuracies[n]), test_accuracy=float(result.test_accuracies[n // e]),
        diverged_at=d if d is not None and d < n else None,
        snapshot_iterations=np.empty(0, dtype=int), snapshot_w=None, snapshot_b=np.empty(0), snapshot_alpha=None,
        keep_every=0, keep_alpha=None, keep_b=None,
    )


OUTCOMES = ("downhill", "zigzag", "stalled", "overshot", "diverged", "stopped")
"""How a run went, from the calmest to the worst: the names ``outcome`` gives."""


def rises(costs) -> np.ndarray:
    """(k,) the iterations i at which the cost went up from i to i + 1."""
    costs = np.asarray(costs, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.flatnonzero(np.diff(costs) > 1e-12 * np.abs(costs[:-1]))


def outcome(result: TrainingResult) -> str:
    """One of OUTCOMES: stopped at a non-finite cost; diverged (the cost exploded) and ended above its
    start, or overshot and came back below it; stalled (not below its start, or no step taken); zigzag (rose at least
    twice on its way down); else downhill."""
    if result.stopped_early:
        return "stopped"
    if result.diverged:
        return "overshot" if result.recovered else "diverged"
    if not len(result.costs) or result.final_cost >= result.costs[0] - 1e-12:  # (no step at all: not down)
        return "stalled"
    return "zigzag" if rises(result.costs).size >= 2 else "downhill"
