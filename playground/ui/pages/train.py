"""Train: drag the learning rate and the iteration count, watch gradient descent and what the neuron learns.

Widgets → cached training (playground.ui.cache) → pure figure builders (playground.figures.training)
→ layout. The settings live in the URL (playground.ui.train_params) so a teacher's link opens
the same view; the visitor's trained model goes to session state for the Predict page.

Presenter mode (playground.ui.presenter) enlarges the figures; ``?hide=`` knows the controls
``lr``, ``iterations``, ``loss``, ``init`` and ``log`` (a hidden one keeps its URL or default value).
"""

from __future__ import annotations

import functools
import html
import math

import streamlit as st
from streamlit.errors import StreamlitAPIException

from playground.activations import sigmoid
from playground.data.course import default_course_folder
from playground.figures import training as figs
from playground.saved_model import model_from_training, save_model
from playground.speed import single_blas_thread
from playground.training import INITS, TrainingResult, TrainingSettings
from playground.ui import cache, presenter, state
from playground.ui import train_params as tp
from playground.ui import train_text as tt
from playground.ui.sidebar import source_label

# Widget keys (persisted for the whole session, so the values survive a visit to another page).
K_LR, K_ITERS, K_LOSS, K_INIT, K_SEED = "train_lr", "train_iters", "train_loss", "train_init", "train_seed"
K_LOG, K_COMPARE, K_EVERY = "train_log", "train_compare", "train_every"
K_LINK_READ = "train_link_read"  # set once the page has read the URL: a link applies on the first visit only
K_NOTICES = "train_notices"
K_MODEL_SIGNATURE = "train_model_signature"
K_SHOWN, K_BEFORE = "train_metrics_shown", "train_metrics_before"
# The shared sidebar's widget keys (playground/ui/sidebar.py): a link or the course-figure
# button picks the dataset by setting the sidebar's own radio, which then switches the source.
SIDEBAR_KIND, SIDEBAR_SCALING = "dataset_kind", "preprocessing_choice"
INIT_LABELS = {"zeros": "w = 0", "random": "random w"}
LOSS_LABELS = {"cross_entropy": "Cross-entropy", "mse": "MSE"}
TAB_RESULTS, TAB_REPLAY, TAB_COMPARE = "Confusion & mistakes", "Replay", "Compare learning rates"
MAX_MISTAKES = 40


def _widget_values(p: tp.TrainParams) -> dict:
    return {
        K_LR: p.learning_rate, K_ITERS: p.num_iterations, K_LOSS: p.loss, K_INIT: p.init, K_SEED: p.seed,
        K_LOG: p.log_scale, K_COMPARE: list(p.compare), K_EVERY: p.every == 100,
    }


def _set_sidebar_kind(kind: str) -> bool:
    """Make the sidebar's dataset radio show ``kind`` on the next run (it then loads that source)."""
    try:
        if SIDEBAR_KIND in st.session_state:
            # The radio was drawn earlier in this run: forget its value, then set the new one.
            del st.session_state[SIDEBAR_KIND]
        st.session_state[SIDEBAR_KIND] = kind
    except StreamlitAPIException:
        return False
    return True


def read_link_once() -> None:
    """On the session's first visit, take the settings from the URL (bad values fall back, with a notice)."""
    if st.session_state.get(K_LINK_READ):
        for key, value in _widget_values(tp.DEFAULTS).items():
            st.session_state.setdefault(key, value)
        return
    st.session_state[K_LINK_READ] = True
    params, notices = tp.parse_query(st.query_params.to_dict())
    for key, value in _widget_values(params).items():
        st.session_state[key] = value
    rerun = False
    kind = state.get_source().kind
    if params.data == "course":
        if default_course_folder() is None:
            notices.append("The link asks for the course's photos, but this server has none "
                           "(set $PLAYGROUND_DATA to their folder); using the dataset chosen in the sidebar.")
        elif kind != "course_folder":
            rerun = _set_sidebar_kind("course_folder")
    elif params.data == "builtin" and kind != "builtin":
        rerun = _set_sidebar_kind("builtin")
    st.session_state[K_NOTICES] = notices
    if rerun:
        st.rerun()


