"""The Computational graph page on a phone (390 × 844): nothing wider than the screen, and every word
of the diagram inside its box or clear of every box."""

import pytest

from tests.browser.conftest import PHONE, shot, wait_idle

pytestmark = pytest.mark.browser


# Elements whose right edge passes the viewport's, outside a scroller that fits on the screen (a
# table meant to scroll sideways is fine; the page itself scrolling sideways is not).
OVERFLOW = """() => {
    const W = window.innerWidth;
    const page = new Set([document.documentElement, document.body,
        ...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"], .stApp')]);
    const inScroller = el => {
        for (let p = el.parentElement; p; p = p.parentElement) {
            if (page.has(p)) return false;
            const s = getComputedStyle(p);
            if (['auto', 'scroll'].includes(s.overflowX) && p.getBoundingClientRect().right <= W + 0.5) return true;
        }
        return false;
    };
    const bad = [];
    for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0 || r.right <= W + 0.5 || inScroller(el)) continue;
        const name = el.getAttribute('data-testid') || (el.className && el.className.baseVal !== undefined
            ? el.className.baseVal : el.className) || '';
        bad.push(`${el.tagName.toLowerCase()}.${name} right=${Math.round(r.right)} `
                 + `"${(el.textContent || '').trim().slice(0, 40)}"`);
    }
    return bad;
}"""

# In the diagram drawn (the other layout is display: none), each text is either wholly inside the box
# its centre is in (a node's words), or clear of every box (a gradient's label); no two texts overlap.
DIAGRAM = """() => {
    const charts = [...document.querySelectorAll('.st-key-graph_diagram [data-testid="stPlotlyChart"]')]
        .filter(c => c.getBoundingClientRect().width > 0);
    if (charts.length !== 1) return [`expected one diagram drawn, found ${charts.length}`];
    const chart = charts[0];
    const rects = [...chart.querySelectorAll('.shapelayer path')].map(p => p.getBoundingClientRect());
    const texts = [...chart.querySelectorAll('g.annotation')]
        .map(g => g.querySelector('text.annotation-text'))
        .filter(t => t && t.textContent.trim())
        .map(t => ({text: t.textContent.trim(), r: t.getBoundingClientRect()}));
    const bad = [];
    if (rects.length < 9 || texts.length < 9) bad.push(`only ${rects.length} boxes and ${texts.length} texts`);
    const tol = 0.5;
    const inside = (a, b) => a.left >= b.left - tol && a.right <= b.right + tol
        && a.top >= b.top - tol && a.bottom <= b.bottom + tol;
    const meet = (a, b) => a.left < b.right - tol && b.left < a.right - tol
        && a.top < b.bottom - tol && b.top < a.bottom - tol;
    for (const {text, r} of texts) {
        const cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
        const home = rects.filter(b => b.left <= cx && cx <= b.right && b.top <= cy && cy <= b.bottom);
        if (home.length) {
            if (!home.some(b => inside(r, b))) bad.push(`"${text}" spills out of its box`);
        } else if (rects.some(b => meet(r, b))) {
            bad.push(`"${text}" runs into a box`);
        }
        const chartBox = chart.getBoundingClientRect();
        if (!inside(r, chartBox)) bad.push(`"${text}" is cut by the chart's edge`);
    }
    for (let i = 0; i < texts.length; i++)
        for (let j = i + 1; j < texts.length; j++)
            if (meet(texts[i].r, texts[j].r)) bad.push(`"${texts[i].text}" overlaps "${texts[j].text}"`);
    return bad;
}"""


def _scroll_through(page) -> None:
    """Scroll to the bottom and back, so every lazily mounted chart is drawn before measuring."""
    for _ in range(12):
        page.mouse.wheel(0, 800)
        page.wait_for_timeout(250)
    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]')?.scrollTo(0, 0)")
    wait_idle(page)


def _diagram_drawn(page, text: str) -> None:
    page.wait_for_function(
        """(text) => [...document.querySelectorAll('.st-key-graph_diagram [data-testid="stPlotlyChart"]')]
                 .some(c => c.getBoundingClientRect().width > 0 && c.textContent.includes(text))""",
        arg=text, timeout=60_000,
    )


def _set_input(page, label: str, value: str, shown: str) -> None:
    """Type ``value`` into the input ``label`` and wait until the diagram shows ``shown`` (a rerun
    that starts late could otherwise swallow the next input typed)."""
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    wait_idle(page)
    _diagram_drawn(page, shown)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_graph_page_fits_a_phone(phone, app_url, lang):
    phone.goto(f"{app_url}/graph?step=8&lang={lang}")
    wait_idle(phone)
    _diagram_drawn(phone, "0.6444")
    _scroll_through(phone)
    assert phone.evaluate(OVERFLOW) == []
    assert phone.evaluate(DIAGRAM) == []
    phone.locator(".st-key-graph_diagram").scroll_into_view_if_needed()
    shot(phone.locator(".st-key-graph_diagram"), f"phone_graph_{lang}")
    # One real image: the picture and its two gradients one under another, each at least 250 px wide.
    panels = phone.locator(".dw-panels figure")
    panels.first.scroll_into_view_if_needed()
    boxes = [panels.nth(k).bounding_box() for k in range(3)]
    assert all(b["y"] + b["height"] <= nxt["y"] + 0.5 for b, nxt in zip(boxes, boxes[1:])), boxes
    assert all(img["width"] >= 250 for img in (panels.nth(k).locator("img").bounding_box() for k in range(3)))
    shot(phone.locator(".dw-panels"), f"phone_graph_gradients_{lang}")
    table = phone.locator(".st-key-graph_check_table")
    table.scroll_into_view_if_needed()
    # The gradient check's table fits the phone (its last column dropped): nothing hides at the right.
    widths = table.evaluate("t => [t.scrollWidth, t.clientWidth, t.querySelector('table').getBoundingClientRect().right]")
    assert widths[0] <= widths[1] + 1 and widths[2] <= PHONE["width"], widths
    assert table.locator("th").filter(has_text="|g_num − g|").is_hidden()
    shot(phone, f"phone_graph_check_table_{lang}")
    assert phone.locator('[data-testid="stException"]').count() == 0


def test_extreme_values_stay_in_their_boxes_on_a_phone(phone, app_url):
    # z = 10·1.4 + … ≈ 13.6: L ≈ 1.2e−06, dz and dw₁ as long as numbers get (four digits and an exponent).
    phone.goto(f"{app_url}/graph?step=8")
    wait_idle(phone)
    _set_input(phone, "x₁", "10", "x₁ = 10")
    _set_input(phone, "w₁", "1.4", "e−06")
    assert phone.evaluate(DIAGRAM) == []
    assert phone.evaluate(OVERFLOW) == []
    _set_input(phone, "w₁", "-0.7", "0.000")  # z = −7.4: a ≈ 0.0006 (seven characters), L ≈ 7.4
    assert phone.evaluate(DIAGRAM) == []
    phone.locator(".st-key-graph_diagram").scroll_into_view_if_needed()
    shot(phone.locator(".st-key-graph_diagram"), "phone_graph_extreme")


def test_laptop_draws_the_wide_diagram_beside_nothing_wider_than_the_screen(page, app_url):
    # 1280 × 800 with the sidebar open: the wide layout fits, and its words stay in their boxes.
    page.goto(f"{app_url}/graph?step=8")
    wait_idle(page)
    _diagram_drawn(page, "0.6444")
    assert page.locator(".st-key-graph_wide [data-testid='stPlotlyChart']").bounding_box()["width"] > 700
    assert page.evaluate(DIAGRAM) == []
    assert page.evaluate(OVERFLOW) == []
