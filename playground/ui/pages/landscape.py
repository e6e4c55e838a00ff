"""Loss landscape: squared error against cross-entropy, side by side, in three views."""

import numpy as np
import streamlit as st

from playground import counterexample as cx
from playground.figures.landscape import (
    ContourPanel,
    CurvePanel,
    contour_paths_figure,
    counterexample_figure,
    surface_figure,
)
from playground.slices import DIRECTIONS, SliceLandscape, slice_landscape
from playground.surfaces import overlapping_dataset, two_parameter_landscapes
from playground.training import TrainingSettings
from playground.ui import cache

LOSS_ORDER = ("mse", "cross_entropy")
TITLES = {"mse": "Squared error ½(a − y)²", "cross_entropy": "Cross-entropy"}
VIEWS = {
    "exact": "1 · Two parameters, exact",
    "slice": "2 · A slice of the real model",
    "counter": "3 · The counterexample",
}
TOY_RATES = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0)
TOY_ITERATIONS = (20, 50, 100, 200, 500, 1000)
REAL_RATES = (0.0005, 0.001, 0.005, 0.01, 0.05)
REAL_ITERATIONS = (100, 500, 1000, 2000, 3000)
COUNTER_RATES = (0.3, 1.0, 3.0, 10.0, 30.0)
DIRECTION_LABELS = {"trajectory": "principal directions of the training path", "random": "random (normalised)"}


def _count(k: int, n: int) -> str:
    return f"{k:,} of {n:,}"


def _eig(value: float) -> str:
    return "0" if value == 0 else f"{value:.3g}"