def set_up_course_figure() -> None:
    """Button callback (runs before the script): the course's learning-rate figure."""
    st.session_state[K_ITERS] = 1500
    st.session_state[K_COMPARE] = list(tp.DEFAULT_COMPARE)
    st.session_state[K_LOSS] = "cross_entropy"
    st.session_state[K_INIT] = "zeros"
    st.session_state[K_EVERY] = True
    st.session_state[SIDEBAR_SCALING] = "divide_255"
    if default_course_folder() is not None:
        st.session_state[SIDEBAR_KIND] = "course_folder"


# ------------------------------------------------------------------ cached figures
# Figures depend only on plain values (features key, settings, options), so one object serves
# every visitor: cache_resource hands it out without copying (Streamlit only reads it).


@st.cache_resource(max_entries=32, show_spinner=False)
def cost_fig(features_key: str, settings: TrainingSettings, log_y: bool, scale: float, _result: TrainingResult):
    return figs.cost_figure(_result, log_y=log_y, title="Cost per iteration", **_size(440, scale))


@st.cache_resource(max_entries=32, show_spinner=False)
def weights_fig(features_key: str, settings: TrainingSettings, image_shape: tuple, scale: float, _result: TrainingResult):
    return figs.weights_figure(_result.w, image_shape, title="What w learned", **_size(440, scale))


@st.cache_resource(max_entries=16, show_spinner="Drawing the replay…")
def replay_fig(features_key: str, settings: TrainingSettings, log_y: bool, image_shape: tuple, scale: float,
               _result: TrainingResult):
    return figs.replay_figure(_result, image_shape, log_y=log_y, **_size(520, scale))


def _size(height: int, scale: float) -> dict:
    """Figure height and font size, enlarged in presenter mode (scale > 1)."""
    return {"height": round(height * scale), "font_size": round(figs.FONT_SIZE * scale)}


@st.cache_resource(max_entries=8, show_spinner=False)
def test_image_uris(dataset_key: str, _images) -> list[str]:
    """The test images as PNG data URIs, encoded once per dataset."""
    return [figs.png_data_uri(image) for image in _images]


def gallery_html(uris: list[str], captions: list[tuple[str, str]], width: int) -> str:
    """Images with two-line captions in a wrapping grid, as one HTML string (st.image would re-encode
    every picture on every run)."""
    cells = "".join(
        f'<figure style="margin:0;width:{width}px;text-align:center">'
        f'<img src="{uri}" alt="{html.escape(top)}, {html.escape(bottom)}" width="{width}" height="{width}" '
        f'style="border-radius:4px;display:block">'
        f'<figcaption style="font-size:0.8rem;line-height:1.3;color:#555;margin-top:3px">'
        f"{html.escape(top)}<br>{html.escape(bottom)}</figcaption>"
        "</figure>"
        for uri, (top, bottom) in zip(uris, captions)
    )
    return f'<div style="display:flex;flex-wrap:wrap;gap:10px 8px">{cells}</div>'


def _delta(now: float, before: float | None, unit: str = "") -> str | None:
    if before is None or not (math.isfinite(now) and math.isfinite(before)) or abs(now - before) < 1e-9:
        return None
    return f"{now - before:+.2f}{unit}" if unit else f"{now - before:+.4f}"


def hand_off_model(result: TrainingResult, F, ds, settings: TrainingSettings, source: state.Source) -> bool:
    """Keep this visitor's model for the Predict page and the download (only when the result changed)."""
    signature = (F.key, settings)
    if st.session_state.get(K_MODEL_SIGNATURE) == signature:
        return st.session_state.get(state.MODEL) is not None
    st.session_state[K_MODEL_SIGNATURE] = signature
    if not tt.model_is_usable(result):
        for key in (state.MODEL, state.MODEL_INFO):
            st.session_state.pop(key, None)
        return False
    info_settings = {
        "loss": settings.loss, "learning_rate": settings.learning_rate,
        "num_iterations": settings.num_iterations, "init": settings.init, "seed": settings.seed,
        "preprocessing": F.preprocessing,
    }
    model = model_from_training(result.w, result.b, F, ds.classes, info_settings, source_label(source))
    st.session_state[state.MODEL] = model
    st.session_state[state.MODEL_INFO] = {
        "dataset": ds.name, "settings": info_settings,
        "train_accuracy": result.train_accuracy, "test_accuracy": result.test_accuracy,
    }
    return True


