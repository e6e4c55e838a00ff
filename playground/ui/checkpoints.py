"""Predict first: the box on every page that asks a checkpoint before the page shows the answer.

A page opens its box where the lesson asks (``box = panel("train")``), and later, once it has what
the answer depends on, asks into it: ``box.ask("blow_up", lambda: ..., show=...)``. The box shows
one of the page's checkpoints at a time; only that one's question is computed. A student answers,
may try once more after a wrong answer, then sees the why and where the page shows it, and
"Show me" makes the page's own controls run the example. In presenter mode the box shows the
question large, without an answer field, and the teacher reveals the answer when the class has
voted. Progress ("n of N answered") is in the sidebar, for this session only.

Widget keys start with ``checkpoint.``: ``checkpoint.<id>.answer``, ``.check``, ``.show``, ``.again``,
``.reveal``; ``checkpoint.<page>.pick`` picks the checkpoint shown; ``checkpoint.reset`` starts again.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import streamlit as st

from playground.lessons.checkpoints import BY_ID, CHECKPOINTS, Checkpoint, Choice, Number, Question, Target, on_page
from playground.ui import classroom, presenter, state
from playground.ui.i18n import catalog, t
from playground.ui.links import quoted

LINK = "checkpoint"
"""?checkpoint=<id> opens the checkpoint's page with it picked."""
TRIES = 2
"""Tries before the answer is shown."""
_LETTERS = string.ascii_uppercase


@dataclass
class Record:
    """One visitor's history with one checkpoint: their answers in order (as text), and whether the
    last one was right. Done when right, or after TRIES wrong answers."""

    tries: list[str] = field(default_factory=list)
    right: bool = False
    asked: tuple = ()  # Question.asked when answered

    @property
    def done(self) -> bool:
        return self.right or len(self.tries) >= TRIES


def records() -> dict[str, Record]:
    return st.session_state.setdefault(state.CHECKPOINT_RECORDS, {})


def engaged(cp_id: str) -> bool:
    """Whether this visitor is at checkpoint ``cp_id``: an answer picked, one on record, or the answer
    revealed. A page whose question costs work (a measurement) computes it from then on, and one whose
    "Show me" moves what the question reads keeps it from then on."""
    return (st.session_state.get(f"checkpoint.{cp_id}.answer") is not None or cp_id in records()
            or cp_id in st.session_state.get(state.CHECKPOINT_REVEALED, ()))


def answered() -> int:
    return sum(r.done for r in records().values())


# ------------------------------------------------------------------ texts
def _text(cp: Checkpoint, part: str, fields: Mapping) -> str:
    return t(cp.text_key(part), **fields)


def _has_text(cp: Checkpoint, part: str) -> bool:
    return cp.text_key(part) in catalog("en")


def _option_label(cp: Checkpoint, choice: Choice, option: str, fields: Mapping) -> str:
    return option if choice.literal else _text(cp, f"option_{option}", fields)


def _right_answer(cp: Checkpoint, q: Question) -> str:
    a = q.answer
    if isinstance(a, Choice):
        return _option_label(cp, a, a.right, q.fields)
    if isinstance(a, Number):
        return a.shown()
    return _text(cp, "best", q.fields)


def answer_text(q: Question, value) -> str:
    """An answer as a record keeps it: the option id, the number as typed, a target's run."""
    if isinstance(q.answer, Target):
        return ",".join(f"{k}={v}" for k, v in sorted(q.fields.items()))
    return str(value)


# ------------------------------------------------------------------ the sidebar and links
def reset() -> None:
    """Button callback: forget every answer of this session (widgets included)."""
    records().clear()
    st.session_state.pop(state.CHECKPOINT_REVEALED, None)
    for key in [k for k in st.session_state if str(k).startswith("checkpoint.") and str(k).endswith(".answer")]:
        del st.session_state[key]


def progress() -> None:
    """Sidebar: how many checkpoints this visitor has answered, and a way to start again."""
    n, total = answered(), len(CHECKPOINTS)
    sb = st.sidebar
    sb.progress(n / total, text=t("checkpoints.progress", n=n, total=total))
    if records():
        sb.button(t("checkpoints.reset"), key="checkpoint.reset", on_click=reset, icon=":material/restart_alt:",
                  help=t("checkpoints.reset_help"))


