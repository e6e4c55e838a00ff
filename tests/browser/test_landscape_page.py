"""The Loss landscape page in a real browser: Play moves the gradient-descent paths, Pause stops them,
the slider jumps to the end of the counterexample's runs."""

import re

import pytest

from tests.browser.conftest import shot, wait_idle

pytestmark = pytest.mark.browser


def _markers(chart, subplot: str) -> list[tuple[float, float]]:
    """Pixel positions of the current-point markers of one subplot (the last scatter trace drawn there)."""
    path = chart.locator(f"g.subplot.{subplot} .scatterlayer .trace").last.locator(".points path")
    spots = []
    for k in range(path.count()):
        x, y = re.match(r"translate\(([-\d.e]+),\s*([-\d.e]+)\)", path.nth(k).get_attribute("transform")).groups()
        spots.append((float(x), float(y)))
    return spots


def _iteration(chart) -> str:
    return chart.locator(".slider-label", has_text="iteration").first.text_content()


def _wait_for(page, condition, timeout_ms: int = 30_000) -> None:
    for _ in range(timeout_ms // 250):
        if condition():
            return
        page.wait_for_timeout(250)
    raise AssertionError("the animation did not get there in time")


def _shot(chart, name: str) -> None:
    """Screenshot the chart centred in the window: at the top, Streamlit's header would cover its titles."""
    chart.evaluate("e => e.scrollIntoView({block: 'center'})")
    shot(chart, name)


def _distance(a, b) -> float:
    return ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5


def test_play_moves_cross_entropy_while_squared_error_stalls_then_the_counterexample(page, app_url):
    page.goto(f"{app_url}/landscape")
    wait_idle(page)
    chart = page.get_by_test_id("stPlotlyChart").first
    play = chart.locator("g.updatemenu-button", has_text="Play")
    play.wait_for()
    assert _iteration(chart) == "iteration 0"
    mse0, ce0 = _markers(chart, "xy")[0], _markers(chart, "x2y2")[0]

    play.click()
    _wait_for(page, lambda: _distance(_markers(chart, "x2y2")[0], ce0) > 40)
    chart.locator("g.updatemenu-button", has_text="Pause").click()
    page.wait_for_timeout(300)
    paused, label = _markers(chart, "x2y2")[0], _iteration(chart)
    page.wait_for_timeout(1000)
    assert _markers(chart, "x2y2")[0] == paused and _iteration(chart) == label != "iteration 0"
    # The cost maps are still drawn under the moving paths.
    assert chart.locator("svg image").count() == 2
    # Same start, same steps: squared error has hardly moved off its plateau.
    assert _distance(_markers(chart, "xy")[0], mse0) < 10
    assert page.locator('[data-testid="stException"]').count() == 0
    _shot(chart, "landscape_exact_paused")

    page.get_by_text("3 · The counterexample").click()
    wait_idle(page)
    # The address bar follows the view: a link copied now opens the counterexample.
    _wait_for(page, lambda: page.url.endswith("/landscape?view=counter"))
    chart = page.get_by_test_id("stPlotlyChart").first
    # The slider jumps straight to the last frame: where every start ended.
    rail = chart.locator(".slider-rail-touch-rect")
    rail.wait_for(state="visible")  # the figure is drawn after the run ends
    rail.scroll_into_view_if_needed()
    box = rail.bounding_box()
    rail.click(position={"x": box["width"] - 2, "y": box["height"] / 2})
    _wait_for(page, lambda: _iteration(chart) == "iteration 60")
    page.wait_for_timeout(300)
    mse, ce = _markers(chart, "xy"), _markers(chart, "x2y2")
    assert len(mse) == len(ce) == 3
    # Three starts: three different squared-error minima, one cross-entropy minimum.
    assert min(_distance(mse[i], mse[j]) for i, j in ((0, 1), (0, 2), (1, 2))) > 30
    assert max(_distance(ce[i], ce[j]) for i, j in ((0, 1), (0, 2), (1, 2))) < 2
    _shot(chart, "landscape_counterexample_end")


def test_maps_first_and_the_3d_surfaces_on_demand(page, app_url):
    """A first visit draws the two cost maps only (no WebGL); the toggle brings both 3-D surfaces."""
    page.goto(f"{app_url}/landscape")
    wait_idle(page)
    charts = page.get_by_test_id("stPlotlyChart")
    charts.first.locator("svg image").nth(1).wait_for(state="attached")
    assert charts.count() == 1 and page.locator(".gl-container canvas").count() == 0
    toggle = page.get_by_text("Show as 3-D surfaces", exact=True)
    toggle.scroll_into_view_if_needed()
    toggle.click()
    wait_idle(page)
    _wait_for(page, lambda: charts.count() == 3 and page.locator(".gl-container canvas").count() >= 2, 60_000)
    assert page.locator('[data-testid="stException"]').count() == 0
    surface = charts.nth(1)
    surface.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(500)
    shot(page, "landscape_3d_surfaces")
