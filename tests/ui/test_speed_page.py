"""The Loops vs vectors page in AppTest: nothing is timed until asked, then four agreeing results."""

from tests.helpers import chart_specs


def test_speed_page_waits_for_the_button_and_shows_the_code(app_test):
    at = app_test("speed.py")
    assert at.title[0].value == "Loops vs vectors"
    assert not at.get("plotly_chart")
    assert "Race!" in at.info[0].value
    code = " ".join(c.value for c in at.code)
    for name in ("def dot_loop", "def dot_numpy", "def step_two_loops", "def step_one_loop",
                 "def step_vectorized", "def step_dual"):
        assert name in code


def test_race_times_four_ways_and_they_agree(app_test):
    at = app_test("speed.py")
    at.slider(key="speed_m").set_value(30).run()
    at.select_slider(key="speed_n").set_value(256).run()
    at.button(key="speed_race_button").click().run()
    assert not at.exception
    bars = chart_specs(at)[0]["data"][0]
    assert bars["y"] == ["Two loops (examples × features)", "One loop (over examples)", "Vectorized NumPy",
                         "Dual form (K = XᵀX)"]
    assert len(bars["text"]) == 4 and all("× faster" in text for text in bars["text"][1:])
    assert "They agree" in at.success[0].value
    assert any("K = XᵀX (30 × 30)" in m.value for m in at.markdown)
    assert len([m for m in at.metric if m.label == "time per step"]) == 4
    race = at.session_state["speed_race_result"]["race"]
    assert (race.m, race.n) == (30, 256) and race.max_difference < 1e-12
    # An unrelated rerun keeps the timings; new sizes say the results are stale.
    at.slider(key="speed_m").set_value(31).run()
    assert at.session_state["speed_race_result"]["race"] is race
    assert "m = 30" in at.info[0].value


def test_too_big_a_race_is_refused_on_the_page(app_test):
    at = app_test("speed.py")
    at.slider(key="speed_m").set_value(209).run()
    at.select_slider(key="speed_n").set_value(12288).run()
    assert not at.exception
    assert "more than 1,000,000" in at.error[0].value
    assert at.button(key="speed_race_button").disabled
    # The button is off, so the text does not say to press it: it says to lower the sizes.
    [info] = [i.value for i in at.info]
    assert "lower m or n" in info and "press **Race!**" not in info.split(":")[0]
    # Results of an earlier race are not offered for re-timing at a refused size either.
    at.slider(key="speed_m").set_value(20).run()
    at.button(key="speed_race_button").click().run()
    at.slider(key="speed_m").set_value(209).run()
    assert not at.exception and at.button(key="speed_race_button").disabled
    [info] = [i.value for i in at.info]
    assert "m = 20" in info and "too big to race" in info and "Race!" not in info


def test_too_big_a_race_is_refused_in_korean(app_test):
    at = app_test("speed.py", query={"lang": "ko"})
    at.slider(key="speed_m").set_value(209).run()
    at.select_slider(key="speed_n").set_value(12288).run()
    assert not at.exception
    # No particle straight after a filled-in number (no "2,568,192은(는)"): counters and nouns follow them.
    assert at.error[0].value == ("반복문 두 개로는 너무 느립니다: m × n = 209 × 12,288 = 2,568,192, 한도 1,000,000 초과: "
                                 "반복문 두 개로는 몇 초가 걸립니다. 특성이 12,288개라면 예제는 최대 81개, 예제가 209개라면 "
                                 "특성은 최대 4,784개까지 고를 수 있습니다.")
    assert "경주 시작!" in at.info[0].value and "줄인" in at.info[0].value


def test_dot_product_warm_up(app_test):
    at = app_test("speed.py")
    at.button(key="speed_dot_button").click().run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert labels[:3] == ["Python loop", labels[1], "speed-up"] and labels[1].startswith("np.dot (median of")
    dot = at.session_state["speed_dot_result"]
    assert dot.length == 1_000_000 and dot.difference < 1e-6
    assert len(at.get("plotly_chart")) == 1


def test_presenter_link_hides_the_size_sliders(app_test):
    at = app_test(page="speed.py", query={"hide": "size"})
    assert not [s for s in at.slider if s.key == "speed_m"]
    assert not [s for s in at.select_slider if s.key == "speed_n"]
    assert not at.exception
