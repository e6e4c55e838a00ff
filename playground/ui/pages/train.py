"""Train: drag the learning rate and the iteration count, watch gradient descent and what the neuron learns.

Widgets → cached training (playground.ui.cache) → pure figure builders (playground.figures.training)
→ layout. The settings live in the URL (playground.ui.pages.train_params) so a teacher's link opens
the same view; the visitor's trained model goes to session state for the Predict page.

Presenter mode (playground.ui.presenter) enlarges the figures; ``?hide=`` knows the controls
``lr``, ``iterations``, ``loss``, ``init``, ``log`` and ``every`` (a hidden one keeps its URL or
default value, and leaves no empty column).

Every word comes from ``locales/<lang>/train.toml`` through ``t("train.…")``; figures get theirs
as arguments. URL parameters and widget keys are the same in every language: ``?tab=`` holds a
tab's id (results / replay / compare), only the tab labels are translated.
"""

from __future__ import annotations

import dataclasses
import functools
import math

import streamlit as st

from playground.classroom.store import MAX_RUNS
from playground.classroom.store import Run as ClassRun
from playground.course.activations import sigmoid
from playground.data.course import default_course_folder
from playground.figures import training as figs
from playground.lessons.checkpoints import train as asked
from playground.lessons.predict.saved_model import model_from_training, save_model
from playground.training import DEFAULT_SNAPSHOTS, INITS, TrainingResult, TrainingSettings, prefix
from playground.ui import cache, checkpoints, classroom, presenter, state
from playground.ui.i18n import LANGUAGES, catalog, class_label, labels, language, t
from playground.ui.links import quoted
from playground.ui.pages import train_params as tp
from playground.ui.pages import train_text as tt
from playground.ui.pages.train_figures import (
    cost_fig,
    figure_words,
    replay_fig,
    size,
    test_image_pngs,
    weights_html,
)
from playground.ui.sidebar import KIND_KEY, LINK_DATA, SCALING_KEY, source_label
from playground.ui.tables import table

MAX_MISTAKES = 40
LINK_OF_KIND = {kind: name for name, kind in LINK_DATA.items()}  # the dataset's ?data= value


def _widget_values(p: tp.TrainParams) -> dict:
    return {
        state.TRAIN_LR: p.learning_rate, state.TRAIN_ITERS: p.num_iterations, state.TRAIN_LOSS: p.loss, state.TRAIN_INIT: p.init, state.TRAIN_SEED: p.seed,
        state.TRAIN_LOG: p.log_scale, state.TRAIN_COMPARE: list(p.compare), state.TRAIN_EVERY: p.every == 100,
    }


def read_link_once() -> None:
    """On the session's first visit, take the settings from the URL (bad values fall back, with a notice)."""
    if st.session_state.get(state.TRAIN_LINK_READ):
        for key, value in _widget_values(tp.DEFAULTS).items():
            st.session_state.setdefault(key, value)
        return
    st.session_state[state.TRAIN_LINK_READ] = True
    params, notices = tp.parse_query(st.query_params.to_dict(), t)
    raw_tab = st.query_params.get(tp.TAB_PARAM)
    if raw_tab is not None and tp.parse_tab(raw_tab, _tab_aliases()) is None:
        notices.append(t("train.link_fallback", name=tp.TAB_PARAM, raw=quoted(raw_tab),
                         expected=t("train.link_not_one_of", options=", ".join(tp.TABS)), default=tp.TABS[0]))
    for key, value in _widget_values(params).items():
        st.session_state[key] = value
    # (?data= is the sidebar's: it has already picked the dataset in this run, on every page.)
    st.session_state[state.TRAIN_NOTICES] = notices


