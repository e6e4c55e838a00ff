"""Class: a teacher opens a class, students join it with its code, and the teacher's screen shows
the class's answers to the checkpoints and the runs they send, live.

The store (playground.classroom.store) holds the class; playground.ui.classroom says who this visitor
is in it, and every store call goes through its ``attempt``: a database that cannot be reached turns
class mode off with one sentence, and the rest of the app goes on. The teacher's live view is a
fragment that reruns every LIVE_SECONDS: it only reads the store and draws (nothing trains).

Projector first: the join code large, a QR code of the join link, then the live view; the teacher's
private link stays in a closed expander. Widget keys start with ``class.``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import streamlit as st

from playground.classroom import qr
from playground.classroom.codes import MAX_NICKNAME, clean_nickname
from playground.classroom.store import CLASS_HOURS, Results, Store, Tally
from playground.errors import InputError
from playground.figures import classroom as figs
from playground.lessons.checkpoints import BY_ID, CHECKPOINTS, Checkpoint
from playground.training import INITS
from playground.ui import classroom, presenter
from playground.ui.i18n import catalog, class_label, error_text, t
from playground.ui.links import as_markdown_text
from playground.ui.pages.train_params import LEARNING_RATES

# (Comments, not docstrings, on this page's constants: a bare string in a page is drawn, Streamlit's magic.)
LIVE_SECONDS = 2  # how often the teacher's live view reads the store
QR_WIDTH = 300  # the QR code's width on the page, in pixels (presenter mode: larger)
LOSSES = ("cross_entropy", "mse")
# Session-state keys: what the last action of this page could not do (said once), and the teacher's
# "End the class?" step.
PROBLEM, DONE, END_ASKED = "class_page_problem", "class_page_done", "class_page_end_asked"
RUNS_DATASET = "class.runs_dataset"  # which dataset's runs the chart shows, when they came on several
SEEDED = "class_page_nickname_seeded"  # (code, nickname) the "change your nickname" field was filled with
_CSS = """
.class-code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-weight: 700;
  font-size: clamp(3.5rem, 11vw, 10rem); line-height: 1.05; letter-spacing: 0.12em; color: #111827;
  margin: 0.1em 0 0.15em 0; white-space: nowrap; }
.class-code-label { font-size: 1.1rem; color: #4b5563; margin: 0; }
"""


# ------------------------------------------------------------------ texts
class _Blank(dict):
    """Format fields a teacher's view cannot know (they depend on a student's data and settings)."""

    def __missing__(self, name):
        return _Gap()


class _Gap:
    def __format__(self, spec: str) -> str:
        return "…"

    def __getattr__(self, name):
        return self

    def __getitem__(self, name):
        return self


def _unfilled(text: str) -> str:
    """A checkpoint's text without a student's page to fill it: the class's names where the course
    says them, "…" for the numbers each page computes."""
    try:
        return text.format_map(_Blank(cat=class_label("cat"), non_cat=class_label("non-cat")))
    except (ValueError, IndexError):
        return text


def _question(cp: Checkpoint) -> str:
    return _unfilled(t(cp.text_key("question")))


def _cp_label(cp: Checkpoint) -> str:
    """"Train 2": the page's name and the checkpoint's number in the page's own picker."""
    n = [c.id for c in CHECKPOINTS if c.page == cp.page].index(cp.id) + 1
    return t("classroom.checkpoint_label", page=t(f"nav.{cp.page}"), n=n)


def _options(cp: Checkpoint) -> list[str]:
    """A worded choice's option ids, in the order its page's texts list them (literal choices: none)."""
    prefix = cp.text_key("option_")
    return [key[len(prefix):] for key in catalog("en") if key.startswith(prefix)]


def _answer_words(cp: Checkpoint, answer: str | None) -> str:
    """An answer as the students saw it: a choice's words, a number as typed; None: "other"."""
    if answer is None:
        return t("classroom.other")
    key = cp.text_key("option_" + answer)
    return _unfilled(t(key)) if key in catalog("en") else answer


