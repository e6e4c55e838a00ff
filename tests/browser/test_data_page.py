"""The app starts in a real browser and the Data page shows its gallery with no error."""

import pytest

from tests.browser.conftest import shot, wait_idle

pytestmark = pytest.mark.browser


def test_data_page_shows_gallery(page, app_url):
    page.goto(app_url)
    wait_idle(page)
    page.get_by_text("A picture is a vector").first.wait_for()
    images = page.locator('[data-testid="stImage"] img')
    images.nth(23).wait_for()  # 24 pictures by default; they arrive just after the run ends
    assert images.count() == 24
    assert page.locator('[data-testid="stException"]').count() == 0
    page.get_by_test_id("stPlotlyChart").nth(1).wait_for()  # (the first chart's code loads on demand)
    assert page.get_by_test_id("stPlotlyChart").count() >= 2
    shot(page, "data_page")
