"""Computational graph: forward and backward by hand, one real image, and gradient checking."""

import hashlib

import numpy as np
import streamlit as st

from playground.course.losses import LOSSES, get_loss
from playground.figures.graph import (
    LAYOUTS,
    computational_graph_figure,
    error_vs_epsilon_figure,
    gradient_image_html,
    graph_width,
)
from playground.lessons.checkpoints import graph as asked
from playground.lessons.graph.gradcheck import (
    BUGS,
    DEFAULT_EPSILON,
    DEFAULT_SAMPLE,
    EPSILON_GRID,
    GOOD,
    WRONG,
    best_check,
    diagnose,
    gradient_checks,
)
from playground.lessons.graph.graph import build_graph, fmt, image_summary
from playground.training import TrainingSettings
from playground.ui import cache, checkpoints, state
from playground.ui.i18n import class_label, labels, t
from playground.ui.links import link_value, quoted
from playground.ui.notation import formula_lines, superscript
from playground.ui.presenter import CHART_CONFIG, SCALE, hidden, presenting
from playground.ui.tables import table

# Session-state key: how many steps of the step-through are revealed (first visit: ?step=N, else 0).
STEP = "graph_step"
# Session-state key: (label, typed value) of an input just pulled back into range, to say so once.
CLAMPED = "graph_clamped"
INPUT_RANGE = 10.0
EPSILONS = tuple(e for e in EPSILON_GRID if e <= 0.1)  # the slider's: the curve's grid up to 1e-1
# Seed of the sample of w's coordinates the gradient check compares.
SEED = 0
# What the checkpoints' "Show me" sets: the step-through's step, the planted bug and ε of the check.
SHOW = {"step": STEP, "bug": "graph_bug", "epsilon": "graph_epsilon"}


# The picture's gradient and the ε curve do not depend on the graph's inputs, whose moves rerun the
# whole page: built once per plain key (building them was a fifth of such a rerun) and, as the Train
# page's figures, one object for every visitor (cache_resource; Streamlit only reads it).
@st.cache_resource(max_entries=32, show_spinner=False)
def dw_html(features_key: str, model_key: str, loss: str, i: int, titles: tuple, _picture, _dw_example, _dw) -> str:
    return gradient_image_html(_picture, _dw_example, _dw, titles)


@st.cache_resource(max_entries=64, show_spinner=False)
def diagram_fig(inputs: tuple, loss: str, fold: bool, step: int, layout: str, scale: float, legend: tuple,
                hover_words: tuple, _graph):
    """The diagram of the graph built from ``inputs`` (x1, x2, w1, w2, b, y), at ``step``: a rerun that
    changes none of these (the gradient check's ε, say) draws nothing again."""
    return computational_graph_figure(_graph, step, legend=legend, hover_words=hover_words, layout=layout,
                                      scale=scale)


@st.cache_resource(max_entries=32, show_spinner=False)
def curve_fig(features_key: str, model_key: str, loss: str, bug: str, epsilon: float, labels: tuple, _errors):
    return error_vs_epsilon_figure(EPSILON_GRID, _errors, epsilon, GOOD, WRONG, labels=dict(labels))


def _sci(x: float, digits: int) -> str:
    # A typographic minus (as fmt writes them): a browser may break a line after "e-", not "e−".
    return f"{x:.{digits}e}".replace("-", "−")


def _set_step(value: int) -> None:
    st.session_state[STEP] = value


def _clamp(key: str, label: str) -> None:
    # The inputs have no min/max of their own: the browser would refuse 100 silently (a red field,
    # the old value kept). Here it is pulled to the nearest bound and the page says so.
    value = st.session_state.get(key)
    if value is not None and abs(value) > INPUT_RANGE:
        st.session_state[key] = INPUT_RANGE if value > 0 else -INPUT_RANGE
        st.session_state[CLAMPED] = (label, value)


def _link_step(raw, total: int) -> tuple[int, bool]:
    """The step a ?step=N link opens at (0 without one), and whether the link's value was unusable."""
    if raw is None:
        return 0, False
    text = link_value(raw).strip()
    if not text.isdigit():
        return 0, True
    return min(int(text), total), int(text) > total