def _fig_words() -> dict[str, str]:
    return {name: t(f"classroom.fig_{name}") for name in figs.WORDS}


def _size(height: int) -> dict:
    """A figure's height and font size, enlarged in presenter mode."""
    scale = presenter.SCALE if presenter.presenting() else 1.0
    return {"height": round(height * scale), "font_size": round(figs.FONT_SIZE * scale)}


# ------------------------------------------------------------------ callbacks (they run before the script)
def _join() -> None:
    code = str(st.session_state.get("class.code") or "").strip()
    if not code:
        st.session_state[PROBLEM] = t("classroom.code_missing")
        return
    try:  # (cleaned here too, so that the sidebar shows the nickname as the class keeps it)
        nickname = clean_nickname(st.session_state.get("class.nickname") or "")
    except InputError as err:
        st.session_state[PROBLEM] = error_text(err)
        return
    st.session_state[PROBLEM] = classroom.join(code, nickname)


def _rename(code: str) -> None:
    try:
        nickname = clean_nickname(st.session_state.get("class.new_nickname") or "")
    except InputError as err:
        st.session_state[PROBLEM] = error_text(err)
        return
    problem = classroom.join(code, nickname)
    st.session_state[PROBLEM] = problem
    if problem is None:
        st.session_state[DONE] = (t("classroom.renamed", nickname=as_markdown_text(nickname)) if nickname
                                  else t("classroom.renamed_none"))


def _create() -> None:
    new, problem = classroom.attempt(Store.create_class)
    if problem is None:
        problem = classroom.teach(new.code, new.teacher_key)
    st.session_state[PROBLEM] = problem
    st.session_state.pop(END_ASKED, None)


def _reveal(code: str, key: str, cp_id: str, revealed: bool) -> None:
    _, st.session_state[PROBLEM] = classroom.attempt(Store.reveal, code, key, cp_id, revealed)


def _clear(code: str, key: str, cp_id: str) -> None:
    _, st.session_state[PROBLEM] = classroom.attempt(Store.clear_checkpoint, code, key, cp_id)


def _end(code: str, key: str) -> None:
    _, problem = classroom.attempt(Store.end_class, code, key)
    st.session_state.pop(END_ASKED, None)
    if problem is None or problem == error_text(InputError("class_not_found")):  # (gone already: expired)
        classroom.stop_teaching()
        st.session_state[DONE] = t("classroom.ended", code=code)
    else:
        st.session_state[PROBLEM] = problem


def _said() -> None:
    """What the last action could not do, or did, said once."""
    problem, done = st.session_state.pop(PROBLEM, None), st.session_state.pop(DONE, None)
    if problem:
        st.error(problem, icon=":material/groups:")
    if done:
        st.success(done, icon=":material/check_circle:")


# ------------------------------------------------------------------ nobody in a class yet
def start() -> None:
    if classroom.store() is None:
        st.warning(t("classroom.unavailable"), icon=":material/cloud_off:")
    join, teach = st.columns(2, gap="large")
    with join.container(border=True):
        st.subheader(t("classroom.join_heading"))
        st.markdown(t("classroom.join_intro"))
        st.text_input(t("classroom.code"), key="class.code", max_chars=12, placeholder=t("classroom.code_placeholder"))
        st.text_input(t("classroom.nickname"), key="class.nickname", max_chars=MAX_NICKNAME,
                      help=t("classroom.nickname_help", limit=MAX_NICKNAME))
        st.button(t("classroom.join"), key="class.join", type="primary", on_click=_join, icon=":material/login:")
    with teach.container(border=True):
        st.subheader(t("classroom.teach_heading"))
        st.markdown(t("classroom.teach_intro", hours=CLASS_HOURS))
        st.button(t("classroom.create"), key="class.create", on_click=_create, icon=":material/co_present:")