def sync_link(params: tp.TrainParams) -> None:
    """Write the current settings into the URL (only what changed), so the address bar is a shareable link."""
    wanted = tp.to_query(params)
    for name in tp.PARAM_NAMES:
        value = wanted.get(name)
        if value is None:
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get(name) != value:
            st.query_params[name] = value


# ------------------------------------------------------------------ the page

read_link_once()
scale = presenter.SCALE if presenter.presenting() else 1.0

st.title("Train: gradient descent, live")
st.markdown(
    "Every iteration takes one step downhill on the cost J of all training images: "
    "**w := w − α·dw, b := b − α·db**. Move a slider: training reruns at once."
)
for notice in st.session_state.pop(K_NOTICES, []):
    st.warning(notice, icon="🔗")


def control(name: str, key: str, draw):
    """Draw a control, unless ?hide= names it: then it keeps the value the URL or its default gave it."""
    return st.session_state[key] if presenter.hidden(name) else draw()


with st.container(border=True):
    c_lr, c_it, c_loss, c_init = st.columns([7, 7, 4, 3], gap="medium")
    lr = control("lr", K_LR, lambda: c_lr.select_slider(
        "Learning rate", options=tp.LEARNING_RATES, format_func=tp.format_rate, key=K_LR,
        persist_state="session",
        help="α, the size of each step. The notches are on a log scale (1, 2, 5 in every decade); "
             "the arrow keys move one notch.",
    ))
    iterations = control("iterations", K_ITERS, lambda: c_it.slider(
        "Iterations", 0, tp.MAX_ITERATIONS, step=tp.ITERATION_STEP, key=K_ITERS, persist_state="session",
        help="How many steps of gradient descent, each over all the training images.",
    ))
    log_y = control("log", K_LOG, lambda: c_it.toggle(
        "Cost on a log scale", key=K_LOG, persist_state="session",
        help="Shows both a cost that explodes and one that creeps down near 0. "
             "Only positive, finite costs can be drawn on a log axis.",
    ))
    loss = control("loss", K_LOSS, lambda: c_loss.radio(
        "Loss", tp.LOSS_NAMES, format_func=LOSS_LABELS.get, key=K_LOSS, persist_state="session",
        help="Cross-entropy, the course's, or the mean squared error ½(a − y)² to compare.",
    ))
    init = control("init", K_INIT, lambda: c_init.radio(
        "Start from", INITS, format_func=INIT_LABELS.get, key=K_INIT, persist_state="session",
        help="w = 0 and b = 0 as the course, or small random weights.",
    ))
    seed = st.session_state.get(K_SEED, 0)
    if init == "random" and not presenter.hidden("init"):
        seed = c_init.number_input(
            "Seed", 0, tp.MAX_SEED, step=1, key=K_SEED, persist_state="session",
            help="w ~ N(0, 0.01²) drawn from this seed; b = 0.",
        )

source = state.get_source()
try:
    ds = cache.dataset()
    F = cache.features(ds)
except ValueError as err:
    st.error(f"The dataset could not be loaded: {err} Pick another one in the sidebar.")
    st.stop()

params = tp.TrainParams(
    loss=loss, learning_rate=float(lr), num_iterations=int(iterations), init=init, seed=int(seed),
    log_scale=bool(log_y),
    compare=tuple(st.session_state.get(K_COMPARE, tp.DEFAULT_COMPARE)),
    every=100 if st.session_state.get(K_EVERY) else 1,
    data={"builtin": "builtin", "course_folder": "course"}.get(source.kind),
)
settings = params.settings()
with st.spinner(f"Training: {iterations:,} iterations at α = {tp.format_rate(lr)}…"), single_blas_thread():
    # Small matrix products (the dual path's 209 × 209) are fastest on one BLAS thread, and on a busy
    # two-core server several threads mostly wait for each other.
    result = cache.training(F, settings)
