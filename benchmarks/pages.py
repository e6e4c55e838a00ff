"""Server-side page benchmark: every page's first run and its reruns, in AppTest. Prints figures, asserts nothing.

    .venv/bin/python -m benchmarks.pages [--course PATH] [--pages train,landscape] [--data builtin,course]
                                         [--repeats 3] [--blas-threads N] [--no-core] [--quick]

For each page, on the built-in drawings and on the course's photos (when found):

- first run, cold: Streamlit's caches emptied first, so the run loads the dataset, builds X
  (and K = XᵀX), trains what the page needs and draws it — the first visitor of a fresh server;
- first run, warm: a new session while the caches hold what the cold run left — the next student;
- rerun after the page's main control moves to a value not seen before (median and worst of
  ``--repeats`` moves), against the budget of 0.15 s; then the page's other controls, the same way;
- the largest figure the page sent (its Plotly JSON, as AppTest receives it), against 2 MB.

Then the core figures of the other issues, called, not copied: ``playground.training.bench`` (2,000
iterations: the course's ``optimize`` against the app's paths) and ``benchmarks/landscape.py``'s
view-2 surfaces; and ratios against the plain course code, timed in this same process.

A "run" is AppTest's ``run()``: the whole script (sidebar and page) in this process, the same work
the server does per rerun, without the websocket. Times are wall-clock seconds of one run; on a
shared machine they swing with its load, which is printed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.app import COURSE_DIR, MB, PHOTO, ROOT

RERUN_BUDGET_S = 0.15
FIGURE_BUDGET_BYTES = 2_000_000
"""2 MB, counted as 2,000,000 bytes of JSON (the stricter reading of "MB")."""


# ---------------------------------------------------------------------- what each page is driven by


@dataclass(frozen=True)
class Move:
    """A widget change: AppTest's accessor (``"slider"``, ``"radio"``, … or ``"state"`` for a
    session-state key such as bound tabs), the widget key, and the values it takes in turn —
    each one new to the session, so every rerun does the work a student's move causes."""

    widget: str
    key: str
    values: tuple
    note: str = ""  # what is special about this move, e.g. which tab is open

    def label(self) -> str:
        return f"{self.key} ({self.widget}{', ' + self.note if self.note else ''})"

    def apply(self, at, value) -> None:
        if self.widget == "state":
            at.session_state[self.key] = value
        else:
            getattr(at, self.widget)(key=self.key).set_value(value)


@dataclass(frozen=True)
class PageCase:
    """A page file under playground/ui/pages, its main control, its other controls (played in
    order, in the same session), and what a visitor does before the controls mean anything."""

    name: str
    main: Move
    others: tuple[Move, ...] = ()
    setup: Callable | None = None
    """Called with the AppTest after the page's first run (e.g. the Predict page gets a photo)."""


def _upload_photo(at) -> None:
    """The Predict page answers nothing until it has a photo: give it one of the course's."""
    at.file_uploader(key="predict_files").set_value([(PHOTO.name, PHOTO.read_bytes(), "image/jpeg")])