def numbers_table(rows: list[tuple[str, str, str]]) -> None:
    """The convexity numbers, squared error beside cross-entropy, one quantity a row."""
    lines = [f"| | {TITLES['mse']} | {TITLES['cross_entropy']} |", "|---|---|---|"]
    lines += [f"| {label} | {a} | {b} |" for label, a, b in rows]
    st.markdown("\n".join(lines))


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
    st.markdown(
        f"**One feature plus a bias**, so the parameters are the point (w, b) and the whole cost can be drawn. "
        f"The data: {data.m} points on a line, ŷ = σ(w·x + b); the classes overlap (a cat at x = −1, a "
        "non-cat at x = 0.8), so no threshold separates them and cross-entropy has a finite minimum. "
        "Both columns start at the same (w₀, b₀) with the same learning rate and iterations."
    )
    c1, c2, c3, c4 = st.columns(4)
    w0 = c1.slider("start w₀", -10.0, 10.0, -6.0, 0.5, key="ls_w0")
    b0 = c2.slider("start b₀", -10.0, 10.0, 4.0, 0.5, key="ls_b0")
    lr = c3.select_slider("learning rate α", TOY_RATES, value=1.0, key="ls_lr")
    iters = c4.select_slider("iterations", TOY_ITERATIONS, value=200, key="ls_iters")
    try:
        runs = _two_parameters(float(w0), float(b0), float(lr), int(iters))
    except ValueError as err:
        st.error(f"These settings can't be used: {err}")
        return
    panels = [
        ContourPanel(TITLES[name], r.w_values, r.b_values, r.J, r.path.w, r.path.b, r.path.costs, r.lambda_min_path)
        for name, r in ((n, runs[n]) for n in LOSS_ORDER)
    ]
    iterations = np.arange(int(iters) + 1)
    st.plotly_chart(contour_paths_figure(panels, iterations, "w", "b"), key="ls_contours")
    st.caption(
        "Colour: log of the cost J (the colour bars are labelled in J). Dotted: the whole run; "
        "▶ Play moves both points together, one frame per few iterations. Point at the moving dot to read "
        "J and the smallest Hessian eigenvalue λ_min where it is."
    )
    mse, ce = runs["mse"], runs["cross_entropy"]
    numbers_table([
        ("cost J, start → end", *(f"{r.path.costs[0]:.4f} → {r.path.costs[-1]:.4f}" for r in (mse, ce))),
        ("gradient size ‖∇J‖ at the start", *(f"{r.path.grad_norm_start:.3g}" for r in (mse, ce))),
        ("smallest Hessian eigenvalue λ_min at the start", *(_eig(r.lambda_min_start) for r in (mse, ce))),
        ("λ_min where the run ended", *(_eig(r.lambda_min_end) for r in (mse, ce))),
        ("grid points with negative curvature (a Hessian eigenvalue < 0)",
         *(_count(r.negative_points, r.grid_points) for r in (mse, ce))),
        ("midpoint-convexity violations (neighbour triples with J(p) above the chord)",
         *(_count(r.midpoint_violations, r.midpoint_checks) for r in (mse, ce))),
    ])
    cols = st.columns(2)
    for col, name in zip(cols, LOSS_ORDER):
        r = runs[name]
        with col:
            st.markdown(f"**J(w, b), {TITLES[name].lower()}** — the whole run in red")
            st.plotly_chart(surface_figure(r.w_values, r.b_values, r.J, r.path.w, r.path.b, r.path.costs, "w", "b"),
                            key=f"ls_surface_{name}")
    st.markdown("#### Why one is convex and the other is not")
    st.markdown(
        "J(w, b) averages L(z⁽ⁱ⁾, y⁽ⁱ⁾) over z = w·x + b. An average and an affine map keep convexity, so J "
        "is convex as soon as each example's loss is convex **in z**:"
    )
    st.latex(r"\text{cross-entropy: } L = \log(1 + e^{z}) - y\,z,\qquad \frac{d^2L}{dz^2} = a(1-a) \ge 0")
    st.latex(r"\text{squared error: } \frac{d^2L}{dz^2} = a(1-a)^2(3a-1)\ (y=1),\qquad a^2(1-a)(2-3a)\ (y=0)")
    st.markdown(
        "The squared error bends **down** wherever an example is confidently wrong (a < ⅓ for a cat, "
        "a > ⅔ for a non-cat). The composition rule — h(g) is convex when h is convex and non-decreasing "
        "and g convex — does not rescue it, because the sigmoid is not convex. "
        "**Why it matters:** on a convex cost every local minimum is the global one, and gradient descent "
        "with a small enough step ends there from any start. Start MSE where the examples are confidently "
        "wrong and its gradient carries a factor a(1 − a) ≈ 0: a plateau, where the steps almost vanish "
        "(compare ‖∇J‖ at the start)."
    )


def _common_length(results: dict) -> int:
    return min(len(r.snapshot_iterations) for r in results.values())


