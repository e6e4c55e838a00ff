"""The Predict page's checkpoints and pictures to try, headless (AppTest), on the course's data with the
course's model: each question answered right and wrong, "Show me" picking its pictures so the page's
own result answers, the pictures to try classified, Korean, and presenter mode's reveal.

Expected answers are computed here from the course's model (the ``course_model`` fixture, trained
apart from the page) on the picture the box shows, read from its question."""

from __future__ import annotations

import re

import numpy as np
import pytest

from playground.data.builtin import make_builtin_dataset
from playground.lessons.predict.explain import probability_text
from playground.lessons.predict.saved_model import SavedModel
from playground.ui import state
from playground.ui.i18n import LANGUAGES, catalog
from playground.ui.tables import parse_markdown_table
from tests.helpers import texts

EN = catalog("en")
TRY_OPEN, TRY_SET = "predict_tries", "predict_try_set"


def _run(at):
    at.run()
    assert not at.exception, at.exception
    return at


def _pick(at, name):
    at.button_group(key="checkpoint.predict.pick").set_value(name)
    return _run(at)


def _answer(at, name, value, widget="radio"):
    getattr(at, widget)(key=f"checkpoint.predict.{name}.answer").set_value(value)
    _run(at)
    at.button(key=f"checkpoint.predict.{name}.check").click()
    return _run(at)


def _picks(at, which="test"):
    """The pills of the pictures to try of set ``which`` (their key names the dataset too)."""
    [pills] = [b for b in at.button_group if b.key.startswith(f"predict_try_{which}_")]
    return pills


def _asked_pictures(at) -> list[int]:
    """The pictures drawn in the box, above its question."""
    [html] = [h.proto.body for h in at.get("html") if 'class="predict-asked"' in h.proto.body]
    return [int(k) for k in re.findall(r"<figcaption>#(\d+)</figcaption>", html)]


def _p(model, image) -> float:
    return float(model.predict_proba(image[None])[0])


def test_verdict_right_then_show_me_picks_the_picture_and_the_page_answers(predict_page, course_model, course_dataset):
    at = predict_page
    assert at.button_group(key="checkpoint.predict.pick").value == "verdict"  # the first question
    [question] = [m for m in texts(at.markdown) if m.startswith("What will the neuron say")]
    index = int(re.search(r"\(#(\d+)\)", question).group(1))
    assert _asked_pictures(at) == [index]
    p = _p(course_model, course_dataset.test_x[index])
    said = "cat" if p > 0.5 else "non_cat"
    assert (p > 0.5) != bool(course_dataset.test_y[index]), "a picture the course model gets wrong teaches most"
    assert not at.metric  # nothing classified yet: the page has not answered
    _answer(at, "verdict", said)
    word = "cat" if said == "cat" else "non-cat"
    assert any(s.startswith(f"Right: It says {word}") for s in texts(at.success))
    assert any(m.startswith(f"The neuron computed z = {np.log(p / (1 - p)):+.2f}") for m in texts(at.markdown))
    at.button(key="checkpoint.predict.verdict.show").click()
    _run(at)
    assert _picks(at).value == [index]
    assert texts(at.subheader) == [f"test picture #{index} → {word}"]
    assert texts(at.metric) == [probability_text(p)]
    assert any(c.startswith("Sum of all 4,096 pixels") for c in texts(at.caption))  # the explanation too


def test_verdict_wrong_twice_gives_the_answer(predict_page, course_model, course_dataset):
    at = predict_page
    index = _asked_pictures(at)[0]
    p = _p(course_model, course_dataset.test_x[index])
    wrong = "cat" if p <= 0.5 else "non_cat"
    _answer(at, "verdict", wrong)
    [warning] = [w for w in texts(at.warning) if w.startswith("Not quite")]
    assert "ears or whiskers" in warning and not at.success and not at.error  # the hint, not the answer
    _answer(at, "verdict", wrong)
    answer = "It says cat" if p > 0.5 else "It says non-cat"
    assert texts(at.error) == [f"Not this time. The answer: {answer}."]


def test_probability_wrong_twice_then_right(predict_page, course_model, course_dataset):
    at = _pick(predict_page, "probability")
    [question] = [m for m in texts(at.markdown) if m.startswith("For this test picture")]
    index = int(re.search(r"\(#(\d+)\)", question).group(1))
    assert _asked_pictures(at) == [index]
    z = float(course_model.logits(course_dataset.test_x[index][None])[0])
    p = 1 / (1 + np.exp(-z))
    assert f"= **{z:.2f}**" in question and 0.1 < p < 0.9  # σ of a z well away from 0, not a coin toss
    far = round(p + 0.2 if p < 0.5 else p - 0.2, 2)
    _answer(at, "probability", far, "number_input")
    assert any(w.startswith("Not quite") and "σ(1) ≈ 0.73" in w for w in texts(at.warning))
    _answer(at, "probability", far, "number_input")
    assert texts(at.error) == [f"Not this time. The answer: {p:.2f}."]
    at.button(key="checkpoint.predict.probability.again").click()
    _run(at)
    _answer(at, "probability", round(p, 2), "number_input")
    assert texts(at.success) == [f"Right: {p:.2f}."]
    at.button(key="checkpoint.predict.probability.show").click()
    _run(at)
    assert _picks(at).value == [index]
    assert texts(at.metric) == [probability_text(p)]
    [latex] = texts(at.latex)
    assert f"&= {z:.6f}" in latex and rf"\sigma(z) &= {p:.4f}" in latex