positive = ds.classes[1]

# ---- the numbers, with the change since the previous setting
signature = (F.key, settings)
numbers = {
    "train": result.train_accuracy, "test": result.test_accuracy,
    "cost": result.final_cost, "test_cost": result.final_test_cost,
}
shown = st.session_state.get(K_SHOWN)
if shown is None or shown[0] != signature:
    st.session_state[K_BEFORE] = shown[1] if shown else None
    st.session_state[K_SHOWN] = (signature, numbers)
before = st.session_state.get(K_BEFORE) or {}
m1, m2, m3, m4 = st.columns(4)
m1.metric("Train accuracy", tt.format_percent(result.train_accuracy),
          delta=_delta(result.train_accuracy, before.get("train"), " pts"),
          help=f"Share of the {F.m_train} training images classified right (ŷ > 0.5 means {positive}). "
               "The arrow: the change since the previous setting.")
m2.metric("Test accuracy", tt.format_percent(result.test_accuracy),
          delta=_delta(result.test_accuracy, before.get("test"), " pts"),
          help=f"The same on the {F.m_test} test images, which training never sees.")
m3.metric("Train cost J", tt.format_cost(result.final_cost),
          delta=_delta(result.final_cost, before.get("cost")), delta_color="inverse",
          help="The cost at the final w and b.")
m4.metric("Test cost", tt.format_cost(result.final_test_cost),
          delta=_delta(result.final_test_cost, before.get("test_cost")), delta_color="inverse")

message = tt.run_message(result)
if message is not None:
    {"error": st.error, "warning": st.warning, "info": st.info}[message.kind](message.text)

# ---- cost curves and the learned weights
left, right = st.columns(2, gap="large")
with left:
    st.plotly_chart(cost_fig(F.key, settings, log_y, scale, result), key="train_cost")
    st.caption(
        "Solid: the cost on the training images, the one gradient descent lowers. Dotted: the same cost on "
        "the test images; a widening gap between them is the model memorising its training set."
    )
    note = tt.zigzag_note(result)
    if note:
        st.caption(note)
with right:
    st.plotly_chart(weights_fig(F.key, settings, tuple(F.image_shape), scale, result), key="train_weights")
    st.caption(
        f"w holds one weight per pixel and colour, so it is a {' × '.join(map(str, F.image_shape))} picture. "
        f"Per channel, **orange** marks where a bright value raises P({positive}) (w > 0), **purple** where it "
        "lowers it (w < 0), white where it hardly matters; top left, the three together (grey = 0)."
    )

# ---- the model, for the Predict page and as a file
usable = hand_off_model(result, F, ds, settings, source)
d1, d2 = st.columns([1, 3], vertical_alignment="center")
d1.download_button(
    # The .npz is written only when the button is clicked (compressing it on every new setting costs ~10 ms).
    "Download this model (.npz)", data=functools.partial(save_model, st.session_state[state.MODEL]) if usable else b"",
    file_name=f"logistic_regression_lr{tp.format_rate(lr)}_it{iterations}.npz",
    mime="application/octet-stream", on_click="ignore", disabled=not usable, key="train_download",
    help="w, b, the settings and the input size, in a NumPy .npz file that the Predict page can load.",
)
d2.caption(
    ("The **Predict** page now uses this model (yours only: other visitors have their own). "
     if usable else "This run produced no finite weights, so there is no model to use or save. ")
    + "🔗 The address bar holds these settings: copy it to give every student this view."
    + ("" if params.data else " (An uploaded dataset cannot travel in a link.)")
)

