"""Small tables as Markdown, so that no page needs st.dataframe.

st.dataframe and st.table import pandas and pyarrow into the server (about 70 MB, once per
process) and make the browser fetch the data-grid bundle on a first visit; a dozen rows of text
need neither.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

_ALIGN = {"left": ":--", "right": "--:", "center": ":-:"}


def _cell(value: object) -> str:
    # A pipe would end the cell and a newline the row; a backslash would escape what follows.
    text = "" if value is None else str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]],
                   align: Sequence[str] | None = None) -> str:
    """A GitHub-flavoured Markdown table; `align` is "left" / "right" / "center" per column."""
    n = len(header)
    if n == 0:
        raise ValueError("a table needs at least one column")
    align = list(align) if align is not None else ["left"] * n
    if len(align) != n or any(a not in _ALIGN for a in align):
        raise ValueError(f"align must be {n} of {sorted(_ALIGN)}, got {align!r}")
    for k, row in enumerate(rows):
        if len(row) != n:
            raise ValueError(f"row {k} has {len(row)} cells, the header {n}")
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |",
             "| " + " | ".join(_ALIGN[a] for a in align) + " |"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def table(header: Sequence[str], rows: Sequence[Sequence[object]], align: Sequence[str] | None = None) -> None:
    """Show `rows` under `header` on the page (see markdown_table)."""
    st.markdown(markdown_table(header, rows, align))
