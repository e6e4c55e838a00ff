"""Training runs: settings in, a small frozen result out.

Two ways to compute the same iterates of batch gradient descent:
- "plain": the course's vectorized code, w (n_x, 1) updated directly;
- "dual": every gradient X dZᵀ/m lies in the span of X's columns, so
  w = w₀ + Xα with α (m, 1), and Z = (Kα)ᵀ + w₀ᵀX + b with K = XᵀX computed
  once per dataset. Per iteration that is O(m²) instead of O(n_x·m) — on
  the course's data (m = 209, n_x = 12,288) about 50× less work.
"auto" takes the dual form whenever the features carry K (m < n_x).

The dual loop carries the logits themselves: Z ← Z − (α_rate/m)·(K + 1)·dZ (the 1 is the
bias, a feature worth 1 in every example), so an iteration is five NumPy calls (cross-entropy); the
histories (costs, test logits, snapshots) are filled a chunk at a time afterwards, by
playground.training.histories. Runs from one
start (init, seed), whatever their learning rate, iteration count and loss, train together as rows
of one state (``train_many``): one product of K with four rows costs what two products with one row do.
"""

from playground.training.dual import cut, snapshot_weights
from playground.training.histories import DEFAULT_SNAPSHOTS
from playground.training.results import TrainingResult, prefix
from playground.training.settings import INITS, MAX_ITERATIONS, MAX_LEARNING_RATE, METHODS, TrainingSettings
from playground.training.train import train, train_many

__all__ = [
    "DEFAULT_SNAPSHOTS", "INITS", "MAX_ITERATIONS", "MAX_LEARNING_RATE", "METHODS", "TrainingResult",
    "TrainingSettings", "cut", "prefix", "snapshot_weights", "train", "train_many",
]
