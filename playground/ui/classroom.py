"""Class mode for the pages: the shared store, who this visitor is in a class, what they send.

A student joins with a code (the Class page) or a link (``?class=CODE`` on any page); a teacher
opens their class with ``?class=CODE&key=KEY``. Membership lives in this session only; the class
itself in the store (playground.classroom.store), which every copy of the app shares. Nothing here
may break a page: a store that cannot be reached turns class mode off with one sentence.

Widget keys start with ``class.``.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit

import streamlit as st

from playground.classroom.codes import clean_nickname, normal_code
from playground.classroom.store import ClassUnavailable, Run, Store, default_url
from playground.errors import InputError
from playground.ui import state
from playground.ui.i18n import error_text, t
from playground.ui.links import as_markdown_text

log = logging.getLogger("playground.classroom")
LINK_CLASS, LINK_KEY = "class", "key"
PAGE = "classroom"
"""The Class page's file and URL path."""
_NOTICE = "class_notice"  # what class mode could not do in a callback, said on the next run
_ROUNDS = "class_rounds_seen"  # checkpoint id → its round, as the store said on this run


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    # One per copy, shared by its visitors (the engine pools connections). A Store that cannot open
    # raises, and cache_resource keeps no exception: the next run tries again.
    return Store(url)


def store() -> Store | None:
    """The class store, or None when the database cannot be reached (logged, not shown)."""
    try:
        return _store(default_url())
    except ClassUnavailable as err:
        log.warning("class mode unavailable: %s", err)
        return None


def attempt(call: Callable, *args, **kwargs):
    """``(call(store, …), None)``, or ``(None, a sentence for the visitor)`` when class mode cannot do it."""
    s = store()
    if s is None:
        return None, t("classroom.unavailable")
    try:
        return call(s, *args, **kwargs), None
    except ClassUnavailable as err:
        log.warning("class mode unavailable: %s", err)
        return None, t("classroom.unavailable")
    except InputError as err:
        return None, error_text(err)


def student_id() -> str:
    """This session's id in a class: random, never derived from the visitor."""
    return st.session_state.setdefault(state.CLASS_STUDENT, secrets.token_hex(16))


def member() -> tuple[str, str] | None:
    """(code, nickname) of the class this visitor joined, or None."""
    return st.session_state.get(state.CLASS_MEMBER)


def teacher() -> tuple[str, str] | None:
    """(code, key) of the class this visitor teaches, or None."""
    return st.session_state.get(state.CLASS_TEACHER)


def join(code: str, nickname: str = "") -> str | None:
    """Join class ``code`` as a student; None when joined, else why not (in the visitor's language)."""
    try:
        nickname = clean_nickname(nickname)
    except InputError as err:
        return error_text(err)
    stored, problem = attempt(Store.join, code, student_id(), nickname)
    if problem is None:
        st.session_state[state.CLASS_MEMBER] = (stored, nickname)
        st.session_state.pop(state.CLASS_SENT_ROUNDS, None)
    return problem


def leave() -> None:
    """Button callback: this session is no longer a student of its class (what it sent stays there)."""
    st.session_state.pop(state.CLASS_MEMBER, None)
    st.session_state.pop(state.CLASS_SENT_ROUNDS, None)


def teach(code: str, key: str) -> str | None:
    """Become the teacher of class ``code`` if ``key`` is its key; None when it is, else why not."""
    results, problem = attempt(Store.results, code, key)
    if problem is None:
        st.session_state[state.CLASS_TEACHER] = (results.code, key)
    return problem


def stop_teaching() -> None:
    st.session_state.pop(state.CLASS_TEACHER, None)


def base_url() -> str:
    """The app's address as this visitor reached it (scheme and host), for links to share."""
    url = urlsplit(st.context.url or "")
    return f"{url.scheme}://{url.netloc}" if url.scheme and url.netloc else ""


def join_url(code: str) -> str:
    """The link a student follows: the Class page, which says they joined and where to go."""
    return f"{base_url()}/{PAGE}?{urlencode({LINK_CLASS: code})}"


def teacher_url(code: str, key: str) -> str:
    return f"{base_url()}/{PAGE}?{urlencode({LINK_CLASS: code, LINK_KEY: key})}"


def follow_link() -> None:
    """On a session's first run: ``?class=CODE`` joins the class, ``&key=KEY`` opens it as its teacher.
    The key leaves the address bar at once (a projected URL must not show it)."""
    raw = state.link_once(state.CLASS_LINK_READ, LINK_CLASS)
    if raw is None:
        return
    key = st.query_params.get(LINK_KEY)
    st.query_params.pop(LINK_KEY, None)
    code = normal_code(raw)
    if key is not None:
        problem = teach(code, key) if code else error_text(InputError("class_not_found"))
    else:
        problem = join(code) if code else error_text(InputError("class_not_found"))
    if problem is not None:
        st.session_state[_NOTICE] = problem


def notices() -> None:
    """What class mode could not do since the last run, said once, at the top of the page."""
    problem = st.session_state.pop(_NOTICE, None)
    if problem:
        st.warning(problem, icon=":material/groups:")


def sidebar() -> None:
    """The sidebar's line about the class: which one, as whom, and a way out."""
    joined, teaching = member(), teacher()
    if joined is None and teaching is None:
        return
    sb = st.sidebar
    if teaching is not None:
        sb.caption(t("classroom.sidebar_teaching", code=teaching[0]))
    if joined is not None:
        code, nickname = joined
        sb.caption(t("classroom.sidebar_joined_as", code=code, nickname=as_markdown_text(nickname)) if nickname
                   else t("classroom.sidebar_joined", code=code))
        sb.button(t("classroom.leave"), key="class.leave", on_click=leave, icon=":material/logout:")


# ------------------------------------------------------------------ what a student sends
def send_answer(checkpoint_id: str, answer: str, right: bool, first: bool) -> None:
    """A checkpoint answer, to the class this visitor joined (if any). Called from a button callback:
    a failure is kept and said on the next run."""
    joined = member()
    if joined is None:
        return
    _, problem = attempt(Store.answer, joined[0], student_id(), checkpoint_id, answer, right, first)
    if problem is not None:
        st.session_state[_NOTICE] = problem
        return
    rounds = st.session_state.setdefault(state.CLASS_SENT_ROUNDS, {})
    rounds.setdefault(checkpoint_id, _round_now(checkpoint_id))


def _round_now(checkpoint_id: str) -> int:
    return st.session_state.get(_ROUNDS, {}).get(checkpoint_id, 0)


def cleared_since_sent() -> list[str]:
    """The checkpoints whose answers the teacher cleared since this visitor sent theirs: the page
    asks them afresh, so that the class can vote again."""
    joined = member()
    if joined is None:
        return []
    rounds, problem = attempt(Store.rounds, joined[0], student_id())
    if problem is not None:
        return []
    st.session_state[_ROUNDS] = rounds
    sent = st.session_state.setdefault(state.CLASS_SENT_ROUNDS, {})
    cleared = [cp for cp, r in sent.items() if rounds.get(cp, 0) > r]
    for cp in cleared:
        del sent[cp]
    return cleared


def send_run(run: Run) -> tuple[int | None, str | None]:
    """(How many runs this visitor has sent, None), or (None, why not)."""
    joined = member()
    if joined is None:
        return None, t("classroom.not_joined")
    return attempt(Store.send_run, joined[0], student_id(), run)
