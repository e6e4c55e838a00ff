"""Loss landscape: squared error against cross-entropy, side by side, in three views.

``?hide=`` (presenter mode) knows five controls here; a hidden control keeps its default:
``view`` (the view radio; ``?view=exact|slice|counter`` picks the view, else view 1),
``start`` (w₀, b₀ in view 1, zeros/random in view 2, the three starts in view 3),
``lr`` and ``iterations`` (in every view), ``directions`` (view 2's directions and their seed).
"""

import dataclasses
from collections.abc import Callable

import numpy as np
import streamlit as st

from playground.figures.landscape import (
    ContourPanel,
    CurvePanel,
    Words,
    contour_paths_figure,
    counterexample_figure,
    surface_figure,
)
from playground.lessons.checkpoints import landscape as asked
from playground.lessons.landscape import counterexample as cx
from playground.lessons.landscape.slices import (
    DIRECTIONS,
    SliceLandscape,
    slice_landscape,
)
from playground.lessons.landscape.surfaces import (
    overlapping_dataset,
    two_parameter_landscapes,
)
from playground.training import TrainingSettings
from playground.ui import cache, checkpoints, state
from playground.ui.i18n import labels, language, t
from playground.ui.links import quoted
from playground.ui.notation import formula_lines
from playground.ui.presenter import SCALE, chart, hidden, presenting
from playground.ui.sidebar import source_label
from playground.ui.tables import table

LOSS_ORDER = ("mse", "cross_entropy")
VIEWS = ("exact", "slice", "counter")
TOY_START = (-6.0, 4.0)
TOY_RATES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
TOY_RATE = 1.0
TOY_ITERATIONS = (20, 50, 100, 200, 500, 1000)
TOY_ITERATION = 200
REAL_RATES = (0.0005, 0.001, 0.005, 0.01, 0.05)
REAL_RATE = 0.005
REAL_ITERATIONS = (100, 500, 1000, 2000, 3000)
REAL_ITERATION = 2000
INITS = ("zeros", "random")
COUNTER_STARTS = (-5.5, -2.0, -0.5)
COUNTER_RATES = (0.3, 1.0, 3.0, 10.0, 30.0)
COUNTER_RATE = 3.0
COUNTER_ITERATION = 60
CHORD_KEY = "ls_cx_chord"  # view 3's toggle that draws a chord on both curves
# (log₁₀ w₀, α, iterations) that checkpoint "ends" asks about, kept once it is answered or revealed.
ENDS_ASKED = "ls_ends_asked"
# What the checkpoints' "Show me" sets: names in Question.show → the keys of the page's widgets.
SHOW = {"view": "landscape_view", "start": "ls_cx_start0", "lr": "ls_cx_lr", "iterations": "ls_cx_iters",
        "chord": CHORD_KEY}

# Bare strings in a page are drawn by Streamlit's "magic": explanations here are comments.
# A control: (name for ?hide=, relative column width, value when hidden, draw(column) → value).
Control = tuple[str, float, object, Callable]


def _controls(*controls: Control) -> list:
    """The controls ?hide= does not name, side by side in columns; every control's value, in order."""
    shown = [c for c in controls if not hidden(c[0])]
    columns = iter(st.columns([c[1] for c in shown]) if shown else ())
    return [value if hidden(name) else draw(next(columns)) for name, _, value, draw in controls]


def _title(name: str) -> str:
    return t(f"landscape.loss_{name}")


def _words() -> Words:
    """The figures' words in the visitor's language (keys landscape.fig_<field>)."""
    return Words(**{f.name: t(f"landscape.fig_{f.name}") for f in dataclasses.fields(Words)})


def _font_scale() -> float:
    return SCALE if presenting() else 1.0


def _count(k: int, n: int) -> str:
    return t("landscape.count", k=k, n=n)


def _eig(value: float) -> str:
    return "0" if value == 0 else f"{value:.3g}"


def numbers_table(rows: list[tuple[str, str, str]]) -> None:
    """The convexity numbers, squared error beside cross-entropy, one quantity a row."""
    table(["", _title("mse"), _title("cross_entropy")], rows)


@st.cache_resource(max_entries=16, show_spinner=False)
def _surface_figure(what: tuple, loss: str, axes: tuple[str, str], lang: str, scale: float, _words: Words,
                    _arrays: tuple):
    """One loss's 3-D surface, built once per (computation, loss, language, size) for every visitor and
    every toggle (Streamlit only reads it): ``what`` names in plain values the computation ``_arrays``
    come from, ``lang`` the words."""
    return surface_figure(*_arrays, *axes, words=_words, font_scale=scale)


