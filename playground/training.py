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
playground.histories, in the sidecar process when it is up. Runs from one
start (init, seed), whatever their learning rate, iteration count and loss, train together as rows
of one state (``train_many``): one product of K with four rows costs what two products with one row do.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass, field

import numpy as np

from playground import sidecar
from playground.data.features import Features
from playground.histories import DEFAULT_SNAPSHOTS, DIVERGENCE_FACTOR, Recorded, Setup, segments, snapshot_schedule
from playground.losses import get_loss
from playground.model import initialize_random, initialize_with_zeros

INITS = ("zeros", "random")
METHODS = ("auto", "plain", "dual")
MAX_ITERATIONS = 100_000
MAX_LEARNING_RATE = 1e6
CHUNK = 100
BLOCK = 4
"""The dual loop takes its product with K four rows (runs) at a time, a lone run padded with zero
rows: a row's numbers then do not depend on how many rows share its batch (BLAS may pick another
kernel for another width), and four rows cost about what two products with one row do (see
BENCHMARKS.md)."""


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


def train(
    features: Features,
    settings: TrainingSettings = TrainingSettings(),
    method: str = "auto",
    snapshots: int = DEFAULT_SNAPSHOTS,
    test_history: bool = True,
    snapshot_weights: bool = True,
    test_every: int = 1,
) -> TrainingResult:
    """Run batch gradient descent on ``features`` with ``settings``."""
    return train_many(features, [settings], method, snapshots, test_history, snapshot_weights, test_every)[0]