PAGES: tuple[PageCase, ...] = (
    PageCase("data", Move("slider", "vector_image", (5, 17, 42)), (
        Move("select_slider", "gallery_count", (48, 12)),
        Move("radio", "gallery_split", ("test",)),
    )),
    PageCase("train", Move("select_slider", "train_lr", (0.01, 0.002, 0.02)), (
        Move("slider", "train_iters", (1000, 5000)),
        Move("state", "tab", ("replay",)),
        Move("state", "tab", ("compare",)),
        # With the Compare tab open an iteration move cuts the compared rates' runs (trained to a
        # horizon: 2,000, or 5,000 past it; the session remembers the longer): 1,500 and 3,000 cut
        # the 5,000 of the tab's opening.
        Move("slider", "train_iters", (1500, 3000), note="Compare open"),
        # The page's worst case: at 5,000 iterations with the tab open, a new loss makes the main
        # run and the compared rates (trained to 5,000) both new in one rerun (one batch of four);
        # so does a new initialisation, and with random starts each new seed.
        Move("slider", "train_iters", (5000,), note="Compare open"),
        Move("radio", "train_loss", ("mse",), note="Compare open, 5,000"),
        Move("radio", "train_init", ("random",), note="Compare open, 5,000"),
        Move("number_input", "train_seed", (1, 2), note="Compare open, 5,000"),
        # The same moves at the course's 2,000 (the slider's default): the move there is a cut, then
        # a new loss or seed trains one batch of four to 2,000.
        Move("slider", "train_iters", (2000,), note="Compare open"),
        Move("radio", "train_loss", ("cross_entropy",), note="Compare open, 2,000"),
        Move("number_input", "train_seed", (3, 4), note="Compare open, 2,000"),
    )),
    PageCase("landscape", Move("select_slider", "ls_lr", (0.3, 3.0, 0.1)), (
        Move("radio", "landscape_view", ("slice",)),
        Move("select_slider", "ls_real_lr", (0.01, 0.001)),
        Move("radio", "landscape_view", ("counter",)),
        Move("select_slider", "ls_cx_lr", (10.0, 1.0)),
    )),
    PageCase("graph", Move("number_input", "graph_w1", (0.6, 0.7, 0.8)), (
        Move("radio", "graph_loss", ("mse",)),
        Move("slider", "graph_image", (10, 20)),
    )),
    PageCase("speed", Move("select_slider", "speed_n", (1024, 2048, 256)), (
        Move("slider", "speed_m", (100, 50)),
    )),
    PageCase("predict", Move("radio", "predict_preprocessing", ("crop", "squash", "crop")), (),
             setup=_upload_photo),
)
QUICK_PAGES = ("data",)


# ---------------------------------------------------------------------- measuring


@dataclass
class PageResult:
    """Seconds of each run of one page on one dataset, and the figures it sent (key → JSON bytes)."""

    page: str
    data: str
    cold_s: float = float("nan")
    warm_s: float = float("nan")
    main: Move | None = None
    main_s: list[float] = field(default_factory=list)
    others: list[tuple[Move, list[float]]] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=dict)
    error: str = ""

    def largest(self) -> tuple[str, int]:
        if not self.figures:
            return "–", 0
        key = max(self.figures, key=self.figures.get)
        return key, self.figures[key]


def quiet_streamlit() -> None:
    """AppTest outside `streamlit run` logs a warning per widget; the table is what we want to read."""
    from streamlit import config, logger

    # Streamlit resets its loggers from the option logger.level once it has parsed its config:
    # have it parsed now, then lower the option itself.
    config.get_option("logger.level")
    config.set_option("logger.level", "error")
    logger.set_log_level("error")


def share_script_cache() -> None:
    """Compile each script once, as the server does.

    The server keeps one ScriptCache per process (streamlit/runtime/runtime.py), for app.py and for
    the pages (its AppSession hands it to the PagesManager), so a rerun executes bytecode it
    already has. AppTest builds new ScriptCaches for every run() and parses, rewrites (Streamlit's
    "magic") and compiles app.py and the page again: 15–30 ms of a Train page run, work no visitor's
    rerun does.
    """
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    shared = ScriptCache()
    local_script_runner.ScriptCache = lambda: shared
    app_test.ScriptCache = lambda: shared