def real_slice() -> None:
    ds = cache.dataset()
    F = cache.features(ds)
    st.markdown(
        f"**J(w\\* + s·d₁ + t·d₂)** through the model trained on *{ds.name}* ({F.m_train} images, "
        f"n_x = {F.n_x:,}): a 2-D slice of a {F.n_x + 1:,}-dimensional cost. Each column trains its own model "
        "with its loss (same start, learning rate and iterations) and slices its own cost."
    )
    c1, c2, c3, c4 = st.columns([1, 1, 1, 1.3])
    lr = c1.select_slider("learning rate α", REAL_RATES, value=0.005, key="ls_real_lr")
    iters = c2.select_slider("iterations", REAL_ITERATIONS, value=2000, key="ls_real_iters")
    init = c3.radio("start", ["zeros", "random"], horizontal=True, key="ls_real_init",
                    help="zeros: w = 0, b = 0 as in the course; random: small Gaussian weights.")
    kind = c4.radio("directions d₁, d₂", DIRECTIONS, format_func=DIRECTION_LABELS.get, key="ls_real_dirs")
    seed = 0
    if kind == "random":
        seed = int(c4.number_input("seed of the random directions", 0, 9999, 0, key="ls_real_seed"))
    results, slices = {}, {}
    try:
        with st.spinner("Training with both losses and computing the two 101 × 101 slices…"):
            for name in LOSS_ORDER:
                settings = TrainingSettings(loss=name, learning_rate=float(lr), num_iterations=int(iters), init=init)
                results[name] = cache.training(F, settings)
                slices[name] = _slice(F.key, settings, kind, seed, F, results[name])
    except ValueError as err:
        st.error(f"This slice can't be drawn: {err}")
        return
    k = _common_length(results)
    panels = [
        ContourPanel(TITLES[name], sl.s, sl.t, sl.J, sl.proj.s[:k], sl.proj.t[:k], sl.path_J[:k], sl.path_lambda[:k])
        for name, sl in ((n, slices[n]) for n in LOSS_ORDER)
    ]
    iterations = results["mse"].snapshot_iterations[:k]
    st.plotly_chart(contour_paths_figure(panels, iterations, "s (along d₁)", "t (along d₂)"), key="ls_slice_contours")
    st.caption(
        "The trained model w\\* is at the centre (s = t = 0); the path is the run's snapshots projected onto "
        "the plane, its cost read on the plane. Colour: log of J. The moving dot's hover gives the smallest "
        "curvature within the plane there."
        + (" Random directions are almost orthogonal to the path in this many dimensions, so the path "
           "projects to a short stroke near the centre." if kind == "random" else "")
    )
    mse, ce = (results[n] for n in LOSS_ORDER)
    sm, sc = (slices[n] for n in LOSS_ORDER)
    numbers_table([
        ("cost at w* (after training)", *(f"{r.final_cost:.4f}" for r in (mse, ce))),
        ("train / test accuracy", *(f"{r.train_accuracy:.1f} % / {r.test_accuracy:.1f} %" for r in (mse, ce))),
        ("share of the path in the plane", *(f"{100 * sl.proj.plane.in_plane:.1f} %" for sl in (sm, sc))),
        ("smallest curvature within the plane at w*", *(_eig(sl.lambda_at_star) for sl in (sm, sc))),
        ("midpoint-convexity violations on the 101 × 101 slice",
         *(_count(sl.midpoint_violations, sl.midpoint_checks) for sl in (sm, sc))),
    ])
    cols = st.columns(2)
    for col, name in zip(cols, LOSS_ORDER):
        sl = slices[name]
        with col:
            st.markdown(f"**J(w\\* + s·d₁ + t·d₂), {TITLES[name].lower()}**")
            st.plotly_chart(surface_figure(sl.s, sl.t, sl.J, sl.proj.s[:k], sl.proj.t[:k], sl.path_J[:k], "s", "t"),
                            key=f"ls_slice_surface_{name}")
    st.markdown(
        "**How the slice is computed** (Li et al. 2018, *Visualizing the Loss Landscape of Neural Nets*): "
        "d₁, d₂ are the two principal directions of the parameters along the run, so the path lies close to "
        "the plane; or two Gaussian directions scaled to ‖w\\*‖ (their “filter normalisation”). On the plane "
        "z = z\\* + s·p₁ + t·p₂ with z\\* = w\\*ᵀX + b\\* and pₖ = dₖᵀX: three vectors of m numbers, computed "
        "once, make each of the 10,201 grid points cost m operations instead of n_x·m.\n\n"
        "**Reading it:** a slice of a convex function is convex, so the cross-entropy slice has no "
        "midpoint violations on any plane. A squared-error slice near w\\* can look like a bowl too — through "
        "random directions it often does — so a picture alone proves nothing. The numbers above, and views "
        "1 and 3, show where it is not convex."
    )


