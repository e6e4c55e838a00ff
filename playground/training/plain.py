"""The plain path: the course's vectorized loop, w (n_x, 1) updated directly."""

from __future__ import annotations

import time

import numpy as np

from playground.course.losses import get_loss
from playground.data.features import Features
from playground.training.histories import DIVERGENCE_FACTOR, snapshot_schedule
from playground.training.results import TrainingResult, finish
from playground.training.settings import CHUNK, TrainingSettings, initial_parameters


def train_plain(features: Features, settings: TrainingSettings, snapshots: int,
                 test_history: bool = True, test_every: int = 1) -> TrainingResult:
    """The course's vectorized loop, w (n_x, 1) updated directly."""
    start = time.perf_counter()
    loss = get_loss(settings.loss)
    w, b = initial_parameters(features, settings)  # w (n_x, 1)
    X, Xt, Y, Yt = features.X_train, features.X_test, features.Y_train, features.Y_test
    T, lr, m = settings.num_iterations, settings.learning_rate, features.m_train

    costs, test_costs, accs, test_accs = (np.empty(T) for _ in range(4))
    snap_its = snapshot_schedule(T, snapshots)
    snap_states = np.empty((len(snap_its), features.n_x))
    snap_b = np.empty(len(snap_its))
    # The loop only steps; costs, test logits and snapshots are computed a chunk
    # at a time from buffers (one batched call instead of many tiny ones).
    chunk = min(CHUNK, max(T, 1))
    Z_buf = np.empty((chunk, features.m_train))
    S_buf = np.empty((chunk, features.n_x))  # w before each update of the chunk, as rows
    b_buf = np.empty(chunk)
    limit = None
    diverged_at = None

    def record(i0, n):
        """Fill the histories for iterations i0 … i0+n−1 from the buffers; return the first divergent one."""
        nonlocal limit
        Z, S, bs = Z_buf[:n], S_buf[:n], b_buf[:n]
        Zt = S @ Xt + bs[:, None]
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
                Z = w.T @ X + b
                Z_buf[k], S_buf[k], b_buf[k] = Z[0], w[:, 0], b
                dZ = loss.dz(Z, Y)
                w = w - lr * (X @ dZ.T / m)
                b = b - lr * (float(dZ.sum()) / m)  # = np.mean(dZ), at half the call cost
            exploded_at, stopped_at = record(i0, n)
            if diverged_at is None:
                diverged_at = exploded_at
            i0 += n
        if stopped_at is not None:
            # Nothing finite comes after a non-finite cost: stop, and report the
            # parameters that produced it rather than those after it.
            k = stopped_at - (i0 - n)
            w, b = S_buf[k].reshape(-1, 1).copy(), float(b_buf[k])
            keep = snap_its <= stopped_at
            snap_its, snap_states, snap_b = snap_its[keep], snap_states[keep], snap_b[keep]
        elif T in snap_its:
            snap_states[-1], snap_b[-1] = w[:, 0], b
        Z = w.T @ X + b
        Zt = w.T @ Xt + b
        snap_w = snap_states.astype(np.float32)
    run = T if stopped_at is None else stopped_at + 1
    return finish(
        features, settings, loss, "plain", start, w=w, b=b, Z=Z, Zt=Zt,
        costs=costs[:run], test_costs=test_costs[:run if test_history else 0:test_every], accs=accs[:run],
        test_accs=test_accs[:run if test_history else 0:test_every], test_every=test_every,
        snap_its=snap_its, snap_w=snap_w, snap_b=snap_b, diverged_at=diverged_at,
    )