# ---- the tabs: only the open one is computed
t_results, t_replay, t_compare = st.tabs([TAB_RESULTS, TAB_REPLAY, TAB_COMPARE], key="tab", bind="query-params")
if t_results.open is not False:
    with t_results:
        p_cat = sigmoid(result.w.T @ F.X_test + result.b)[0]
        wrong = figs.find_mistakes(p_cat, ds.test_y)
        a, b = st.columns([2, 3], gap="large")
        with a:
            st.markdown(f"**The {F.m_test} test images**: predicted {positive} when P({positive}) > 0.5")
            st.plotly_chart(figs.confusion_figure(result.confusion, ds.classes, **_size(320, scale)),
                            key="train_confusion", config={"displayModeBar": False})
        with b:
            st.markdown(f"**The {len(wrong)} it got wrong**, the most confident mistakes first")
            shown_wrong = wrong[:MAX_MISTAKES]
            if len(shown_wrong):
                uris = test_image_uris(ds.key, ds.test_x)
                st.html(gallery_html(
                    [uris[i] for i in shown_wrong],
                    [(f"P({positive}) = {p_cat[i]:.2f}", f"really {ds.classes[int(ds.test_y[i])]}") for i in shown_wrong],
                    round(112 * scale),
                ))
            if len(wrong) > len(shown_wrong):
                st.caption(f"… and {len(wrong) - len(shown_wrong)} more.")
if t_replay.open:
    with t_replay:
        st.caption(
            "Training replayed: w as a picture (grey = 0, the same colour scale in every frame, so it brightens "
            "as the weights grow) beside the cost filling in. Press ▶ Play, or drag the slider."
        )
        st.plotly_chart(replay_fig(F.key, settings, log_y, tuple(F.image_shape), scale, result), key="train_replay")
if t_compare.open:
    with t_compare:
        c_pick, c_every, c_button = st.columns([5, 3, 2], vertical_alignment="bottom")
        rates = c_pick.multiselect(
            "Learning rates to compare", tp.LEARNING_RATES, format_func=tp.format_rate, key=K_COMPARE,
            max_selections=tp.MAX_COMPARE, persist_state="session",
            help="Each one is trained with the iterations, loss and starting point chosen above.",
        )
        every = 100 if c_every.toggle(
            "Every 100 iterations, as the course", key=K_EVERY, persist_state="session",
            help="The course records the cost every 100 iterations; that hides the zigzags of the first steps.",
        ) else 1
        c_button.button(
            "The course's figure", on_click=set_up_course_figure, key="train_course_figure",
            help="The course's photos, 1,500 iterations, cross-entropy from w = 0, α = 0.01 / 0.001 / 0.0001.",
        )
        if not rates:
            st.info("Pick one or more learning rates to overlay their cost curves.")
        else:
            runs = {}
            with st.spinner(f"Training at {len(rates)} learning rates…"), single_blas_thread():
                for rate in sorted(rates, reverse=True):
                    runs[float(rate)] = cache.training(F, params.settings(rate))
            st.plotly_chart(figs.lr_comparison_figure(runs, log_y=log_y, every=every, **_size(420, scale)),
                            key="train_compare_chart")
            st.dataframe(
                {
                    "learning rate α": [tp.format_rate(r) for r in runs],
                    "final cost J": [tt.format_cost(run.final_cost) for run in runs.values()],
                    "train accuracy": [tt.format_percent(run.train_accuracy) for run in runs.values()],
                    "test accuracy": [tt.format_percent(run.test_accuracy) for run in runs.values()],
                    "what happened": [tt.outcome(run) for run in runs.values()],
                },
                hide_index=True,
            )
            st.caption(
                f"{iterations:,} iterations each, {LOSS_LABELS[loss]}, starting from {INIT_LABELS[init]}. "
                "Too small a rate crawls; too large a one overshoots or diverges."
            )

sync_link(tp.TrainParams(
    loss=loss, learning_rate=float(lr), num_iterations=int(iterations), init=init, seed=int(seed),
    log_scale=bool(log_y), compare=tuple(st.session_state.get(K_COMPARE, ())),
    every=100 if st.session_state.get(K_EVERY) else 1, data=params.data,
))