def set_up_course_figure() -> None:
    """Button callback (runs before the script): the course's learning-rate figure."""
    st.session_state[state.TRAIN_ITERS] = 1500
    st.session_state[state.TRAIN_COMPARE] = list(tp.DEFAULT_COMPARE)
    st.session_state[state.TRAIN_LOSS] = "cross_entropy"
    st.session_state[state.TRAIN_INIT] = "zeros"
    st.session_state[state.TRAIN_EVERY] = True
    # The sidebar's own radios, set before the run: the dataset radio then switches the source.
    st.session_state[SCALING_KEY] = "divide_255"
    if default_course_folder() is not None:
        st.session_state[KIND_KEY] = "course_folder"


def keep_compared() -> None:
    """Pills callback: past MAX_COMPARE rates, keep the latest picks (the pills add a pick at the end)."""
    picked = list(st.session_state.get(state.TRAIN_COMPARE) or [])
    if len(picked) > tp.MAX_COMPARE:
        st.session_state[state.TRAIN_COMPARE] = picked[-tp.MAX_COMPARE:]


# ------------------------------------------------------------------ cached figures
def _delta(now: float, before: float | None, unit: str = "") -> str | None:
    """The change since the previous setting, e.g. "+1.23 pts" (``unit`` as the language writes it)."""
    if before is None or not (math.isfinite(now) and math.isfinite(before)) or abs(now - before) < 1e-9:
        return None
    return f"{now - before:+.2f}{unit}" if unit else f"{now - before:+.4f}"


def comparable(before, dataset_key: str, loss: str) -> dict[str, float]:
    """Of the numbers shown before (``(dataset key, loss, numbers)`` or None), those that compare like
    with like: the accuracies on the same images, the costs also under the same loss (an MSE cost
    beside a cross-entropy cost would be an arrow that means nothing)."""
    if not before or before[0] != dataset_key:
        return {}
    numbers = before[2]
    if before[1] == loss:
        return dict(numbers)
    return {name: numbers[name] for name in ("train", "test")}


def hand_off_model(result: TrainingResult, F, ds, settings: TrainingSettings, source: state.Source) -> bool:
    """Keep this visitor's model for the Predict page and the download (only when the result changed)."""
    signature = (F.key, settings)
    if st.session_state.get(state.TRAIN_MODEL_SIGNATURE) == signature:
        return st.session_state.get(state.MODEL) is not None
    st.session_state[state.TRAIN_MODEL_SIGNATURE] = signature
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
        "dataset": source, "settings": info_settings,  # (named where it is shown, in the visitor's language then)
        "train_accuracy": result.train_accuracy, "test_accuracy": result.test_accuracy,
    }
    return True


def _tab_aliases() -> dict[str, str]:
    """Every tab's label, in every language → its id."""
    return {catalog(lang)[f"train.tab_{tab}"]: tab for lang in LANGUAGES for tab in tp.TABS}


def open_tab() -> str:
    """The id of the tab to open, and the tabs' state set to its label in the visitor's language.

    The tabs' state holds a label, possibly in the other language (the visitor switched) or an
    older English one; failing that, ``?tab=`` names the tab by id (older links by English label).
    """
    aliases = _tab_aliases()
    tab = tp.parse_tab(st.session_state.get(state.TRAIN_TAB), aliases)
    if tab is None:
        tab = tp.parse_tab(st.query_params.get(tp.TAB_PARAM), aliases) or tp.TABS[0]
    st.session_state[state.TRAIN_TAB] = t(f"train.tab_{tab}")
    return tab


def sync_tab(tab: str) -> None:
    """Say the open tab in the URL by its id (the first tab, the default, goes unsaid)."""
    if tab == tp.TABS[0]:
        if tp.TAB_PARAM in st.query_params:
            del st.query_params[tp.TAB_PARAM]
    elif st.query_params.get(tp.TAB_PARAM) != tab:
        st.query_params[tp.TAB_PARAM] = tab


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