# ------------------------------------------------------------------ a student
def student(code: str, nickname: str) -> None:
    st.subheader(t("classroom.student_heading"))
    st.markdown(t("classroom.in_class_as", code=code, nickname=as_markdown_text(nickname)) if nickname
                else t("classroom.in_class", code=code))
    _, problem = classroom.attempt(Store.rounds, code, classroom.student_id())  # (is the class still there?)
    if problem is not None:
        st.warning(problem, icon=":material/groups:")
    st.markdown(t("classroom.student_howto"))
    st.page_link("playground/ui/pages/train.py", label=t("classroom.to_train"), icon=":material/trending_down:")
    with st.container(border=True):
        if st.session_state.get(SEEDED) != (code, nickname):  # (joined again, by a link: the field follows)
            st.session_state[SEEDED] = (code, nickname)
            st.session_state["class.new_nickname"] = nickname
        st.text_input(t("classroom.new_nickname"), key="class.new_nickname", max_chars=MAX_NICKNAME,
                      help=t("classroom.nickname_help", limit=MAX_NICKNAME))
        row = st.container(horizontal=True)
        row.button(t("classroom.rename"), key="class.rename", on_click=_rename, args=(code,), icon=":material/badge:")
        row.button(t("classroom.leave"), key="class.leave_page", on_click=classroom.leave, icon=":material/logout:")


# ------------------------------------------------------------------ the teacher
def join_panel(code: str, key: str) -> None:
    """The join code large, the QR code of the join link, the link itself; the private teacher link
    in a closed expander."""
    url = classroom.join_url(code)
    if not st.toggle(t("classroom.show_join"), value=True, key="class.show_join", help=t("classroom.show_join_help")):
        st.markdown(t("classroom.code_line", code=code))  # (the results get the screen; the code stays in sight)
        return
    words, picture = st.columns([3, 2], gap="large", vertical_alignment="center")
    with words:
        st.markdown(t("classroom.join_how"))
        st.html(f'<p class="class-code-label">{t("classroom.join_code")}</p>'
                f'<p class="class-code" aria-label="{" ".join(code)}">{code}</p>')  # (the code: CODE_LETTERS only)
        st.caption(t("classroom.join_link"))
        st.code(url, language=None, wrap_lines=True)
    with picture:
        width = round(QR_WIDTH * presenter.SCALE) if presenter.presenting() else QR_WIDTH
        st.image(qr.qr_svg(url), width=width, caption=t("classroom.qr_caption"))
    with st.expander(t("classroom.teacher_link"), icon=":material/key:"):
        st.warning(t("classroom.teacher_link_warning"), icon=":material/lock:")
        st.code(classroom.teacher_url(code, key), language=None, wrap_lines=True)


def _bars(cp: Checkpoint, tally: Tally) -> tuple[list[str], tuple[int, ...], tuple[int, ...], list[bool]]:
    """(labels, first counts, final counts, right flags) of one checkpoint's tally."""
    if cp.kind == "target":  # a target's answers are runs, all different: reached or not is the news
        answered = tally.answered
        return ([t("classroom.target_reached"), t("classroom.target_missed")],
                (tally.first_right, answered - tally.first_right), (tally.final_right, answered - tally.final_right),
                [True, False])
    bars = figs.answer_bars(tally.first, tally.final, order=_options(cp) if cp.kind == "choice" else (),
                            keep=tally.right_answers if tally.revealed else (), numeric=cp.kind == "number")
    right = set(tally.right_answers)
    return ([_answer_words(cp, a) for a in bars.answers], bars.first, bars.final,
            [a is not None and a in right for a in bars.answers])


def _right_text(cp: Checkpoint, tally: Tally) -> str:
    if cp.kind == "target":
        return t("classroom.right_answer", answers=t("classroom.target_reached"))
    if not tally.right_answers:
        return t("classroom.right_none")
    return t("classroom.right_answer", answers=", ".join(as_markdown_text(_answer_words(cp, a))
                                                          for a in tally.right_answers))