def train_many(
    features: Features,
    settings_list,
    method: str = "auto",
    snapshots: int | list[int] = DEFAULT_SNAPSHOTS,
    test_history: bool = True,
    snapshot_weights: bool = True,
    test_every: int | list[int] = 1,
) -> list[TrainingResult]:
    """One TrainingResult per settings, in order, each as ``train`` alone would give it.

    ``method``: "auto" (dual when ``features`` carry K), "plain" or "dual". ``snapshots``: how many
    per run, 0 for none. ``test_every`` = e: the test cost and accuracy recorded before updates 0, e,
    2e, … (``prefix`` can cut the run there). Both take one value or a list of one per settings.
    ``test_history=False`` records no test numbers per iteration (the final ones are still measured).
    ``snapshot_weights=False`` (dual path) leaves snapshot_w None; the snapshots stay as snapshot_alpha.
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
    if method == "auto":
        method = "dual" if features.K_train is not None else "plain"
    if method == "plain":
        return [_train_plain(features, settings, count, test_history, e)
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
        runs = _train_dual(features, [settings_list[k] for k in indices], [counts[k] for k in indices],
                           test_history, snapshot_weights, [every[k] for k in indices])
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


def _initial(features: Features, settings: TrainingSettings) -> tuple[np.ndarray, float]:
    if settings.init == "zeros":
        return initialize_with_zeros(features.n_x)
    return initialize_random(features.n_x, settings.seed)


def _finish(features: Features, settings: TrainingSettings, loss, method: str, start: float, *, w, b, Z, Zt,
            costs, test_costs, accs, test_accs, snap_its, snap_w, snap_b, diverged_at, alpha=None,
            snap_alpha=None, test_every: int = 1) -> TrainingResult:
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
    )


def _train_dual(features: Features, settings_list: list[TrainingSettings], snapshots: list[int],
                test_history: bool, snapshot_weights: bool, test_every: list[int]) -> list[TrainingResult]:
    """R runs that share their start (init, seed), as R rows of one dual state: their learning rates,
    iteration counts and losses may differ (the rows of one loss together: at most two segments).
    ``snapshots``, ``test_every``: one per run. Returns one TrainingResult per run, in order.
    """
    # State: α (R, m) and b (R,), w_r = w₀ + Xα_r. Carried instead: the logits Z (R, m) =
    # z₀ + αK + b (as U = Z/2), updated by Z_r ← Z_r − (K + 1)·D_r with D_r = (α_r/m)·dZ_r, the step
    # of α_r (summed over the examples, the step of b_r). The product with K is taken BLOCK rows at a
    # time, a batch padded with zero rows (see BLOCK); everything else works row by row, so a rate that
    # blows up cannot touch the others, and a row's numbers do not depend on the rows beside it. The
    # batch runs to its longest count in chunks of CHUNK iterations, as every run does; after each
    # chunk a recorder (playground.histories) turns its U and D into the histories, here or in the
    # sidecar process (playground.sidecar) while the loop goes on.
    start = time.perf_counter()
    F = features
    first = settings_list[0]
    losses = [get_loss(st.loss) for st in settings_list]
    for loss in losses:
        if loss.name not in ("cross_entropy", "mse"):
            raise ValueError(f"The dual loop steps cross-entropy and squared error, not {loss.name!r}: use method='plain'.")
    names = [loss.name for loss in losses]
    if len(segments(names)) != len(set(names)):
        raise ValueError("The rows of one loss must come together (train_many orders them).")
    R, m = len(settings_list), F.m_train
    counts = [st.num_iterations for st in settings_list]
    T = max(counts)
    w0, b0 = _initial(F, first)
    # w₀ = 0 (the course's start): its logits are 0 without a pass over X's 20 MB (the same 0 every
    # later sum sees: ±0 + x = x).
    start_w = bool(w0.any())
    z0 = (w0.T @ F.X_train)[0] if start_w else np.zeros(m)
    z0t = (w0.T @ F.X_test)[0] if start_w else np.zeros(F.m_test)
    setup = Setup(
        losses=tuple(names), counts=tuple(counts), every=tuple(test_every),
        snapshots=tuple(snapshots), test_history=test_history, y=F.Y_train[0], yt=F.Y_test[0], K_test=F.K_test,
        z0t=z0t, b0=float(b0), chunk=min(CHUNK, max(T, 1)), width=-(-R // BLOCK) * BLOCK)
    recorder = sidecar.recorder(setup)
    try:
        out = _step(F, setup, settings_list, z0, recorder)
    except sidecar.SidecarError:
        out = None
    finally:
        recorder.close()
    if out is None:  # (the sidecar failed: the same batch again, recorded here)
        out = _step(F, setup, settings_list, z0, sidecar.Inline(setup))
    # The final logits from the parameters themselves (not the carried ones), one rate at a time
    # as a run alone computes them; every row's weights from one pass over X (its 20 MB read once).
    with np.errstate(over="ignore", invalid="ignore"):
        Z_final = [z0 + F.K_train @ a + fb for a, fb in zip(out.final_alpha, out.final_b)]
        Zt_final = [z0t + F.K_test @ a + fb for a, fb in zip(out.final_alpha, out.final_b)]
        W = [row.reshape(-1, 1).copy() for row in _weights(out.final_alpha, F.X_train, w0, setup.width)]

    results = []
    for r, settings in enumerate(settings_list):
        stopped_at, every = out.stopped_at[r], setup.every[r]
        run = counts[r] if stopped_at is None else stopped_at + 1
        keep = out.snap_its[r] <= run - 1 if stopped_at is not None else np.ones(len(out.snap_its[r]), dtype=bool)
        kept_alpha = np.ascontiguousarray(out.snap_alpha[r][keep])
        n_test = -(-run // every) if test_history else 0
        results.append(_finish(
            F, settings, losses[r], "dual", start,
            w=W[r], b=out.final_b[r], Z=Z_final[r][None], Zt=Zt_final[r][None],
            costs=out.costs[:run, r].copy(), test_costs=out.test_costs[r][:n_test].copy(),
            accs=out.accs[:run, r].copy(), test_accs=out.test_accs[r][:n_test].copy(),
            snap_its=out.snap_its[r][keep],
            snap_w=_weights(kept_alpha, F.X_train, w0).astype(np.float32) if snapshot_weights else None,
            snap_b=out.snap_b[r][keep], diverged_at=out.diverged_at[r],
            alpha=out.final_alpha[r].copy(), snap_alpha=kept_alpha, test_every=every,
        ))
    return results


def _step(F: Features, setup: Setup, settings_list: list[TrainingSettings], z0: np.ndarray,
          recorder) -> Recorded:
    """The dual loop of ``_train_dual``: steps every row to the batch's longest count, a chunk at a
    time in the recorder's slots, and returns what the recorder recorded."""
    R, m, chunk, T = setup.rows, setup.m, setup.chunk, max(setup.counts)
    is_ce = np.array([name == "cross_entropy" for name in setup.losses])
    y = setup.y
    # The loop carries U = Z/2 (cross-entropy needs tanh(Z/2)), so it steps with (K + 1)/2; halving
    # is exact in floating point, so these are the iterates of Z ← Z − (K + 1)·D, bit for bit.
    K1_half = 0.5 * (F.K_train + 1.0)  # the bias is a feature worth 1 in every example
    c = np.array([[st.learning_rate / m] for st in settings_list])  # (R, 1)
    # Both losses step from th = tanh(Z/2) = tanh(U), with σ(Z) = (1 + th)/2, so a − y = ½·th + (½ − y):
    # no overflow for any Z, and no exp (σ through exp takes about ten calls).
    # Cross-entropy: dZ = a − y, three calls on U with no temporaries.
    # Squared error: dZ = (a − y)·a(1 − a) with a(1 − a) = (1 − th²)/4, so
    # (α/m)·dZ = g − g·th² with g = (α/8m)·th + (α/4m)·(½ − y): six calls and one buffer (th is kept:
    # the costs are computed from it).
    # (Where tanh rounds to ±1, |Z| > ~38, the step is exactly 0 rather than ~e^(−|Z|): below
    # the rounding of the logits themselves.)
    # (R, m), not (R, 1): a product of equal shapes takes about half the time of a broadcast one.
    half_c = np.repeat(np.where(is_ce[:, None], 0.5, 0.125) * c, m, axis=1)
    c_shift = np.where(is_ce[:, None], 1.0, 0.25) * c * (0.5 - y)  # (R, m)
    P = np.empty((setup.width, m))  # (K + 1)/2 times the steps
    P_rows = P[:R]
    Sq = np.empty((R, m))  # th², then g·th² (squared error only)

    def views(slot):
        """The loop's views into one slot, made once: indexing them again at every update would be a
        noticeable share of an update's short work."""
        U_at = list(slot.U)
        # Per loss: (cross-entropy?, U, step, th at each update, th² buffer, half_c, c_shift) of its rows.
        steps = [(bool(is_ce[r0]), [Uk[r0:r1] for Uk in slot.U], [Dk[r0:r1] for Dk in slot.D],
                  [Tk[r0:r1] for Tk in slot.Th] if slot.Th is not None else None, Sq[r0:r1], half_c[r0:r1],
                  c_shift[r0:r1]) for r0, r1 in segments(setup.losses)]
        # Each block of BLOCK steps as columns (m, BLOCK), at every update of the chunk.
        D_first = [Dk[:BLOCK].T for Dk in slot.D]
        D_rest = [[Dk[j:j + BLOCK].T for j in range(BLOCK, setup.width, BLOCK)] for Dk in slot.D]
        return U_at, steps, D_first, D_rest

    slot_views = [views(slot) for slot in recorder.slots]
    # Every block's product written straight into P's rows (as columns of Pᵀ: the fastest of the
    # layouts measured); one block needs no loop over blocks.
    P_first, P_rest = P[:BLOCK].T, [P[j:j + BLOCK].T for j in range(BLOCK, setup.width, BLOCK)]
    more_blocks = bool(P_rest)
    ended = set()
    for r in range(R):
        if setup.counts[r] == 0:  # a run of 0 iterations: its start is its end
            half_c[r] = c_shift[r] = 0.0
            ended.add(r)
    recorder.slots[0].U[0] = 0.5 * (z0 + setup.b0)
    with np.errstate(over="ignore", invalid="ignore"):
        for j, i0 in enumerate(range(0, T, chunk)):
            if len(ended) == R:
                break
            n = min(chunk, T - i0)
            U_at, steps, D_first, D_rest = slot_views[j % 2]
            for k in range(n):
                for ce, U_s, D_s, Th_s, Sq_s, half_c_s, c_shift_s in steps:
                    Uk, Dk = U_s[k], D_s[k]
                    if ce:
                        np.tanh(Uk, out=Dk)
                        Dk *= half_c_s
                        Dk += c_shift_s
                    else:
                        Thk = Th_s[k]
                        np.tanh(Uk, out=Thk)
                        np.multiply(Thk, Thk, out=Sq_s)  # th²
                        np.multiply(Thk, half_c_s, out=Dk)
                        Dk += c_shift_s  # g
                        Sq_s *= Dk
                        Dk -= Sq_s
                np.matmul(K1_half, D_first[k], out=P_first)
                if more_blocks:
                    for DkT, PT in zip(D_rest[k], P_rest):
                        np.matmul(K1_half, DkT, out=PT)
                np.subtract(U_at[k], P_rows, out=U_at[k + 1])
            recorder.submit(j % 2, i0, n)
            following = recorder.slots[(j + 1) % 2]
            done = recorder.free((j + 1) % 2)  # (the sidecar: once it is through with chunk j − 1)
            following.U[0] = recorder.slots[j % 2].U[n]
            for r in done:
                # Its results are kept: the row computes nothing more (a zero rate on finite logits).
                half_c[r] = c_shift[r] = 0.0
                following.U[0, r] = 0.0
                ended.add(r)
        return recorder.finish()


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
    )