def clear_caches() -> None:
    """Empty every st.cache_data and st.cache_resource (they are per process, shared by AppTests)."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def _check(at, what: str) -> None:
    if at.exception:
        raise RuntimeError(f"{what}: {at.exception[0].message}")


def _timed_run(at, what: str) -> float:
    """Seconds of one AppTest run (the whole script), after which the app must show no exception."""
    start = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - start
    _check(at, what)
    return seconds


def collect_figures(at, into: dict[str, int]) -> None:
    """Remember the JSON size in bytes of every Plotly figure of this run, the largest per key."""
    for k, chart in enumerate(at.get("plotly_chart")):
        key = getattr(chart.proto, "id", "") or f"chart {k}"
        key = chart_key(key)
        into[key] = max(into.get(key, 0), len(chart.proto.spec.encode("utf-8")))


def chart_key(element_id: str) -> str:
    """The user key inside a Streamlit element id (``$$ID-…-train_cost`` → ``train_cost``)."""
    return element_id.rsplit("-", 1)[-1] if "-" in element_id else element_id


def new_session(data: str, page: str):
    """An AppTest session that has chosen ``data`` in the sidebar and is about to open ``page``.

    The landing run (the Data page) and the sidebar choice are not timed.
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    _check(at, "landing run")
    if data == "course":
        at.radio(key="dataset_kind").set_value("course_folder").run()
        _check(at, "choosing the course's photos")
    at.switch_page(f"playground/ui/pages/{page}.py")
    return at


def measure_page(case: PageCase, data: str, repeats: int, others: bool) -> PageResult:
    """Cold first run, warm first run, and the reruns of ``case`` on ``data`` ("builtin" | "course")."""
    result = PageResult(case.name, data, main=case.main)
    try:
        at = new_session(data, case.name)
        clear_caches()
        result.cold_s = _timed_run(at, f"{case.name}: cold first run")
        collect_figures(at, result.figures)

        at = new_session(data, case.name)
        result.warm_s = _timed_run(at, f"{case.name}: warm first run")
        collect_figures(at, result.figures)
        if case.setup is not None:
            case.setup(at)
            at.run()
            _check(at, f"{case.name}: setup")
            collect_figures(at, result.figures)

        for move in (case.main, *(case.others if others else ())):
            times = []
            for value in move.values[: repeats if move is case.main else len(move.values)]:
                move.apply(at, value)
                times.append(_timed_run(at, f"{case.name} ({data}): {move.key} = {value!r}"))
                collect_figures(at, result.figures)
            if move is case.main:
                result.main_s = times
            else:
                result.others.append((move, times))
    except Exception as err:  # noqa: BLE001 — a page that fails is reported in its row, the others still run
        result.error = f"{type(err).__name__}: {err}"
    return result


# ---------------------------------------------------------------------- the core figures


def core_figures(course: Path, repeats: int) -> dict[str, float]:
    """The training benchmark of playground.training.bench (2,000 iterations, one BLAS thread), printed as it
    prints it; returns its seconds by row ("course", "plain", "dual")."""
    from playground.lessons.speed import single_blas_thread
    from playground.training import bench

    with single_blas_thread() as single:
        print("BLAS held to one thread for the core figures" if single else "BLAS threads left as NumPy set them")
        rows = bench.run(str(course), 2000, repeats, loops=False)
    reference = rows[0][1]
    for what, seconds, note in rows:
        print(f"  {what:<60} {seconds:8.3f} s  {reference / seconds:6.1f}× the course code  {note}")
    return {"course": rows[0][1], "plain": rows[1][1], "dual": rows[2][1]}


