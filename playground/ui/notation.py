"""The course's notation in plain text: xⱼ⁽ⁱ⁾ with Unicode sub- and superscripts, formulas a line each.

Plain Markdown, no HTML (<sub>, <sup>) and no LaTeX: each of those makes the browser fetch and
compile another script bundle on the page's first visit (KaTeX 265 KB, raw HTML 189 KB).
"""

from __future__ import annotations

_SUB = str.maketrans("0123456789()", "₀₁₂₃₄₅₆₇₈₉₍₎")
_SUPER = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def subscript(text: object) -> str:
    """Digits and parentheses as subscripts: 400 → ₄₀₀."""
    return str(text).translate(_SUB)


def superscript(text: object) -> str:
    """Digits and parentheses as superscripts: (7) → ⁽⁷⁾."""
    return str(text).translate(_SUPER)


def entry(name: str, j: int, i: int) -> str:
    """Entry j of example i's vector: entry("x", 400, 7) → x₄₀₀⁽⁷⁾."""
    return f"{name}{subscript(j)}{superscript(f'({i})')}"


GAP = "\u2003\u2003"
"""The space between formulas on one line (LaTeX's \\qquad); em spaces, which Markdown does not fold."""


def formula_lines(*lines: str | tuple[str, ...]) -> str:
    """Formulas as one Markdown block, a line each; a tuple's formulas side by side on one line."""
    return "  \n".join(GAP.join(line) if isinstance(line, tuple) else line for line in lines)
