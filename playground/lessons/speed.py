"""Loops against vectors: one training step computed four ways, and timing them.

A training step here is the course's forward and backward pass over m
examples with n features: the cost J, dw (n, 1) and db. The four ways:

- ``step_two_loops``: a Python loop over examples and, inside, over features
  (the lecture's first, non-vectorized code);
- ``step_one_loop``: the loop over examples kept, the one over features
  replaced by ``np.dot`` and an array update;
- ``step_vectorized``: no loop, Z = wᵀX + b (the course's code);
- ``step_dual``: w is kept as w₀ + Xα and never formed; with K = XᵀX (m, m)
  and z₀ = w₀ᵀX computed once, a step costs O(m²) instead of O(n·m). It
  returns dα = dZᵀ/m, the step in α that stands for dw = X dα.

All four use the textbook formulas (σ = 1/(1 + e^{−z}), log a, log(1 − a));
``race_state`` picks w and b that keep |z| small, so those stay finite.

The page shows these functions' source with ``inspect.getsource``: what is
shown is what ran. Timing helpers take the median of repeats.
"""

from __future__ import annotations

import math
import statistics
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

import numpy as np

from playground.errors import InputError
from playground.server import openblas_threads

MAX_LOOP_WORK = 1_000_000
"""Largest m × n the two-loop step may take: its time grows with the (example, feature) pairs,
and this keeps the race's slowest step short enough to wait for (see BENCHMARKS.md)."""
DOT_LENGTH = 1_000_000
FAST_BUDGET = 0.25
"""Seconds of repeats spent timing each fast implementation (the median is reported)."""
MAX_REPEATS = 200
IMPLEMENTATIONS = ("two_loops", "one_loop", "vectorized", "dual")
LABELS = {
    "two_loops": "Two loops (examples × features)",
    "one_loop": "One loop (over examples)",
    "vectorized": "Vectorized NumPy",
    "dual": "Dual form (K = XᵀX)",
}


def step_two_loops(w, b, X, Y, on_example=None):
    """The lecture's loops. w (n, 1), b, X (n, m), Y (1, m) → J, dw (n, 1), db."""
    n, m = X.shape
    J, db = 0.0, 0.0
    dw = np.zeros((n, 1))
    for i in range(m):
        z = b
        for j in range(n):
            z += w[j, 0] * X[j, i]
        a = 1 / (1 + math.exp(-z))
        J += -(Y[0, i] * math.log(a) + (1 - Y[0, i]) * math.log(1 - a))
        dz = a - Y[0, i]
        for j in range(n):
            dw[j, 0] += X[j, i] * dz
        db += dz
        if on_example is not None:
            on_example(i)
    return J / m, dw / m, db / m


def step_one_loop(w, b, X, Y):
    """The inner loop vectorized: w (n, 1), b, X (n, m), Y (1, m) → J, dw (n, 1), db."""
    n, m = X.shape
    J, db = 0.0, 0.0
    dw = np.zeros((n, 1))
    for i in range(m):
        x = X[:, i:i + 1]
        z = np.dot(w[:, 0], x[:, 0]) + b
        a = 1 / (1 + math.exp(-z))
        J += -(Y[0, i] * math.log(a) + (1 - Y[0, i]) * math.log(1 - a))
        dz = a - Y[0, i]
        dw += x * dz
        db += dz
    return J / m, dw / m, db / m


def step_vectorized(w, b, X, Y):
    """No loop: w (n, 1), b, X (n, m), Y (1, m) → J, dw (n, 1), db."""
    m = X.shape[1]
    Z = w.T @ X + b
    A = 1 / (1 + np.exp(-Z))
    J = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dZ = A - Y
    dw = X @ dZ.T / m
    db = np.mean(dZ)
    return J, dw, db


def step_dual(alpha, z0, b, K, Y):
    """w = w₀ + Xα never formed: α (m, 1), z0 = w₀ᵀX (1, m), b, K = XᵀX (m, m), Y (1, m)
    → J, dα (m, 1) with dw = X dα, db."""
    m = K.shape[0]
    Z = (K @ alpha).T + z0 + b
    A = 1 / (1 + np.exp(-Z))
    J = -np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dZ = A - Y
    dalpha = dZ.T / m
    db = np.mean(dZ)
    return J, dalpha, db


def dot_loop(u, v):
    """u · v with a Python loop over the elements."""
    s = 0.0
    for i in range(len(u)):
        s += u[i] * v[i]
    return s


def dot_numpy(u, v):
    """u · v in one call to compiled code."""
    return np.dot(u, v)


