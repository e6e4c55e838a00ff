"""The Loss landscape page's checkpoints in AppTest: answered right and wrong, "Show me" moving the
page's own controls so its figure runs the example, in Korean, and revealed in presenter mode."""

import re

import numpy as np
import pytest

from playground.ui.tables import parse_markdown_table
from tests.helpers import chart_specs
from tests.test_checkpoints_landscape import cost, independent_ending

PAGE = "landscape.py"
PICK = "checkpoint.landscape.pick"
ENDINGS_EN = {"global": "In the global minimum: the lowest valley",
              "local": "In a local minimum that is not the lowest",
              "plateau": "Stuck on a plateau, where the cost is almost flat"}
QUESTION = re.compile(r"log₁₀ w₀ = (-?[\d.]+) .* takes (\d+) steps of α = ([\d.]+)")


def _ok(at):
    assert not at.exception, at.exception
    return at


def _key(name: str, part: str) -> str:
    return f"checkpoint.landscape.{name}.{part}"


def _answer(at, name: str, option: str):
    _ok(at.radio(key=_key(name, "answer")).set_value(option).run())
    return _ok(at.button(key=_key(name, "check")).click().run())


def _asked_ends(at) -> tuple[float, int, float]:
    """(log₁₀ w₀, iterations, α) as the question on the page says them."""
    text = next(m.value for m in at.markdown if m.value.startswith("View 3, squared error"))
    u0, iterations, rate = QUESTION.search(text).groups()
    return float(u0), int(iterations), float(rate)


def _runs_table(at) -> tuple[list[str], list[list[str]]]:
    """View 3's table of the squared error's runs (the first of its two)."""
    return next(parse_markdown_table(m.value) for m in at.markdown
                if m.value.startswith("| ") and "ends in" in m.value)


def _chord_traces(at) -> dict[str, list[dict]]:
    """The chord's traces on view 3's figure, by panel (x: squared error, x2: cross-entropy)."""
    spec = chart_specs(at)[0]
    traces = [d for d in spec["data"] if d.get("name", "").startswith("chord")]
    return {axis: [d for d in traces if d["xaxis"] == axis] for axis in ("x", "x2")}


@pytest.fixture
def page(app_test):
    return app_test(PAGE)


def test_the_box_asks_above_the_views_and_first_about_the_descent(page):
    at = page
    assert at.button_group(key=PICK).value == "ends"
    texts = [m.value for m in at.markdown]
    question = next(i for i, v in enumerate(texts) if v.startswith("View 3, squared error"))
    intro = next(i for i, v in enumerate(texts) if v.startswith("**One feature plus a bias**"))
    assert question < intro  # the box sits above view 1's own text and figure
    assert _asked_ends(at) == (-3.6, 60, 3.0)  # no start slider shows −3.6; view 3's α and iterations


def test_ends_wrong_twice_shows_the_answer(page):
    at = page
    u0, iterations, rate = _asked_ends(at)
    right = independent_ending(u0, rate, iterations)
    wrong = [o for o in ENDINGS_EN if o != right]
    _answer(at, "ends", wrong[0])
    assert "Not quite" in at.warning[0].value and "slope where it stands" in at.warning[0].value
    assert not at.error and not at.success
    _answer(at, "ends", wrong[1])
    assert at.error[0].value == f"Not this time. The answer: {ENDINGS_EN[right]}."
    assert any(m.value.startswith("The app ran it: from w₀ = 0.000251") for m in at.markdown)


def test_ends_right_then_show_me_runs_that_start_in_view_3(page):
    at = page
    u0, iterations, rate = _asked_ends(at)
    right = independent_ending(u0, rate, iterations)
    assert right == "global"
    _answer(at, "ends", right)
    assert at.success[0].value == f"Right: {ENDINGS_EN[right]}."
    _ok(at.button(key=_key("ends", "show")).click().run())
    assert at.radio(key="landscape_view").value == "counter"
    assert at.slider(key="ls_cx_start0").value == pytest.approx(u0)
    assert at.select_slider(key="ls_cx_lr").value == rate and at.slider(key="ls_cx_iters").value == iterations
    # The figure's first squared-error run starts there, and the table says it ends in valley 1, the lowest.
    run = next(d for d in chart_specs(at)[0]["data"] if d.get("name") == "run 1")
    assert run["x"][0] == pytest.approx(10.0**u0, rel=1e-5)
    header, rows = _runs_table(at)
    assert rows[0][header.index("ends in")] == "min 1"
    assert float(rows[0][header.index("w at the end")]) == pytest.approx(2e-5, rel=0.01)
    # The box still speaks of the start that was answered, though start 1 now shows it.
    assert _asked_ends(at)[0] == u0 and at.success
    # Asked again: a start no slider shows.
    _ok(at.button(key=_key("ends", "again")).click().run())
    assert _asked_ends(at)[0] == 1.4 and not at.success