def follow_link(pages: Mapping[str, object], current: str) -> None:
    """On a session's first run, ``?checkpoint=<id>`` picks that checkpoint and opens its page
    (``pages``: page name → st.Page); an unknown id is said on the page."""
    raw = state.link_once(state.CHECKPOINT_LINK_READ, LINK)
    if raw is None:
        return
    cp = BY_ID.get(raw.strip().lower())
    if cp is None:
        st.warning(t("checkpoints.link_unknown", raw=quoted(raw)), icon=":material/link:")
        return
    st.session_state[_pick_key(cp.page)] = cp.name
    if cp.page != current:
        st.switch_page(pages[cp.page], query_params=st.query_params.to_dict())  # (the link's other settings too)


# ------------------------------------------------------------------ the box
def _pick_key(page: str) -> str:
    return f"checkpoint.{page}.pick"


class Panel:
    """The box of one page: a picker of its checkpoints, and the picked one, asked by ``ask``."""

    def __init__(self, page: str):
        self.page = page
        self.checkpoints = {cp.name: cp for cp in on_page(page)}
        for cleared in classroom.cleared_since_sent():  # the teacher cleared it: the class votes again
            _again(cleared)
        classroom.notices()
        self.box = st.container(border=True, key=f"checkpoint_{page}_box")
        names = list(self.checkpoints)
        done = {n for n in names if (r := records().get(f"{page}.{n}")) is not None and r.done}
        key = _pick_key(page)
        if st.session_state.get(key) not in names:
            # The first one not done yet (all done: the first).
            st.session_state[key] = next((n for n in names if n not in done), names[0])
        head, pick = self.box.columns([3, 2], vertical_alignment="center")
        head.markdown(t("checkpoints.heading"))
        labels = {n: f"{k + 1}" + (" ✓" if n in done else "") for k, n in enumerate(names)}
        self.picked = pick.segmented_control(
            t("checkpoints.pick"), names, format_func=labels.__getitem__, key=key, label_visibility="collapsed",
            required=True,
        )
        self.body = self.box.container()

    def ask(self, name: str, question: Callable[[], Question], show: Mapping[str, str] | Callable[[Mapping], None]) -> None:
        """Ask checkpoint ``name`` if it is the picked one: ``question()`` computes it now (what it draws
        shows above the question); ``show`` maps the names of ``Question.show`` to the session keys of
        the page's widgets (or is a callback that takes ``Question.show``): "Show me" sets them, so the
        page's own figures run the example."""
        if name != self.picked:
            return
        cp = self.checkpoints[name]
        with self.body:  # (what question() draws, a picture it asks about, goes above its text)
            q = question()
            record = records().get(cp.id)
            if record is not None and record.asked != q.asked:
                _again(cp.id)  # another question now (another dataset, other settings): asked afresh
            if presenter.presenting():
                _presented(cp, q, show)
            else:
                _asked(cp, q, show)


def panel(page: str) -> Panel:
    """Open the page's checkpoint box here."""
    return Panel(page)


def _show_me(show, values: Mapping) -> None:
    """Button callback (runs before the script, so the page's widgets take the values)."""
    if callable(show):
        show(values)
    else:
        for name, value in values.items():
            st.session_state[show[name]] = value


def _again(cp_id: str) -> None:
    records().pop(cp_id, None)
    st.session_state.pop(f"checkpoint.{cp_id}.answer", None)


def _answer_widget(cp: Checkpoint, q: Question, disabled: bool):
    key = f"checkpoint.{cp.id}.answer"
    a = q.answer
    if isinstance(a, Choice):
        return st.radio(t("checkpoints.your_answer"), a.options, index=None, key=key, disabled=disabled, horizontal=True,
                        format_func={o: _option_label(cp, a, o, q.fields) for o in a.options}.__getitem__)
    if isinstance(a, Number):
        step = 10.0 ** -a.digits if a.digits else 1
        return st.number_input(t("checkpoints.your_number"), value=None, step=step, key=key, disabled=disabled,
                               format=f"%.{a.digits}f" if a.digits else "%d", placeholder=t("checkpoints.placeholder"))
    st.markdown(_text(cp, "now", q.fields))
    return None


