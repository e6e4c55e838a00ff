"""Training runs: settings in, a small frozen result out.

Two ways to compute the same iterates of batch gradient descent:
- "plain": the course's vectorized code, w (n_x, 1) updated directly;
- "dual": every gradient X dZᵀ/m lies in the span of X's columns, so
  w = w₀ + Xα with α (m, 1), and Z = (Kα)ᵀ + w₀ᵀX + b with K = XᵀX computed
  once per dataset. Per iteration that is O(m²) instead of O(n_x·m) — on
  the course's data (m = 209, n_x = 12,288) about 50× less work.
"auto" takes the dual form whenever the features carry K (m < n_x).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from playground.data.features import Features
from playground.losses import get_loss
from playground.model import initialize_random, initialize_with_zeros

INITS = ("zeros", "random")
METHODS = ("auto", "plain", "dual")
MAX_ITERATIONS = 100_000
MAX_LEARNING_RATE = 1e6
DIVERGENCE_FACTOR = 10.0
"""A cost above this many times the starting cost counts as diverged."""
DEFAULT_SNAPSHOTS = 41
CHUNK = 100


@dataclass(frozen=True)
class TrainingSettings:
    """What a training run depends on besides the data; plain values, usable as a cache key."""

    loss: str = "cross_entropy"
    learning_rate: float = 0.005
    num_iterations: int = 2000
    init: str = "zeros"
    seed: int = 0

    def __post_init__(self):
        get_loss(self.loss)
        lr = self.learning_rate
        if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not 0 < lr <= MAX_LEARNING_RATE:
            raise ValueError(f"Expected a learning rate above 0 and at most {MAX_LEARNING_RATE:g}, got {lr!r}.")
        n = self.num_iterations
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 0 <= n <= MAX_ITERATIONS:
            raise ValueError(
                f"Expected a whole number of iterations from 0 to {MAX_ITERATIONS:,}, got {n!r}."
            )
        if self.init not in INITS:
            raise ValueError(f"Unknown initialisation {self.init!r}: expected one of {', '.join(INITS)}.")


@dataclass(frozen=True, eq=False)
class TrainingResult:
    """What one run of gradient descent produced.

    costs, test_costs, train_accuracies, test_accuracies: (T,), entry i recorded
    *before* update i (as the course records), T = iterations actually run
    (fewer than asked when the run diverged). Accuracies in percent.
    w: (n_x, 1) and b: the final parameters; final_* are measured at them.
    snapshot_iterations: (k,) ints; snapshot_w: (k, n_x) float32; snapshot_b: (k,) —
    the parameters before those iterations' updates (the last one may equal T: the final ones).
    diverged_at: None, or the first iteration whose cost was non-finite or above
    DIVERGENCE_FACTOR × the starting cost (the steps overshoot). Training goes on
    after a cost that merely exploded — on separable data cross-entropy can come
    back down — and stops at the first non-finite one (``stopped_early``).
    confusion: test-set counts {"tp", "tn", "fp", "fn"} at the final parameters.
    """

    settings: TrainingSettings
    w: np.ndarray
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
    snapshot_w: np.ndarray
    snapshot_b: np.ndarray
    diverged_at: int | None
    confusion: dict = field(default_factory=dict)
    method: str = "plain"
    seconds: float = 0.0

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


class _Plain:
    """State s = w (n_x, 1)."""

    def __init__(self, F: Features, w0):
        self.F = F
        self.state = w0.copy()

    def z_train(self, s):
        return s.T @ self.F.X_train

    def z_test_rows(self, S):
        """States as rows (k, n_x) → test logits without b, (k, m_test)."""
        return S @ self.F.X_test

    def step(self, dZ):
        return self.F.X_train @ dZ.T / self.F.m_train

    def weights_rows(self, S):
        """States as rows (k, n_x) → w as rows (k, n_x)."""
        return S


class _Dual:
    """State s = α (m, 1), w = w₀ + Xα."""

    def __init__(self, F: Features, w0):
        if F.K_train is None:
            raise ValueError("The dual path needs K = XᵀX; build the features with precompute_kernel=True.")
        self.F = F
        self.w0 = w0
        self.z0_train = w0.T @ F.X_train
        self.z0_test = w0.T @ F.X_test
        self.state = np.zeros((F.m_train, 1))

    def z_train(self, s):
        return self.z0_train + (self.F.K_train @ s).T

    def z_test_rows(self, S):
        return self.z0_test + S @ self.F.K_test.T

    def step(self, dZ):
        return dZ.T / self.F.m_train

    def weights_rows(self, S):
        return self.w0.T + S @ self.F.X_train.T


def snapshot_schedule(num_iterations: int, count: int = DEFAULT_SNAPSHOTS) -> np.ndarray:
    """About ``count`` iterations from 0 to num_iterations inclusive, evenly spread."""
    return np.unique(np.linspace(0, num_iterations, min(count, num_iterations + 1)).round().astype(int))


def train(
    features: Features,
    settings: TrainingSettings = TrainingSettings(),
    method: str = "auto",
    snapshots: int = DEFAULT_SNAPSHOTS,
) -> TrainingResult:
    """Run batch gradient descent on ``features`` with ``settings``."""
    if method not in METHODS:
        raise ValueError(f"Unknown method {method!r}: expected one of {', '.join(METHODS)}.")
    if method == "auto":
        method = "dual" if features.K_train is not None else "plain"
    start = time.perf_counter()
    loss = get_loss(settings.loss)
    if settings.init == "zeros":
        w0, b = initialize_with_zeros(features.n_x)
    else:
        w0, b = initialize_random(features.n_x, settings.seed)
    path = _Dual(features, w0) if method == "dual" else _Plain(features, w0)
    Y, Yt = features.Y_train, features.Y_test
    T, lr, m = settings.num_iterations, settings.learning_rate, features.m_train

    costs, test_costs, accs, test_accs = (np.empty(T) for _ in range(4))
    snap_its = snapshot_schedule(T, snapshots)
    snap_states = np.empty((len(snap_its), path.state.shape[0]))
    snap_b = np.empty(len(snap_its))
    # The loop only steps; costs, test logits and snapshots are computed a chunk
    # at a time from buffers (one batched call instead of many tiny ones).
    chunk = min(CHUNK, max(T, 1))
    Z_buf = np.empty((chunk, features.m_train))
    S_buf = np.empty((chunk, path.state.shape[0]))
    b_buf = np.empty(chunk)
    s = path.state
    limit = None
    diverged_at = None

    def record(i0, n):
        """Fill the histories for iterations i0 … i0+n−1 from the buffers; return the first divergent one."""
        nonlocal limit
        Z, S, bs = Z_buf[:n], S_buf[:n], b_buf[:n]
        Zt = path.z_test_rows(S) + bs[:, None]
        c = loss.loss(Z, Y).mean(axis=1)
        costs[i0:i0 + n] = c
        test_costs[i0:i0 + n] = loss.loss(Zt, Yt).mean(axis=1)
        accs[i0:i0 + n] = 100.0 * ((Z > 0) == (Y > 0.5)).mean(axis=1)
        test_accs[i0:i0 + n] = 100.0 * ((Zt > 0) == (Yt > 0.5)).mean(axis=1)
        for k, it in enumerate(snap_its):
            if i0 <= it < i0 + n:
                snap_states[k], snap_b[k] = S[it - i0], bs[it - i0]
        if limit is None:
            limit = DIVERGENCE_FACTOR * c[0] if np.isfinite(c[0]) else np.inf
        exploded = np.flatnonzero(c > limit)
        broken = np.flatnonzero(~np.isfinite(c) | ~np.isfinite(S).all(axis=1))
        first = min(exploded[:1].tolist() + broken[:1].tolist(), default=None)
        return (None if first is None else i0 + first), (i0 + int(broken[0]) if broken.size else None)

    stopped_at = None
    with np.errstate(over="ignore", invalid="ignore"):
        i0 = 0
        while i0 < T and stopped_at is None:
            n = min(chunk, T - i0)
            for k in range(n):
                Z = path.z_train(s) + b
                Z_buf[k], S_buf[k], b_buf[k] = Z[0], s[:, 0], b
                dZ = loss.dz(Z, Y)
                s = s - lr * path.step(dZ)
                b = b - lr * (float(dZ.sum()) / m)  # = np.mean(dZ), at half the call cost
            exploded_at, stopped_at = record(i0, n)
            if diverged_at is None:
                diverged_at = exploded_at
            i0 += n
        if stopped_at is not None:
            # Nothing finite comes after a non-finite cost: stop, and report the
            # parameters that produced it rather than those after it.
            k = stopped_at - (i0 - n)
            s, b = S_buf[k].reshape(-1, 1).copy(), float(b_buf[k])
            keep = snap_its <= stopped_at
            snap_its, snap_states, snap_b = snap_its[keep], snap_states[keep], snap_b[keep]
        elif T in snap_its:
            snap_states[-1], snap_b[-1] = s[:, 0], b
        Z = path.z_train(s) + b
        Zt = path.z_test_rows(s.T) + b
        w = path.weights_rows(s.T).T
        snap_w = path.weights_rows(snap_states).astype(np.float32)
        final_cost, final_test_cost = loss.cost(Z, Y), loss.cost(Zt, Yt)
    run = T if stopped_at is None else stopped_at + 1
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
        costs=costs[:run],
        test_costs=test_costs[:run],
        train_accuracies=accs[:run],
        test_accuracies=test_accs[:run],
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
    )