def test_chord_wrong_twice_then_right_and_show_me_draws_it(page):
    at = _ok(page.button_group(key=PICK).set_value("chord").run())
    assert any("On which cost can the curve at the midpoint" in m.value for m in at.markdown)
    _answer(at, "chord", "both")
    assert "Not quite" in at.warning[0].value
    _answer(at, "chord", "neither")
    assert at.error[0].value == "Not this time. The answer: The squared error only."
    assert any("12,820 of them for squared error and above 0 for cross-entropy" in m.value for m in at.markdown)
    _ok(at.button(key=_key("chord", "again")).click().run())
    _answer(at, "chord", "mse")
    assert at.success[0].value == "Right: The squared error only."
    assert at.radio(key="landscape_view").value == "exact" and not _has_chord_toggle(at)
    _ok(at.button(key=_key("chord", "show")).click().run())
    assert at.radio(key="landscape_view").value == "counter" and at.toggle(key="ls_cx_chord").value is True
    traces = _chord_traces(at)
    for axis, above in (("x", True), ("x2", False)):
        _line, ends, mid = traces[axis]
        w1, w2 = ends["x"]
        assert mid["x"][0] == pytest.approx((w1 + w2) / 2)
        chord_mid, J_mid = mid["y"]
        J1, J2 = cost("mse" if axis == "x" else "cross_entropy", [w1, w2])
        assert chord_mid == pytest.approx((J1 + J2) / 2, rel=1e-9)
        assert (J_mid > chord_mid) == above
    assert any(m.value.startswith("**The chord** from w₁ = 2e-05 to w₂ = 0.002") for m in at.markdown)


def _has_chord_toggle(at) -> bool:
    return any(t.key == "ls_cx_chord" for t in at.toggle)


def test_the_chord_toggle_alone_draws_nothing_until_on(app_test):
    at = app_test(PAGE, query={"view": "counter"})
    assert at.toggle(key="ls_cx_chord").value is False and not any(_chord_traces(at).values())


def test_korean(app_test):
    at = app_test(PAGE, query={"lang": "ko"})
    assert any(m.value.startswith("보기 3, 제곱 오차: 경사 하강법이 log₁₀ w₀ = -3.6") for m in at.markdown)
    radio = at.radio(key=_key("ends", "answer"))
    assert radio.options[0] == "전역 최솟값, 곧 가장 낮은 골짜기에 도착한다"
    _answer(at, "ends", "global")
    assert at.success[0].value == "정답: 전역 최솟값, 곧 가장 낮은 골짜기에 도착한다."
    assert at.button(key=_key("ends", "show")).label == "보여 주기"
    at = _ok(at.button_group(key=PICK).set_value("chord").run())
    assert any(m.value.startswith("보기 3: 비용 곡선 위에서 두 가중치") for m in at.markdown)
    _answer(at, "chord", "cross_entropy")
    assert at.warning[0].value.startswith("아직 아닙니다.") and "언덕" in at.warning[0].value


@pytest.mark.parametrize("name, shown", [("ends", "A · In the global minimum: the lowest valley"),
                                         ("chord", "A · The squared error only")])
def test_presenter_mode_reveals_the_answer(app_test, name, shown):
    at = app_test(PAGE, query={"present": "1"})
    at = _ok(at.button_group(key=PICK).set_value(name).run())
    assert not any(r.key == _key(name, "answer") for r in at.radio)  # a vote by hands, no answer field
    assert not at.info
    _ok(at.button(key=_key(name, "reveal")).click().run())
    assert at.info[0].value == f"The answer: {shown}."
    _ok(at.button(key=_key(name, "show")).click().run())
    assert at.radio(key="landscape_view").value == "counter"
    if name == "ends":
        # Revealed, the question stays the one the class voted on, now on start 1.
        assert at.slider(key="ls_cx_start0").value == pytest.approx(-3.6)
        assert at.info[0].value == f"The answer: {shown}."
        assert any("log₁₀ w₀ = -3.6" in m.value for m in at.markdown)
    else:
        assert at.toggle(key="ls_cx_chord").value is True


def test_the_question_follows_view_3s_rate(app_test):
    # α = 30 with steps capped at a quarter decade: the run jumps about valley 1 and never settles.
    at = app_test(PAGE, query={"view": "counter"})
    _ok(at.select_slider(key="ls_cx_lr").set_value(30.0).run())
    u0, iterations, rate = _asked_ends(at)
    assert rate == 30.0 and independent_ending(u0, rate, iterations) == "moving"
    _answer(at, "ends", "global")
    _answer(at, "ends", "local")
    assert at.error[0].value == "Not this time. The answer: Nowhere yet: it is still moving when the steps run out."
    assert np.isfinite(u0)
