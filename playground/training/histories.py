"""What a dual batch records while it trains, a chunk at a time: the costs and accuracies, the
test numbers, the snapshots, where a row diverged or stopped, and its final parameters.

The dual loop (training.dual's _step) only steps. It writes each chunk of CHUNK updates, the half
logits U and steps D (and th = tanh(U) for squared error), into the ``DualRecorder``'s ``Slot``,
and the recorder turns them into histories after the chunk, before the loop writes the next one.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import NamedTuple

import numpy as np

from playground.course.losses import get_loss, mean_losses

DIVERGENCE_FACTOR = 10.0
"""A cost above this many times the starting cost counts as diverged."""
DEFAULT_SNAPSHOTS = 41
ALIGN = 64
"""Bytes: every slot array starts on a cache line, wherever its buffer lands, so every batch sees
its arrays aligned alike (and as they were when a second process shared them: the same bits)."""


def snapshot_schedule(num_iterations: int, count: int = DEFAULT_SNAPSHOTS) -> np.ndarray:
    """About ``count`` iterations from 0 to num_iterations inclusive, evenly spread (none for 0)."""
    return np.unique(np.linspace(0, num_iterations, min(count, num_iterations + 1)).round().astype(int))


def segments(losses) -> list[tuple[int, int]]:
    """The rows (r0, r1) of each run of equal losses in ``losses`` (names or objects), in order."""
    starts = [r for r in range(len(losses)) if r == 0 or losses[r] != losses[r - 1]]
    return list(zip(starts, starts[1:] + [len(losses)]))


@dataclass(frozen=True, eq=False)  # (array fields: == would compare arrays)
class Setup:
    """What a recorder needs of a batch of R rows (runs) on m training and m_t test examples."""

    losses: tuple[str, ...]  # per row; the rows of one loss together
    counts: tuple[int, ...]  # iterations per row
    every: tuple[int, ...]  # test numbers every so many iterations, per row
    snapshots: tuple[int, ...]  # snapshot count per row (0: none)
    test_history: bool
    y: np.ndarray  # (m,) training labels
    yt: np.ndarray  # (m_t,) test labels
    K_test: np.ndarray  # (m_t, m) = X_testᵀ X_train
    z0t: np.ndarray  # (m_t,) the test logits of w₀ (without b)
    b0: float
    chunk: int  # updates per chunk (at most the longest count, at least 1)
    width: int  # rows of D, R rounded up to the loop's BLOCK (the rest stay 0)
    keep: tuple[int, ...] = ()  # α and b kept every so many iterations, per row (0 or none given: not kept)

    @property
    def rows(self) -> int:
        return len(self.losses)

    @property
    def m(self) -> int:
        return len(self.y)

    @property
    def has_th(self) -> bool:
        """Squared-error rows step from th, which the loop then keeps (cross-entropy's costs need none)."""
        return any(name != "cross_entropy" for name in self.losses)


class Slot(NamedTuple):
    """One chunk's arrays, as the loop leaves them: U[k] = Z/2 before update i0 + k (chunk + 1, R, m),
    D[k] = the step of α at update i0 + k (chunk, width, m), Th[k] = tanh(U[k]) (chunk, R, m) or None."""

    U: np.ndarray
    D: np.ndarray
    Th: np.ndarray | None


def _shapes(setup: Setup) -> list[tuple[int, ...]]:
    R, m, c = setup.rows, setup.m, setup.chunk
    return [(c + 1, R, m), (c, setup.width, m)] + ([(c, R, m)] if setup.has_th else [])


def _padded(shape: tuple[int, ...]) -> int:
    return -(-int(np.prod(shape)) * 8 // ALIGN) * ALIGN


def new_slot(setup: Setup) -> Slot:
    """A slot for ``setup``'s chunks, every array 64-byte aligned (ALIGN), D's padding rows zeroed
    (the loop's product reads them; it never writes them)."""
    buffer = np.empty(sum(_padded(s) for s in _shapes(setup)) + ALIGN, np.uint8)
    offset = -buffer.ctypes.data % ALIGN
    arrays = []
    for shape in _shapes(setup):
        size = int(np.prod(shape)) * 8
        arrays.append(buffer[offset:offset + size].view(np.float64).reshape(shape))
        offset += _padded(shape)
    U, D, *Th = arrays
    D[:, setup.rows:] = 0.0
    return Slot(U, D, Th[0] if Th else None)


@dataclass(frozen=True, eq=False)
class Recorded:
    """A batch's histories and outcome, per row: costs/accs (T, R) for all rows (a row's own
    iterations first), test_costs/test_accs one array per row, snapshots, diverged_at and stopped_at
    (None or an iteration), and the final parameters α (R, m) and b (R,). keep_alpha (c, m) and
    keep_b (c,) per row: the parameters after 0, e, 2e, … updates (e = the row's ``keep``, c =
    ⌊count/e⌋ + 1; none when e is 0), each as a run of that many iterations ends with them."""

    costs: np.ndarray
    accs: np.ndarray
    test_costs: list[np.ndarray]
    test_accs: list[np.ndarray]
    snap_its: list[np.ndarray]
    snap_alpha: list[np.ndarray]
    snap_b: list[np.ndarray]
    diverged_at: list[int | None]
    stopped_at: list[int | None]
    final_alpha: np.ndarray
    final_b: np.ndarray
    keep_alpha: list[np.ndarray]
    keep_b: list[np.ndarray]


class DualRecorder:
    """Records a dual batch chunk by chunk (``record``), then hands it over (``result``). The loop
    writes each chunk into ``slot``, which ``record`` reads."""

    def __init__(self, setup: Setup):
        self.setup = s = setup
        self.slot = new_slot(setup)
        R, m, T = s.rows, s.m, max(s.counts)
        self.losses = [get_loss(name) for name in s.losses]
        self.segments = [(self.losses[r0], r0, r1) for r0, r1 in segments(s.losses)]
        self.dense = [r for r in range(R) if s.test_history and s.every[r] == 1]  # before every update
        self.sparse = [r for r in range(R) if s.test_history and s.every[r] > 1]  # one every `every` updates
        y, yt = s.y, s.yt
        self.m_t = len(yt)
        self.positive, self.positive_t = y > 0.5, yt > 0.5
        self.labels01 = bool(np.all((y == 0) | (y == 1))), bool(np.all((yt == 0) | (yt == 1)))
        self.Yt = yt[None]
        self.Kt1_T = np.ascontiguousarray((s.K_test + 1.0).T)
        self.costs, self.accs = np.empty((T, R)), np.empty((T, R))
        self.test_costs = [np.empty(-(-s.counts[r] // s.every[r])) if s.test_history else np.empty(0)
                           for r in range(R)]
        self.test_accs = [np.empty_like(tc) for tc in self.test_costs]
        self.snap_its = [snapshot_schedule(n, k) for n, k in zip(s.counts, s.snapshots)]
        self.snap_alpha = [np.zeros((len(its), m)) for its in self.snap_its]
        self.snap_b = [np.zeros(len(its)) for its in self.snap_its]
        self.work = (np.empty((s.chunk, R, m)), np.empty((s.chunk, R, m)))
        self.work_t = (np.empty((s.chunk, self.m_t)), np.empty((s.chunk, self.m_t)))
        self.alpha = np.zeros((R, m))
        self.b = np.full(R, float(s.b0))
        self.Zt_start = s.z0t + self.b[:, None]  # (R, m_t): the dense rows' test logits before the chunk
        self.limit = None
        self.diverged_at: list[int | None] = [None] * R
        self.stopped_at: list[int | None] = [None] * R
        self.done = [n == 0 for n in s.counts]  # reached its count, or stopped
        self.final_alpha, self.final_b = self.alpha.copy(), self.b.copy()
        self.keep = s.keep or (0,) * R
        kept = [n // e + 1 if e else 0 for n, e in zip(s.counts, self.keep)]
        self.keep_alpha = [np.zeros((c, m)) for c in kept]  # (entry 0: the start, α = 0)
        self.keep_b = [np.full(c, float(s.b0)) for c in kept]
        for r in range(R):
            if self.done[r]:  # a run of 0 iterations: its start is its end
                self.snap_b[r][:] = s.b0

    def _at(self, Dn, steps_b, k):
        """Every row's α (R, m) and b (R,) after k updates of the chunk, summed as a run that ends there
        sums them (so also at the chunk's end: k = n)."""
        return self.alpha - Dn[:k].sum(axis=0), self.b - np.ascontiguousarray(steps_b[:k].T).sum(axis=1)

    def record(self, i0: int, n: int) -> list[int]:
        """Record updates i0 … i0 + n − 1 from the slot; the rows that are done from here on (they
        reached their count, or their cost turned non-finite: the loop may stop stepping them)."""
        with np.errstate(over="ignore", invalid="ignore"):
            return self._record(i0, n)

    def _record(self, i0: int, n: int) -> list[int]:
        s, R, slot = self.setup, self.setup.rows, self.slot
        counts, every, alpha, b = s.counts, s.every, self.alpha, self.b
        # From the steps taken: the test logits change by the steps times (K_test + 1), b by their
        # sums; α itself is only needed at the snapshots. (Sums of the steps before each iteration,
        # not all sums minus the last step: that would turn a finite value into inf − inf once a
        # step overflows.)
        Dn = slot.D[:n, :R]
        steps_b = Dn.sum(axis=2)  # (n, R)
        B = np.empty((n, R))
        B[0] = b
        B[1:] = b - np.cumsum(steps_b[:-1], axis=0)
        live = [min(n, counts[r] - i0) if not self.done[r] else 0 for r in range(R)]  # updates of the row's own
        sums: dict[int, tuple[np.ndarray, np.ndarray]] = {}

        def at(k):  # every row's α and b after k updates (_at), once per k however many rows ask
            if k not in sums:
                sums[k] = self._at(Dn, steps_b, k)
            return sums[k]

        for r in self.dense:
            k = live[r]
            if k == 0:
                continue
            dZt = Dn[:k, r] @ self.Kt1_T  # (k, m_test): the test logits' steps, a row at a time as alone
            Zt = np.empty((k, self.m_t))
            Zt[0] = self.Zt_start[r]
            Zt[1:] = self.Zt_start[r] - np.cumsum(dZt[:-1], axis=0)
            self.Zt_start[r] = Zt[-1] - dZt[-1]
            self.test_costs[r][i0:i0 + k] = mean_losses(self.losses[r], Zt, s.yt,
                                                        work=(self.work_t[0][:k], self.work_t[1][:k]),
                                                        labels01=self.labels01[1])
            self.test_accs[r][i0:i0 + k] = np.count_nonzero((Zt > 0) == self.positive_t, axis=1) * (100.0 / self.m_t)
        # At iterations e, 2e, …: the final test numbers of a run of that many iterations (as a run
        # measures them, a row of logits at a time).
        points = [(r, i) for r in self.sparse for i in range(-(-i0 // every[r]) * every[r], i0 + live[r], every[r])]
        if points:
            Zp = np.empty((len(points), self.m_t))
            params = {k: at(k) for k in {i - i0 for _, i in points}}
            for j, (r, i) in enumerate(points):
                a_i, b_i = params[i - i0]
                Zp[j] = s.z0t + s.K_test @ a_i[r] + b_i[r]
            cost_p = np.empty(len(points))
            for loss in {self.losses[r] for r, _ in points}:
                rows = [j for j, (r, _) in enumerate(points) if self.losses[r] is loss]
                cost_p[rows] = loss.loss(Zp[rows], self.Yt).mean(axis=-1)
            acc_p = 100.0 * np.mean((Zp > 0) == self.positive_t, axis=-1)
            for j, (r, i) in enumerate(points):
                self.test_costs[r][i // every[r]], self.test_accs[r][i // every[r]] = cost_p[j], acc_p[j]
        # The kept parameters (after i0 + k updates, k ≥ 1) summed as a run of that many ends with
        # them (_at), so a run cut there gets its final parameters to the last bit.
        for r in range(R):
            e = self.keep[r]
            if e:
                for i in range(-(-(i0 + 1) // e) * e, i0 + live[r] + 1, e):
                    a_i, b_i = at(i - i0)
                    self.keep_alpha[r][i // e], self.keep_b[r][i // e] = a_i[r], b_i[r]
        for r in range(R):
            for j, it in enumerate(self.snap_its[r]):
                if i0 <= it < i0 + live[r]:
                    self.snap_alpha[r][j], self.snap_b[r][j] = alpha[r] - Dn[:it - i0, r].sum(axis=0), B[it - i0, r]
        U = slot.U[:n]  # the logits are 2U: their signs are U's
        c_now = np.empty((n, R))
        for loss, r0, r1 in self.segments:
            c_now[:, r0:r1] = mean_losses(
                loss, U[:, r0:r1], s.y, scale=2.0, work=(self.work[0][:n, r0:r1], self.work[1][:n, r0:r1]),
                tanh_half=slot.Th[:n, r0:r1] if loss.name == "mse" else None, labels01=self.labels01[0])
        self.costs[i0:i0 + n] = c_now
        self.accs[i0:i0 + n] = np.count_nonzero((U > 0) == self.positive, axis=2) * (100.0 / s.m)
        if self.limit is None:
            self.limit = np.where(np.isfinite(c_now[0]), DIVERGENCE_FACTOR * c_now[0], np.inf)
        exploded = c_now > self.limit
        # A non-finite step (from a non-finite logit) makes the next logits non-finite, hence
        # their cost: the cost alone tells when the parameters broke.
        broken = ~np.isfinite(c_now)
        ended = []
        for r in range(R):
            k_end = live[r]
            if self.done[r] or k_end == 0:
                continue
            bad = np.flatnonzero(exploded[:k_end, r] | broken[:k_end, r])
            if self.diverged_at[r] is None and bad.size:
                self.diverged_at[r] = i0 + int(bad[0])
            gone = np.flatnonzero(broken[:k_end, r])
            if gone.size:
                # Nothing finite comes after a non-finite cost: stop this row and keep the
                # parameters that produced it.
                k = int(gone[0])
                self.stopped_at[r] = i0 + k
                self.final_alpha[r], self.final_b[r] = alpha[r] - Dn[:k, r].sum(axis=0), B[k, r]
            elif i0 + k_end == counts[r]:
                a_end, b_end = at(k_end)
                self.final_alpha[r], self.final_b[r] = a_end[r], b_end[r]
                if len(self.snap_its[r]) and self.snap_its[r][-1] == counts[r]:
                    self.snap_alpha[r][-1], self.snap_b[r][-1] = self.final_alpha[r], self.final_b[r]
            else:
                continue
            self.done[r] = True
            ended.append(r)
        # (b's steps summed a row at a time, contiguous: a column of an (n, R) array sums
        # pairwise when R = 1 and in order otherwise, which would set a batch's b apart.)
        self.alpha, self.b = alpha - Dn.sum(axis=0), b - np.ascontiguousarray(steps_b.T).sum(axis=1)
        return ended

    def result(self) -> Recorded:
        return Recorded(**{f.name: getattr(self, f.name) for f in fields(Recorded)})
