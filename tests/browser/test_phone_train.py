"""The Train page on a phone (390 × 844, a touch screen, emulated by Chromium): nothing wider than
the screen, a swipe that starts on a slider scrolls the page, the chart's toolbar stays away."""

from __future__ import annotations

import pytest

from tests.browser.conftest import expect_metrics, shot, wait_idle

pytestmark = pytest.mark.browser

COURSE_AT_0_005 = ("99.04 %", "70 %", "0.1356", "0.7504")
SCROLLER = "document.querySelector('[data-testid=\"stMain\"]')"
# Elements whose right edge passes the viewport's, each as "tag testid right": an element inside a
# container that scrolls sideways on purpose (overflow-x auto or scroll, the container itself within
# the screen, a wide table say) is excused; the page's own scroller, as wide as the screen, excuses nothing.
OVERFLOWING = """() => {
  const W = window.innerWidth, out = [];
  const scrollsInside = e => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const ox = getComputedStyle(a).overflowX, r = a.getBoundingClientRect();
      if ((ox === 'auto' || ox === 'scroll') && r.width < W - 4 && r.right <= W + 1) return true;
    }
    return false;
  };
  for (const e of document.querySelectorAll('[data-testid="stMain"] *')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= W + 1 || scrollsInside(e)) continue;
    out.push(`${e.tagName} ${e.getAttribute('data-testid') || e.className} ${Math.round(r.right)}`);
  }
  return out;
}"""


def _open(page, url: str) -> None:
    page.goto(url)
    wait_idle(page)
    expect_metrics(page, *COURSE_AT_0_005)
    for chart in page.get_by_test_id("stPlotlyChart").all():  # drawn, so their widths count
        chart.locator(".main-svg").first.wait_for()
    assert page.evaluate("matchMedia('(pointer: coarse)').matches")  # a touch screen, as emulated


def _swipe(page, x: float, y: float, dx: float, dy: float, steps: int = 10) -> None:
    """A finger from (x, y) moved by (dx, dy), through Chromium's touch input (what decides scrolling)."""
    page.cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for i in range(1, steps + 1):
        point = {"x": x + dx * i / steps, "y": y + dy * i / steps}
        page.cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        page.wait_for_timeout(16)
    page.cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_nothing_on_the_train_page_is_wider_than_a_phone(phone, app_url, lang):
    _open(phone, f"{app_url}/train?data=course&lang={lang}")
    assert phone.evaluate(OVERFLOWING) == []
    shot(phone, f"train_phone_390_{lang}")
    # The check can fail: a block wider than the screen is found.
    phone.evaluate("""() => { const d = document.createElement('div'); d.className = 'too-wide';
        d.style.width = '600px'; d.style.height = '10px';
        document.querySelector('[data-testid="stMainBlockContainer"]').appendChild(d); }""")
    assert any(item.startswith("DIV too-wide") for item in phone.evaluate(OVERFLOWING))


def test_a_swipe_that_starts_on_a_slider_scrolls_the_page_and_leaves_the_value(phone, app_url):
    _open(phone, f"{app_url}/train?data=course")
    slider = phone.get_by_test_id("stSlider").filter(has_text="Iterations")
    value = slider.get_by_role("slider")
    track = slider.locator('[role="group"] > [data-rac]')
    thumb = track.locator("> [data-rac]")
    assert value.get_attribute("aria-valuetext") == "2000"
    for start in ("track", "thumb"):
        phone.evaluate(f"{SCROLLER}.scrollTop = 0")
        slider.scroll_into_view_if_needed()
        box = (track if start == "track" else thumb).bounding_box()
        x = box["x"] + (box["width"] * 0.85 if start == "track" else box["width"] / 2)
        top = phone.evaluate(f"{SCROLLER}.scrollTop")
        _swipe(phone, x, box["y"] + box["height"] / 2, dx=6, dy=-300)  # up the screen, a little sideways
        phone.wait_for_timeout(800)
        wait_idle(phone)
        assert value.get_attribute("aria-valuetext") == "2000", start
        assert phone.evaluate(f"{SCROLLER}.scrollTop") > top + 100, start  # the page scrolled instead
    expect_metrics(phone, *COURSE_AT_0_005)  # nothing retrained

    # A sideways drag of the thumb still moves it. (Centred: "if needed" may leave it under the app's header.)
    slider.evaluate("e => e.scrollIntoView({block: 'center'})")
    box = thumb.bounding_box()
    _swipe(phone, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, dx=80, dy=0)
    wait_idle(phone)
    assert int(value.get_attribute("aria-valuetext")) > 2000


def test_the_charts_toolbar_never_covers_a_title_on_a_touch_screen(phone, app_url):
    _open(phone, f"{app_url}/train?data=course")
    chart = phone.get_by_test_id("stPlotlyChart").first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    phone.touchscreen.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    phone.wait_for_timeout(500)
    # Plotly's toolbar, shown: laid out (no display: none above it) and not transparent. (Its
    # container has no size of its own, so Playwright's is_visible() would say no in any case.)
    shown = chart.evaluate("""c => [...c.querySelectorAll('.modebar')].some(m =>
        m.getClientRects().length > 0 && getComputedStyle(m).opacity !== '0')""")
    assert not shown
    title, legend = chart.locator(".g-gtitle").bounding_box(), chart.locator("g.infolayer > g.legend").bounding_box()
    assert title["y"] + title["height"] <= legend["y"] + 2  # the legend under the title, not over it
    shot(chart, "train_phone_390_cost_chart")