def landscape_figures(course: Path, repeats: int) -> dict[str, float]:
    """View 2 on the course's data, through benchmarks/landscape.py: both 101 × 101 slices and both
    paths (best and median seconds); and the same grids the plain way — one full forward pass
    J(w* + s·d₁ + t·d₂) per grid point, n_x·m work each — timed on a sample of points and scaled
    to the grid. Returns seconds: "best", "median", "plain"."""
    from benchmarks.landscape import LOSS_ORDER, surfaces_and_paths, timed
    from playground.data.course import load_course_folder
    from playground.data.features import make_features
    from playground.lessons.graph.gradcheck import cost
    from playground.lessons.landscape import slices
    from playground.lessons.speed import single_blas_thread
    from playground.training import TrainingSettings, train

    F = make_features(load_course_folder(str(course)))
    results = {name: train(F, TrainingSettings(loss=name), snapshots=41) for name in LOSS_ORDER}
    projections = {name: slices.project_slice(F, results[name]) for name in LOSS_ORDER}
    surfaces_and_paths(projections, F.Y_train)  # warm-up: thread pool, first touch of the arrays
    best, median = timed(lambda: surfaces_and_paths(projections, F.Y_train), max(3, repeats * 3))

    name = "cross_entropy"
    s, t = slices.slice_axes(projections[name])
    d1, d2 = projections[name].plane.d1, projections[name].plane.d2
    w_star, b_star = results[name].w, results[name].b
    sample = 20
    # One BLAS thread, as playground.training.bench times the course code: a two-thread product waits
    # for the other core, and on a shared machine that measures the load, not the code.
    with single_blas_thread():
        start = time.perf_counter()
        for k in range(sample):
            si, ti = s[(k * 37) % len(s)], t[(k * 53) % len(t)]
            w = w_star + si * d1[:-1, None] + ti * d2[:-1, None]
            cost(w, b_star + si * d1[-1] + ti * d2[-1], F.X_train, F.Y_train, name)
        per_point = (time.perf_counter() - start) / sample
    points = len(s) * len(t) * len(projections)
    plain = per_point * points
    print(f"  both {len(s)} × {len(t)} slices + paths (view 2, course data), benchmarks/landscape.py: "
          f"best {best * 1e3:.1f} ms, median {median * 1e3:.1f} ms")
    print(f"  the same grids with one full forward pass J(w, b) per point: {per_point * 1e3:.2f} ms a point × "
          f"{points:,} points = {plain:.1f} s (extrapolated from {sample} points) "
          f"→ the app's slices are {plain / median:,.0f}× faster")
    return {"best": best, "median": median, "plain": plain}


# ---------------------------------------------------------------------- printing


def _fmt_s(x: float) -> str:
    return "   –  " if x != x else f"{x:6.3f}"


def _verdict(times: list[float]) -> str:
    if not times:
        return "–"
    return "ok" if max(times) <= RERUN_BUDGET_S else "OVER"


def print_pages(results: list[PageResult]) -> None:
    """The page table: first runs, the main control's reruns against 0.15 s, the largest figure against 2 MB."""
    print(f"\nPAGES (seconds of one server-side run; rerun budget ≤ {RERUN_BUDGET_S} s, figure ≤ 2 MB)")
    head = (f"{'page':<10} {'data':<8} {'cold 1st':>8} {'warm 1st':>8}  {'main control':<34} {'rerun med':>9} "
            f"{'max':>6} {'≤0.15':>5}  {'largest figure':<28} {'≤2MB':>4}")
    print(head)
    print("-" * len(head))
    for r in results:
        if r.error:
            print(f"{r.page:<10} {r.data:<8} ERROR {r.error}")
            continue
        key, size = r.largest()
        med = statistics.median(r.main_s) if r.main_s else float("nan")
        worst = max(r.main_s) if r.main_s else float("nan")
        fig = f"{size / MB:.3f} MB {key}" if size else "– (no figure)"
        fig_ok = "ok" if size <= FIGURE_BUDGET_BYTES else "OVER"
        print(f"{r.page:<10} {r.data:<8} {_fmt_s(r.cold_s):>8} {_fmt_s(r.warm_s):>8}  {r.main.label():<34} "
              f"{_fmt_s(med):>9} {_fmt_s(worst):>6} {_verdict(r.main_s):>5}  {fig:<28} {fig_ok:>4}")
    rows = [(r, m, ts) for r in results if not r.error for m, ts in r.others]
    if rows:
        print(f"\nOTHER CONTROLS (each value new to the session; budget ≤ {RERUN_BUDGET_S} s)")
        print(f"{'page':<10} {'data':<8} {'control':<34} {'values':<34} {'seconds':<26} {'≤0.15':>5}")
        for r, m, ts in rows:
            values = ", ".join(map(str, m.values))
            print(f"{r.page:<10} {r.data:<8} {m.label():<34} {values:<34} "
                  f"{' '.join(f'{x:.3f}' for x in ts):<26} {_verdict(ts):>5}")