def _diagram_css(wide: int) -> str:
    # Streamlit cannot tell the server the browser's width, so both layouts are sent and the one
    # that fits its container is shown (a container query: the sidebar's width counts too). The
    # check's table loses its last column where four do not fit (a phone).
    return f"""<style>
.st-key-graph_diagram {{ container-type: inline-size; container-name: graphbox; }}
@container graphbox (min-width: {wide}px) {{ .st-key-graph_tall {{ display: none; }} }}
@container graphbox (max-width: {wide - 0.02:.2f}px) {{ .st-key-graph_wide {{ display: none; }} }}
.st-key-graph_check_table {{ container-type: inline-size; container-name: checktable; overflow-x: auto; }}
@container checktable (max-width: 460px) {{
  .st-key-graph_check_table th:nth-child(4), .st-key-graph_check_table td:nth-child(4) {{ display: none; }}
  .st-key-graph_check_table table {{ font-size: 0.8rem; }}
}}
</style>"""


@st.cache_data(max_entries=64, show_spinner=False)
def _checks(features_key: str, model_key: str, loss: str, bug: str, _w, _b, _X, _Y):
    # Every ε of the curve (and the slider's) in one call: the backward pass and wᵀX + b are
    # shared, each ε then costs only 42 O(m) cost evaluations.
    # No single_blas_thread(): the server already holds BLAS to one thread (app.py), and its
    # lock would only queue visitors behind each other.
    return gradient_checks(_w, _b, _X, _Y, loss=loss, epsilons=EPSILON_GRID, sample=DEFAULT_SAMPLE, seed=SEED, bug=bug)


def _current_model(F):
    """(w, b, key, description): the visitor's trained model if it fits these features, else the course's run."""
    model = st.session_state.get(state.MODEL)
    if model is not None and model.n_x == F.n_x:
        key = hashlib.sha256(model.w.tobytes() + np.float64(model.b).tobytes()).hexdigest()[:16]
        same_scale = np.array_equal(model.mean, F.mean) and np.array_equal(model.scale, F.scale)
        note = t("graph.model_yours") + ("" if same_scale else " " + t("graph.model_other_scale"))
        return model.w, model.b, f"visitor:{key}", note
    with st.spinner(t("graph.training")):
        result = cache.training(F, TrainingSettings())
    note = t("graph.model_course")
    if model is not None:
        note += " " + t("graph.model_mismatch", n=model.n_x, n_x=F.n_x)
    return result.w, result.b, "course", note


st.title(t("graph.title"))
st.markdown(t("graph.intro"))
box = checkpoints.panel("graph")  # (asked below, once the graph and the model are there)

# ?hide=loss,inputs,fold (presenter links) keeps those controls at their defaults.
loss_name = "cross_entropy" if hidden("loss") else st.radio(
    t("graph.loss"), list(LOSSES), format_func=labels("graph.loss_{}", LOSSES), horizontal=True,
    key="graph_loss", help=t("graph.loss_help"))
lo = get_loss(loss_name)

# ---------------------------------------------------------------- the lecture's graph
st.header(t("graph.two_features"))
INPUTS = (("x1", "x₁", 1.0), ("x2", "x₂", 2.0), ("w1", "w₁", 0.5), ("w2", "w₂", -0.3), ("b", "b", 0.2))
if hidden("inputs"):
    values, y_label = {name: default for name, _, default in INPUTS}, 1
else:
    cols = st.columns(6)
    values = {}
    for col, (name, label, default) in zip(cols, INPUTS):
        key = state.widget_default(f"graph_{name}", default)
        values[name] = col.number_input(label, step=0.1, format="%.2f", key=key, on_change=_clamp, args=(key, label),
                                        help=t("graph.input_help", low=fmt(-INPUT_RANGE), high=fmt(INPUT_RANGE)))
    y_label = cols[5].radio("y", [1, 0], horizontal=True, key="graph_y", help=t("graph.y_help"))
    if CLAMPED in st.session_state:
        label, typed = st.session_state.pop(CLAMPED)
        st.warning(t("graph.clamped", name=label, value=fmt(typed), low=fmt(-INPUT_RANGE), high=fmt(INPUT_RANGE),
                     used=fmt(INPUT_RANGE if typed > 0 else -INPUT_RANGE)))