def _surfaces_on_demand(toggle_key: str, text_key: str, axes: tuple[str, str], chart_key: str,
                        what: tuple, surfaces: dict[str, tuple]) -> None:
    """Behind a "Show as 3-D surfaces" toggle, off at first (the 2-D maps above carry the lesson, and
    a browser without a graphics card draws each WebGL surface in software, slowly on a first
    visit): one surface a loss, side by side. ``surfaces``: loss name → (x grid, y grid, J grid,
    path x, path y, path J), computed as ``what`` (plain values) says."""
    if not st.toggle(t("landscape.show_3d"), value=False, key=toggle_key, help=t("landscape.show_3d_help")):
        return
    words, scale = _words(), _font_scale()
    for col, name in zip(st.columns(2), LOSS_ORDER):
        with col:
            st.markdown(t(text_key, loss=_title(name).lower()))
            fig = _surface_figure(what, name, axes, language(), scale, words, surfaces[name])
            chart(fig, key=f"{chart_key}_{name}")


@st.cache_data(max_entries=32, show_spinner=False)
def _two_parameters(w0: float, b0: float, learning_rate: float, num_iterations: int):
    return two_parameter_landscapes(overlapping_dataset(), w0, b0, learning_rate, num_iterations)


@st.cache_data(max_entries=32, show_spinner=False)
def _slice(features_key: str, settings: TrainingSettings, kind: str, seed: int, _features, _result) -> SliceLandscape:
    """The slice through one trained model, keyed by plain values (the model is fixed by the key)."""
    return slice_landscape(_features, _result, kind, seed)


@st.cache_data(max_entries=32, show_spinner=False)
def _counterexample(starts: tuple[float, ...], learning_rate: float, num_iterations: int):
    return cx.counterexample_curves(starts, learning_rate, num_iterations)


def two_parameters() -> None:
    data = overlapping_dataset()
    st.markdown(t("landscape.exact_intro", m=data.m))
    w0, b0, lr, iters = _controls(
        ("start", 1, TOY_START[0],
         lambda c: c.slider(t("landscape.start_w"), -10.0, 10.0, TOY_START[0], 0.5, key="ls_w0")),
        ("start", 1, TOY_START[1],
         lambda c: c.slider(t("landscape.start_b"), -10.0, 10.0, TOY_START[1], 0.5, key="ls_b0")),
        ("lr", 1, TOY_RATE, lambda c: c.select_slider(t("landscape.lr"), TOY_RATES, value=TOY_RATE, key="ls_lr")),
        ("iterations", 1, TOY_ITERATION,
         lambda c: c.select_slider(t("landscape.iterations"), TOY_ITERATIONS, value=TOY_ITERATION, key="ls_iters")),
    )
    try:
        runs = _two_parameters(float(w0), float(b0), float(lr), int(iters))
    except ValueError as err:
        st.error(t("landscape.bad_settings", error=err))
        return
    panels = [
        ContourPanel(_title(name), r.w_values, r.b_values, r.J, r.path.w, r.path.b, r.path.costs, r.lambda_min_path)
        for name, r in ((n, runs[n]) for n in LOSS_ORDER)
    ]
    iterations = np.arange(int(iters) + 1)
    words, scale = _words(), _font_scale()
    chart(contour_paths_figure(panels, iterations, "w", "b", words=words, font_scale=scale), key="ls_contours")
    st.caption(t("landscape.exact_caption"))
    mse, ce = runs["mse"], runs["cross_entropy"]
    numbers_table([
        (t("landscape.row_cost"), *(f"{r.path.costs[0]:.4f} → {r.path.costs[-1]:.4f}" for r in (mse, ce))),
        (t("landscape.row_gradient"), *(f"{r.path.grad_norm_start:.3g}" for r in (mse, ce))),
        (t("landscape.row_lambda_start"), *(_eig(r.lambda_min_start) for r in (mse, ce))),
        (t("landscape.row_lambda_end"), *(_eig(r.lambda_min_end) for r in (mse, ce))),
        (t("landscape.row_negative"), *(_count(r.negative_points, r.grid_points) for r in (mse, ce))),
        (t("landscape.row_midpoint"), *(_count(r.midpoint_violations, r.midpoint_checks) for r in (mse, ce))),
    ])
    _surfaces_on_demand("ls_3d", "landscape.surface_exact", ("w", "b"), "ls_surface",
                        ("exact", float(w0), float(b0), float(lr), int(iters)), {
        name: (r.w_values, r.b_values, r.J, r.path.w, r.path.b, r.path.costs) for name, r in runs.items()})
    st.markdown("#### " + t("landscape.why_title"))
    st.markdown(t("landscape.why_intro"))
    # (plain text, playground/ui/notation.py: st.latex would fetch KaTeX on every first visit)
    st.markdown(formula_lines(
        (t("landscape.formula_cross_entropy") + " L = log(1 + eᶻ) − y z", "d²L/dz² = a(1 − a) ≥ 0"),
        (t("landscape.formula_mse") + " d²L/dz² = a(1 − a)²(3a − 1) (y = 1)", "a²(1 − a)(2 − 3a) (y = 0)"),
    ))
    st.markdown(t("landscape.why_text"))


