"""The Predict page on a phone (390 × 844) in real Chromium: nothing reaches past the right edge of the
screen, the maps are large enough to read, their titles do not overlap; the summary table scrolls in
its own box."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, expect_metrics, shot, wait_idle

pytestmark = pytest.mark.browser

DELIBERATE_SCROLLERS = ".st-key-predict_summary table"
"""Boxes the page makes scroll sideways on purpose (with edge shadows): what is inside them may reach
past the screen, the box itself may not."""

# Every drawn element of the main area whose right edge is past the screen's, unless it sits inside a
# deliberate scroller, or in KaTeX's MathML copy (clipped to nothing: it is there for screen readers);
# an <svg> is measured as a whole (KaTeX draws a brace as a long path that its svg cuts to length).
# (A box that merely has overflow: auto, such as KaTeX's, does not count: on a phone its scroll bar is
# hidden, and what it cuts off reads as cut off.)
OVERFLOW = """([scrollers]) => {
  const W = window.innerWidth, out = [];
  for (const el of document.querySelectorAll('[data-testid="stMain"] *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= W + 0.5) continue;
    if (el.ownerSVGElement || (el.parentElement && el.parentElement.closest(scrollers)) ||
        el.closest('.katex-mathml')) continue;
    const id = el.getAttribute('data-testid') || el.getAttribute('class') || '';
    out.push(`${el.tagName.toLowerCase()} ${String(id).slice(0, 40)} right=${Math.round(r.right)}: ` +
             (el.textContent || '').trim().slice(0, 40));
  }
  return out;
}"""

# Rectangles of what must be readable: each map's plot area, each picture, each map title.
SIZES = """() => {
  const rect = el => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const main = document.querySelector('[data-testid="stMain"]');
  return {
    plots: [...main.querySelectorAll('[data-testid="stPlotlyChart"]')]
      .filter(c => c.querySelector('.heatmaplayer, .imagelayer image'))
      .map(c => rect(c.querySelector('.nsewdrag'))),
    pictures: [...main.querySelectorAll('[data-testid="stImage"] img')].map(rect),
    titles: [...main.querySelectorAll('[data-testid="stPlotlyChart"] .annotation-text')]
      .filter(t => t.textContent.trim()).map(t => [t.textContent, ...rect(t)]),
    equation: [...main.querySelectorAll('.katex-display')].map(k => {
      const box = k.closest('[data-testid="stMarkdownContainer"]').getBoundingClientRect();
      const maths = k.querySelector('.katex-html').getBoundingClientRect();
      return [maths.left - box.left, box.right - maths.right];
    }),
  };
}"""


def upload(page, photos_dir, *names):
    page.get_by_test_id("stFileUploader").filter(has_text="Photos").locator('input[type="file"]').set_input_files(
        [str(photos_dir / n) for n in names])
    wait_idle(page)


def drawn(page) -> None:
    """Wait until every Plotly chart has its SVG and every picture has loaded."""
    page.wait_for_function("() => { const c = [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')];"
                           " return c.length > 0 && c.every(x => x.querySelector('.main-svg')); }")
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=\"stImage\"] img')]"
                           ".every(i => i.complete && i.naturalWidth > 0)")
    page.wait_for_timeout(800)  # (Plotly lays a chart out again once its column has its width)


def overlapping(boxes):
    return [(a[0], b[0]) for k, a in enumerate(boxes) for b in boxes[k + 1:]
            if a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5 and a[2] < b[4] - 0.5 and b[2] < a[4] - 0.5]


def test_predict_fits_a_phone(phone, app_url, photos_dir):
    page = phone
    page.goto(f"{app_url}/predict?data=course")
    wait_idle(page)
    page.get_by_text("No model trained on the Train page yet").wait_for()
    upload(page, photos_dir, "cat_in_iran.jpg")
    page.get_by_text("cat_in_iran.jpg → cat").wait_for()
    expect_metrics(page, "0.697")
    drawn(page)
    assert page.locator('[data-testid="stException"]').count() == 0

    assert page.evaluate(OVERFLOW, [DELIBERATE_SCROLLERS]) == []
    sizes = page.evaluate(SIZES)
    # Three maps, each at least 200 px wide (a 64 × 64 map at 3 px a pixel; one row of three would leave
    # about 95 px each), and three pictures, at least 140 px wide (the two inputs share a row).
    assert len(sizes["plots"]) == 3 and len(sizes["pictures"]) == 3
    assert [round(r - l) for l, _, r, _ in sizes["plots"] if r - l < 200] == []
    assert [round(r - l) for l, _, r, _ in sizes["pictures"] if r - l < 140] == []
    titles = sizes["titles"]
    assert {"input x (what the model saw)", "weights w (R+G+B)", "contribution wᵢx̃ᵢ (R+G+B)"} <= {t[0] for t in titles}
    assert overlapping(titles) == [] and [t[0] for t in titles if t[1] < 0 or t[3] > PHONE["width"]] == []
    # The equation is on lines short enough for its box: nothing of it is scrolled out of sight.
    assert sizes["equation"] and all(left >= -0.5 and right >= -0.5 for left, right in sizes["equation"])
    row = page.get_by_test_id("stVerticalBlock").filter(has=page.get_by_role("heading", name="cat_in_iran.jpg → cat")).last
    row.scroll_into_view_if_needed()
    shot(page, "phone_predict_maps")

    # A second photo brings the summary table: it fits the screen and scrolls inside its own box.
    upload(page, photos_dir, "my_image.jpg")  # (the uploader adds it to the first)
    page.get_by_text("my_image.jpg → non-cat").wait_for()
    expect_metrics(page, "0.697", "0.282")
    drawn(page)
    table = page.locator(DELIBERATE_SCROLLERS)
    expect(table).to_have_count(1)
    assert page.evaluate(OVERFLOW, [DELIBERATE_SCROLLERS]) == []
    box = table.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert table.evaluate("t => getComputedStyle(t).overflowX") == "auto"
    assert "███████░░░ 0.697" in table.inner_text()
    table.scroll_into_view_if_needed()
    shot(page, "phone_predict_table")