def print_ratios(results: list[PageResult], core: dict[str, float] | None, surfaces: dict[str, float] | None) -> None:
    """Page reruns that train or slice, against the plain course code timed above in this process."""
    if not core and not surfaces:
        return
    print("\nRATIOS against the plain course code (same process, same data)")
    for r in results:
        if r.error or r.data != "course":
            continue
        if core and r.page == "train" and r.main_s:
            med = statistics.median(r.main_s)
            print(f"  Train page, a whole rerun with a new α (2,000 iterations + figures): {med:.3f} s; the course's "
                  f"optimize() alone: {core['course']:.3f} s → the page answers {core['course'] / med:.1f}× sooner")
        if surfaces and r.page == "landscape":
            for m, ts in r.others:
                if m.key == "ls_real_lr":
                    med = statistics.median(ts)
                    print(f"  Loss landscape view 2, a whole rerun with a new α (2 trainings + 2 slices + figures): "
                          f"{med:.3f} s; the grids alone, one forward pass a point: {surfaces['plain']:.1f} s → "
                          f"{surfaces['plain'] / med:,.0f}× sooner")


def set_blas_threads(threads: int | None) -> str:
    """Hold NumPy's OpenBLAS to ``threads`` for the rest of the process (None: leave it); says what holds.

    Process-wide, so the script thread of every AppTest run inherits it — as a server would if
    it set the count at start. (playground.lessons.speed.single_blas_thread is a context manager with a
    lock that the pages themselves take, so it cannot be held around them.)
    """
    from playground.server import openblas_threads

    funcs = openblas_threads()
    if funcs is None:
        return "BLAS: not NumPy's OpenBLAS, thread count unknown"
    get, set_ = funcs
    if threads is not None:
        set_(threads)
    return f"BLAS: OpenBLAS on {get()} thread(s)" + (" (set by --blas-threads)" if threads else " (NumPy's default)")


def machine_line() -> str:
    import numpy
    import plotly
    import streamlit

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"machine: {os.cpu_count()} cores, load average {load} (1, 5, 15 min); Python {sys.version.split()[0]}, "
            f"NumPy {numpy.__version__}, Streamlit {streamlit.__version__}, Plotly {plotly.__version__}")


def host_line(rows: int = 4, m: int = 209, iterations: int = 5000) -> str:
    """The dual loop's five NumPy calls alone (tanh, two elementwise, the (m × m) by ``rows`` product,
    the subtraction), 5,000 times on one BLAS thread: the floor of the heaviest rerun's training, which
    this virtual machine's host moves from minute to minute (55 ms in a good one). Printed beside the
    figures so that a slow minute shows as one."""
    import numpy as np

    from playground.lessons.speed import single_blas_thread

    rng = np.random.default_rng(0)
    K = rng.standard_normal((m, m)) / m
    U, D, P = rng.standard_normal((rows, m)), np.empty((rows, m)), np.empty((rows, m))
    scale, shift = np.full((rows, m), 1e-3), np.zeros((rows, m))
    D_T, P_T = D.T, P.T
    times = []
    with single_blas_thread():
        for _ in range(5):
            t = time.perf_counter()
            for _ in range(iterations):
                np.tanh(U, out=D)
                D *= scale
                D += shift
                np.matmul(K, D_T, out=P_T)
                np.subtract(U, P, out=U)
            times.append(time.perf_counter() - t)
    return (f"host: the training loop's NumPy calls alone, {iterations:,} iterations: median "
            f"{1000 * statistics.median(times):.0f} ms, best {1000 * min(times):.0f} (55 in a good minute)")


def _start(at, moves) -> None:
    """Each move to its first value, one run each (untimed)."""
    for move in moves:
        move.apply(at, move.values[0])
        at.run()
        _check(at, f"train: {move.label()}")


