"""The Loops vs vectors checkpoints in the core: answers follow the measurement they are given."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground.lessons.checkpoints import BY_ID, on_page
from playground.lessons.checkpoints import speed as asked
from playground.lessons.speed import (
    IMPLEMENTATIONS,
    DotRace,
    Race,
    race_data,
    run_dot_race,
    run_race,
)
from playground.ui.locales import catalog


def fake_dot(loop_seconds: float, numpy_seconds: float, length: int = 1_000_000) -> DotRace:
    return DotRace(length=length, loop_seconds=loop_seconds, numpy_seconds=numpy_seconds, numpy_repeats=7,
                   loop_value=1.0, numpy_value=1.0)


def fake_race(m: int, n: int, **seconds) -> Race:
    return Race(m=m, n=n, seconds=seconds, repeats=dict.fromkeys(seconds, 1), kernel_seconds=1e-3, cost=0.7,
                dw=np.zeros((n, 1)), db=0.0, max_difference=0.0, differences=dict.fromkeys(seconds, 0.0))


def test_the_page_asks_two_choices_in_order():
    assert [c.id for c in on_page("speed")] == ["speed.dot_faster", "speed.winner"]
    assert all(BY_ID[c.id].kind == "choice" for c in on_page("speed"))


@pytest.mark.parametrize("speedup, factor", [(0.2, 1), (3.1, 1), (3.2, 10), (250, 100), (316, 100), (317, 1_000),
                                             (800, 1_000), (950, 1_000), (3_100, 1_000), (3_200, 10_000),
                                             (1e7, 10_000)])
def test_the_nearest_factor_on_a_log_scale(speedup, factor):
    assert asked.nearest_factor(speedup) == factor


@pytest.mark.parametrize("bad", [0.0, -3.0, math.inf, math.nan])
def test_a_speedup_must_be_positive_and_finite(bad):
    with pytest.raises(ValueError, match="positive, finite speed-up"):
        asked.nearest_factor(bad)


def test_dot_faster_follows_the_measurement():
    q = asked.dot_faster(fake_dot(0.2, 0.00025))  # 800 × faster
    assert q.answer.right == "x1000" and q.is_right("x1000") and not q.is_right("x100")
    assert q.fields["speedup"] == "800" and q.fields["per_element"] == "200" and q.fields["n"] == "1,000,000"
    assert asked.dot_faster(fake_dot(0.2, 0.01)).answer.right == "x10"  # 20 ×
    assert asked.dot_faster(fake_dot(0.2, 0.19)).answer.right == "x1"
    assert q.show == {"race": "dot"}


def test_dot_faster_on_a_real_measurement_is_within_a_factor_of_root_ten():
    dot = run_dot_race(length=50_000)
    right = int(asked.dot_faster(dot).answer.right[1:])
    speedup = dot.loop_seconds / dot.numpy_seconds
    low = right / math.sqrt(10) if right > min(asked.FACTORS) else 0.0
    high = right * math.sqrt(10) if right < max(asked.FACTORS) else math.inf
    assert low <= speedup <= high


def test_unmeasured_questions_can_be_asked_but_say_nothing_measured():
    q = asked.dot_faster(None)
    assert q.answer.options == asked.FACTOR_OPTIONS and set(q.fields) == {"n"}
    w = asked.winner(None, 200, 4096)
    assert w.answer.options == IMPLEMENTATIONS and "winner_time" not in w.fields
    assert w.fields["pairs"] == "819,200" and w.fields["dual_work"] == "40,000" and w.show == {"m": 200, "n": 4096}


@pytest.mark.parametrize("fastest", IMPLEMENTATIONS)
def test_the_winner_is_the_fastest_measured(fastest):
    seconds = {name: (1e-4 if name == fastest else 3e-4 + k * 1e-4) for k, name in enumerate(IMPLEMENTATIONS)}
    q = asked.winner(fake_race(20, 64, **seconds), 20, 64)
    assert q.answer.right == fastest
    runner_up = min((s for name, s in seconds.items() if name != fastest))
    assert q.fields["ratio"] == f"{runner_up / 1e-4:.1f}"


def test_the_winner_of_a_real_race(course_features):
    X, Y, _ = race_data(course_features.X_train, course_features.Y_train, 20, 64)
    race = run_race(X, Y)
    q = asked.winner(race, 20, 64)
    assert q.answer.right == min(race.seconds, key=race.seconds.get)
    with pytest.raises(ValueError, match="Expected a race of m = 20, n = 128"):
        asked.winner(race, 20, 128)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_text_fills_with_the_fields_of_a_measured_question(lang):
    texts = catalog(lang)
    questions = {"dot_faster": asked.dot_faster(fake_dot(0.2, 0.00025)),
                 "winner": asked.winner(fake_race(200, 4096, two_loops=0.4, one_loop=2e-3, vectorized=2e-4,
                                                  dual=2e-5), 200, 4096)}
    for name, q in questions.items():
        key = f"speed.checkpoint.{name}."
        for part in ("question", "why", "look", "hint", *(f"option_{o}" for o in q.answer.options)):
            assert texts[key + part].format(**q.fields)
    # Before anything is timed, the question and its options need no measured field.
    for name, q in {"dot_faster": asked.dot_faster(None), "winner": asked.winner(None, 200, 4096)}.items():
        for part in ("question", *(f"option_{o}" for o in q.answer.options)):
            texts[f"speed.checkpoint.{name}.{part}"].format(**q.fields)


def test_each_speedup_option_says_its_factor():
    for factor, option in zip(asked.FACTORS, asked.FACTOR_OPTIONS):
        text = catalog("en")[f"speed.checkpoint.dot_faster.option_{option}"]
        assert (f"{factor:,} ×" in text) if factor > 1 else "as fast" in text
        assert (f"{factor:,}배" in catalog("ko")[f"speed.checkpoint.dot_faster.option_{option}"]) or factor == 1
