"""The course's notation as Unicode sub- and superscripts (playground/ui/notation.py)."""

from playground.ui.notation import entry, formula_lines, subscript, superscript


def test_digits_and_parentheses_become_sub_and_superscripts():
    assert subscript(12287) == "₁₂₂₈₇" and superscript("(208)") == "⁽²⁰⁸⁾"
    assert subscript("j") == "j"  # letters without a Unicode subscript stay as they are


def test_an_entry_of_an_example():
    assert entry("x", 400, 7) == "x₄₀₀⁽⁷⁾" and entry("x", 0, 0) == "x₀⁽⁰⁾"


def test_formula_lines_keep_one_formula_a_line_and_their_gaps():
    text = formula_lines(("z = w₁x₁ + b", "a = σ(z)"), "L(a, y) = ½(a − y)²")
    assert text == "z = w₁x₁ + b\u2003\u2003a = σ(z)  \nL(a, y) = ½(a − y)²"  # (a hard line break in Markdown)
    assert formula_lines("db = dz") == "db = dz"