def test_surest_right_and_show_me_classifies_the_three_side_by_side(predict_page, course_model, course_dataset):
    at = _pick(predict_page, "surest")
    radio = at.radio(key="checkpoint.predict.surest.answer")
    shown = [int(o[1:]) for o in radio.options]
    assert _asked_pictures(at) == shown and len(shown) == 3
    ps = {k: _p(course_model, course_dataset.test_x[k]) for k in shown}
    right = max(ps, key=ps.get)
    _answer(at, "surest", f"#{right}")
    assert texts(at.success) == [f"Right: #{right}."]
    at.button(key="checkpoint.predict.surest.show").click()
    _run(at)
    assert sorted(_picks(at).value) == shown
    [summary] = [m for m in texts(at.markdown) if m.startswith("| file |")]
    _, rows = parse_markdown_table(summary)
    table = {int(r[0].split("#")[1]): float(r[2].split()[-1]) for r in rows}
    assert table == {k: pytest.approx(p, abs=5e-4) for k, p in ps.items()}


def test_surest_wrong_twice_gives_the_answer(predict_page, course_model, course_dataset):
    at = _pick(predict_page, "surest")
    options = at.radio(key="checkpoint.predict.surest.answer").options
    ps = {o: _p(course_model, course_dataset.test_x[int(o[1:])]) for o in options}
    right = max(ps, key=ps.get)
    wrong = next(o for o in options if o != right)
    for _ in range(2):
        _answer(at, "surest", wrong)
    assert texts(at.error) == [f"Not this time. The answer: {right}."]
    assert any(m.startswith("The neuron's P(cat) for the three:") and right in m for m in texts(at.markdown))


def test_pictures_to_try_test_set_and_built_in_drawings_classify(predict_page, course_model, course_dataset):
    at = predict_page
    assert not at.get("image")  # closed: no gallery sent
    at.session_state[TRY_OPEN] = True
    _run(at)
    [gallery] = [i for i in at.get("image") if len(i.captions) > 3]
    assert gallery.captions == [f"#{k}" for k in range(50)]
    _picks(at).set_value([3, 40])
    _run(at)
    ps = [_p(course_model, course_dataset.test_x[k]) for k in (3, 40)]
    assert texts(at.metric) == [probability_text(p) for p in ps]
    assert [s.split(" → ")[0] for s in texts(at.subheader)][-2:] == ["test picture #3", "test picture #40"]
    # The built-in drawings: the same model, the app's own drawings.
    at.button_group(key=TRY_SET).set_value("builtin")
    _run(at)
    assert not at.metric  # the other set's picks are its own
    _picks(at, "builtin").set_value([0])
    _run(at)
    drawing = make_builtin_dataset(0).test_x[0]
    p = _p(course_model, drawing)
    assert texts(at.subheader) == [f"built-in drawing #0 → {'cat' if p > 0.5 else 'non-cat'}"]
    assert texts(at.metric) == [probability_text(p)]


def test_a_constant_model_asks_every_question_without_failing(predict_page):
    """w = 0 (a Train page run of 0 iterations): every picture gets the same P; each question still
    has one answer, worded with the model's own class names."""
    at = predict_page
    n_x = 64 * 64 * 3
    at.session_state[state.MODEL] = SavedModel(w=np.zeros((n_x, 1)), b=1.0, mean=np.zeros((n_x, 1)),
                                               scale=np.ones((n_x, 1)), image_shape=(64, 64, 3),
                                               classes=("other", "kitten"), settings={})
    _run(at)
    assert at.radio(key="checkpoint.predict.verdict.answer").options == ["It says kitten", "It says other"]
    _answer(at, "verdict", "cat")
    assert texts(at.success) == ["Right: It says kitten."]
    _pick(at, "surest")
    assert at.radio(key="checkpoint.predict.surest.answer").options == ["#0", "#1", "#2"]


def test_korean(app_test):
    """One Korean run straight on the page (AppTest reruns a Korean session poorly: test_predict_page)."""
    ko = catalog("ko")
    at = app_test("predict.py", {"lang": "ko", "data": "course"})
    [question] = [m for m in texts(at.markdown) if m.startswith("이 테스트 그림(#")]
    index = _asked_pictures(at)[0]
    assert question == ko["predict.checkpoint.verdict.question"].format(index=index)
    assert at.radio(key="checkpoint.predict.verdict.answer").options == ["답: 고양이", "답: 고양이 아님"]
    assert [e.label for e in at.expander] == [ko["predict.try_heading"]]
    assert _picks(at).options[:2] == ["#0", "#1"]


def test_presenter_reveals_the_answer(app_test, course_model, course_dataset):
    at = app_test("predict.py", {"present": "1", "data": "course"})
    [question] = [m for m in texts(at.markdown) if m.startswith("### What will the neuron say")]
    index = int(re.search(r"\(#(\d+)\)", question).group(1))
    assert any(m.startswith("- **A** · It says cat\n- **B** · It says non-cat") for m in texts(at.markdown))
    assert not any(i.startswith("The answer") for i in texts(at.info))
    at.button(key="checkpoint.predict.verdict.reveal").click()
    _run(at)
    p = _p(course_model, course_dataset.test_x[index])
    answer = "A · It says cat" if p > 0.5 else "B · It says non-cat"
    assert f"The answer: {answer}." in texts(at.info)
    at.button(key="checkpoint.predict.verdict.show").click()
    _run(at)
    assert _picks(at).value == [index] and texts(at.metric) == [probability_text(p)]


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_key_built_at_run_time_exists(lang):
    texts = catalog(lang)
    built = [f"predict.try_set_{s}" for s in ("test", "builtin")] + [f"predict.try_name_{s}" for s in ("test", "builtin")]
    built += [f"predict.checkpoint.verdict.option_{o}" for o in ("cat", "non_cat")]
    assert [k for k in built if k not in texts] == []