fold = False if hidden("fold") else st.toggle(t("graph.fold"), key="graph_x0", help=t("graph.fold_help"))

try:
    graph = build_graph(values["x1"], values["x2"], values["w1"], values["w2"], values["b"], float(y_label),
                        loss=loss_name, constant_feature=fold)
except ValueError as err:
    st.error(t("graph.bad_input", error=err))
    st.stop()

steps = graph.steps()
box.ask("dz", lambda: asked.dz(graph), SHOW)
if STEP not in st.session_state:  # a first visit opens at step 0, or where the teacher's link says
    st.session_state[STEP], bad_link = _link_step(st.query_params.get("step"), len(steps))
    if bad_link:
        st.warning(t("graph.bad_step", value=quoted(st.query_params.get("step")), total=len(steps)))
step = min(int(st.session_state[STEP]), len(steps))
# The buttons sit right above the diagram, in one row that wraps (columns would stack on a phone),
# so a class sees the diagram while the teacher steps.
with st.container(horizontal=True, gap="small", key="graph_steps"):
    st.button(t("graph.reset"), key="graph_reset", on_click=_set_step, args=(0,), disabled=step == 0)
    st.button(t("graph.previous"), key="graph_previous", on_click=_set_step, args=(step - 1,),
              disabled=step == 0, help=t("graph.previous_help"))
    st.button(t("graph.next"), key="graph_next", on_click=_set_step, args=(step + 1,), type="primary",
              disabled=step >= len(steps), help=t("graph.next_help"))
    st.button(t("graph.show_all"), key="graph_show_all", on_click=_set_step, args=(len(steps),),
              disabled=step >= len(steps))
if step == 0:
    st.markdown(t("graph.step_zero", total=len(steps)))
else:
    current = steps[step - 1]
    st.markdown(t(f"graph.step_{current.phase}", k=step, total=len(steps)) + f" **{current.text}**")

scale = SCALE if presenting() else 1.0
legend = tuple(t(f"graph.legend_{k}") for k in ("data", "parameters", "computed", "forward", "backward"))
hover_words = (t("graph.hover_forward"), t("graph.hover_value"), t("graph.hover_backward"))
st.html(_diagram_css(graph_width("wide", scale)))
inputs = (*(values[name] for name, _, _ in INPUTS), float(y_label))
with st.container(key="graph_diagram"):
    for layout in LAYOUTS:
        with st.container(key=f"graph_{layout}"):
            st.plotly_chart(
                diagram_fig(inputs, loss_name, fold, step, layout, scale, legend, hover_words, graph),
                key="graph_figure" if layout == "wide" else f"graph_figure_{layout}",
                config={"displayModeBar": False}, width="content",
            )
a_node = graph.node("a")
if a_node.value in (0.0, 1.0):
    st.warning(t("graph.saturated", a=fmt(a_node.value), z=fmt(graph.node("z").value)))
if fold:
    st.caption(t("graph.fold_caption"))

# Plain-text formulas (playground/ui/notation.py): st.latex here would make every first visit fetch
# and run KaTeX, a large share of the page's first-visit budget (see BENCHMARKS.md).
left, right = st.columns(2)
with left:
    st.subheader(t("graph.forward_title"))
    st.markdown(formula_lines(("z = w₁x₁ + w₂x₂ + b", "a = σ(z) = 1 / (1 + e⁻ᶻ)"), lo.formula))
with right:
    st.subheader(t("graph.backward_title", loss=t(f"graph.loss_{loss_name}")))
    st.markdown(formula_lines(lo.da_formula, lo.dz_formula, ("dw₁ = x₁ dz", "dw₂ = x₂ dz", "db = dz")))
st.caption(t("graph.compare_losses"))

