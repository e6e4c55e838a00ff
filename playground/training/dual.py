"""The dual path: w = w₀ + Xα, so the loop steps the logits through K = XᵀX, several runs as rows
of one batch. Its iterates are the plain path's (see the package's docstring)."""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from playground.course.losses import get_loss
from playground.data.features import Features
from playground.training.histories import DEFAULT_SNAPSHOTS, DualRecorder, Recorded, Setup, segments, snapshot_schedule
from playground.training.results import TrainingResult, finish
from playground.training.settings import CHUNK, TrainingSettings, initial_parameters

BLOCK = 4
"""The dual loop takes its product with K four rows (runs) at a time, a lone run padded with zero
rows: a row's numbers then do not depend on how many rows share its batch (BLAS may pick another
kernel for another width), and four rows cost about what two products with one row do (see
BENCHMARKS.md)."""


def start_logits(features: Features, w0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """w₀ᵀX for the training (m,) and test (m_test,) sets. From w₀ = 0 (the course's start) they are 0
    without a pass over X's 20 MB (the same 0 every later sum sees: ±0 + x = x)."""
    if not w0.any():
        return np.zeros(features.m_train), np.zeros(features.m_test)
    return (w0.T @ features.X_train)[0], (w0.T @ features.X_test)[0]


def train_dual(features: Features, settings_list: list[TrainingSettings], snapshots: list[int],
                test_history: bool, snapshot_weights: bool, test_every: list[int],
                keep_every: list[int] | None = None) -> list[TrainingResult]:
    """R runs that share their start (init, seed), as R rows of one dual state: their learning rates,
    iteration counts and losses may differ (the rows of one loss together: at most two segments).
    ``snapshots``, ``test_every``, ``keep_every`` (α and b kept every so many iterations, 0: not):
    one per run. Returns one TrainingResult per run, in order.
    """
    # State: α (R, m) and b (R,), w_r = w₀ + Xα_r. Carried instead: the logits Z (R, m) =
    # z₀ + αK + b (as U = Z/2), updated by Z_r ← Z_r − (K + 1)·D_r with D_r = (α_r/m)·dZ_r, the step
    # of α_r (summed over the examples, the step of b_r). The product with K is taken BLOCK rows at a
    # time, a batch padded with zero rows (see BLOCK); everything else works row by row, so a rate that
    # blows up cannot touch the others, and a row's numbers do not depend on the rows beside it. The
    # batch runs to its longest count in chunks of CHUNK iterations, as every run does; after each
    # chunk a recorder (playground.training.histories) turns its U and D into the histories.
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
    R = len(settings_list)
    counts = [st.num_iterations for st in settings_list]
    T = max(counts)
    w0, b0 = initial_parameters(F, first)
    z0, z0t = start_logits(F, w0)
    setup = Setup(
        losses=tuple(names), counts=tuple(counts), every=tuple(test_every),
        snapshots=tuple(snapshots), test_history=test_history, y=F.Y_train[0], yt=F.Y_test[0], K_test=F.K_test,
        z0t=z0t, b0=float(b0), chunk=min(CHUNK, max(T, 1)), width=-(-R // BLOCK) * BLOCK,
        keep=tuple(keep_every or [0] * R))
    out = _step(F, setup, settings_list, z0)
    # The final logits from the parameters themselves (not the carried ones), one rate at a time
    # as a run alone computes them; every row's weights from one pass over X (its 20 MB read once).
    with np.errstate(over="ignore", invalid="ignore"):
        Z_final = [z0 + F.K_train @ a + fb for a, fb in zip(out.final_alpha, out.final_b)]
        Zt_final = [z0t + F.K_test @ a + fb for a, fb in zip(out.final_alpha, out.final_b)]
        W = [row.reshape(-1, 1).copy() for row in dual_weights(out.final_alpha, F.X_train, w0, setup.width)]

    results = []
    for r, settings in enumerate(settings_list):
        stopped_at, every = out.stopped_at[r], setup.every[r]
        run = counts[r] if stopped_at is None else stopped_at + 1
        keep = out.snap_its[r] <= run - 1 if stopped_at is not None else np.ones(len(out.snap_its[r]), dtype=bool)
        kept_alpha = np.ascontiguousarray(out.snap_alpha[r][keep])
        n_test = -(-run // every) if test_history else 0
        results.append(finish(
            F, settings, losses[r], "dual", start,
            w=W[r], b=out.final_b[r], Z=Z_final[r][None], Zt=Zt_final[r][None],
            costs=out.costs[:run, r].copy(), test_costs=out.test_costs[r][:n_test].copy(),
            accs=out.accs[:run, r].copy(), test_accs=out.test_accs[r][:n_test].copy(),
            snap_its=out.snap_its[r][keep],
            snap_w=dual_weights(kept_alpha, F.X_train, w0).astype(np.float32) if snapshot_weights else None,
            snap_b=out.snap_b[r][keep], diverged_at=out.diverged_at[r],
            alpha=out.final_alpha[r].copy(), snap_alpha=kept_alpha, test_every=every,
            keep_every=setup.keep[r], keep_alpha=out.keep_alpha[r] if setup.keep[r] else None,
            keep_b=out.keep_b[r] if setup.keep[r] else None,
        ))
    return results


def _step(F: Features, setup: Setup, settings_list: list[TrainingSettings], z0: np.ndarray) -> Recorded:
    """The dual loop of ``train_dual``: steps every row to the batch's longest count, a chunk at a
    time in the recorder's slot, and returns what the recorder recorded."""
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
        """The loop's views into the slot, made once: indexing them again at every update would be a
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

    recorder = DualRecorder(setup)
    slot = recorder.slot
    U_at, steps, D_first, D_rest = views(slot)
    # Every block's product written straight into P's rows (as columns of Pᵀ: the fastest of the
    # layouts measured); one block needs no loop over blocks.
    P_first, P_rest = P[:BLOCK].T, [P[j:j + BLOCK].T for j in range(BLOCK, setup.width, BLOCK)]
    more_blocks = bool(P_rest)
    ended = set()
    for r in range(R):
        if setup.counts[r] == 0:  # a run of 0 iterations: its start is its end
            half_c[r] = c_shift[r] = 0.0
            ended.add(r)
    slot.U[0] = 0.5 * (z0 + setup.b0)
    with np.errstate(over="ignore", invalid="ignore"):
        for i0 in range(0, T, chunk):
            if len(ended) == R:
                break
            n = min(chunk, T - i0)
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
            done = recorder.record(i0, n)
            slot.U[0] = slot.U[n]  # (the next chunk starts where this one ended)
            for r in done:
                # Its results are kept: the row computes nothing more (a zero rate on finite logits).
                half_c[r] = c_shift[r] = 0.0
                slot.U[0, r] = 0.0
                ended.add(r)
        return recorder.result()


def dual_weights(alpha_rows: np.ndarray, X: np.ndarray, w0: np.ndarray, width: int | None = None) -> np.ndarray:
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
    w0, _ = initial_parameters(features, result.settings)
    return dual_weights(result.snapshot_alpha, features.X_train, w0).astype(np.float32)


def cut(features: Features, result: TrainingResult, num_iterations: int, snapshots: int = DEFAULT_SNAPSHOTS
        ) -> TrainingResult:
    """The run of ``num_iterations`` iterations whole, from a longer dual run that kept its parameters
    (``keep_every`` = e; num_iterations a multiple of e, at most its count), trained on ``features``.

    Its final parameters are the kept ones after that many updates, so w (n_x, 1), b, the final numbers
    and the confusion are those of the run alone (to the last bit where BLAS computes a column of a
    product alike in every column of its block, as train_many's rows); its histories are the longer
    run's first ones (its test costs, summed a chunk at a time, to their rounding). Its snapshots (up to
    ``snapshots``, dual form only: snapshot_w None) are kept parameters, spread over 0 … num_iterations
    as ``snapshot_schedule`` spreads them over the multiples of e. It keeps its own kept parameters.
    """
    # Gradient descent is deterministic: a run of n iterations is a longer run's beginning. One run to
    # the slider's horizon then serves every count of the slider (multiples of e) for every visitor,
    # at the price of one product of α with X (n_x × m) for w, instead of a new run.
    e, T = result.keep_every, result.settings.num_iterations
    if not e or result.keep_alpha is None or result.keep_alpha.shape[1:] != (features.m_train,):
        raise ValueError("This run kept no parameters for these features: train it with keep_every > 0.")
    if not 0 <= num_iterations <= T or num_iterations % e:
        raise ValueError(f"Expected a multiple of {e:,} from 0 to {T:,} iterations, got {num_iterations!r}.")
    n, run = num_iterations, len(result.costs)
    settings = dataclasses.replace(result.settings, num_iterations=n)
    stopped = run < T and n >= run  # it stopped at a non-finite cost by then, and a shorter run stops there too
    last = run - 1 if stopped else n  # (a run that stopped keeps its snapshots up to the stop)
    index = snapshot_schedule(last // e, snapshots) if snapshots else np.empty(0, dtype=int)
    snaps = dict(snapshot_iterations=index * e, snapshot_w=None, snapshot_b=result.keep_b[index].copy(),
                 snapshot_alpha=result.keep_alpha[index].copy())
    if stopped:  # all of it
        return dataclasses.replace(result, settings=settings, **snaps)
    start = time.perf_counter() - result.seconds
    F, k, te, d = features, n // e, result.test_every, result.diverged_at
    alpha, b = result.keep_alpha[k].copy(), float(result.keep_b[k])
    w0, _ = initial_parameters(F, settings)
    # As train_dual ends a run: the logits from the parameters, the weights from a product BLOCK rows wide.
    z0, z0t = start_logits(F, w0)
    with np.errstate(over="ignore", invalid="ignore"):
        Z, Zt = z0 + F.K_train @ alpha + b, z0t + F.K_test @ alpha + b
        w = dual_weights(alpha[None], F.X_train, w0, BLOCK)[0].reshape(-1, 1).copy()
    n_test = -(-n // te) if len(result.test_costs) else 0
    return finish(
        F, settings, get_loss(settings.loss), "dual", start, w=w, b=b, Z=Z[None], Zt=Zt[None],
        costs=result.costs[:n].copy(), test_costs=result.test_costs[:n_test].copy(),
        accs=result.train_accuracies[:n].copy(), test_accs=result.test_accuracies[:n_test].copy(),
        snap_its=snaps["snapshot_iterations"], snap_w=None, snap_b=snaps["snapshot_b"],
        diverged_at=d if d is not None and d < n else None, alpha=alpha, snap_alpha=snaps["snapshot_alpha"],
        test_every=te, keep_every=e, keep_alpha=result.keep_alpha[:k + 1].copy(), keep_b=result.keep_b[:k + 1].copy())
