"""The Loops vs vectors page's checkpoints in AppTest: each answered right and wrong, "Show me",
Korean, presenter mode. The measurements are replaced by fakes with known times (the page imports
run_dot_race and run_race at every run): the answers follow what was measured, not this machine."""

from __future__ import annotations

import numpy as np
import pytest

from playground.lessons import speed
from tests.helpers import chart_specs

PAGE = "speed.py"


class Timer:
    """A stand-in for run_dot_race: the n-th call measures a loop of loop_seconds[n] against 0.25 ms."""

    def __init__(self, *loop_seconds):
        self.loop_seconds, self.calls = list(loop_seconds), 0

    def __call__(self, length=speed.DOT_LENGTH, seed=0):
        loop = self.loop_seconds[min(self.calls, len(self.loop_seconds) - 1)]
        self.calls += 1
        return speed.DotRace(length=length, loop_seconds=loop, numpy_seconds=0.00025, numpy_repeats=9,
                             loop_value=1.0, numpy_value=1.0)


class Racer:
    """A stand-in for run_race: seconds per step as given, for the X it is handed; remembers the sizes."""

    def __init__(self, **seconds):
        self.seconds, self.sizes = seconds, []

    def __call__(self, X, Y, seed=0, progress=None):
        n, m = X.shape
        self.sizes.append((m, n))
        if progress:
            progress(1.0, "Done")
        return speed.Race(m=m, n=n, seconds=dict(self.seconds), repeats=dict.fromkeys(self.seconds, 3),
                          kernel_seconds=1e-3, cost=0.69, dw=np.zeros((n, 1)), db=0.0, max_difference=0.0,
                          differences=dict.fromkeys(self.seconds, 0.0))


@pytest.fixture
def timer(monkeypatch):
    """The dot race measures 800 × (0.2 s against 0.25 ms), then 480 × on any later call."""
    fake = Timer(0.2, 0.12)
    monkeypatch.setattr(speed, "run_dot_race", fake)
    return fake


@pytest.fixture
def racer(monkeypatch):
    """The four-way race: the vectorized step wins, the dual form is second (3 ×)."""
    fake = Racer(two_loops=0.5, one_loop=2e-3, vectorized=1e-4, dual=3e-4)
    monkeypatch.setattr(speed, "run_race", fake)
    return fake


def _answer(at, name, option):
    at.radio(key=f"checkpoint.speed.{name}.answer").set_value(option).run()
    at.button(key=f"checkpoint.speed.{name}.check").click().run()
    assert not at.exception, at.exception
    return at


def _pick(at, name):
    at.button_group(key="checkpoint.speed.pick").set_value(name).run()
    assert not at.exception, at.exception
    return at


def _texts(elements):
    return " ".join(e.value for e in elements)


def test_dot_faster_is_timed_once_an_answer_is_picked_and_shown_by_its_race(app_test, timer):
    at = app_test(PAGE)
    assert "How many times faster will np.dot be?" in _texts(at.markdown)
    radio = at.radio(key="checkpoint.speed.dot_faster.answer")
    assert radio.options == ["About as fast", "About 10 × faster", "About 100 × faster", "About 1,000 × faster",
                             "About 10,000 × faster"]
    assert timer.calls == 0  # a page view times nothing
    at.radio(key="checkpoint.speed.dot_faster.answer").set_value("x1000").run()
    assert timer.calls == 1 and not at.success and not at.get("plotly_chart")  # timed, not told
    at.button(key="checkpoint.speed.dot_faster.check").click().run()
    assert not at.exception and timer.calls == 1
    assert at.success[0].value == "Right: About 1,000 × faster."
    why = _texts(at.markdown)
    assert "the loop took 200 ms, np.dot 250 µs, so np.dot was 800 × faster" in why and "about 200 ns" in why
    # Nothing shows the race yet, and a rerun does not time again.
    assert "speed_dot_result" not in at.session_state and not at.get("plotly_chart")
    at.run()
    assert timer.calls == 1 and at.success[0].value == "Right: About 1,000 × faster."
    # "Show me" runs the page's own race: its metrics and chart appear, the verdict stays.
    at.button(key="checkpoint.speed.dot_faster.show").click().run()
    assert not at.exception and timer.calls == 2
    assert at.session_state["speed_dot_result"].loop_seconds == 0.12
    assert [m.value for m in at.metric if m.label == "speed-up"] == ["480 ×"]
    assert chart_specs(at)[0]["data"][0]["text"] == ["120 ms", "250 µs · 480 × faster"]
    assert at.success[0].value == "Right: About 1,000 × faster."


@pytest.mark.parametrize("option", ["x1", "x10"])  # the stand-in's option, and the measured one
def test_a_check_that_beats_the_measurement_is_asked_again_never_judged(app_test, timer, option):
    """Picked and checked in one go (a click while the pick's run still times): the Check button
    carried the question as drawn before anything was timed. No verdict comes of it."""
    timer.loop_seconds = [0.0025]  # 10 × faster
    at = app_test(PAGE)
    at.radio(key="checkpoint.speed.dot_faster.answer").set_value(option)
    at.button(key="checkpoint.speed.dot_faster.check").click().run()
    assert not at.exception and timer.calls == 1
    assert not at.success and not at.error and not at.warning
    assert at.radio(key="checkpoint.speed.dot_faster.answer").value is None
    assert "speed.dot_faster" not in at.session_state["checkpoint_records"]
    _answer(at, "dot_faster", "x10")
    assert timer.calls == 1 and at.success[0].value == "Right: About 10 × faster."