# ---------------------------------------------------------------- one real image
ds = cache.dataset_or_stop()
F = cache.features(ds)
st.header(t("graph.real_image", n_x=F.n_x))
w, b, model_key, model_note = _current_model(F)
p1, p2 = st.columns([2, 1])
params = p2.radio(t("graph.params"), ["model", "zeros"], horizontal=True, key="graph_params",
                  format_func=labels("graph.params_{}", ["model", "zeros"]))
if params == "zeros":
    w, b, model_key = np.zeros((F.n_x, 1)), 0.0, "zeros"
    p1.caption(t("graph.params_zeros_note"))
else:
    p1.caption(model_note)
i = st.slider(t("graph.pick_image"), 0, F.m_train - 1, 0, key="graph_image")
summary = image_summary(w, b, F.X_train, F.Y_train, i, loss_name)

sup = superscript(i)  # the example's number as the course writes it: x⁽⁷⁾
c = st.columns(3) + st.columns(3)
c[0].metric(f"y⁽{sup}⁾ ({class_label(ds.classes[int(summary.y)])})", f"{summary.y:.0f}")
c[1].metric(f"z⁽{sup}⁾ = wᵀx⁽{sup}⁾ + b", fmt(summary.z))
c[2].metric(f"a⁽{sup}⁾ = σ(z⁽{sup}⁾)", fmt(summary.a))
c[3].metric(f"L(a⁽{sup}⁾, y⁽{sup}⁾)", fmt(summary.loss), help=t("graph.loss_one"))
c[4].metric(f"dz⁽{sup}⁾", fmt(summary.dz), help=t("graph.dz_help"))
c[5].metric(t("graph.cost_all", m=summary.m), fmt(summary.cost), help=t("graph.cost_help"))
st.markdown(t("graph.dw_text", i=sup, n_x=summary.n_x, norm=fmt(float(np.linalg.norm(summary.dw_example))),
              dz=fmt(summary.dz), m=summary.m, db=fmt(summary.db), norm_all=fmt(float(np.linalg.norm(summary.dw)))))
dw_titles = (t("graph.fig_picture", i=sup), t("graph.fig_dw_one", i=sup), t("graph.fig_dw_all", m=summary.m))
st.html(dw_html(F.key, model_key, loss_name, i, dw_titles, ds.train_x[i], summary.dw_example, summary.dw))
with st.expander(t("graph.notation"), expanded=False):
    st.markdown(t("graph.notation_text"))
    # st.text keeps the loop's line breaks and indentation; st.code would make a first visit
    # fetch the syntax highlighter's bundle for these nine lines.
    st.text(t("graph.notation_code"))

# Drawn only while open (its formulas are LaTeX: KaTeX is fetched by a student who opens it, not by
# every first visit).
why = st.expander(t("graph.why_cost"), key="graph_why", on_change="rerun")
if why.open:
    with why:
        st.markdown(t("graph.ml_intro"))
        st.latex(r"P(y = 1 \mid x) = \hat y = a, \qquad P(y = 0 \mid x) = 1 - a")
        st.latex(r"p(y \mid x) = a^{y} (1 - a)^{1 - y} \quad (y \in \{0, 1\})")
        st.latex(r"\log p(y \mid x) = y \log a + (1 - y) \log(1 - a) = -L(a, y)")
        st.markdown(t("graph.ml_iid"))
        st.latex(r"P(\text{labels}) = \prod_{i=1}^{m} p\big(y^{(i)} \mid x^{(i)}\big)")
        st.latex(r"\log P(\text{labels}) = \sum_{i=1}^{m} \log p\big(y^{(i)} \mid x^{(i)}\big) "
                 r"= -\sum_{i=1}^{m} L\big(a^{(i)}, y^{(i)}\big)")
        st.markdown(t("graph.ml_conclusion"))
        st.latex(r"\max_{w, b}\ \log P(\text{labels}) \iff \min_{w, b}\ J(w, b) = "
                 r"\frac{1}{m} \sum_{i=1}^{m} L\big(a^{(i)}, y^{(i)}\big)")

# ---------------------------------------------------------------- gradient checking
st.header(t("graph.check_title"))
st.markdown(t("graph.check_intro", k=DEFAULT_SAMPLE))
g1, g2 = st.columns([1, 1])
epsilon = g1.select_slider(t("graph.epsilon"), EPSILONS, format_func=lambda e: f"{e:.0e}", help=t("graph.epsilon_help"),
                           key=state.widget_default("graph_epsilon", DEFAULT_EPSILON))