def counterexample() -> None:
    data = cx.counterexample_dataset()
    st.markdown(
        "**One weight, no bias.** Six inputs on very different scales, x = (10⁵, 10⁴, 10³, 10², 10, 1), with "
        "alternating labels y = (1, 0, 1, 0, 1, 0). Each factor of ten in w swings one more σ(w·x) from ½ to 1: "
        "a cat's error falls, a non-cat's rises, so the squared error goes down and up three times. "
        "After Auer, Herbster & Warmuth (1996), *Exponentially many local minima for single neurons*."
    )
    c1, c2, c3, c4, c5 = st.columns(5)
    lo, hi = cx.LOG_W_RANGE
    starts = tuple(
        float(c.slider(f"start {i + 1}: log₁₀ w₀", lo, hi, default, 0.1, key=f"ls_cx_start{i}"))
        for i, (c, default) in enumerate(zip((c1, c2, c3), (-5.5, -2.0, -0.5)))
    )
    lr = c4.select_slider("learning rate α (on log₁₀ w)", COUNTER_RATES, value=3.0, key="ls_cx_lr")
    iters = c5.slider("iterations", 5, 300, 60, 5, key="ls_cx_iters")
    try:
        curves = _counterexample(starts, float(lr), int(iters))
    except ValueError as err:
        st.error(f"These settings can't be used: {err}")
        return
    panels = [
        CurvePanel(TITLES[name], 10.0 ** c.u, c.J, 10.0 ** c.minima, c.minima_J,
                   [(p.w, p.costs) for p in c.paths], log_y=(name == "cross_entropy"))
        for name, c in ((n, curves[n]) for n in LOSS_ORDER)
    ]
    st.plotly_chart(counterexample_figure(panels), key="ls_counter")
    st.caption("Green triangles: the local minima, found where dJ/dw changes sign. One colour per start.")
    cols = st.columns(2)
    for col, name in zip(cols, LOSS_ORDER):
        c = curves[name]
        with col:
            st.subheader(TITLES[name])
            m1, m2 = st.columns(2)
            m1.metric("local minima along w > 0", len(c.minima))
            m2.metric("points with d²J/dw² < 0", _count(c.negative_points, len(c.u)))
            st.markdown("Minima at w = " + ", ".join(f"{10 ** u:.3g}" for u in c.minima) + ".")
            rows = []
            for i, (path, reached) in enumerate(zip(c.paths, c.reached)):
                rows.append({
                    "start": i + 1, "w₀": f"{path.w[0]:.3g}", "w at the end": f"{path.w[-1]:.3g}",
                    "J at the end": f"{path.costs[-1]:.4f}",
                    "ends in": "still moving" if reached is None else f"min {reached + 1}",
                })
            st.dataframe(rows, hide_index=True)
    st.markdown(
        "**What is iterated.** Plain gradient descent on w can't serve three valleys whose widths differ by a "
        "factor of 10⁴, so the descent runs on the exponent u = log₁₀ w: u := u − α·dJ/du, with "
        "dJ/du = ln 10 · w · dJ/dw and dJ/dw from the course's `propagate`. Each step is capped at a quarter of "
        "a decade, so the steep cross-entropy wall near w = 1 can't throw the weight across the axis. "
        "Changing variables neither creates nor removes a minimum, so the counts are those of J(w); the "
        "curvature is counted in w itself.\n\n"
        "**Why:** cross-entropy is convex in w, so all starts end in its single minimum; with squared error "
        "where you start decides where you end. With more inputs on more scales the number of minima grows "
        "exponentially (Auer et al.). The course's example x = (10⁶, 10⁴, 10², 1) gives two minima for w > 0 "
        "and a third at w < 0; these six inputs put all three on the log axis."
    )
    st.caption(f"The data: x = {data.x.astype(int).tolist()}, y = {data.y.astype(int).tolist()}, b = 0.")


st.title("Loss landscape: MSE vs cross-entropy")
st.markdown(
    "Gradient descent walks downhill on the cost. Whether it reaches the **global** minimum from any start "
    "depends on the shape of that cost: with the sigmoid, the cross-entropy is **convex**, the squared error "
    "is **not**. Three views show it — in pictures and, beside them, in numbers. Squared error on the left, "
    "cross-entropy on the right."
)
view = st.radio("View", list(VIEWS), format_func=VIEWS.get, horizontal=True, key="landscape_view",
                label_visibility="collapsed")
if view == "exact":
    two_parameters()
elif view == "slice":
    real_slice()
else:
    counterexample()