def main_and_compared(F, settings: TrainingSettings, params: tp.TrainParams, rates: list[float]
                      ) -> tuple[TrainingResult, dict[float, TrainingResult]]:
    """The main run, and the runs of ``rates`` (the open Compare tab's; none when it is closed) by rate.

    How they are trained and cut is cache.compared's: the compared rates to tp.compare_horizon, with
    their test numbers every slider step (so every count the slider gives can be cut from them); the
    main run cut whole (cache.run) from its own run to that horizon, which keeps its parameters every
    slider step, the same whether the tab is open or closed. A compared rate equal to the main one is
    the main run itself.
    """
    others = [rate for rate in rates if rate != settings.learning_rate]
    horizon = tp.compare_horizon(settings.num_iterations)
    # The rate's neighbours ride along (cache.run) up to the course's horizon only: at the long one,
    # recording four rows' histories makes a new start cost more than a rerun's budget (BENCHMARKS.md).
    result, runs = cache.compared(F, settings, [params.settings(rate) for rate in others], horizon,
                                  tp.ITERATION_STEP, longer=tp.COMPARE_HORIZONS,
                                  rates=tp.LEARNING_RATES if horizon <= tp.DEFAULT_ITERATIONS else ())
    compared = dict(zip(others, runs))
    if settings.learning_rate in rates:
        compared[settings.learning_rate] = result
    return result, compared


# ------------------------------------------------------------------ the page

read_link_once()
scale = presenter.SCALE if presenter.presenting() else 1.0

st.title(t("train.title"))
st.markdown(t("train.intro"))
for notice in st.session_state.pop(state.TRAIN_NOTICES, []):
    st.warning(notice, icon=":material/link:")
box = checkpoints.panel("train")  # (asked below, once the run is there: ask_checkpoints)


SLIDERS, CHOICES, TOGGLES = ("lr", "iterations"), ("loss", "init"), ("every", "log")
WIDTHS = {"lr": 7, "iterations": 7, "toggles": 5, "loss": 4, "init": 3}  # (a string here would be drawn: magic)


def draw_controls(presenting: bool) -> dict:
    """The controls that ?hide= leaves, in columns of their own (a hidden one keeps the value the URL
    or its default gave it). The toggles sit under the sliders. Presenting, the radios go to a row of
    their own, their options side by side: in a quarter of the row at presenter size, "Cross-entropy"
    and "random w" broke mid-word."""
    draws = {
        "lr": lambda col: col.select_slider(
            t("train.lr"), options=tp.LEARNING_RATES, format_func=tp.format_rate, key=state.TRAIN_LR,
            persist_state="session", help=t("train.lr_help")),
        "iterations": lambda col: col.slider(
            t("train.iterations"), 0, tp.MAX_ITERATIONS, step=tp.ITERATION_STEP, key=state.TRAIN_ITERS,
            persist_state="session", help=t("train.iterations_help")),
        "every": lambda col: col.toggle(
            t("train.every"), key=state.TRAIN_EVERY, persist_state="session", help=t("train.every_help")),
        "log": lambda col: col.toggle(
            t("train.log"), key=state.TRAIN_LOG, persist_state="session", help=t("train.log_help")),
        "loss": lambda col: col.radio(
            t("train.loss"), tp.LOSS_NAMES, format_func=labels("train.loss_{}", tp.LOSS_NAMES), key=state.TRAIN_LOSS,
            horizontal=presenting, persist_state="session", help=t("train.loss_help")),
        "init": lambda col: col.radio(
            t("train.init"), INITS, format_func=labels("train.init_{}", INITS), key=state.TRAIN_INIT,
            horizontal=presenting, persist_state="session", help=t("train.init_help")),
    }
    keys = {"lr": state.TRAIN_LR, "iterations": state.TRAIN_ITERS, "every": state.TRAIN_EVERY,
            "log": state.TRAIN_LOG, "loss": state.TRAIN_LOSS, "init": state.TRAIN_INIT}
    values = {name: st.session_state[key] for name, key in keys.items() if presenter.hidden(name)}
    values["seed"] = st.session_state.get(state.TRAIN_SEED, 0)
    sliders = [n for n in SLIDERS if not presenter.hidden(n)]
    choices = [n for n in CHOICES if not presenter.hidden(n)]
    toggles = [n for n in TOGGLES if not presenter.hidden(n)]
    first = sliders or (["toggles"] if toggles else [])
    rows = [first, choices] if presenting else [first + choices]
    rows = [row for row in rows if row]
    if not rows:
        return values
    columns = {}
    with st.container(border=True):
        for row in rows:
            columns.update(zip(row, st.columns([WIDTHS[n] for n in row], gap="medium")))
    for name in sliders + choices:
        values[name] = draws[name](columns[name])
    for k, name in enumerate(toggles):  # under the sliders, one each while there are columns
        values[name] = draws[name](columns[sliders[min(k, len(sliders) - 1)]] if sliders else columns["toggles"])
    if values["init"] == "random" and "init" in columns:
        values["seed"] = columns["init"].number_input(
            t("train.seed"), 0, tp.MAX_SEED, step=1, key=state.TRAIN_SEED, persist_state="session",
            help=t("train.seed_help"))
    return values