def checkpoint_card(cp: Checkpoint, tally: Tally, students: int, code: str, key: str, words: dict) -> None:
    with st.container(border=True, key=f"class_cp_{cp.page}_{cp.name}"):
        st.markdown(f"**{_cp_label(cp)}** · {_question(cp)}")
        line = t("classroom.answered", n=tally.answered, students=students)
        if tally.revealed:
            line += " · " + t("classroom.right_counts", first=tally.first_right, final=tally.final_right)
        st.caption(line)
        labels, first, final, right = _bars(cp, tally)
        if labels:
            st.plotly_chart(figs.answers_figure(labels, first, final, words, right if tally.revealed else None,
                                                **_size(300)), key=f"class.chart.{cp.id}", config=presenter.CHART_CONFIG)
        else:
            st.caption(t("classroom.no_answers"))
        if tally.revealed:
            st.success(_right_text(cp, tally), icon=":material/visibility:")
        row = st.container(horizontal=True)
        row.button(t("classroom.hide") if tally.revealed else t("classroom.reveal"), key=f"class.reveal.{cp.id}",
                   on_click=_reveal, args=(code, key, cp.id, not tally.revealed),
                   type="secondary" if tally.revealed else "primary",
                   icon=":material/visibility_off:" if tally.revealed else ":material/visibility:")
        row.button(t("classroom.clear"), key=f"class.clear.{cp.id}", on_click=_clear, args=(code, key, cp.id),
                   help=t("classroom.clear_help"), icon=":material/restart_alt:")


def dataset_name(dataset: str) -> str:
    """A run's dataset (Run.dataset) in the visitor's language."""
    kind, _, seed = dataset.partition(":")
    if kind == "builtin" and seed.isdigit():
        return t("classroom.dataset_builtin", seed=int(seed))
    if kind in ("course_folder", "course_upload", "zip"):
        return t(f"classroom.dataset_{kind}")
    return t("classroom.dataset_unknown")


def _one_dataset(runs: tuple) -> tuple:
    """The runs on one dataset: accuracies on different data do not compare, so with runs on several
    the teacher picks which (the one with the most runs at first). The choices keep the order their
    first runs came in: buttons that swapped places as runs arrive would be hard to hit."""
    counts = Counter(r.dataset for r in runs)
    if len(counts) < 2:
        return runs
    busiest = counts.most_common(1)[0][0]
    if st.session_state.get(RUNS_DATASET) not in counts:
        st.session_state[RUNS_DATASET] = busiest
    picked = st.segmented_control(
        t("classroom.runs_dataset"), list(counts), key=RUNS_DATASET, help=t("classroom.runs_dataset_help"),
        format_func=lambda name: t("classroom.runs_dataset_option", name=dataset_name(name), n=counts[name]))
    return tuple(r for r in runs if r.dataset == (picked or busiest))  # (picked: None once clicked off)


def runs_panel(results: Results, words: dict) -> None:
    with st.container(key="class_runs"):
        _runs(results, words)


def _runs(results: Results, words: dict) -> None:
    st.subheader(t("classroom.runs_heading"))
    if not results.runs:
        st.info(t("classroom.no_runs"), icon=":material/scatter_plot:")
        return
    runs = _one_dataset(results.runs)
    points = figs.run_points([r.learning_rate for r in runs], [r.test_accuracy for r in runs],
                             [r.loss for r in runs], [r.diverged for r in runs], [r.nickname for r in runs],
                             [r.iterations for r in runs], [r.init for r in runs], [r.train_accuracy for r in runs])
    st.plotly_chart(figs.runs_figure(points, words, {loss: t(f"train.loss_{loss}") for loss in LOSSES},
                                     {init: t(f"train.init_{init}") for init in INITS}, LEARNING_RATES,
                                     **_size(440)),
                    key="class.runs_chart", config=presenter.CHART_CONFIG)
    st.caption(t("classroom.runs_caption"))


