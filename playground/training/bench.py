"""Training benchmark: ``python -m playground.training.bench [--data PATH]``. Prints figures, asserts nothing.

Times, in one process, 2,000 iterations of batch gradient descent (the
course's settings) four ways: the course's vectorized float64 code
(``model.optimize``, the reference every ratio is against), the playground's
``train`` on the dual path (K = XᵀX computed once per dataset, timed apart)
and on the plain path, and the two-loop version — one iteration of it,
multiplied by the iteration count, and said so.
"""

from __future__ import annotations

import argparse
import statistics
import time

from playground.course.model import initialize_with_zeros, optimize
from playground.data.course import default_course_folder
from playground.data.features import make_features
from playground.data.sources import load_dataset_path
from playground.lessons.speed import single_blas_thread, step_two_loops
from playground.training import TrainingSettings, train


def _median_seconds(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(data: str | None, iterations: int, repeats: int, loops: bool) -> list[tuple[str, float, str]]:
    """Rows of (what, seconds, note) — the course's vectorized code first."""
    folder = data or default_course_folder()
    dataset = load_dataset_path(folder)
    print(f"data: {dataset.name}: m_train = {dataset.m_train}, n_x = {dataset.n_x:,}; "
          f"{iterations:,} iterations, α = 0.005, w = 0, b = 0; median of {repeats}")
    settings = TrainingSettings(num_iterations=iterations)
    start = time.perf_counter()
    F = make_features(dataset)
    setup = time.perf_counter() - start
    F_plain = make_features(dataset, precompute_kernel=False)
    w0, b0 = initialize_with_zeros(F.n_x)
    rows = [
        ("course code, vectorized float64 (model.optimize)",
         _median_seconds(lambda: optimize(w0, b0, F.X_train, F.Y_train, iterations, 0.005), repeats), "reference"),
        ("train(), plain path (+ test cost, accuracy per iteration)",
         _median_seconds(lambda: train(F_plain, settings, method="plain"), repeats), ""),
        ("train(), dual path (the app's fast path)",
         _median_seconds(lambda: train(F, settings, method="dual"), repeats),
         f"+ {setup:.3f} s once per dataset for X and K = XᵀX"),
    ]
    if loops:
        start = time.perf_counter()
        step_two_loops(w0, b0, F.X_train, F.Y_train)
        one = time.perf_counter() - start
        rows.append(("two Python loops (examples × features)", one * iterations,
                     f"extrapolated: one iteration took {one:.2f} s, × {iterations:,}"))
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m playground.training.bench", description=__doc__.split("\n")[0])
    p.add_argument("--data", help="a dataset folder (default: the course's pair if found, else the built-in drawings)")
    p.add_argument("--iterations", type=int, default=2000)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--no-loops", action="store_true", help="skip the two-loop iteration (several seconds)")
    args = p.parse_args(argv)
    # One BLAS thread: on a 2-core machine shared with anything else, multi-threaded
    # BLAS timings measure the load, not the code (see playground.lessons.speed).
    with single_blas_thread() as single:
        print("BLAS held to one thread" if single else "BLAS threads left as NumPy set them")
        rows = run(args.data, args.iterations, args.repeats, not args.no_loops)
    reference = rows[0][1]
    print(f"{'implementation':<60} {'seconds':>10} {'vs course':>10}")
    for k, (what, seconds, note) in enumerate(rows):
        ratio = reference / seconds
        shown = "1×" if k == 0 else f"{ratio:.1f}× faster" if ratio >= 1 else f"{1 / ratio:,.0f}× slower"
        print(f"{what:<60} {seconds:>10.3f} {shown:>12}  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
