"""The Train page in a real browser: the keyboard moves the learning rate, the curve follows, the replay plays."""

from __future__ import annotations

from pathlib import Path

import pytest

from playground.lessons.predict.saved_model import load_model
from tests.browser.conftest import expect_metrics, shot, wait_idle

pytestmark = pytest.mark.browser

# The Train page's metrics on the course's data at 2,000 iterations (the built-in set's train accuracy
# at 0.005 is 99.04 % too: the test accuracy tells the two apart).
COURSE_AT_0_005 = ("99.04 %", "70 %", "0.1356", "0.7504")
COURSE_AT_0_01 = ("99.52 %", "70 %", "0.0699", "0.9412")
TITLE = "e => Array.from(e.querySelectorAll('.g-gtitle text')).map(t => t.textContent).join(' ')"


def _curve(chart) -> str:
    """The drawn path of the training-cost line (what the eye sees change)."""
    return chart.locator("path.js-line").first.get_attribute("d") or ""


def _wait_for(page, condition, what: str, timeout_ms: int = 30_000) -> None:
    waited = 0
    while not condition():
        if waited >= timeout_ms:
            raise AssertionError(f"timed out waiting for {what}")
        page.wait_for_timeout(250)
        waited += 250


def test_keyboard_moves_the_learning_rate_and_the_curve_follows(page, app_url):
    page.goto(f"{app_url}/train?data=course")
    wait_idle(page)
    page.get_by_test_id("stPlotlyChart").first.wait_for()
    expect_metrics(page, *COURSE_AT_0_005)
    chart = page.get_by_test_id("stPlotlyChart").first
    chart.locator("path.js-line").first.wait_for()
    before = _curve(chart)

    slider = page.get_by_role("slider", name="Learning rate")
    assert slider.get_attribute("aria-valuetext") == "0.005"
    slider.focus()
    slider.press("ArrowRight")  # one notch up the log scale
    wait_idle(page)
    assert slider.get_attribute("aria-valuetext") == "0.01"
    _wait_for(page, lambda: _curve(chart) != before, "the cost curve to change")
    expect_metrics(page, *COURSE_AT_0_01)
    assert "lr=0.01" in page.url  # the address bar is the shareable link
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, "train_page_1280")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download this model (.npz)").click()
    model = load_model(Path(download.value.path()).read_bytes())
    assert model.settings["learning_rate"] == 0.01 and model.image_shape == (64, 64, 3)


def test_the_replay_plays_in_the_browser(page, app_url):
    page.goto(f"{app_url}/train?data=course&iters=1000")
    wait_idle(page)
    page.get_by_role("tab", name="Replay").click()
    wait_idle(page)
    replay = page.get_by_test_id("stPlotlyChart").last
    replay.locator(".updatemenu-button").first.wait_for()
    assert replay.evaluate(TITLE).startswith("iteration 0 of 1,000")
    first_image = replay.locator("image").first.get_attribute("href")

    replay.scroll_into_view_if_needed()
    replay.locator(".updatemenu-button").filter(has_text="Play").click()
    _wait_for(page, lambda: not replay.evaluate(TITLE).startswith("iteration 0 "), "the replay to advance")
    _wait_for(page, lambda: replay.locator("image").first.get_attribute("href") != first_image, "w to change")
    for _ in range(6):  # the picture never blinks out between frames
        assert replay.locator("image").first.get_attribute("href"), "the picture of w vanished mid-replay"
        page.wait_for_timeout(120)
    replay.locator(".updatemenu-button").filter(has_text="Pause").dispatch_event("click")
    page.wait_for_timeout(500)
    paused_at = replay.evaluate(TITLE)
    page.wait_for_timeout(1000)
    assert replay.evaluate(TITLE) == paused_at  # paused
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(replay, "train_replay")


def test_a_diverging_rate_is_explained_on_a_projector_sized_screen(projector, app_url):
    page = projector
    page.goto(f"{app_url}/train?data=course&lr=10&iters=500&log=1")
    wait_idle(page)
    alert = page.get_by_text("Training diverged from iteration 1")
    alert.wait_for()
    # The cost chart found by its title once drawn (Plotly charts mount lazily); the weights are
    # pictures, each drawn when decoded.
    cost = page.get_by_test_id("stPlotlyChart").filter(has_text="Cost per iteration")
    weights = page.locator("div.weights").filter(has_text="What w learned")
    cost.locator(".main-svg").first.wait_for()
    _wait_for(page, lambda: weights.locator("img").evaluate_all("imgs => imgs.every(i => i.complete && i.naturalWidth)"),
              "the weights' four pictures decoded")
    assert weights.locator("img").count() == 4
    a, b = cost.bounding_box(), weights.bounding_box()
    assert abs(a["y"] - b["y"]) < 80 and b["x"] > a["x"] + a["width"] * 0.9, (a, b)  # side by side
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, "train_page_1920_diverged")


