"""Every word the pages show, in English and Korean.

Text lives in ``locales/<lang>/<page>.toml`` — one folder per language, one
file per page — and pages ask for it by key: ``t("data.title")``.
Formulas and numbers are the same in both languages; format fields such as
``{m}`` are filled by ``t(key, m=209)``. The language comes from ``?lang=ko``
or the sidebar toggle and lives in the visitor's session state.
"""

from __future__ import annotations

from typing import Callable

import streamlit as st

from playground.errors import InputError
from playground.ui.locales import DEFAULT, LANGUAGES, catalog

LANG = "lang"
"""Session-state key of the visitor's language."""


def language() -> str:
    """The visitor's language: session state, else ?lang=, else English."""
    if LANG not in st.session_state:
        wanted = st.query_params.get("lang", DEFAULT).strip().lower()  # (lang=KO is Korean too)
        st.session_state[LANG] = wanted if wanted in LANGUAGES else DEFAULT
    return st.session_state[LANG]


def t(key: str, /, **values) -> str:
    """The text for ``key`` in the visitor's language, with ``{fields}`` filled in; an exception as a
    field is said as ``error_text`` says it (so every "… could not be used: {error}" speaks Korean)."""
    text = catalog(language()).get(key)
    if text is None:
        # A missing translation shows the English text rather than breaking the page;
        # tests/ui/test_i18n.py fails the build on any missing key.
        text = catalog(DEFAULT)[key]
    if not values:
        return text
    return text.format(**{k: error_text(v) if isinstance(v, Exception) else v for k, v in values.items()})


def error_text(err: Exception) -> str:
    """Why an input was refused, in the visitor's language: a core InputError by its key
    (``locales/<lang>/errors.toml``; English is the core's own text), any other error as it says."""
    if isinstance(err, InputError):
        return t(f"errors.{err.key}", **err.fields)
    return str(err)


def class_label(name: str) -> str:
    """A class name from the data ("cat", "non-cat") in the visitor's language; other names as they are."""
    return catalog(language()).get(f"classes.{name}", name)


def labels(key_pattern: str, options) -> Callable:
    """A format_func for a widget: option → its text, looked up now, during the run.

    Streamlit may call format_func after the script run (AppTest does), when the
    visitor's language is no longer at hand; a lookup table made during the run
    keeps the labels in the language the options were drawn in.
    ``key_pattern`` has one ``{}``, e.g. ``labels("sidebar.kind_{}", KINDS)``.
    """
    table = {option: t(key_pattern.format(option)) for option in options}
    return table.__getitem__


def language_toggle() -> None:
    """Sidebar radio that switches the language and keeps ?lang= in the URL for sharing."""
    current = language()
    choice = st.sidebar.radio(
        "Language / 언어", list(LANGUAGES), index=list(LANGUAGES).index(current),
        format_func=LANGUAGES.get, horizontal=True, key="lang_choice",
    )
    if choice != current:
        st.session_state[LANG] = choice
        st.rerun()
    if choice == DEFAULT:
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = choice
