"""train and train_many: settings in, results out, by the plain or the dual path."""

from __future__ import annotations

import numpy as np

from playground.data.features import Features
from playground.training.dual import train_dual
from playground.training.histories import DEFAULT_SNAPSHOTS
from playground.training.plain import train_plain
from playground.training.results import TrainingResult
from playground.training.settings import METHODS, TrainingSettings


def train(
    features: Features,
    settings: TrainingSettings = TrainingSettings(),
    method: str = "auto",
    snapshots: int = DEFAULT_SNAPSHOTS,
    test_history: bool = True,
    snapshot_weights: bool = True,
    test_every: int = 1,
    keep_every: int = 0,
) -> TrainingResult:
    """Run batch gradient descent on ``features`` with ``settings``."""
    return train_many(features, [settings], method, snapshots, test_history, snapshot_weights, test_every,
                      keep_every)[0]


def train_many(
    features: Features,
    settings_list,
    method: str = "auto",
    snapshots: int | list[int] = DEFAULT_SNAPSHOTS,
    test_history: bool = True,
    snapshot_weights: bool = True,
    test_every: int | list[int] = 1,
    keep_every: int | list[int] = 0,
) -> list[TrainingResult]:
    """One TrainingResult per settings, in order, each as ``train`` alone would give it.

    ``method``: "auto" (dual when ``features`` carry K), "plain" or "dual". ``snapshots``: how many
    per run, 0 for none. ``test_every`` = e: the test cost and accuracy recorded before updates 0, e,
    2e, … (``prefix`` can cut the run there). Both take one value or a list of one per settings.
    ``test_history=False`` records no test numbers per iteration (the final ones are still measured).
    ``snapshot_weights=False`` (dual path) leaves snapshot_w None; the snapshots stay as snapshot_alpha.
    ``keep_every`` = e > 0 (dual path; one value or one per settings): α and b kept after 0, e, 2e, …
    updates (keep_alpha, keep_b), from which ``cut`` gives any run of a multiple of e iterations whole.
    On the dual path, settings with the same start (init, seed) train as rows of one batch (its first
    row bit for bit its run alone, see below); a diverging rate stops its own row; ``seconds`` is the
    batch's time.
    """
    # Rows: bit for bit where BLAS computes a column of a product the same in every column of its block
    # (OpenBLAS here: the tests check), otherwise to that product's rounding, which overshooting steps
    # amplify as they amplify any rounding.
    # The options save work: no test history is a fifth of a run's work (for runs that draw no test curve,
    # as the landscape's view 2; the Compare tab cuts its runs, so it needs them), test_every = e > 1 a
    # tenth of a curve's, and no snapshot weights skips a run's largest product (k × n_x weights: 41 ×
    # 209 × 12,288 on the course's data).
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}: expected one of {', '.join(METHODS)}.")
    settings_list = list(settings_list)
    counts = _per_settings(snapshots, len(settings_list), 0, "a snapshot count of 0 or more")
    every = _per_settings(test_every, len(settings_list), 1, "a test interval of 1 or more")
    keep = _per_settings(keep_every, len(settings_list), 0, "a keeping interval of 0 or more")
    if method == "auto":
        method = "dual" if features.K_train is not None else "plain"
    if method == "plain":
        if any(keep):
            raise ValueError("Only the dual path keeps its parameters along the way (keep_every).")
        return [train_plain(features, settings, count, test_history, e)
                for settings, count, e in zip(settings_list, counts, every)]
    if features.K_train is None:
        raise ValueError("The dual path needs K = XᵀX; build the features with precompute_kernel=True.")
    groups: dict[tuple, dict[str, list[int]]] = {}
    for k, st in enumerate(settings_list):
        groups.setdefault((st.init, st.seed), {}).setdefault(st.loss, []).append(k)
    results: list[TrainingResult | None] = [None] * len(settings_list)
    for by_loss in groups.values():
        # One batch per start, the losses one after the other in the order they first come (so the
        # first settings is the batch's first row, and equals its run alone to the last bit).
        indices = [k for ks in by_loss.values() for k in ks]
        runs = train_dual(features, [settings_list[k] for k in indices], [counts[k] for k in indices],
                           test_history, snapshot_weights, [every[k] for k in indices], [keep[k] for k in indices])
        for k, result in zip(indices, runs):
            results[k] = result
    return results


def _per_settings(value, n: int, least: int, what: str) -> list[int]:
    """One whole number per settings from ``value`` (one for all, or a list of n)."""
    values = [value] * n if isinstance(value, (int, np.integer)) and not isinstance(value, bool) else value
    try:
        values = list(values)
    except TypeError:
        values = None
    if values is None or len(values) != n or any(
            isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < least for v in values):
        raise ValueError(f"Expected {what} (or one per settings), got {value!r}.")
    return [int(v) for v in values]