def test_dot_faster_wrong_twice_shows_the_measured_answer(app_test, timer):
    at = app_test(PAGE)
    _answer(at, "dot_faster", "x10")
    assert timer.calls == 1 and not at.error
    assert at.warning[0].value.startswith("Not quite.") and "compiled code" in at.warning[0].value
    _answer(at, "dot_faster", "x10000")
    assert timer.calls == 1  # the second try is checked against the same measurement
    assert at.error[0].value == "Not this time. The answer: About 1,000 × faster."
    assert at.button(key="checkpoint.speed.dot_faster.show")


def test_dot_faster_takes_the_page_s_own_race_when_it_ran(app_test, timer):
    timer.loop_seconds = [0.0025]  # 10 × faster
    at = app_test(PAGE)
    at.button(key="speed_dot_button").click().run()
    assert timer.calls == 1
    _answer(at, "dot_faster", "x10")
    assert timer.calls == 1 and at.success[0].value == "Right: About 10 × faster."


def test_winner_is_timed_at_the_asked_sizes_once_picked(app_test, racer):
    at = _pick(app_test(PAGE), "winner")
    assert "m = 200 examples and n = 4,096 features" in _texts(at.markdown)
    # The sliders elsewhere do not change what is asked.
    at.slider(key="speed_m").set_value(30).run()
    assert "m = 200 examples" in _texts(at.markdown) and not racer.sizes
    _answer(at, "winner", "vectorized")
    assert racer.sizes == [(200, 4096)]
    assert at.success[0].value == "Right: Vectorized NumPy."
    why = _texts(at.markdown)
    assert "the fastest took 100 µs per step, 3.0 × less time than the next (300 µs); the two loops took 500 ms" in why
    assert "m × n = 819,200" in why and "1,638,400 multiply-adds" in why and "once: 40,000" in why
    assert "speed_race_result" not in at.session_state
    # "Show me": the asked sizes on the sliders, and the page's race run at them.
    at.button(key="checkpoint.speed.winner.show").click().run()
    assert not at.exception
    assert racer.sizes == [(200, 4096), (200, 4096)]
    assert at.slider(key="speed_m").value == 200 and at.select_slider(key="speed_n").value == 4096
    bars = chart_specs(at)[0]["data"][0]
    assert bars["text"] == ["500 ms", "2 ms · 250 × faster", "100 µs · 5,000 × faster", "300 µs · 1,667 × faster"]
    assert at.success[0].value == "Right: Vectorized NumPy."


def test_winner_wrong_twice_and_from_the_page_s_own_race(app_test, racer):
    racer.seconds = {"two_loops": 0.5, "one_loop": 2e-3, "vectorized": 2e-4, "dual": 2e-5}
    at = app_test(PAGE)
    at.button(key="speed_race_button").click().run()  # the page's first sizes: 200 × 4,096
    assert racer.sizes == [(200, 4096)]
    _pick(at, "winner")
    _answer(at, "winner", "vectorized")
    assert at.warning[0].value.startswith("Not quite.")
    _answer(at, "winner", "one_loop")
    assert racer.sizes == [(200, 4096)]  # answered from the race the page ran
    assert at.error[0].value == "Not this time. The answer: Dual form (K = XᵀX)."


def test_winner_on_a_real_race(app_test):
    """No fake: the answer is whichever step the server timed fastest, whatever the machine."""
    at = _pick(app_test(PAGE), "winner")
    _answer(at, "winner", "two_loops")
    if at.warning:  # (a first wrong try: a second one brings the answer)
        _answer(at, "winner", "one_loop")
    race = at.session_state["speed_checkpoint_race"]["race"]
    assert (race.m, race.n) == (200, 4096) and race.max_difference < 1e-12
    assert race.seconds["two_loops"] > race.seconds["vectorized"]
    verdict = (at.success or at.error)[0].value
    fastest = min(race.seconds, key=race.seconds.get)
    assert verdict.endswith(f"{speed.LABELS[fastest]}.")


def test_checkpoints_in_korean(app_test, timer, racer):
    at = app_test(PAGE, query={"lang": "ko"})
    assert "np.dot이 몇 배 빠를까요?" in _texts(at.markdown)
    assert at.radio(key="checkpoint.speed.dot_faster.answer").options[3] == "약 1,000배 빠르다"
    _answer(at, "dot_faster", "x100")
    assert at.warning[0].value.startswith("아직 아닙니다.")
    _answer(at, "dot_faster", "x1")
    assert at.error[0].value == "이번에는 틀렸습니다. 답: 약 1,000배 빠르다."
    assert "np.dot이 800배 빨랐습니다" in _texts(at.markdown)
    _pick(at, "winner")
    assert "예제 m = 200개, 특성 n = 4,096개" in _texts(at.markdown)
    _answer(at, "winner", "vectorized")
    assert at.success[0].value == "정답: 벡터화된 NumPy."
    assert "m × n = 819,200개의" in _texts(at.markdown)


def test_presenter_reveals_the_measured_answers(app_test, timer, racer):
    at = app_test(PAGE, query={"present": "1"})
    assert not [r for r in at.radio if r.key.startswith("checkpoint.")]  # the class votes by letter
    assert "- **D** · About 1,000 × faster" in _texts(at.markdown)
    assert timer.calls == 0
    at.button(key="checkpoint.speed.dot_faster.reveal").click().run()
    assert not at.exception and timer.calls == 1
    assert at.info[0].value == "The answer: D · About 1,000 × faster."
    _pick(at, "winner")
    assert "- **C** · Vectorized NumPy" in _texts(at.markdown) and not racer.sizes
    at.button(key="checkpoint.speed.winner.reveal").click().run()
    assert not at.exception and racer.sizes == [(200, 4096)]
    assert "The answer: C · Vectorized NumPy." in _texts(at.info)
