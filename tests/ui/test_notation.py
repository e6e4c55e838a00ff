"""The course's notation as Unicode sub- and superscripts (playground/ui/notation.py)."""

from playground.ui.notation import entry, subscript, superscript


def test_digits_and_parentheses_become_sub_and_superscripts():
    assert subscript(12287) == "₁₂₂₈₇" and superscript("(208)") == "⁽²⁰⁸⁾"
    assert subscript("j") == "j"  # letters without a Unicode subscript stay as they are


def test_an_entry_of_an_example():
    assert entry("x", 400, 7) == "x₄₀₀⁽⁷⁾" and entry("x", 0, 0) == "x₀⁽⁰⁾"