def _common_length(results: dict) -> int:
    return min(len(r.snapshot_iterations) for r in results.values())


def _directions(column) -> tuple[str, int]:
    """The directions radio, and under it the seed when they are random."""
    kind = column.radio(t("landscape.directions"), DIRECTIONS,
                        format_func=labels("landscape.directions_{}", DIRECTIONS), key="ls_real_dirs")
    seed = 0
    if kind == "random":
        seed = int(column.number_input(t("landscape.seed"), 0, 9999, 0, key="ls_real_seed"))
    return kind, seed


def real_slice() -> None:
    ds = cache.dataset_or_stop()
    F = cache.features(ds)
    st.markdown(t("landscape.slice_intro", dataset=source_label(state.get_source()), m=F.m_train, n_x=F.n_x,
                  dims=F.n_x + 1))
    lr, iters, init, (kind, seed) = _controls(
        ("lr", 1, REAL_RATE,
         lambda c: c.select_slider(t("landscape.lr"), REAL_RATES, value=REAL_RATE, key="ls_real_lr")),
        ("iterations", 1, REAL_ITERATION,
         lambda c: c.select_slider(t("landscape.iterations"), REAL_ITERATIONS, value=REAL_ITERATION,
                                   key="ls_real_iters")),
        ("start", 1, INITS[0],
         lambda c: c.radio(t("landscape.init"), INITS, format_func=labels("landscape.init_{}", INITS), horizontal=True,
                           key="ls_real_init", help=t("landscape.init_help"))),
        ("directions", 1.3, (DIRECTIONS[0], 0), _directions),
    )
    results, slices = {}, {}
    try:
        with st.spinner(t("landscape.slice_spinner")):
            settings = {name: TrainingSettings(loss=name, learning_rate=float(lr), num_iterations=int(iters), init=init)
                        for name in LOSS_ORDER}
            # Both losses in one batch (one loop). No test history (the view shows only the final test
            # accuracy, measured anyway) and no snapshot weights: the slice projects the snapshots in
            # dual form (playground.lessons.landscape.slices).
            runs = cache.trainings(F, list(settings.values()), test_history=False)
            for (name, s), run in zip(settings.items(), runs):
                results[name] = run
                slices[name] = _slice(F.key, s, kind, seed, F, run)
    except ValueError as err:
        st.error(t("landscape.slice_error", error=err))
        return
    k = _common_length(results)
    panels = [
        ContourPanel(_title(name), sl.s, sl.t, sl.J, sl.proj.s[:k], sl.proj.t[:k], sl.path_J[:k], sl.path_lambda[:k],
                     mark=sl.lowest()[:3])
        for name, sl in ((n, slices[n]) for n in LOSS_ORDER)
    ]
    iterations = results["mse"].snapshot_iterations[:k]
    words, scale = _words(), _font_scale()
    chart(contour_paths_figure(panels, iterations, t("landscape.axis_s"), t("landscape.axis_t"), words=words,
                               font_scale=scale), key="ls_slice_contours")
    st.caption(t("landscape.slice_caption")
               + (" " + t("landscape.slice_caption_random") if kind == "random" else ""))
    st.markdown(lowest_points(slices, int(iters)))
    mse, ce = (results[n] for n in LOSS_ORDER)
    sm, sc = (slices[n] for n in LOSS_ORDER)
    numbers_table([
        (t("landscape.row_cost_star"), *(f"{r.final_cost:.4f}" for r in (mse, ce))),
        (t("landscape.row_accuracy"),
         *(f"{r.train_accuracy:.1f} % / {r.test_accuracy:.1f} %" for r in (mse, ce))),
        (t("landscape.row_in_plane"), *(f"{100 * sl.proj.plane.in_plane:.1f} %" for sl in (sm, sc))),
        (t("landscape.row_curvature_star"), *(_eig(sl.lambda_at_star) for sl in (sm, sc))),
        (t("landscape.row_midpoint_slice"), *(_count(sl.midpoint_violations, sl.midpoint_checks) for sl in (sm, sc))),
    ])
    _surfaces_on_demand("ls_real_3d", "landscape.surface_slice", ("s", "t"), "ls_slice_surface",
                        ("slice", F.key, float(lr), int(iters), init, kind, seed), {
        name: (sl.s, sl.t, sl.J, sl.proj.s[:k], sl.proj.t[:k], sl.path_J[:k]) for name, sl in slices.items()})
    st.markdown(t("landscape.slice_text"))


