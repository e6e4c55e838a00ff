"""Loops vs vectors: the dot-product warm-up, then one training step timed four ways."""

import inspect

import streamlit as st

from playground.figures.speed import format_seconds, timing_figure
from playground.lessons.checkpoints import speed as asked
from playground.lessons.speed import (
    DOT_LENGTH,
    IMPLEMENTATIONS,
    MAX_LOOP_WORK,
    check_race_size,
    dot_loop,
    dot_numpy,
    race_data,
    run_dot_race,
    run_race,
    step_dual,
    step_one_loop,
    step_two_loops,
    step_vectorized,
)
from playground.ui import cache, checkpoints, state
from playground.ui.i18n import t
from playground.ui.presenter import CHART_CONFIG, hidden

# Session-state key: the last dot-product race (timed only when the button is pressed).
DOT = "speed_dot_result"
# Session-state key: the last four-way race and the dataset it ran on.
RACE = "speed_race_result"
# Session-state keys: set by a checkpoint's "Show me", read (once) where the page's buttons run its races.
DOT_SHOW, RACE_SHOW = "speed_dot_show", "speed_race_show"
# Session-state keys: the measurements a checkpoint's answer was checked against, kept for the session
# (the dot race; the four-way race with its dataset), so its verdict does not move on a rerun.
DOT_ASKED, RACE_ASKED = "speed_checkpoint_dot", "speed_checkpoint_race"
CODE = {"two_loops": step_two_loops, "one_loop": step_one_loop, "vectorized": step_vectorized, "dual": step_dual}
FEATURE_CHOICES = (16, 64, 256, 1024, 2048, 4096, 8192, 12288)
# Rough cost of one (example, feature) pair in the two-loop step, measured here: for the estimate shown.
MICROSECONDS_PER_PAIR = 1.0


def asked_dot():
    """The dot race dot_faster's answer comes from, kept for the session once used: the page's own
    if it ran, else (once the answer is wanted) one timed now; None until then."""
    dot = st.session_state.get(DOT_ASKED) or st.session_state.get(DOT)
    if dot is None and checkpoints.engaged("speed.dot_faster"):
        with st.spinner(t("speed.checkpoint_timing")):
            dot = run_dot_race()
    if dot is not None:
        st.session_state[DOT_ASKED] = dot
    return dot


def asked_race(F, m: int, n: int):
    """The four-way race at m, n on F that winner's answer comes from, found or timed as in asked_dot."""
    def at_sizes(entry):
        return entry is not None and entry["dataset"] == F.key and (entry["race"].m, entry["race"].n) == (m, n)

    entry = next((e for e in (st.session_state.get(RACE_ASKED), st.session_state.get(RACE)) if at_sizes(e)), None)
    if entry is None and checkpoints.engaged("speed.winner"):
        with st.spinner(t("speed.checkpoint_timing")):
            entry = {"race": run_race(*race_data(F.X_train, F.Y_train, m, n)[:2]), "dataset": F.key}
    if entry is None:
        return None
    st.session_state[RACE_ASKED] = entry
    return entry["race"]


def show_dot(values) -> None:
    """"Show me" of dot_faster: the warm-up's race run."""
    st.session_state[DOT_SHOW] = True


def show_race(values) -> None:
    """"Show me" of the winner: the asked sizes on the sliders, and the race run."""
    st.session_state["speed_m"], st.session_state["speed_n"] = values["m"], values["n"]
    st.session_state[RACE_SHOW] = True


st.title(t("speed.title"))
st.markdown(t("speed.intro"))
box = checkpoints.panel("speed")  # (the winner is asked once the dataset is known, below)
box.ask("dot_faster", lambda: asked.dot_faster(asked_dot()), show_dot)

# ---------------------------------------------------------------- warm-up
st.header(t("speed.dot_title", n=DOT_LENGTH))
c1, c2 = st.columns(2)
c1.code(inspect.getsource(dot_loop), language="python", wrap_lines=True)
c2.code(inspect.getsource(dot_numpy), language="python", wrap_lines=True)
if st.button(t("speed.dot_button"), key="speed_dot_button", type="primary") or st.session_state.pop(DOT_SHOW, False):
    with st.spinner(t("speed.dot_running", n=DOT_LENGTH)):
        st.session_state[DOT] = run_dot_race()
dot = st.session_state.get(DOT)
if dot is None:
    st.caption(t("speed.dot_waiting"))
