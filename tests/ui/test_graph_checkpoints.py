"""The Computational graph page's checkpoints in AppTest: dz before the step-through shows it, and the
planted bug a gradient check's rows give away; right, wrong twice, "Show me", Korean, presenter mode."""

import math
import re

import pytest

from playground.ui.tables import parse_markdown_table
from tests.conftest import use_course_data
from tests.helpers import chart_specs

DZ = "checkpoint.graph.dz"
BUG = "checkpoint.graph.gradcheck_bug"
ROW = re.compile(r"(w\[\d+\]|b): ([−\d.e+]*\d) → ([−\d.e+]*\d)")


def _sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


# The page's default graph: z = 0.5·1 + (−0.3)·2 + 0.2 = 0.1, y = 1.
DZ_CROSS_ENTROPY = _sigmoid(0.1) - 1.0  # −0.475


def _texts(elements):
    return [e.value for e in elements]


def _diagram(at) -> str:
    return " ".join(a.get("text") or "" for a in chart_specs(at)[0]["layout"]["annotations"])


def _step_text(at) -> str:
    return next(m for m in _texts(at.markdown) if m.startswith(("Step ", "전체 ")))


def _pick(at, name):
    at.button_group(key="checkpoint.graph.pick").set_value(name).run()
    assert not at.exception, at.exception


def _answer(at, cp, value, widget):
    getattr(at, widget)(key=f"{cp}.answer").set_value(value).run()
    at.button(key=f"{cp}.check").click().run()
    assert not at.exception, at.exception


def _number(text: str) -> float:
    return float(text.replace("−", "-"))


def _quoted_rows(at):
    """The rows the bug question quotes, [(name, g_num, g)], and the bug a student reads off them:
    g / g_num the same −1 or m on every row, 1 on the w rows only, or varying."""
    question = next(m for m in _texts(at.markdown) if "planted bug" in m)
    rows = [(name, _number(num), _number(g)) for name, num, g in ROW.findall(question)]
    ratios = [g / num for _, num, g in rows]

    def every(x, among=ratios):
        return all(abs(r - x) <= 0.02 * abs(x) for r in among)

    read = ("none" if every(1.0) else "sign" if every(-1.0) else "no_mean" if every(209.0)
            else "db_without_y" if every(1.0, ratios[:-1]) else "other_loss")
    return rows, read


def test_dz_is_asked_above_the_diagram_and_right_on_the_first_try(app_test):
    at = app_test("graph.py")
    markdown = _texts(at.markdown)
    question = next(k for k, m in enumerate(markdown) if "What is dz = ∂L/∂z?" in m)
    assert question < next(k for k, m in enumerate(markdown) if m.startswith("Step 0 of 8"))  # before the figure
    assert "x₁ = 1, w₁ = 0.5, x₂ = 2, w₂ = −0.3, b = 0.2, y = 1" in markdown[question]
    assert "L = −(y log a + (1 − y) log(1 − a))" in markdown[question]
    assert "dz =" not in _diagram(at)  # the diagram has not answered it yet
    _answer(at, DZ, round(DZ_CROSS_ENTROPY, 2), "number_input")
    assert any(s.startswith("Right: -0.475") for s in _texts(at.success))
    assert any("a = σ(z) = 0.525" in m and "dz = a − y = −0.475" in m for m in _texts(at.markdown))  # the why
    assert any("step 5 of 8" in c for c in _texts(at.caption))
    assert at.number_input(key=f"{DZ}.answer").disabled


def test_dz_wrong_twice_gives_the_answer_and_show_me_steps_to_it(app_test):
    at = app_test("graph.py")
    _answer(at, DZ, round(_sigmoid(0.1), 3), "number_input")  # a, not dz
    [warning] = [w for w in _texts(at.warning) if w.startswith("Not quite")]
    assert "Go forward first" in warning and "0.475" not in warning
    assert not at.error and not any(s.startswith("Right") for s in _texts(at.success))  # (the page's check: ✅)
    _answer(at, DZ, 0.475, "number_input")  # the sign
    assert any(e.startswith("Not this time. The answer: -0.475") for e in _texts(at.error))
    at.button(key=f"{DZ}.show").click().run()
    assert not at.exception
    assert at.session_state["graph_step"] == 5
    assert _step_text(at).startswith("Step 5 of 8 — backward") and "dz = " in _step_text(at)
    assert "<b>dz = −0.475</b>" in _diagram(at) and "dw₁ =" not in _diagram(at)