controls = draw_controls(presenter.presenting())
lr, iterations, loss, init, seed = (controls[n] for n in ("lr", "iterations", "loss", "init", "seed"))
log_y, every = bool(controls["log"]), 100 if controls["every"] else 1

source = state.get_source()
ds = cache.dataset_or_stop()
F = cache.features(ds)

params = tp.TrainParams(
    loss=loss, learning_rate=float(lr), num_iterations=int(iterations), init=init, seed=int(seed),
    log_scale=log_y,
    compare=tuple(st.session_state.get(state.TRAIN_COMPARE, tp.DEFAULT_COMPARE)),
    every=every,
    data=LINK_OF_KIND.get(source.kind),
)
settings = params.settings()
tab = open_tab()  # only the open tab is computed: the Compare tab's rates with the main run
with st.spinner(t("train.training", iterations=iterations, lr=tp.format_rate(lr))):
    # No single_blas_thread(): the server already holds BLAS to one thread (app.py), which suits the
    # dual path's small 209 × 209 products, and the wrapper's lock would only queue visitors.
    result, compared = main_and_compared(
        F, settings, params, [float(r) for r in params.compare] if tab == "compare" else [])
positive = class_label(ds.classes[1])
lang = language()
words = figure_words()

# ---- predict first: the checkpoint box above the controls, asked now that the run is known
SHOW = {"lr": state.TRAIN_LR, "iterations": state.TRAIN_ITERS, "init": state.TRAIN_INIT, "loss": state.TRAIN_LOSS,
        "log": state.TRAIN_LOG}
box.ask("first_cost", lambda: asked.first_cost(F.Y_train), SHOW)
# (Both from runs to the slider's end, cut to the count on the page: a slider move trains nothing more.)
box.ask("blow_up", lambda: asked.blow_up(prefix(cache.every_rate(
    F, settings, (asked.ASKED_RATE,), tp.MAX_ITERATIONS, tp.ITERATION_STEP)[0],
    settings.num_iterations)), SHOW)
box.ask("reach", lambda: asked.reach(result, cache.every_rate(F, settings, tp.LEARNING_RATES, tp.MAX_ITERATIONS,
                                                              tp.ITERATION_STEP), tp.ITERATION_STEP), SHOW)

# ---- the numbers, with the change since the previous setting (like with like only: comparable())
signature = (F.key, settings)
numbers = {
    "train": result.train_accuracy, "test": result.test_accuracy,
    "cost": result.final_cost, "test_cost": result.final_test_cost,
}
shown = st.session_state.get(state.TRAIN_METRICS_SHOWN)
if shown is None or shown[0] != signature:
    st.session_state[state.TRAIN_METRICS_BEFORE] = shown and (shown[1], shown[2], shown[3])
    st.session_state[state.TRAIN_METRICS_SHOWN] = (signature, ds.key, settings.loss, numbers)
before = comparable(st.session_state.get(state.TRAIN_METRICS_BEFORE), ds.key, settings.loss)
m1, m2, m3, m4 = st.columns(4)
points = t("train.points")
m1.metric(t("train.train_accuracy"), tt.format_percent(result.train_accuracy),
          delta=_delta(result.train_accuracy, before.get("train"), points),
          help=t("train.train_accuracy_help", m=F.m_train, positive=positive))
