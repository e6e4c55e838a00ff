"""The checkpoint box, through the Train page: answer right and wrong, a second try, "show me",
progress in the sidebar, starting again, a link to one checkpoint, and presenter mode's reveal."""

import math

import pytest

from tests.conftest import use_course_data


def _pick(at, name):
    at.button_group(key="checkpoint.train.pick").set_value(name).run()
    assert not at.exception, at.exception


def _answer(at, cp_id, value, widget="radio"):
    getattr(at, widget)(key=f"checkpoint.{cp_id}.answer").set_value(value).run()
    at.button(key=f"checkpoint.{cp_id}.check").click().run()
    assert not at.exception, at.exception


def _texts(elements):
    return [e.value for e in elements]


def _progress(at):
    return at.sidebar.get("progress")[0].proto.text


def test_first_cost_right_on_the_first_try(app_test):
    at = use_course_data(app_test("train.py"))
    assert "0 of" in _progress(at)
    _answer(at, "train.first_cost", 0.693, "number_input")
    assert any(s.startswith("Right: 0.693") for s in _texts(at.success))
    assert any("σ(0) = 0.5" in m for m in _texts(at.markdown))  # the why
    assert at.number_input(key="checkpoint.train.first_cost.answer").disabled
    assert "1 of" in _progress(at)
    # The picker marks it done; "ask me again" asks it afresh.
    at.button(key="checkpoint.train.first_cost.again").click().run()
    assert at.number_input(key="checkpoint.train.first_cost.answer").value is None
    assert "0 of" in _progress(at)


def test_first_cost_wrong_twice_gives_the_answer_and_show_me_sets_the_start(app_test):
    at = use_course_data(app_test("train.py", {"init": "random", "loss": "mse"}))
    _answer(at, "train.first_cost", 0.5, "number_input")
    assert any(w.startswith("Not quite") and "σ(0)" in w for w in _texts(at.warning))  # the hint, not the answer
    assert not at.success and not any("0.693" in e for e in _texts(at.error))
    _answer(at, "train.first_cost", 0.25, "number_input")
    assert any(e.startswith("Not this time. The answer: 0.693") for e in _texts(at.error))
    at.button(key="checkpoint.train.first_cost.show").click().run()
    assert at.radio(key="train_init").value == "zeros" and at.radio(key="train_loss").value == "cross_entropy"
    assert "1 of" in _progress(at)


def test_blow_up_is_answered_from_the_run_and_show_me_runs_it(app_test):
    at = use_course_data(app_test("train.py"))
    _pick(at, "blow_up")
    question = next(m for m in _texts(at.markdown) if "set α = 0.05" in m)
    assert "2,000 iterations" in question
    _answer(at, "train.blow_up", "downhill")
    assert any(w.startswith("Not quite") for w in _texts(at.warning))
    _answer(at, "train.blow_up", "blow_up")  # at α = 0.05 the course's cost jumps to 13.4 at iteration 2
    assert any(s.startswith("Right: It blows up") for s in _texts(at.success))
    at.button(key="checkpoint.train.blow_up.show").click().run()
    assert at.select_slider(key="train_lr").value == 0.05
    assert any("overshot" in e for e in _texts(at.warning) + _texts(at.error))  # the page's own message says it
    # The verdict stays beside the example it explains; a new iteration count is another question.
    assert any(s.startswith("Right: It blows up") for s in _texts(at.success))
    at.slider(key="train_iters").set_value(0).run()
    assert any("Over 0 iterations" in m for m in _texts(at.markdown)) and not at.success


def test_the_target_is_checked_on_the_run_on_the_page(app_test):
    at = use_course_data(app_test("train.py"))
    _pick(at, "reach")
    assert any("95 %" in m and "900" in m for m in _texts(at.markdown))
    assert any("99.04 %" in m and "2,000" in m for m in _texts(at.markdown))  # the run now
    at.button(key="checkpoint.train.reach.check").click().run()  # 99 % but after 2,000: too many
    assert any(w.startswith("Not quite") for w in _texts(at.warning))
    at.select_slider(key="train_lr").set_value(0.02).run()  # (0.1 overshoots: the app does not count it)
    at.slider(key="train_iters").set_value(600).run()
    at.button(key="checkpoint.train.reach.check").click().run()
    assert any(s.startswith("Goal reached") and "α = 0.02" in s and "600 iterations" in s for s in _texts(at.success))


def test_the_target_missed_twice_shows_the_quickest_way(app_test):
    at = use_course_data(app_test("train.py"))
    _pick(at, "reach")
    for _ in range(2):
        at.button(key="checkpoint.train.reach.check").click().run()
    assert any(e.startswith("Not reached") for e in _texts(at.error))
    at.button(key="checkpoint.train.reach.show").click().run()
    assert at.select_slider(key="train_lr").value == 0.02 and at.slider(key="train_iters").value == 600
    assert math.isclose(float(at.metric[0].value.rstrip(" %")), 95, abs_tol=5)  # the train accuracy, at the goal


def test_progress_survives_a_page_change_and_start_again_clears_it(app_test):
    at = use_course_data(app_test("train.py"))
    _answer(at, "train.first_cost", 0.693, "number_input")
    at.switch_page("playground/ui/pages/data.py").run()
    assert "1 of" in _progress(at)
    at.sidebar.button(key="checkpoint.reset").click().run()
    assert "0 of" in _progress(at)
    at.switch_page("playground/ui/pages/train.py").run()
    assert at.number_input(key="checkpoint.train.first_cost.answer").value is None
    assert not at.success


def test_a_link_opens_the_page_at_its_checkpoint(app_test):
    at = app_test(None, {"checkpoint": "train.blow_up"})
    assert at.button_group(key="checkpoint.train.pick").value == "blow_up"
    assert at.radio(key="checkpoint.train.blow_up.answer") is not None


def test_a_link_to_no_checkpoint_says_so(app_test):
    at = app_test(None, {"checkpoint": "train.nothing<b>"})  # (said on the page the link opens)
    assert any("train.nothing<b>" in w and "does not have" in w for w in _texts(at.warning))
    at.switch_page("playground/ui/pages/train.py").run()
    assert at.button_group(key="checkpoint.train.pick").value == "first_cost"


def test_presenter_mode_asks_large_and_the_teacher_reveals(app_test):
    at = use_course_data(app_test("train.py", {"present": "1", "checkpoint": "train.blow_up"}))
    assert any(m.startswith("### Keep the other settings") for m in _texts(at.markdown))
    assert any("- **A** · It falls smoothly" in m for m in _texts(at.markdown))
    with pytest.raises(KeyError):  # no answer field: the class votes by hands
        at.radio(key="checkpoint.train.blow_up.answer")
    assert not at.info or not any(i.startswith("The answer") for i in _texts(at.info))
    at.button(key="checkpoint.train.blow_up.reveal").click().run()
    assert any(i.startswith("The answer: C · It blows up") for i in _texts(at.info))
    at.button(key="checkpoint.train.blow_up.reveal").click().run()  # hidden again, for the next class
    assert not any(i.startswith("The answer") for i in _texts(at.info))


def test_korean_checkpoints(app_test):
    at = use_course_data(app_test("train.py", {"lang": "ko"}))
    assert any("교차 엔트로피 비용" in m for m in _texts(at.markdown))
    _answer(at, "train.first_cost", 0.1, "number_input")
    assert any(w.startswith("아직 아닙니다") for w in _texts(at.warning))
    assert "체크포인트" in _progress(at)
