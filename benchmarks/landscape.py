"""Benchmark of the Loss landscape page: prints figures, asserts nothing.

    .venv/bin/python -m benchmarks.landscape [path/to/catvnoncat] [--repeat N]

- View 2 on the course's data: training both models (cached by the app), the projections
  Xᵀw*, Xᵀd₁, Xᵀd₂ and the trajectory's principal directions (once per trained model), then
  the number the issue asks for: both 101 × 101 surfaces plus both paths.
- The JSON size of every figure the page draws, with the page's default settings, and the time
  to build it (plain dicts, unvalidated: see playground/figures/landscape.py).

Timings on a shared machine swing with its load; the best of N runs is the least disturbed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
import plotly.io as pio

from benchmarks.app import COURSE_DIR
from playground.course import activations, losses
from playground.data.course import load_course_folder
from playground.data.features import make_features
from playground.figures.landscape import (
    SURFACE_POINTS,
    ContourPanel,
    CurvePanel,
    contour_paths_figure,
    counterexample_figure,
    surface_figure,
)
from playground.lessons.landscape import slices
from playground.lessons.landscape.counterexample import counterexample_curves
from playground.lessons.landscape.surfaces import overlapping_dataset, two_parameter_landscapes
from playground.training import TrainingSettings, train

LOSS_ORDER = ("mse", "cross_entropy")


def timed(fn, repeat: int) -> tuple[float, float]:
    """(best, median) seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), statistics.median(times)


def surfaces_and_paths(projections: dict, Y) -> None:
    """What the page computes per view-2 rerun with new settings: both grids and both paths."""
    for proj in projections.values():
        s, t = slices.slice_axes(proj)
        slices.slice_costs(proj, Y, s, t)
        slices.path_costs(proj, Y)


