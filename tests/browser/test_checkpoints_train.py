"""A student meets a checkpoint on the Train page in Chromium: predicts, is wrong, tries again, is
right, and "Show me" runs the example on the page's own chart; a teacher reveals one on a projector."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import shot, wait_idle

pytestmark = pytest.mark.browser


def _box(page):
    return page.locator(".st-key-checkpoint_train_box")


def test_a_student_predicts_then_runs_on_the_train_page(page, app_url):
    page.goto(f"{app_url}/train?data=course&checkpoint=train.blow_up")
    wait_idle(page)
    box = _box(page)
    expect(box).to_contain_text("set α = 0.05")
    shot(page, "checkpoint_train_1_asked")

    box.get_by_text("It falls smoothly").click()
    box.get_by_role("button", name="Check").click()
    wait_idle(page)
    expect(box).to_contain_text("Not quite")
    shot(box, "checkpoint_train_2_try_again")

    box.get_by_text("It blows up").click()
    box.get_by_role("button", name="Check").click()
    wait_idle(page)
    expect(box).to_contain_text("Right: It blows up")
    expect(box).to_contain_text("Each step moves w by α times the gradient")
    shot(page, "checkpoint_train_3_right")
    assert page.get_by_role("radio", name="It falls smoothly").is_disabled()  # answered: the field closed

    slider = page.get_by_role("slider", name="Learning rate")
    assert slider.get_attribute("aria-valuetext") == "0.005"
    box.get_by_role("button", name="Show me").click()
    wait_idle(page)
    expect(slider).to_have_attribute("aria-valuetext", "0.05")
    expect(page.get_by_text("The steps overshot.")).to_be_visible()  # the page's own message, at 0.05
    assert "lr=0.05" in page.url
    expect(page.get_by_test_id("stSidebar")).to_contain_text("1 of")
    shot(page, "checkpoint_train_4_shown")
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_checkpoint_fits_a_phone(phone, app_url):
    phone.goto(f"{app_url}/train?data=course")
    wait_idle(phone)
    box = _box(phone)
    expect(box).to_contain_text("w = 0 and b = 0")
    expect(box.get_by_role("button", name="Check")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone: {width} px"
    shot(phone, "checkpoint_train_phone")


def test_a_teacher_reveals_on_the_projector(projector, app_url):
    projector.goto(f"{app_url}/train?data=course&present=1&checkpoint=train.blow_up&lang=ko")
    wait_idle(projector)
    box = _box(projector)
    expect(box.locator("h3")).to_contain_text("α = 0.05")
    expect(box).not_to_contain_text("답:")
    shot(projector, "checkpoint_train_projector_asked")
    box.get_by_role("button", name="답 공개").click()
    wait_idle(projector)
    expect(box).to_contain_text("답: C · 폭발한다")
    shot(projector, "checkpoint_train_projector_revealed")