def heaviest_move_tail(data: str, seconds: float) -> list[float]:
    """The Train page's heaviest rerun again and again for ``seconds``: with the Compare tab open and
    5,000 iterations, a new loss, each time from a new random start (the seed moved first, untimed),
    so the main run and the three compared rates are all new: four 5,000-iteration runs in one batch.
    One measurement per move hides how often such a rerun crosses the budget; this shows it."""
    at = new_session(data, "train")
    at.run()
    _start(at, [Move("slider", "train_iters", (5000,)), Move("radio", "train_init", ("random",)),
                Move("state", "tab", ("compare",))])
    seed, loss = Move("number_input", "train_seed", ()), Move("radio", "train_loss", ())
    times, k, end = [], 0, time.perf_counter() + seconds
    while time.perf_counter() < end or not times:
        k += 1
        seed.apply(at, k)  # untimed: a start not seen before
        at.run()
        _check(at, f"train: train_seed = {k}")
        loss.apply(at, "mse" if k % 2 else "cross_entropy")
        times.append(_timed_run(at, "train: a new loss with the Compare tab open"))
    return times


def train_rerun_kinds(data: str, repeats: int) -> dict[str, list[float]]:
    """Every kind of Train rerun a visitor causes, each repeated ``repeats`` times, in seconds. A kind
    that trains is measured from a start not seen before (a new seed); a rate move walks the slider
    a notch at a time, up then down, as a hand does, so it meets cached neighbours and new rates as a
    student would."""
    from playground.ui.pages import train_params as tp

    kinds: dict[str, list[float]] = {}
    seed_move = Move("number_input", "train_seed", ())
    lr, iters = Move("select_slider", "train_lr", ()), Move("slider", "train_iters", ())
    seeds = iter(range(1000, 100_000))

    def timed(at, move, value, kind):
        move.apply(at, value)
        kinds.setdefault(kind, []).append(_timed_run(at, f"train: {kind}"))

    for count, tab in ((2000, None), (5000, None), (2000, "compare"), (5000, "compare")):
        at = new_session(data, "train")
        at.run()
        _start(at, [Move("radio", "train_init", ("random",)), Move("slider", "train_iters", (count,))]
               + ([Move("state", "tab", (tab,))] if tab else []))
        where = f"{count:,} iterations, Compare {'open' if tab else 'closed'}"
        for _ in range(repeats):
            timed(at, seed_move, next(seeds), f"a new seed, {where}")
        if tab:
            continue
        i = tp.LEARNING_RATES.index(tp.DEFAULT_LEARNING_RATE)
        walk = [tp.LEARNING_RATES[j] for j in range(i + 1, i + 6)] + [tp.LEARNING_RATES[j] for j in range(i + 4, i - 6, -1)]
        done = 0
        while done < repeats:
            seed_move.apply(at, next(seeds))
            lr.apply(at, tp.DEFAULT_LEARNING_RATE)
            at.run()
            for rate in walk[:repeats - done]:
                timed(at, lr, rate, f"the rate a notch on, {where}")
                done += 1
        steps = [c for c in range(count - tp.ITERATION_STEP, 0, -7 * tp.ITERATION_STEP)]
        for n in (steps * repeats)[:repeats]:
            timed(at, iters, n, f"the iterations moved below the horizon, {where}")
    return kinds


def print_kinds(data: str, kinds: dict[str, list[float]]) -> None:
    for kind, times in kinds.items():
        ordered = sorted(times)
        p90 = statistics.quantiles(ordered, n=10, method="inclusive")[-1] if len(ordered) > 1 else ordered[0]
        over = sum(t > RERUN_BUDGET_S for t in ordered)
        print(f"  {data:8} {kind:<72} {len(ordered):>4} {statistics.median(ordered):>7.3f} {p90:>7.3f} "
              f"{ordered[-1]:>7.3f} {over:>5}")


