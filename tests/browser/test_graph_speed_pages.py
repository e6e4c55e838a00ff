"""The Computational graph and Loops vs vectors pages in headless Chromium: what only a browser shows."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, wait_idle

pytestmark = pytest.mark.browser


def _chart_text(chart) -> str:
    return chart.locator("svg").all_text_contents()


def _wait_charts(page, timeout=60_000):
    """Wait until every Plotly chart on the page has drawn its SVG."""
    page.wait_for_function(
        """() => {
            const charts = document.querySelectorAll('[data-testid="stPlotlyChart"]');
            return charts.length > 0 && [...charts].every(c => c.querySelector('.main-svg'));
        }""",
        timeout=timeout,
    )


def test_graph_steps_and_gradient_check_in_the_browser(page, app_url):
    page.goto(f"{app_url}/graph?step=8")
    wait_idle(page)
    _wait_charts(page)
    # The graph is the page's first chart, but on a busy machine the charts below it can be
    # drawn first: wait for the loss value to appear rather than reading the first one at once.
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"] svg')]
                 .some(svg => svg.textContent.includes('L = 0.6444'))""",
        timeout=60_000,
    )
    graph = page.locator(".st-key-graph_wide").get_by_test_id("stPlotlyChart")
    assert "0.6444" in " ".join(_chart_text(graph))
    shot(graph, "graph_all_revealed")

    page.get_by_role("button", name="⏮ Reset").click()
    wait_idle(page)
    for _ in range(2):
        page.get_by_role("button", name="Next ▶").click()
        wait_idle(page)
    page.get_by_text("Step 2 of 8 — forward").wait_for()
    # (waited for: the chart may be redrawn after the step's caption)
    expect(graph).to_contain_text("0.525")
    expect(graph).not_to_contain_text("0.6444")
    expect(graph).not_to_contain_text("dz =")
    # At 1280 × 800 the buttons and the whole diagram are in view together: no scrolling per step.
    buttons = page.get_by_role("button", name="Next ▶").bounding_box()
    page.get_by_role("button", name="Next ▶").scroll_into_view_if_needed()
    top = page.get_by_role("button", name="Next ▶").bounding_box()["y"]
    box = graph.bounding_box()
    assert box["y"] + box["height"] - top < 800 - 60, (buttons, box)
    shot(page, "graph_step_2")

    for _ in range(2):
        page.get_by_role("button", name="Next ▶").click()
        wait_idle(page)
    page.get_by_text("Step 4 of 8 — backward").wait_for()
    expect(graph).to_contain_text("da = −1.905")
    shot(graph, "graph_step_4_backward")
    page.get_by_role("button", name="◀ Previous").click()
    wait_idle(page)
    page.get_by_text("Step 3 of 8 — forward").wait_for()
    expect(graph).not_to_contain_text("da = −1.905")

    page.get_by_text("Gradient checking: is the backward pass right?").scroll_into_view_if_needed()
    _wait_charts(page)
    assert page.get_by_text("agrees with the definition of the derivative").count() == 1
    # Found by its words once drawn: charts mount lazily, and _wait_charts sees only those mounted.
    curve = page.get_by_test_id("stPlotlyChart").filter(has_text="rounding error")
    curve.locator(".main-svg").first.wait_for()
    curve.scroll_into_view_if_needed()
    assert "rounding error" in " ".join(_chart_text(curve))
    shot(curve, "graph_error_vs_epsilon")
    # The check's table is Markdown and the notation st.text: no data grid, no code block (their
    # bundles cost a first visit about half a second).
    table = page.locator("table").filter(has_text="backward pass g")
    table.wait_for()
    assert table.count() == 1 and table.locator("tbody tr").count() == 21
    assert page.get_by_test_id("stDataFrame").count() == 0 and page.get_by_test_id("stCode").count() == 0
    shot(table, "graph_check_table")
    assert page.locator('[data-testid="stException"]').count() == 0


def test_speed_race_in_the_browser(page, app_url):
    page.goto(f"{app_url}/speed")
    wait_idle(page)
    assert page.get_by_role("slider", name="m: training examples").get_attribute("aria-valuetext") == "200"
    page.get_by_role("button", name="Race!").click()
    wait_idle(page, timeout=120_000)
    page.get_by_text("They agree").wait_for()
    _wait_charts(page)
    bars = page.get_by_test_id("stPlotlyChart").first
    text = " ".join(_chart_text(bars))
    assert "Vectorized NumPy" in text and "× faster" in text
    shot(bars, "speed_race_bars")
    shot(page, "speed_after_race")
    assert page.locator('[data-testid="stException"]').count() == 0