# A radio, not a selectbox: every planted bug in view at once, and no combobox bundle for a
# first visit to fetch (the page's other choices are radios already).
bug = g2.radio(t("graph.bug"), list(BUGS), format_func=labels("graph.bug_{}", BUGS), key="graph_bug")
st.caption(t("graph.check_model", note=model_note if params == "model" else t("graph.params_zeros_note"),
             loss=t(f"graph.loss_{loss_name}"), m=F.m_train))

X, Y = F.X_train, F.Y_train
# The slider's ε values are on the curve's grid, so this is one cache entry per (model, loss, bug).
try:
    with st.spinner(t("graph.checking")):
        checks = {c.epsilon: c for c in _checks(F.key, model_key, loss_name, bug, w, b, X, Y)}
except ValueError as err:
    st.error(t("graph.check_failed", error=err))
    st.stop()
check = checks[float(epsilon)]
# Every planted bug's check at the default ε (cached as the page's own): which one gave this table?
box.ask("gradcheck_bug", lambda: asked.gradcheck_bug(
    {name: next(c for c in _checks(F.key, model_key, loss_name, name, w, b, X, Y) if c.epsilon == DEFAULT_EPSILON)
     for name in BUGS}), SHOW)

r1, r2, r3, r4 = st.columns(4)
r1.metric(t("graph.rel_error"), f"{check.relative_error:.2e}")
r2.metric(t("graph.evals_sample"), f"{check.cost_evaluations:,}", help=t("graph.evals_sample_help", k=DEFAULT_SAMPLE))
r3.metric(t("graph.evals_full"), f"{check.full_evaluations:,}", help=t("graph.evals_full_help", n_x=check.n_x))
r4.metric(t("graph.evals_backprop"), "1 + 1", help=t("graph.evals_backprop_help"))
# The verdict names the cause: a too-small or too-large ε (the same backward pass passes at
# another ε on the curve) is not a bug, and only a pass wrong at every ε is called wrong.
cause = diagnose(checks.values(), float(epsilon))
best = best_check(checks.values())
verdict_text = t(f"graph.verdict_{cause}", error=f"{check.relative_error:.2e}", good=f"{GOOD:.0e}",
                 wrong=f"{WRONG:.0e}", epsilon=f"{check.epsilon:.0e}", best=f"{best.epsilon:.0e}",
                 best_error=f"{best.relative_error:.1e}")
{"good": st.success, "doubtful": st.warning, "rounding": st.warning, "truncation": st.warning,
 "wrong": st.error}[cause](verdict_text)

t1, t2 = st.columns([4, 3])
# A Markdown table (not st.dataframe: no pandas in the server, no data-grid bundle for the
# browser to fetch); the fixed-height container scrolls its 21 rows beside the curve.
with t1, st.container(height=420, border=False, key="graph_check_table"):
    table(
        [t("graph.col_coordinate"), t("graph.col_numeric"), t("graph.col_analytic"), t("graph.col_difference")],
        [(name, _sci(num, 6), _sci(ana, 6), _sci(abs(num - ana), 1))
         for name, num, ana in zip([f"w[{j}]" for j in check.coordinates] + ["b"], check.numeric, check.analytic)],
        ["left", "right", "right", "right"],
    )
with t2:
    errors = [checks[eps].relative_error for eps in EPSILON_GRID]
    curve_labels = {
        "x": t("graph.curve_x"), "y": t("graph.curve_y"), "good": t("graph.curve_good"),
        "wrong": t("graph.curve_wrong"), "rounding": t("graph.curve_rounding"),
        "truncation": t("graph.curve_truncation"), "current": t("graph.curve_current"),
    }
    st.plotly_chart(
        curve_fig(F.key, model_key, loss_name, bug, float(epsilon), tuple(curve_labels.items()), errors),
        key="graph_curve_figure", config=CHART_CONFIG,
    )
st.markdown(t("graph.check_outro", full=check.full_evaluations))