def print_tail(data: str, times: list[float]) -> None:
    ordered = sorted(times)
    over = sum(t > RERUN_BUDGET_S for t in ordered)
    p90 = statistics.quantiles(ordered, n=10, method="inclusive")[-1] if len(ordered) > 1 else ordered[0]
    print(f"  {data:8} {len(ordered)} reruns: median {statistics.median(ordered):.3f}, "
          f"p90 {p90:.3f}, max {ordered[-1]:.3f} s; "
          f"over {RERUN_BUDGET_S} s: {over} ({100 * over / len(ordered):.0f} %)")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.pages", description=__doc__.split("\n")[0])
    p.add_argument("--course", default=str(COURSE_DIR), help="folder of the course's .h5 pair (default: %(default)s)")
    p.add_argument("--pages", help="comma-separated page names (default: all six)")
    p.add_argument("--data", default="builtin,course", help="builtin, course or both (default: %(default)s)")
    p.add_argument("--repeats", type=int, default=3,
                   help="moves of each main control, at most the 3 values PAGES lists (default: %(default)s)")
    p.add_argument("--no-core", action="store_true", help="skip the training and loss-surface figures")
    p.add_argument("--blas-threads", type=int, metavar="N",
                   help="hold OpenBLAS to N threads for the page runs (default: as NumPy sets it, like the server)")
    p.add_argument("--tail", type=float, metavar="SECONDS",
                   help="also repeat the Train page's heaviest rerun for SECONDS per dataset and print its spread")
    p.add_argument("--kinds", type=int, metavar="N",
                   help="also repeat every kind of Train rerun N times per dataset and print p50 and p90")
    p.add_argument("--quick", action="store_true",
                   help="a smoke run: the Data page on the built-in data, one move, no other controls, no core figures")
    args = p.parse_args(argv)

    course = Path(args.course)
    have_course = (course / "train_catvnoncat.h5").is_file()
    # The sidebar offers the course's photos only when $PLAYGROUND_DATA (or ./data) holds them.
    if have_course:
        os.environ["PLAYGROUND_DATA"] = str(course)
    names = QUICK_PAGES if args.quick else tuple(args.pages.split(",")) if args.pages else tuple(c.name for c in PAGES)
    unknown = set(names) - {c.name for c in PAGES}
    if unknown:
        p.error(f"unknown pages {', '.join(sorted(unknown))}; known: {', '.join(c.name for c in PAGES)}")
    datasets = ["builtin"] if args.quick else [d for d in args.data.split(",") if d != "course" or have_course]
    if "course" in args.data.split(",") and not have_course and not args.quick:
        print(f"the course's data is not at {course}: built-in data only")
    repeats = 1 if args.quick else args.repeats

    quiet_streamlit()
    share_script_cache()
    print(machine_line())
    print(host_line())
    print(set_blas_threads(args.blas_threads))
    # Imports and the first script run of a process cost seconds that no visitor of a running
    # server pays: spend them before anything is timed.
    new_session("builtin", "data").run()

    results = []
    for case in (c for c in PAGES if c.name in names):
        for data in datasets:
            results.append(measure_page(case, data, repeats, others=not args.quick))
            print(f"  measured {case.name} on {data} (load {os.getloadavg()[0]:.2f})", flush=True)
    print_pages(results)

    core = surfaces = None
    if not (args.no_core or args.quick) and have_course:
        print(f"\nTRAINING (playground.training.bench, course data, median of {args.repeats})")
        core = core_figures(course, args.repeats)
        print("\nLOSS SURFACES (benchmarks/landscape.py functions)")
        surfaces = landscape_figures(course, args.repeats)
    print_ratios(results, core, surfaces)
    if args.tail:
        print(f"\nTHE HEAVIEST RERUN, REPEATED (Train, Compare open, 5,000 iterations, a new loss from a new start; "
              f"{args.tail:g} s each)")
        for data in datasets:
            print_tail(data, heaviest_move_tail(data, args.tail))
    if args.kinds:
        print(f"\nEVERY KIND OF TRAIN RERUN, {args.kinds} TIMES EACH (seconds; budget ≤ {RERUN_BUDGET_S} s)")
        print(f"  {'data':8} {'rerun':<72} {'n':>4} {'p50':>7} {'p90':>7} {'max':>7} {'over':>5}")
        for data in datasets:
            print_kinds(data, train_rerun_kinds(data, args.kinds))
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}; {host_line()}")
    return 1 if any(r.error for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