def check_race_size(m: int, n: int, m_max: int, n_max: int) -> None:
    """ValueError unless 1 ≤ m ≤ m_max, 1 ≤ n ≤ n_max and m·n ≤ MAX_LOOP_WORK."""
    for name, v, top in (("m", m, m_max), ("the number of features", n, n_max)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not 1 <= v <= top:
            raise ValueError(f"Expected {name} from 1 to {top:,}, got {v!r}.")
    if m * n > MAX_LOOP_WORK:
        raise InputError("race_too_slow", m=m, n=n, work=m * n, limit=MAX_LOOP_WORK, max_m=MAX_LOOP_WORK // n,
                         max_n=min(n_max, MAX_LOOP_WORK // m))


def race_data(X_full, Y_full, m: int, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first m examples and n features drawn with a seeded RNG from X_full (n_x, m_all), Y_full (1, m_all).

    Returns X (n, m) contiguous float64, Y (1, m) and the chosen feature indices (n,), sorted.
    """
    X_full, Y_full = np.asarray(X_full), np.asarray(Y_full)
    check_race_size(m, n, X_full.shape[1], X_full.shape[0])
    rows = np.sort(np.random.default_rng(seed).choice(X_full.shape[0], size=n, replace=False))
    return np.ascontiguousarray(X_full[rows, :m], dtype=np.float64), np.array(Y_full[:, :m], dtype=np.float64), rows


def race_state(X, seed: int = 0) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
    """A point mid-training for X (n, m): w₀ (n, 1), α (m, 1), b, and w = w₀ + Xα (n, 1).

    Both parts are random and scaled so that each contributes |z| of order 0.5: the
    sigmoid is far from saturating and the textbook log a, log(1 − a) stay finite.
    """
    n, m = X.shape
    rng = np.random.default_rng(seed)
    norms = np.linalg.norm(X, axis=0)
    scale = float(norms.max()) if norms.max() > 0 else 1.0
    w0 = rng.standard_normal((n, 1)) * 0.5 / (scale * math.sqrt(n))
    alpha = rng.standard_normal((m, 1)) * 0.5 / (scale ** 2 * math.sqrt(m))
    b = float(rng.normal(0.0, 0.5))
    return w0, alpha, b, w0 + X @ alpha


_BLAS_LOCK = threading.Lock()
"""Serialises races that change the (process-wide) BLAS thread count, so the saved count is restored."""


@contextmanager
def single_blas_thread():
    """Run the block with OpenBLAS on one thread; yields whether that could be set.

    On a busy machine (other visitors, two cores) a multi-threaded BLAS call can wait
    for a free core and run tens of times slower than on one thread, which would time
    the machine's load rather than the code. One thread also makes the comparison with
    the loops, which run on one core, fair: the speed-up is vectorized compiled code.
    """
    funcs = openblas_threads()
    if funcs is None:
        yield False
        return
    get, set_ = funcs
    if get() == 1:
        # Already one thread (the app's server sets it for the whole process): no lock,
        # so visitors' training runs don't queue behind each other.
        yield True
        return
    with _BLAS_LOCK:
        before = get()
        set_(1)
        try:
            yield True
        finally:
            set_(before)


def median_time(fn: Callable, *args, budget: float = FAST_BUDGET, max_repeats: int = MAX_REPEATS) -> tuple[float, int]:
    """Median seconds of fn(*args) over repeats filling about ``budget`` seconds; (median, repeats).

    Runs at least once; a first call longer than the budget is not repeated.
    """
    times = []
    start = time.perf_counter()
    while len(times) < max_repeats:
        t = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - t)
        if time.perf_counter() - start > budget:
            break
    return statistics.median(times), len(times)


@dataclass(frozen=True, eq=False)
class Race:
    """Timings of one training step four ways on the same X (n, m).

    seconds, repeats: per implementation name (IMPLEMENTATIONS); the two-loop one runs once.
    kernel_seconds: time to build K = XᵀX (once per dataset, not part of a step).
    cost, dw (n, 1), db: the vectorized result; max_difference: the largest |difference| of any
    other implementation's J, dw (for the dual, X dα) and db from it.
    single_thread: whether BLAS was held to one thread while timing.
    """

    m: int
    n: int
    seconds: dict
    repeats: dict
    kernel_seconds: float
    cost: float
    dw: np.ndarray
    db: float
    max_difference: float
    differences: dict
    single_thread: bool = False

    def speedup(self, name: str, against: str = "two_loops") -> float:
        return self.seconds[against] / self.seconds[name]


def run_race(X, Y, seed: int = 0, progress: Callable | None = None) -> Race:
    """Time the four implementations on X (n, m), Y (1, m); ``progress(fraction, message)`` between them.

    The two-loop step runs once (it reports each example to ``progress``); the others are repeated.
    """
    X, Y = np.asarray(X, dtype=np.float64), np.asarray(Y, dtype=np.float64)
    n, m = X.shape
    check_race_size(m, n, m, n)
    if Y.shape != (1, m):
        raise ValueError(f"Expected Y of shape (1, {m}) to match X {X.shape}, got {Y.shape}.")
    report = progress or (lambda fraction, message: None)
    w0, alpha, b, w = race_state(X, seed)
    with single_blas_thread() as single:
        results, seconds, repeats, kernel_seconds = _time_all(X, Y, w0, alpha, b, w, report)
    J_ref, dw_ref, db_ref = results["vectorized"]
    differences = {name: max_difference(results[name], results["vectorized"]) for name in IMPLEMENTATIONS}
    return Race(
        m=m, n=n, seconds=seconds, repeats=repeats, kernel_seconds=kernel_seconds,
        cost=float(J_ref), dw=dw_ref, db=float(db_ref),
        max_difference=max(differences.values()), differences=differences, single_thread=single,
    )


def _time_all(X, Y, w0, alpha, b, w, report):
    """Run and time each implementation once more for its result: (results, seconds, repeats, K's seconds)."""
    m = X.shape[1]
    # The loops dominate the wall time, so they get most of the progress bar.
    every = max(1, m // 50)

    def on_example(i):
        if (i + 1) % every == 0 or i + 1 == m:
            report(0.7 * (i + 1) / m, f"Two loops: example {i + 1} of {m}")

    report(0.0, "Two loops…")
    t = time.perf_counter()
    results = {"two_loops": step_two_loops(w, b, X, Y, on_example)}
    seconds = {"two_loops": time.perf_counter() - t}
    repeats = {"two_loops": 1}
    report(0.7, "One loop…")
    seconds["one_loop"], repeats["one_loop"] = median_time(step_one_loop, w, b, X, Y)
    results["one_loop"] = step_one_loop(w, b, X, Y)
    report(0.8, "Vectorized…")
    seconds["vectorized"], repeats["vectorized"] = median_time(step_vectorized, w, b, X, Y)
    results["vectorized"] = step_vectorized(w, b, X, Y)
    report(0.9, "Dual form: K = XᵀX, then the step…")
    t = time.perf_counter()
    K = X.T @ X
    z0 = w0.T @ X
    kernel_seconds = time.perf_counter() - t
    seconds["dual"], repeats["dual"] = median_time(step_dual, alpha, z0, b, K, Y)
    J, dalpha, db = step_dual(alpha, z0, b, K, Y)
    results["dual"] = (J, X @ dalpha, db)
    report(1.0, "Done")
    return results, seconds, repeats, kernel_seconds


def max_difference(result, reference) -> float:
    """Largest |difference| between two (J, dw, db) results, over every entry."""
    return float(max(np.max(np.abs(np.asarray(r, dtype=float) - np.asarray(s, dtype=float)))
                     for r, s in zip(result, reference)))


@dataclass(frozen=True)
class DotRace:
    """Dot product of two random vectors of ``length``: seconds of the loop (once) and of np.dot (median)."""

    length: int
    loop_seconds: float
    numpy_seconds: float
    numpy_repeats: int
    loop_value: float
    numpy_value: float

    @property
    def speedup(self) -> float:
        return self.loop_seconds / self.numpy_seconds

    @property
    def difference(self) -> float:
        return abs(self.loop_value - self.numpy_value)


def run_dot_race(length: int = DOT_LENGTH, seed: int = 0) -> DotRace:
    """Time ``dot_loop`` once and ``dot_numpy`` with repeats on the same two seeded vectors."""
    if isinstance(length, bool) or not isinstance(length, (int, np.integer)) or not 1 <= length <= 10 * DOT_LENGTH:
        raise ValueError(f"Expected a vector length from 1 to {10 * DOT_LENGTH:,}, got {length!r}.")
    rng = np.random.default_rng(seed)
    u, v = rng.random(length), rng.random(length)
    t = time.perf_counter()
    loop_value = dot_loop(u, v)
    loop_seconds = time.perf_counter() - t
    with single_blas_thread():
        numpy_seconds, repeats = median_time(dot_numpy, u, v, budget=0.1)
    return DotRace(length=int(length), loop_seconds=loop_seconds, numpy_seconds=numpy_seconds,
                   numpy_repeats=repeats, loop_value=float(loop_value), numpy_value=float(dot_numpy(u, v)))