def _weights(alpha_rows: np.ndarray, X: np.ndarray, w0: np.ndarray, width: int | None = None) -> np.ndarray:
    """w₀ + X·α for αs as rows (k, m) → weights as rows (k, n_x), from one pass over X. ``width``:
    the product taken that many rows wide, zeros below the k, as the loop's product (BLOCK), so a
    row's weights do not depend on how many rows share the product.

    (αs as rows times Xᵀ: twice as fast as X times αs as columns, Xᵀ being stored row-major.)
    """
    k = len(alpha_rows)
    if width is not None and width > k:
        alpha_rows = np.concatenate([alpha_rows, np.zeros((width - k, alpha_rows.shape[1]))])
    W = (alpha_rows @ X.T)[:k]
    if w0.any():  # w₀ = 0 (the course's start) adds nothing
        W += w0[:, 0]
    return W


def snapshot_weights(features: Features, result: TrainingResult) -> np.ndarray:
    """The snapshot weights (k, n_x) float32 of a run: its own, or, for a dual run trained with
    ``snapshot_weights=False``, built from its snapshot_alpha as the run itself builds them (the
    same numbers, bit for bit). For a page that shows them only on demand (the Train page's replay)."""
    if result.snapshot_w is not None:
        return result.snapshot_w
    if result.snapshot_alpha is None or result.snapshot_alpha.shape[1:] != (features.m_train,):
        raise ValueError("This run kept neither its snapshot weights nor its snapshots in dual form for these features.")
    w0, _ = _initial(features, result.settings)
    return _weights(result.snapshot_alpha, features.X_train, w0).astype(np.float32)


def _train_plain(features: Features, settings: TrainingSettings, snapshots: int,
                 test_history: bool = True, test_every: int = 1) -> TrainingResult:
    """The course's vectorized loop, w (n_x, 1) updated directly."""
    start = time.perf_counter()
    loss = get_loss(settings.loss)
    w, b = _initial(features, settings)  # w (n_x, 1)
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
    return _finish(
        features, settings, loss, "plain", start, w=w, b=b, Z=Z, Zt=Zt,
        costs=costs[:run], test_costs=test_costs[:run if test_history else 0:test_every], accs=accs[:run],
        test_accs=test_accs[:run if test_history else 0:test_every], test_every=test_every,
        snap_its=snap_its, snap_w=snap_w, snap_b=snap_b, diverged_at=diverged_at,
    )