def test_in_korean_the_keyboard_the_tabs_and_the_link_work(page, app_url):
    page.goto(f"{app_url}/train?lang=ko&data=course")
    wait_idle(page)
    page.get_by_role("heading", name="학습: 경사 하강법을 실시간으로").wait_for()
    chart = page.get_by_test_id("stPlotlyChart").first
    chart.locator("path.js-line").first.wait_for()
    expect_metrics(page, *COURSE_AT_0_005)
    slider = page.get_by_role("slider", name="학습률")
    slider.focus()
    slider.press("ArrowRight")
    wait_idle(page)
    expect_metrics(page, *COURSE_AT_0_01)
    assert "lr=0.01" in page.url and "lang=ko" in page.url

    page.get_by_role("tab", name="학습 다시 보기").click()
    wait_idle(page)
    replay = page.get_by_test_id("stPlotlyChart").last
    replay.locator(".updatemenu-button").filter(has_text="재생").wait_for()
    assert replay.evaluate(TITLE).startswith("반복 0 / 2,000")
    _wait_for(page, lambda: "tab=replay" in page.url, "?tab=replay in the address bar")  # the id, not the label

    page.get_by_role("tab", name="학습률 비교").click()
    wait_idle(page)
    # The comparison's numbers: a Markdown table (no st.dataframe), its header in Korean.
    table = page.get_by_test_id("stMarkdown").locator("table").filter(has_text="학습률 α")
    table.wait_for()
    assert table.locator("tbody tr").count() == 3  # the three rates of the default comparison
    assert table.locator("th").filter(has_text="최종 비용 J").count() == 1
    _wait_for(page, lambda: "tab=compare" in page.url, "?tab=compare in the address bar")
    assert page.locator('[data-testid="stException"]').count() == 0
    shot(page, "train_page_ko_compare")


def test_an_older_link_to_a_tab_by_its_english_label_still_opens_it(page, app_url):
    page.goto(f"{app_url}/train?lang=ko&iters=500&tab=Replay")
    wait_idle(page)
    replay = page.get_by_test_id("stPlotlyChart").last
    replay.locator(".updatemenu-button").filter(has_text="재생").wait_for()
    assert page.get_by_role("tab", name="학습 다시 보기").get_attribute("aria-selected") == "true"
    _wait_for(page, lambda: "tab=replay" in page.url, "the link's tab rewritten as its id")


# Whether each radio option's label on the page and each page name in the sidebar reads whole: a
# label laid out in one line (its text's line boxes all at one height), a page name not cut to "…".
READS_WHOLE = """() => {
  const oneLine = e => { const r = document.createRange(); r.selectNodeContents(e);
    return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size === 1; };
  const radios = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stRadio"] [role="radiogroup"] label p')]
    .filter(p => !oneLine(p)).map(p => p.textContent);
  const names = [...document.querySelectorAll('[data-testid="stSidebarNavLink"] span[label]')]
    .filter(s => s.scrollWidth > s.clientWidth + 1).map(s => s.getAttribute('label'));
  return {radios, names};
}"""


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_presenter_mode_on_a_laptop_breaks_no_word_and_clears_the_titles(page, app_url, lang):
    page.goto(f"{app_url}/train?data=course&present=1&lang={lang}")
    wait_idle(page)
    expect_metrics(page, *COURSE_AT_0_005)
    cost = page.get_by_test_id("stPlotlyChart").first
    cost.locator(".main-svg").first.wait_for()
    assert page.evaluate(READS_WHOLE) == {"radios": [], "names": []}
    title, legend = cost.locator(".g-gtitle").bounding_box(), cost.locator("g.infolayer > g.legend").bounding_box()
    assert title["y"] + title["height"] <= legend["y"] + 2  # the legend under the title
    shot(page, f"train_present_1280_{lang}")

    # ?hide=loss,init: the controls box holds the sliders alone, no empty half.
    page.goto(f"{app_url}/train?data=course&present=1&lang={lang}&hide=loss,init")
    wait_idle(page)
    page.get_by_test_id("stSlider").first.wait_for()
    columns = page.evaluate("""() => [...document.querySelector('[data-testid="stSlider"]')
        .closest('[data-testid="stHorizontalBlock"]').querySelectorAll(':scope > [data-testid="stColumn"]')]
        .map(c => c.querySelectorAll('[data-testid="stSlider"]').length)""")
    assert columns == [1, 1]
    assert page.get_by_test_id("stRadio").filter(has_text="w = 0").count() == 0


def test_a_log_axis_labels_its_ticks_with_their_full_values(page, app_url):
    page.goto(f"{app_url}/train?data=course&log=1&every=1")
    wait_idle(page)
    cost = page.get_by_test_id("stPlotlyChart").first
    cost.locator(".ytick text").first.wait_for()
    assert cost.locator(".ytick text").all_text_contents() == ["0.2", "0.3", "0.5", "1"]  # not "2", "3", "5"
    shot(cost, "train_cost_log_scale")