def _check(cp_id: str, q: Question) -> None:
    """Check button callback (before the script runs, so the page draws the verdict with the answer
    field already closed): ``q`` is the question as the visitor saw it, a target's run included."""
    value = st.session_state.get(f"checkpoint.{cp_id}.answer")
    if value is None and not isinstance(q.answer, Target):
        st.session_state[_UNANSWERED] = cp_id
        return
    record = records().setdefault(cp_id, Record(asked=q.asked))
    record.tries.append(answer_text(q, value))
    record.right = q.is_right(value)
    classroom.send_answer(cp_id, record.tries[-1], record.right, first=len(record.tries) == 1)


_UNANSWERED = "checkpoint_unanswered"  # the checkpoint whose Check was pressed with no answer, said once


def _asked(cp: Checkpoint, q: Question, show) -> None:
    record = records().get(cp.id) or Record()
    st.markdown(_text(cp, "question", q.fields))
    _answer_widget(cp, q, disabled=record.done)
    if not record.done:
        label = t("checkpoints.check_run") if isinstance(q.answer, Target) else t("checkpoints.check")
        st.button(label, key=f"checkpoint.{cp.id}.check", type="primary", icon=":material/check:",
                  on_click=_check, args=(cp.id, q))
        if st.session_state.pop(_UNANSWERED, None) == cp.id:
            st.warning(t("checkpoints.no_answer"))
    if not record.tries:
        return
    if not record.done:
        hint = _text(cp, "hint", q.fields) if _has_text(cp, "hint") else ""
        st.warning(" ".join(filter(None, [t("checkpoints.try_again"), hint])), icon=":material/replay:")
        return
    with _feedback(cp, q, record.right, show):
        st.button(t("checkpoints.again"), key=f"checkpoint.{cp.id}.again", on_click=_again, args=(cp.id,),
                  icon=":material/restart_alt:")


def _feedback(cp: Checkpoint, q: Question, right: bool | None, show):
    """The verdict (None: revealed, no verdict), the why, where the page shows it, and "Show me";
    returns the row of buttons, for more."""
    answer = _right_answer(cp, q)
    target = "_target" if isinstance(q.answer, Target) else ""
    if right is None:  # (in presenter mode the options are lettered: the letter too)
        if isinstance(q.answer, Choice):
            answer = f"{_LETTERS[q.answer.options.index(q.answer.right)]} · {answer}"
        st.info(t(f"checkpoints.answer_is{target}", answer=answer), icon=":material/visibility:")
    elif right:
        st.success(t(f"checkpoints.right{target}", answer=answer), icon=":material/check_circle:")
    else:
        st.error(t(f"checkpoints.wrong{target}", answer=answer), icon=":material/cancel:")
    st.markdown(_text(cp, "why", q.fields))
    st.caption(t("checkpoints.look", where=_text(cp, "look", q.fields)))
    buttons = st.container(horizontal=True)
    if q.show:
        buttons.button(t("checkpoints.show_me"), key=f"checkpoint.{cp.id}.show", on_click=_show_me,
                       args=(show, q.show), icon=":material/play_arrow:", type="primary")
    return buttons


def _toggle_reveal(cp_id: str) -> None:
    revealed = st.session_state.setdefault(state.CHECKPOINT_REVEALED, set())
    revealed.symmetric_difference_update({cp_id})


def _presented(cp: Checkpoint, q: Question, show) -> None:
    """For a class: the question large, the options lettered for a vote by hands, and a reveal."""
    st.markdown(f"### {_text(cp, 'question', q.fields)}")
    a = q.answer
    if isinstance(a, Choice):
        st.markdown("\n".join(f"- **{_LETTERS[k]}** · {_option_label(cp, a, o, q.fields)}"
                              for k, o in enumerate(a.options)))
    elif isinstance(a, Target):
        st.markdown(_text(cp, "now", q.fields))
    revealed = cp.id in st.session_state.get(state.CHECKPOINT_REVEALED, set())
    st.button(t("checkpoints.hide") if revealed else t("checkpoints.reveal"), key=f"checkpoint.{cp.id}.reveal",
              on_click=_toggle_reveal, args=(cp.id,), type="secondary" if revealed else "primary",
              icon=":material/visibility_off:" if revealed else ":material/visibility:")
    if revealed:
        _feedback(cp, q, None, show)