def lowest_points(slices: dict[str, SliceLandscape], iterations: int) -> str:
    """Where each slice is lowest, against J at w* in its centre: one Markdown line a loss. w* is where
    training stopped, so a run that has not converged leaves lower ground ahead of it."""
    lines = []
    for name in LOSS_ORDER:
        sl = slices[name]
        s, t_, J, on_edge = sl.lowest()
        if s == 0 and t_ == 0:
            text = t("landscape.lowest_centre", J=J)
        else:
            text = t("landscape.lowest_edge" if on_edge else "landscape.lowest_inside",
                     s=s, t=t_, J=J, J_star=sl.at_star(), iterations=iterations)
        lines.append(f"- **{_title(name)}**: {text}")
    return "\n".join(lines)


def _start_slider(i: int) -> Control:
    lo, hi = cx.LOG_W_RANGE
    default = COUNTER_STARTS[i]
    return ("start", 1, default, lambda c: c.slider(
        t("landscape.counter_start", i=i + 1), lo, hi, step=0.1, key=state.widget_default(f"ls_cx_start{i}", default)))


def counterexample() -> None:
    data = cx.counterexample_dataset()
    st.markdown(t("landscape.counter_intro"))
    *starts, lr, iters = _controls(
        *(_start_slider(i) for i in range(len(COUNTER_STARTS))),
        ("lr", 1, COUNTER_RATE, lambda c: c.select_slider(
            t("landscape.counter_lr"), COUNTER_RATES, key=state.widget_default("ls_cx_lr", COUNTER_RATE))),
        ("iterations", 1, COUNTER_ITERATION, lambda c: c.slider(
            t("landscape.iterations"), 5, 300, step=5, key=state.widget_default("ls_cx_iters", COUNTER_ITERATION))),
    )
    starts = tuple(float(u) for u in starts)
    try:
        curves = _counterexample(starts, float(lr), int(iters))
    except ValueError as err:
        st.error(t("landscape.bad_settings", error=err))
        return
    panels = [
        CurvePanel(_title(name), 10.0 ** c.u, c.J, 10.0 ** c.minima, c.minima_J,
                   [(p.w, p.costs) for p in c.paths], log_y=(name == "cross_entropy"))
        for name, c in ((n, curves[n]) for n in LOSS_ORDER)
    ]
    words = _words()
    drawn = st.toggle(t("landscape.chord_toggle"), key=CHORD_KEY, help=t("landscape.chord_help"))
    chords = _chords()[1] if drawn else None
    fig = counterexample_figure(panels, words=words, font_scale=_font_scale(),
                                chords=[chords[name] for name in LOSS_ORDER] if drawn else None)
    chart(fig, key="ls_counter")
    st.caption(t("landscape.counter_caption"))
    if drawn:
        st.markdown(chord_numbers(chords))
    cols = st.columns(2)
    for col, name in zip(cols, LOSS_ORDER):
        c = curves[name]
        with col:
            st.subheader(_title(name))
            m1, m2 = st.columns(2)
            m1.metric(t("landscape.metric_minima"), len(c.minima))
            m2.metric(t("landscape.metric_negative"), _count(c.negative_points, len(c.u)))
            st.markdown(t("landscape.minima_at", values=", ".join(f"{10 ** u:.3g}" for u in c.minima)))
            header = [t("landscape.col_start"), "w₀", t("landscape.col_w_end"), t("landscape.col_J_end"),
                      t("landscape.col_ends")]
            rows = [
                (i + 1, f"{path.w[0]:.3g}", f"{path.w[-1]:.3g}", f"{path.costs[-1]:.4f}",
                 t("landscape.still_moving") if reached is None else words.minimum.format(k=reached + 1))
                for i, (path, reached) in enumerate(zip(c.paths, c.reached))
            ]
            table(header, rows, ("right", "right", "right", "right", "left"))
    st.markdown(t("landscape.counter_text"))
    st.caption(t("landscape.counter_data", x=data.x.astype(int).tolist(), y=data.y.astype(int).tolist()))


