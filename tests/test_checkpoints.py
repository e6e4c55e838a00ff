"""The checkpoint inventory and its kinds: what a question is, and when an answer is right."""

import math

import pytest

from playground.lessons.checkpoints import BY_ID, CHECKPOINTS, PAGES, Checkpoint, Choice, Number, Question, Target, on_page
from playground.ui.locales import LANGUAGES, catalog


def test_a_choice_is_right_only_for_its_right_option():
    c = Choice(("a", "b", "c"), "b")
    assert c.is_right("b") and not c.is_right("a") and not c.is_right(None)


@pytest.mark.parametrize("options, right", [(("a",), "a"), (("a", "b"), "c"), (("a", "a", "b"), "b")])
def test_a_choice_needs_distinct_options_and_its_answer_among_them(options, right):
    with pytest.raises(ValueError):
        Choice(options, right)


def test_a_number_is_right_within_its_tolerance_only():
    n = Number(0.693147, tolerance=0.01, digits=3)
    assert n.is_right(0.69) and n.is_right("0.7") and n.is_right(0.703)
    assert not n.is_right(0.704) and not n.is_right(0.68) and not n.is_right(math.nan) and not n.is_right("seven")
    assert n.shown() == "0.693"
    exact = Number(1930)
    assert exact.is_right(1930) and exact.is_right(1930.0) and not exact.is_right(1931)
    assert Number(0.3, tolerance=0).is_right(0.1 + 0.2)  # typed sums round


@pytest.mark.parametrize("right, tolerance", [(math.inf, 0), (1, -1), (math.nan, 0), (1, math.inf)])
def test_a_number_question_needs_a_finite_answer_and_tolerance(right, tolerance):
    with pytest.raises(ValueError):
        Number(right, tolerance)


def test_a_target_is_right_when_the_run_meets_it():
    assert Question(Target(True)).is_right(None) and not Question(Target(False)).is_right("anything")
    assert Question(Target(True)).kind == "target" and Question(Number(1)).kind == "number"


def test_a_checkpoint_is_named_for_links_and_texts():
    cp = Checkpoint("train", "blow_up", "choice")
    assert cp.id == "train.blow_up" and cp.text_key("why") == "train.checkpoint.blow_up.why"
    for bad in (("nowhere", "x", "choice"), ("train", "x", "essay"), ("train", "two words", "choice")):
        with pytest.raises(ValueError):
            Checkpoint(*bad)


def test_the_lesson_asks_at_least_14_checkpoints_at_least_2_on_every_page():
    assert len(CHECKPOINTS) >= 14
    for page in PAGES:
        assert len(on_page(page)) >= 2, page
    assert len(BY_ID) == len(CHECKPOINTS), "two checkpoints share an id"
    assert [c.page for c in CHECKPOINTS] == sorted((c.page for c in CHECKPOINTS), key=PAGES.index), "not in the lesson's order"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_checkpoint_has_its_texts_in_every_language(lang):
    texts = catalog(lang)
    for cp in CHECKPOINTS:
        needed = ["question", "why", "look"] + (["now", "best"] if cp.kind == "target" else [])
        for part in needed:
            assert texts.get(cp.text_key(part), "").strip(), f"{lang}: {cp.text_key(part)}"
        assert len(texts[cp.text_key("why")]) > 80, f"{cp.id}: a why says why, in two or three sentences"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_checkpoint_tables_hold_checkpoint_texts_only(lang):
    """A key written below a [checkpoint.…] table in a page's file joins that table: it would vanish from
    the page (and reappear as a checkpoint's text)."""
    parts = {"question", "why", "look", "hint", "now", "best"}
    for key in catalog(lang):
        page, _, rest = key.partition(".checkpoint.")
        if not rest:
            continue
        name, _, part = rest.partition(".")
        assert f"{page}.{name}" in BY_ID, f"{lang}: {key} belongs to no checkpoint"
        assert part in parts or part.startswith("option_"), f"{lang}: {key} is not a checkpoint's text"