else:
    d1, d2, d3, d4 = st.columns(4)
    d1.metric(t("speed.dot_loop"), format_seconds(dot.loop_seconds))
    d2.metric(t("speed.dot_numpy", repeats=dot.numpy_repeats), format_seconds(dot.numpy_seconds))
    d3.metric(t("speed.speedup"), f"{dot.speedup:,.0f} ×")
    d4.metric(t("speed.dot_difference"), f"{dot.difference:.1e}", help=t("speed.dot_difference_help"))
    st.plotly_chart(
        timing_figure([t("speed.dot_loop"), "np.dot"], [dot.loop_seconds, dot.numpy_seconds],
                      x_title=t("speed.axis"), speedup_text=t("speed.faster"), height=190),
        key="speed_dot_figure", config=CHART_CONFIG,
    )

# ---------------------------------------------------------------- the race
ds = cache.dataset_or_stop()
F = cache.features(ds)
st.header(t("speed.race_title"))
st.markdown(t("speed.race_intro", n_x=F.n_x, m_train=F.m_train))
choices = [n for n in FEATURE_CHOICES if n < F.n_x] + [F.n_x]
m0, n0 = min(F.m_train, 200), 4096 if 4096 in choices else choices[-1]
# Asked at the page's first sizes, which the two loops can always race, whatever the sliders hold.
box.ask("winner", lambda: asked.winner(asked_race(F, m0, n0), m0, n0), show_race)
m, n = m0, n0
if not hidden("size"):  # ?hide=size: a presenter link races the default size
    s1, s2 = st.columns(2)
    m = s1.slider(t("speed.m"), 1, F.m_train, key=state.widget_default("speed_m", m))
    n = s2.select_slider(t("speed.n"), choices, key=state.widget_default("speed_n", n),
                         format_func=lambda v: f"{v:,}")
estimate = m * n * MICROSECONDS_PER_PAIR * 1e-6
try:
    check_race_size(m, n, F.m_train, F.n_x)
    too_big = None
    st.caption(t("speed.size_ok", m=m, n=n, work=m * n, budget=MAX_LOOP_WORK, estimate=estimate))
except ValueError as err:
    too_big = err
    st.error(t("speed.size_too_big", error=err))

race_now = st.button(t("speed.race_button"), key="speed_race_button", type="primary", disabled=too_big is not None)
if (race_now or st.session_state.pop(RACE_SHOW, False)) and too_big is None:
    X, Y, _ = race_data(F.X_train, F.Y_train, m, n)
    bar = st.progress(0.0, text=t("speed.race_progress"))
    race = run_race(X, Y, progress=lambda fraction, message: bar.progress(fraction, text=message))
    bar.empty()
    st.session_state[RACE] = {"race": race, "dataset": F.key}

entry = st.session_state.get(RACE)
race = entry["race"] if entry else None
# While the sizes are refused the button is off: the texts then say to lower them, not to press it.
if race is None:
    st.info(t("speed.race_waiting_too_big" if too_big is not None else "speed.race_waiting"))
else:
    if (race.m, race.n) != (m, n) or entry["dataset"] != F.key:
        st.info(t("speed.stale_too_big" if too_big is not None else "speed.stale", m=race.m, n=race.n))
    labels = [t(f"speed.impl_{k}") for k in IMPLEMENTATIONS]
    st.plotly_chart(
        timing_figure(labels, [race.seconds[k] for k in IMPLEMENTATIONS], x_title=t("speed.axis"),
                      speedup_text=t("speed.faster")),
        key="speed_race_figure", config=CHART_CONFIG,
    )
    if race.max_difference < 1e-12:
        st.success(t("speed.agree", diff=race.max_difference))
    else:
        st.error(t("speed.disagree", diff=race.max_difference))
    kernel = format_seconds(race.kernel_seconds)
    if race.seconds["dual"] < race.seconds["vectorized"]:
        payback = race.kernel_seconds / (race.seconds["vectorized"] - race.seconds["dual"])
        st.markdown(t("speed.kernel", m=race.m, n=race.n, seconds=kernel, steps=max(1.0, payback)))
    else:
        st.markdown(t("speed.kernel_no_gain", m=race.m, n=race.n, seconds=kernel))
    st.caption(t("speed.threads") if race.single_thread else t("speed.threads_unknown"))

st.subheader(t("speed.code_title"))
st.caption(t("speed.code_caption"))
for name in IMPLEMENTATIONS:
    left, right = st.columns([1, 2.6])
    with left:
        st.markdown(f"**{t(f'speed.impl_{name}')}**")
        if race is not None:
            st.metric(t("speed.time"), format_seconds(race.seconds[name]),
                      delta=None if name == "two_loops" else t("speed.times_faster", factor=race.speedup(name)),
                      delta_color="normal", help=t("speed.repeats", repeats=race.repeats[name]))
    right.code(inspect.getsource(CODE[name]), language="python", wrap_lines=True)
