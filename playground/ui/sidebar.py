"""The dataset chooser, shown in the sidebar of every page: one source of truth in session state."""

from __future__ import annotations

import hashlib

import streamlit as st

from playground.data.course import default_course_folder
from playground.data.features import PREPROCESSINGS
from playground.data.folder import zip_classes
from playground.data.sources import loading
from playground.ui import cache, state
from playground.ui.i18n import labels, language_toggle, t
from playground.ui.links import quoted

_KINDS = ("builtin", "course_folder", "course_upload", "zip")
# ?data= in a link (any page): the values a link may give, and the source kind each picks.
LINK_DATA = {"builtin": "builtin", "course": "course_folder"}
KIND_KEY, SCALING_KEY = "dataset_kind", "preprocessing_choice"  # the dataset and pixel-scaling radios
_LINK_READ = "sidebar_link_read"  # set once the session has read ?data=: a link applies on arrival only
_NOTICES = "dataset_notices"  # what a link asked of the dataset that could not be done, said once


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(hashlib.sha256(p).digest())
    return h.hexdigest()


def _try_switch(source: state.Source, payload=None) -> None:
    """Load ``source``; make it current only if it loads, else explain why on the page. A source
    refused once is not loaded again while its files stay in the uploader: the refusal is repeated."""
    refused = st.session_state.get(state.REFUSED)
    if refused is not None and refused[0] == source:
        st.sidebar.error(t("sidebar.dataset_unusable", error=refused[1]))
        return
    previous = state.get_source()
    try:
        state.set_source(source, payload)
        cache.dataset(source)
    except ValueError as err:
        state.set_source(previous)
        st.session_state[state.REFUSED] = (source, err)
        st.sidebar.error(t("sidebar.dataset_unusable", error=err))


def _notice(text: str) -> None:
    """A dataset warning for the main area, where a link that hides the sidebar still shows it."""
    st.session_state.setdefault(_NOTICES, []).append(text)


def _follow_link(course) -> None:
    """On the session's first run, let ``?data=builtin|course`` pick the dataset (before the radio
    is drawn, so the radio shows it); a value that cannot be followed is explained in the sidebar."""
    if st.session_state.get(_LINK_READ):
        return
    st.session_state[_LINK_READ] = True
    raw = st.query_params.get("data")
    if raw is None:
        return
    kind = LINK_DATA.get(raw.strip().lower())
    if kind is None:
        options = f" {t('sidebar.link_or')} ".join(LINK_DATA)
        _notice(t("sidebar.link_bad_data", raw=quoted(raw), options=options))
    elif kind == "course_folder" and course is None:
        _notice(t("sidebar.link_no_course"))
    elif kind == "course_folder":
        st.session_state[KIND_KEY] = kind  # as if chosen: the radio's own branch switches
    # (data=builtin asks for what a session starts with: nothing to do)


def dataset_chooser() -> None:
    """Sidebar widgets that pick the language, the dataset and the pixel scaling for every page."""
    sb = st.sidebar
    language_toggle()
    course = default_course_folder()
    _follow_link(course)
    kinds = [k for k in _KINDS if k != "course_folder" or course is not None]
    current = state.get_source()
    kind = sb.radio(
        t("sidebar.dataset"),
        kinds,
        index=kinds.index(current.kind) if current.kind in kinds else 0,
        format_func=labels("sidebar.kind_{}", kinds),
        key=KIND_KEY,
        help=t("sidebar.dataset_help"),
    )
    if kind == "builtin":
        seed = sb.number_input(t("sidebar.seed"), 0, 9999, current.seed if current.kind == "builtin" else 0, key="builtin_seed")
        wanted = state.Source("builtin", seed=int(seed))
        if wanted != current:
            _try_switch(wanted)
    elif kind == "course_folder":
        wanted = state.Source("course_folder", path=str(course))
        if wanted != current:
            _try_switch(wanted)
        sb.caption(t("sidebar.found_on_server", folder=course.name))  # (the server's path is not the visitor's business)
    elif kind == "course_upload":
        train_file = sb.file_uploader("train_catvnoncat.h5", type=["h5"], key="upload_train_h5")
        test_file = sb.file_uploader("test_catvnoncat.h5", type=["h5"], key="upload_test_h5")
        if train_file and test_file:
            payload = (train_file.getvalue(), test_file.getvalue())
            wanted = state.Source("course_upload", digest=_digest(*payload))
            if wanted != current:
                _try_switch(wanted, payload)
        else:
            sb.info(t("sidebar.upload_both"))
    else:
        up = sb.file_uploader(
            t("sidebar.zip_label"), type=["zip"], key="upload_zip", help=t("sidebar.zip_help"),
        )
        if up is not None:
            data = up.getvalue()
            try:
                with loading():
                    classes = zip_classes(data)
            except ValueError as err:
                sb.error(t("sidebar.zip_unusable", error=err))
                classes = []
            if classes:
                positive = sb.selectbox(t("sidebar.zip_positive"), classes, key="zip_positive")
                split_seed = sb.number_input(t("sidebar.zip_seed"), 0, 9999, 0, key="zip_seed")
                wanted = state.Source("zip", seed=int(split_seed), digest=_digest(data), positive=positive)
                if wanted != current:
                    _try_switch(wanted, data)
        else:
            sb.info(t("sidebar.upload_zip"))
    st.session_state[state.PREPROCESSING] = sb.radio(
        t("sidebar.scaling"),
        PREPROCESSINGS,
        format_func=labels("sidebar.scaling_{}", PREPROCESSINGS),
        key=SCALING_KEY,
        help=t("sidebar.scaling_help"),
    )


def source_label(source: state.Source) -> str:
    """A source described in the visitor's language."""
    return t(f"sidebar.source_{source.kind}", seed=source.seed, positive=source.positive)


def dataset_line() -> None:
    """At the top of every page's main area: the dataset in use, and what a link asked of it that
    could not be done (the sidebar may be hidden by the link)."""
    for text in st.session_state.pop(_NOTICES, []):
        st.warning(text, icon=":material/database:")
    st.caption(t("sidebar.in_use", label=source_label(state.get_source())))
