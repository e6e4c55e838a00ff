"""The Predict page in real Chromium: upload a real photo and read P(cat); take a shot with the fake camera."""

import re

import pytest

from tests.browser.conftest import expect_metrics, shot, wait_idle

pytestmark = pytest.mark.browser


def open_predict_on_course_data(page, app_url):
    page.goto(f"{app_url}/predict")
    wait_idle(page)
    page.get_by_test_id("stSidebar").get_by_text("The course's photos").click()
    wait_idle(page)
    page.get_by_text("No model trained on the Train page yet").wait_for()


def photo_row(page, heading: str):
    """The bordered block of one photo: the innermost vertical block that holds its heading."""
    return page.get_by_test_id("stVerticalBlock").filter(has=page.get_by_role("heading", name=heading)).last


def test_upload_a_photo_and_read_p_cat(page, app_url, photos_dir):
    open_predict_on_course_data(page, app_url)
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="Photos")
    uploader.locator('input[type="file"]').set_input_files(
        [str(photos_dir / "cat_in_iran.jpg"), str(photos_dir / "my_image.jpg")]
    )
    wait_idle(page)
    page.get_by_text("cat_in_iran.jpg → cat").wait_for()
    # (waited for as a row: the browser may draw a row's metrics one by one)
    expect_metrics(page, "0.697", "0.282")
    summary = page.locator('[data-testid="stMarkdown"] table')
    assert summary.count() == 1 and summary.locator("tbody tr").count() == 2
    assert "███████░░░ 0.697" in summary.inner_text()
    assert page.locator('[data-testid="stException"]').count() == 0
    # Four charts per photo (the P bar and three maps), all drawn (Plotly has put its SVG in each); they
    # mount after the text. Three pictures per photo: the original and both preprocessings.
    charts = page.get_by_test_id("stPlotlyChart")
    charts.nth(7).locator(".main-svg").first.wait_for()
    assert charts.count() == 8 and page.get_by_test_id("stImage").count() == 6
    row = photo_row(page, "cat_in_iran.jpg → cat")
    row.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    shot(row, "predict_upload_row")
    shot(page, "predict_upload_page")


def test_camera_shot_is_classified(page, app_url):
    open_predict_on_course_data(page, app_url)
    page.get_by_text("Use the camera").click()
    wait_idle(page)
    take = page.get_by_role("button", name=re.compile("Take Photo", re.I))
    take.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)  # let the fake camera deliver frames
    take.click()
    wait_idle(page)
    heading = page.get_by_text(re.compile(r"^camera shot → (cat|non-cat)$"))
    heading.wait_for()
    expect_metrics(page, re.compile(r"^(0\.\d{3}|< 0\.001|> 0\.999)$"))
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text(re.compile(r"^JPEG, \d[\d,]* × \d[\d,]* pixels")).count() == 1
    page.get_by_test_id("stPlotlyChart").nth(3).locator(".main-svg").first.wait_for()
    row = photo_row(page, heading.inner_text())
    row.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    shot(row, "predict_camera_row")
    shot(page, "predict_camera_page")