@st.fragment(run_every=LIVE_SECONDS)
def live(code: str, key: str) -> None:
    """What the class has sent, read afresh every LIVE_SECONDS (only this part of the page reruns)."""
    results, problem = classroom.attempt(Store.results, code, key)
    _said()
    if problem is not None:
        st.warning(problem, icon=":material/groups:")
        gone = problem != t("classroom.unavailable")  # (ended in another session, or expired)
        if gone and st.button(t("classroom.forget"), key="class.forget", icon=":material/close:"):
            classroom.stop_teaching()
            st.rerun(scope="app")
        return
    counts = st.columns(3)
    counts[0].metric(t("classroom.students"), f"{results.students:,}")
    counts[1].metric(t("classroom.answers"), f"{sum(x.answered for x in results.checkpoints.values()):,}")
    counts[2].metric(t("classroom.runs"), f"{len(results.runs):,}")
    if results.students:
        anonymous = results.students - len(results.nicknames)
        with st.expander(t("classroom.who", n=results.students)):
            names = [as_markdown_text(n) for n in results.nicknames]
            if anonymous:
                names.append(t("classroom.anonymous_count", n=anonymous))
            st.markdown(" · ".join(names))
    else:
        st.info(t("classroom.nobody"), icon=":material/hourglass_empty:")

    with st.expander(t("classroom.show_checkpoints"), icon=":material/checklist:"):
        picked = st.pills(t("classroom.show_checkpoints"), [cp.id for cp in CHECKPOINTS], selection_mode="multi",
                          format_func=lambda cp_id: _cp_label(BY_ID[cp_id]), key="class.show",
                          label_visibility="collapsed") or []
        st.caption(t("classroom.show_checkpoints_help"))
    shown = [cp for cp in CHECKPOINTS if cp.id in results.checkpoints or cp.id in picked]
    if not shown:
        st.caption(t("classroom.no_checkpoints"))
    words = _fig_words()
    columns = 1 if presenter.presenting() and len(shown) == 1 else 2
    for row in range(0, len(shown), columns):
        for col, cp in zip(st.columns(columns, gap="medium"), shown[row:row + columns]):
            with col:
                checkpoint_card(cp, results.checkpoints.get(cp.id, Tally()), results.students, code, key, words)
    runs_panel(results, words)
    left = (results.expires_at - dt.datetime.now(dt.UTC)).total_seconds() / 3600
    st.caption(t("classroom.expires", hours=max(math.ceil(left), 0)))


def end_panel(code: str, key: str) -> None:
    if not st.session_state.get(END_ASKED):
        st.button(t("classroom.end"), key="class.end", icon=":material/delete_forever:",
                  on_click=st.session_state.__setitem__, args=(END_ASKED, True), help=t("classroom.end_help"))
        return
    with st.container(border=True):
        st.warning(t("classroom.end_question", code=code), icon=":material/warning:")
        row = st.container(horizontal=True)
        row.button(t("classroom.end_confirm"), key="class.end_confirm", type="primary", on_click=_end,
                   args=(code, key), icon=":material/delete_forever:")
        row.button(t("classroom.end_cancel"), key="class.end_cancel", on_click=st.session_state.pop,
                   args=(END_ASKED, None))


def teacher(code: str, key: str) -> None:
    join_panel(code, key)
    st.divider()
    live(code, key)
    st.divider()
    end_panel(code, key)


# ------------------------------------------------------------------ the page
st.html(f"<style>{_CSS}</style>")
st.title(t("classroom.title"))
classroom.notices()
teaching, joined = classroom.teacher(), classroom.member()
if teaching is None:
    _said()
if teaching is None and joined is None:
    st.markdown(t("classroom.intro"))
    start()
if joined is not None:
    student(*joined)
if teaching is not None:
    teacher(*teaching)