@st.cache_data(show_spinner=False)
def _chords() -> tuple[dict[str, tuple[int, int]], dict[str, asked.Chord]]:
    """Per loss: how many chords of the counterexample have their midpoint above them (of how many),
    and the chord drawn, between the squared error's two lowest valleys. The same for every visitor."""
    w1, w2 = asked.chord_weights()
    return ({name: asked.chords_above(name) for name in LOSS_ORDER},
            {name: asked.chord(name, w1, w2) for name in LOSS_ORDER})


def chord_numbers(chords: dict[str, asked.Chord]) -> str:
    """The chord in numbers, one Markdown line a loss: J at the midpoint against the chord's height there."""
    c = chords[LOSS_ORDER[0]]
    lines = [t("landscape.chord_numbers", w1=f"{c.w1:.3g}", w2=f"{c.w2:.3g}", w_mid=f"{c.w_mid:.3g}")]
    for name in LOSS_ORDER:
        c = chords[name]
        where = t("landscape.chord_above" if c.gap > 0 else "landscape.chord_below")
        lines.append(f"- **{_title(name)}**: " + t("landscape.chord_loss", J_mid=f"{c.J_mid:.4g}",
                                                     chord_mid=f"{c.chord_mid:.4g}", gap=f"{abs(c.gap):.3g}",
                                                     where=where))
    return "\n".join(lines)


def _counter_settings() -> tuple[tuple[float, ...], float, int]:
    """View 3's starts, α and iterations as its controls hold them now; their defaults while the view is
    closed (Streamlit forgets an undrawn widget, and the view draws them anew at their defaults)."""
    def value(name: str, key: str, default):
        return default if hidden(name) else st.session_state.get(key, default)

    starts = tuple(float(value("start", f"ls_cx_start{i}", u)) for i, u in enumerate(COUNTER_STARTS))
    return starts, float(value("lr", "ls_cx_lr", COUNTER_RATE)), int(value("iterations", "ls_cx_iters", COUNTER_ITERATION))


def ends_question():
    """Checkpoint "ends" from a start no slider shows, with view 3's α and iterations. Kept once answered:
    "Show me" moves start 1 to it, and the why and the verdict must still speak of the start asked."""
    if ENDS_ASKED not in st.session_state or not checkpoints.engaged("landscape.ends"):
        starts, lr, iters = _counter_settings()
        st.session_state[ENDS_ASKED] = (asked.start_to_ask(starts), lr, iters)
    u0, lr, iters = st.session_state[ENDS_ASKED]
    return asked.ends(_counterexample((u0,), lr, iters)["mse"], lr, iters)


def _view() -> str:
    """The view radio; ?view= picks the first view shown (and the only one when ?hide=view)."""
    wanted = st.query_params.get("view", VIEWS[0])
    default = wanted if wanted in VIEWS else VIEWS[0]
    if wanted != default:  # said once: the unusable value leaves the address bar
        st.warning(t("landscape.link_bad_view", raw=quoted(wanted), options=", ".join(VIEWS), default=default))
        del st.query_params["view"]
    if hidden("view"):
        return default
    view = st.radio(t("landscape.view"), VIEWS, index=VIEWS.index(default),
                    format_func=labels("landscape.view_{}", VIEWS), horizontal=True, key="landscape_view",
                    label_visibility="collapsed")
    _sync_view(view)
    return view


def _sync_view(view: str) -> None:
    """Say the open view in the URL (view 1, the default, goes unsaid), so a copied link opens it."""
    if view == VIEWS[0]:
        if "view" in st.query_params:
            del st.query_params["view"]
    elif st.query_params.get("view") != view:
        st.query_params["view"] = view


st.title(t("landscape.title"))
st.markdown(t("landscape.intro"))
box = checkpoints.panel("landscape")  # (asked below, once the open view has drawn its controls)
view = _view()
if view == "exact":
    two_parameters()
elif view == "slice":
    real_slice()
else:
    counterexample()
box.ask("ends", ends_question, SHOW)
box.ask("chord", lambda: asked.midpoint_above(*_chords()), SHOW)