m2.metric(t("train.test_accuracy"), tt.format_percent(result.test_accuracy),
          delta=_delta(result.test_accuracy, before.get("test"), points),
          help=t("train.test_accuracy_help", m=F.m_test))
m3.metric(t("train.train_cost"), tt.format_cost(result.final_cost, t),
          delta=_delta(result.final_cost, before.get("cost")), delta_color="inverse",
          help=t("train.train_cost_help"))
m4.metric(t("train.test_cost"), tt.format_cost(result.final_test_cost, t),
          delta=_delta(result.final_test_cost, before.get("test_cost")), delta_color="inverse")

message = tt.run_message(result, t)
if message is not None:
    {"error": st.error, "warning": st.warning, "info": st.info}[message.kind](message.text)

# ---- cost curves and the learned weights
left, right = st.columns(2, gap="large")
with left:
    st.plotly_chart(cost_fig(F.key, settings, log_y, every, scale, lang, words, t("train.title_cost"), result),
                    key="train_cost", config=presenter.CHART_CONFIG)
    st.caption(t("train.cost_caption"))
    for note in tt.cost_notes(result, t, every):
        st.caption(note)
with right:
    st.html(weights_html(F.key, settings, tuple(F.image_shape), lang, words, t("train.title_weights"), result))
    st.caption(t("train.weights_caption", shape=" × ".join(map(str, F.image_shape)), positive=positive))

# ---- the model, for the Predict page and as a file
usable = hand_off_model(result, F, ds, settings, source)
d1, d2 = st.columns([1, 3], vertical_alignment="center")
d1.download_button(
    # The .npz is written only when the button is clicked: compressing it on every new setting would slow every rerun.
    t("train.download"), data=functools.partial(save_model, st.session_state[state.MODEL]) if usable else b"",
    file_name=f"logistic_regression_lr{tp.format_rate(lr)}_it{iterations}.npz",
    mime="application/octet-stream", on_click="ignore", disabled=not usable, key="train_download",
    help=t("train.download_help"),
)
d2.caption(" ".join(
    [t("train.model_used") if usable else t("train.model_none"), t("train.link_note")]
    + ([] if params.data else [t("train.link_no_upload")])
))

# ---- class mode: a student sends this run to the class's scatter of α against test accuracy
SENT = "train_run_sent"  # (how many runs this visitor has sent, or why not): said once, under the button


def _send_run(run: ClassRun) -> None:
    """Button callback: the run reaches the class before anything is drawn."""
    st.session_state[SENT] = classroom.send_run(run)


@st.fragment
def send_run_button(run: ClassRun) -> None:
    """(A fragment: sending reruns this button alone, not the page's charts.)"""
    st.button(t("train.send_run"), key="class.send_run", icon=":material/send:", help=t("train.send_run_help"),
              on_click=_send_run, args=(run,))
    sent, problem = st.session_state.pop(SENT, (None, None))
    if sent is not None:
        st.success(t("train.run_sent", n=sent, limit=MAX_RUNS), icon=":material/send:")
    elif problem is not None:
        st.warning(problem, icon=":material/groups:")



if classroom.member() is not None:
    send_run_button(ClassRun(
        learning_rate=settings.learning_rate, iterations=settings.num_iterations, loss=settings.loss,
        init=settings.init, diverged=result.diverged,
        train_accuracy=result.train_accuracy if math.isfinite(result.train_accuracy) else None,
        test_accuracy=result.test_accuracy if math.isfinite(result.test_accuracy) else None,
        dataset=f"builtin:{source.seed}" if source.kind == "builtin" else source.kind))

# ---- the tabs: only the open one is computed
t_results, t_replay, t_compare = st.tabs([t(f"train.tab_{name}") for name in tp.TABS], key=state.TRAIN_TAB,
                                         on_change="rerun")