def test_dz_follows_the_inputs_and_the_loss_in_use(app_test):
    at = app_test("graph.py")
    at.radio(key="graph_loss").set_value("mse").run()
    at.number_input(key="graph_w1").set_value(2.0).run()
    question = next(m for m in _texts(at.markdown) if "What is dz" in m)
    assert "w₁ = 2," in question and "L = ½(a − y)²" in question
    a = _sigmoid(2.0 * 1.0 - 0.3 * 2.0 + 0.2)  # z = 1.6
    _answer(at, DZ, round(a - 1.0, 3), "number_input")  # a − y: cross-entropy's dz, not this loss's
    assert any(w.startswith("Not quite") for w in _texts(at.warning))
    mse = (a - 1.0) * a * (1.0 - a)
    _answer(at, DZ, round(mse, 3), "number_input")
    assert any(s.startswith(f"Right: {mse:.3f}") for s in _texts(at.success))
    assert any("dz = (a − y) a(1 − a) = " in m for m in _texts(at.markdown))


def test_the_planted_bug_wrong_twice_then_show_me_plants_it(app_test):
    at = use_course_data(app_test("graph.py"))
    _pick(at, "gradcheck_bug")
    rows, read = _quoted_rows(at)
    assert [name for name, _, _ in rows][-1] == "b" and len(rows) == 3
    assert read == "db_without_y"  # on the course's model: every w row agrees, b's does not
    assert at.radio(key="graph_bug").value == "none"  # the page shows the real pass meanwhile
    wrong = [o for o in ("sign", "no_mean", "other_loss") if o != read][:2]
    _answer(at, BUG, wrong[0], "radio")
    assert any(w.startswith("Not quite") and "Divide g by g_num" in w for w in _texts(at.warning))
    _answer(at, BUG, wrong[1], "radio")
    assert any(e.startswith("Not this time. The answer: Forget − y in db only") for e in _texts(at.error))
    assert any("here 1, 1, " in m for m in _texts(at.markdown))  # the why, with the rows' ratios
    at.button(key=f"{BUG}.show").click().run()
    assert not at.exception
    assert at.radio(key="graph_bug").value == read and at.select_slider(key="graph_epsilon").value == 1e-6
    assert any("the backward pass is wrong" in e for e in _texts(at.error))
    # The page's own table now holds the quoted rows (its first two and its last).
    table = next(m for m in _texts(at.markdown) if m.startswith("| coordinate |"))
    _, body = parse_markdown_table(table)
    for (name, num, g), row in zip(rows, body[:2] + body[-1:]):
        assert row[0] == name
        assert _number(row[1]) == pytest.approx(num, rel=1e-2) and _number(row[2]) == pytest.approx(g, rel=1e-2)


def test_the_planted_bug_right_on_the_first_try(app_test):
    at = app_test("graph.py", {"checkpoint": "graph.gradcheck_bug"})
    assert at.button_group(key="checkpoint.graph.pick").value == "gradcheck_bug"
    _, read = _quoted_rows(at)
    _answer(at, BUG, read, "radio")
    assert any(s.startswith("Right: ") for s in _texts(at.success))
    assert at.radio(key=f"{BUG}.answer").disabled


def test_korean_checkpoints(app_test):
    at = app_test("graph.py", {"lang": "ko"})
    assert any("dz = ∂L/∂z는 얼마일까요?" in m for m in _texts(at.markdown))
    _answer(at, DZ, 0.5, "number_input")
    assert any(w.startswith("아직 아닙니다") and "먼저 순전파를 하세요" in w for w in _texts(at.warning))
    _answer(at, DZ, 0.4, "number_input")
    assert any(e.startswith("이번에는 틀렸습니다. 답: -0.475") for e in _texts(at.error))
    assert any("z에서 나가는 화살표 위의 빨간 dz" in c for c in _texts(at.caption))
    _pick(at, "gradcheck_bug")
    assert any("어떤 버그를 심었을까요?" in m for m in _texts(at.markdown))
    assert "db에서만 − y 빠뜨리기: db = mean(a)" in at.radio(key=f"{BUG}.answer").options


def test_presenter_mode_reveals_the_answers(app_test):
    at = app_test("graph.py", {"present": "1"})
    assert any(m.startswith("### Before you step through") for m in _texts(at.markdown))
    with pytest.raises(KeyError):  # no answer field: the class answers aloud
        at.number_input(key=f"{DZ}.answer")
    assert not any(i.startswith("The answer") for i in _texts(at.info))
    at.button(key=f"{DZ}.reveal").click().run()
    assert any(i.startswith("The answer: -0.475") for i in _texts(at.info))
    at.button(key=f"{DZ}.show").click().run()
    assert at.session_state["graph_step"] == 5
    _pick(at, "gradcheck_bug")
    assert any("- **A** · None: the real backward pass" in m for m in _texts(at.markdown))
    at.button(key=f"{BUG}.reveal").click().run()
    assert any(i.startswith("The answer: E · Forget − y in db only") for i in _texts(at.info))
