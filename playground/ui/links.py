"""A teacher's link read safely: one query value, as a notice may quote it."""

from __future__ import annotations

MAX_QUOTED = 40
"""Longest part of a link's value a notice repeats: a link may carry kilobytes."""


def link_value(value) -> str:
    """A query value as text: the last one of a repeated parameter (as in Streamlit)."""
    if isinstance(value, (list, tuple)):
        value = value[-1] if value else ""
    return str(value)


def quoted(value) -> str:
    """``value`` as a notice quotes it inside a Markdown code span: shortened to MAX_QUOTED
    characters, and with backticks (which would close the span) turned into quotes."""
    text = link_value(value).replace("`", "'")
    return text if len(text) <= MAX_QUOTED else text[:MAX_QUOTED - 1] + "…"


_MARKDOWN_SPECIALS = set("\\`*_{}[]()<>#+-.!|~$&")


def as_markdown_text(text: str) -> str:
    """Text a visitor typed (a nickname), to be shown literally inside Markdown: every character
    Markdown, HTML or LaTeX could read as markup gets a backslash."""
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIALS else ch for ch in str(text))