sync_tab(tab)
if t_results.open is not False:
    with t_results:
        p_cat = sigmoid(result.w.T @ F.X_test + result.b)[0]
        wrong = figs.find_mistakes(p_cat, ds.test_y)
        a, b = st.columns([2, 3], gap="large")
        with a:
            st.markdown(t("train.results_heading", m=F.m_test, positive=positive))
            st.html(figs.confusion_html(result.confusion, tuple(map(class_label, ds.classes)), words))
        with b:
            st.markdown(t("train.mistakes_heading", n=len(wrong)))
            shown_wrong = wrong[:MAX_MISTAKES]
            if len(shown_wrong):
                pngs = test_image_pngs(ds.key, ds.test_x)
                # (the format named: "auto" would have Streamlit re-encode each PNG on every rerun)
                st.image([pngs[i] for i in shown_wrong], width=round(112 * scale), output_format="PNG", caption=[
                    f"P({positive}) = {p_cat[i]:.2f} · "
                    + t("train.mistake_really", label=class_label(ds.classes[int(ds.test_y[i])]))
                    for i in shown_wrong])
            if len(wrong) > len(shown_wrong):
                st.caption(t("train.more_mistakes", n=len(wrong) - len(shown_wrong)))
if t_replay.open:
    with t_replay:
        st.caption(t("train.replay_caption"))
        # The main run's snapshots are its kept parameters (multiples of 50): a short run has few. The
        # replay then takes the run trained alone with its DEFAULT_SNAPSHOTS, the same numbers bit for bit.
        frames = result if len(result.snapshot_iterations) >= min(DEFAULT_SNAPSHOTS, iterations + 1) else \
            cache.training(F, settings)
        with st.spinner(t("train.replay_drawing")):
            replay = replay_fig(F.key, settings, log_y, tuple(F.image_shape), scale, lang, words, frames, F)
        st.plotly_chart(replay,
                        key="train_replay", config=presenter.CHART_CONFIG)
if t_compare.open:
    with t_compare:
        # Pills, not a drop-down: every rate of the slider in sight at once (the drop-down showed
        # ten and hid the larger ones below a scroll). A fourth pick drops the oldest (keep_compared).
        rates = st.pills(
            t("train.compare_rates"), tp.LEARNING_RATES, selection_mode="multi", format_func=tp.format_rate,
            key=state.TRAIN_COMPARE, on_change=keep_compared, persist_state="session",
            help=t("train.compare_rates_help", max=tp.MAX_COMPARE),
        )
        st.button(
            t("train.course_figure"), on_click=set_up_course_figure, key="train_course_figure",
            help=t("train.course_figure_help"),
        )
        if not rates:
            st.info(t("train.compare_empty"))
        else:
            # Fetched with the main run above (main_and_compared); the compared rates are cut from longer
            # runs (tp.compare_horizon), with their histories and final numbers only, as the comparison
            # draws nothing else.
            ordered = [float(rate) for rate in sorted(rates, reverse=True)]
            runs = {rate: compared[rate] for rate in ordered}
            st.plotly_chart(figs.lr_comparison_figure(runs, words, log_y=log_y, every=every,
                                                      **size(420, scale)),
                            key="train_compare_chart", config=presenter.CHART_CONFIG)
            table(
                [t("train.col_rate"), t("train.col_cost"), t("train.col_train"), t("train.col_test"),
                 t("train.col_outcome")],
                [[tp.format_rate(rate), tt.format_cost(run.final_cost, t), tt.format_percent(run.train_accuracy),
                  tt.format_percent(run.test_accuracy), tt.outcome(run, t)] for rate, run in runs.items()],
                ["right", "right", "right", "right", "left"],
            )
            st.caption(t("train.compare_caption", iterations=iterations, loss=t(f"train.loss_{loss}"),
                         init=t(f"train.init_{init}")))

sync_link(dataclasses.replace(params, compare=tuple(st.session_state.get(state.TRAIN_COMPARE, ()))))