def json_kb(fig) -> float:
    return len(pio.to_json(fig, validate=False)) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.landscape", description=__doc__.splitlines()[0])
    parser.add_argument("course", nargs="?", default=str(COURSE_DIR))
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; grid threads {slices.WORKERS}")

    F = make_features(load_course_folder(args.course))
    print(f"course data: X_train {F.X_train.shape}, Y_train {F.Y_train.shape}")
    results = {}
    for name in LOSS_ORDER:
        t0 = time.perf_counter()
        results[name] = train(F, TrainingSettings(loss=name), snapshots=41)
        print(f"train {name:13s} (α 0.005, 2,000 iterations, dual path): {time.perf_counter() - t0:.3f} s")

    projections = {}
    for name in LOSS_ORDER:
        best, med = timed(lambda: slices.project_slice(F, results[name]), max(3, args.repeat // 4))
        projections[name] = slices.project_slice(F, results[name])
        print(f"projections + principal directions, {name:13s}: best {best * 1e3:.1f} ms, median {med * 1e3:.1f} ms")

    surfaces_and_paths(projections, F.Y_train)
    best, med = timed(lambda: surfaces_and_paths(projections, F.Y_train), args.repeat)
    print(f"\nBOTH 101 x 101 SURFACES + PATHS (view 2, course data): best {best * 1e3:.1f} ms, "
          f"median {med * 1e3:.1f} ms   (target ≤ 50 ms)")
    for name in LOSS_ORDER:
        proj = projections[name]
        s, t = slices.slice_axes(proj)
        b1, m1 = timed(lambda: slices.slice_costs(proj, F.Y_train, s, t), args.repeat)
        print(f"  one surface, {name:13s}: best {b1 * 1e3:.1f} ms, median {m1 * 1e3:.1f} ms")

    workers = slices.WORKERS
    slices.WORKERS = 1
    best1, med1 = timed(lambda: surfaces_and_paths(projections, F.Y_train), args.repeat)
    slices.WORKERS = workers
    print(f"  the same on one thread: best {best1 * 1e3:.1f} ms, median {med1 * 1e3:.1f} ms")

    # What-if, not used by the app: the registry's cross-entropy calls activations.softplus, which
    # is np.logaddexp — not vectorised by NumPy. The algebraically equal max(z, 0) + log1p(e^{−|z|})
    # uses vectorised exp/log1p.
    original = losses.softplus
    losses.softplus = lambda z: np.maximum(np.asarray(z, dtype=float), 0.0) + np.log1p(np.exp(-np.abs(z)))
    try:
        proj = projections["cross_entropy"]
        s, t = slices.slice_axes(proj)
        bw, mw = timed(lambda: slices.slice_costs(proj, F.Y_train, s, t), args.repeat)
        bt, mt = timed(lambda: surfaces_and_paths(projections, F.Y_train), args.repeat)
        diff = float(np.max(np.abs(losses.softplus(np.linspace(-50, 50, 10001)) - activations.softplus(np.linspace(-50, 50, 10001)))))
    finally:
        losses.softplus = original
    print(f"  what-if softplus = max(z,0) + log1p(exp(-|z|)) (max diff {diff:.1e}): cross-entropy surface "
          f"best {bw * 1e3:.1f} ms; both surfaces + paths best {bt * 1e3:.1f} ms, median {mt * 1e3:.1f} ms")

    print("\nfigure JSON sizes, the page's defaults:")
    runs = two_parameter_landscapes(overlapping_dataset(), -6.0, 4.0, 1.0, 200)
    panels = [ContourPanel(n, r.w_values, r.b_values, r.J, r.path.w, r.path.b, r.path.costs) for n, r in runs.items()]
    fig = contour_paths_figure(panels, np.arange(201), "w", "b")
    best, med = timed(lambda: contour_paths_figure(panels, np.arange(201), "w", "b"), max(3, args.repeat // 4))
    print(f"  view 1 contours + animation ({len(fig.frames)} frames): {json_kb(fig):.0f} KB; "
          f"built in {best * 1e3:.1f} ms (median {med * 1e3:.1f}; the maps' pictures remembered per grid)")
    r = runs["cross_entropy"]
    print(f"  view 1 one 3D surface (81 x 81 grid, drawn on at most {SURFACE_POINTS} x {SURFACE_POINTS}): {json_kb(surface_figure(r.w_values, r.b_values, r.J, r.path.w, r.path.b, r.path.costs, 'w', 'b')):.0f} KB")
    grids = {}
    for name, proj in projections.items():
        s, t = slices.slice_axes(proj)
        grids[name] = (s, t, slices.slice_costs(proj, F.Y_train, s, t), slices.path_costs(proj, F.Y_train))
    panels = [ContourPanel(n, g[0], g[1], g[2], projections[n].s, projections[n].t, g[3]) for n, g in grids.items()]
    fig = contour_paths_figure(panels, results["mse"].snapshot_iterations, "s", "t")
    print(f"  view 2 contours + animation ({len(fig.frames)} frames, 101 x 101): {json_kb(fig):.0f} KB")
    s, t, J, pj = grids["cross_entropy"]
    proj = projections["cross_entropy"]
    print(f"  view 2 one 3D surface (101 x 101 grid, drawn on at most {SURFACE_POINTS} x {SURFACE_POINTS}): {json_kb(surface_figure(s, t, J, proj.s, proj.t, pj, 's', 't')):.0f} KB")
    curves = counterexample_curves((-5.5, -2.0, -0.5), 3.0, 60)
    panels = [CurvePanel(n, 10.0 ** c.u, c.J, 10.0 ** c.minima, c.minima_J, [(p.w, p.costs) for p in c.paths])
              for n, c in curves.items()]
    fig = counterexample_figure(panels)
    best, med = timed(lambda: counterexample_figure(panels), max(3, args.repeat // 4))
    print(f"  view 3 curves + animation ({len(fig.frames)} frames): {json_kb(fig):.0f} KB; "
          f"built in {best * 1e3:.1f} ms (median {med * 1e3:.1f})")


if __name__ == "__main__":
    main()
