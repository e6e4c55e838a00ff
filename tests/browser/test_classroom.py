"""A lesson in Chromium: a teacher opens a class on a 1920 × 1080 projector in presenter mode; three
students on phones join through the join link, answer the Train page's first checkpoint (two right,
one wrong), one of them sends a run; the teacher's live view counts them without a reload, reveals the
answer, shows the run on the scatter; the teacher's private link works on a phone; the class ends.

The app server is the session's (tests/browser/conftest.py), on the default class database: the class
is fresh (a new code) and ended at the end, which deletes what it holds."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, shot, wait_idle

pytestmark = pytest.mark.browser

CARD = ".st-key-class_cp_train_first_cost"
NICKNAME = "<b>Ada</b>"


def _no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways on a phone: {width} px"


def _phone(browser):
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.set_default_timeout(60_000)
    return ctx, page


def _go(page, name):
    """To another page of the app through the sidebar (a new URL would start a new session)."""
    page.get_by_test_id("stExpandSidebarButton").click()
    page.get_by_test_id("stSidebarNavLink").filter(has_text=name).click()
    wait_idle(page)
    close = page.get_by_test_id("stSidebarCollapseButton")
    if close.is_visible():  # (on a phone the sidebar stays over the page)
        close.click()


def _answer(page, value, check="Check"):
    box = page.locator(".st-key-checkpoint_train_box")
    field = box.locator("input").first
    field.fill(value)
    field.press("Enter")
    wait_idle(page)
    box.get_by_role("button", name=check).click()
    wait_idle(page)
    return box


def test_a_lesson_on_a_projector_with_three_phones(browser, projector, app_url):
    teacher = projector
    teacher.goto(f"{app_url}/classroom?present=1")
    wait_idle(teacher)
    teacher.get_by_role("button", name="Open a class").click()
    wait_idle(teacher)
    big = teacher.locator(".class-code")
    code = big.inner_text().strip()
    assert re.fullmatch(r"[AFHJKLMNQRSUWXY]{5}", code)
    assert big.bounding_box()["height"] >= 120  # readable from the back of a room
    join_link = teacher.get_by_test_id("stCode").first.inner_text().strip()
    assert join_link == f"{app_url}/classroom?class={code}"
    qr_image = teacher.get_by_role("img", name="Scan to join").or_(teacher.locator('img[src^="data:image/svg+xml"]'))
    assert qr_image.first.bounding_box()["width"] >= 300
    assert "key=" not in teacher.locator("body").inner_text()  # the private link stays folded away
    expect(teacher.get_by_test_id("stMetricValue")).to_have_text(["0", "0", "0"])
    shot(teacher, "class_1_projector_join")

    students = []
    try:
        for k, value in enumerate(("0.693", "0.693", "0.5")):
            ctx, phone = _phone(browser)
            students.append(ctx)
            phone.goto(join_link)
            wait_idle(phone)
            if k == 0:  # Ada: a nickname with markup, set on the Class page, then her run
                _go(phone, "Class")
                expect(phone.get_by_text(f"You are in class {code}, without a nickname.")).to_be_visible()
                phone.get_by_role("textbox", name="Your nickname").fill(NICKNAME)
                phone.get_by_role("button", name="Change the nickname").click()
                wait_idle(phone)
                expect(phone.get_by_text(f"You are in class {code} as {NICKNAME}.")).to_be_visible()
                _no_sideways_scroll(phone)
                shot(phone, "class_2_phone_joined")
            _go(phone, "Train")
            box = _answer(phone, value)
            expect(box).to_contain_text("Right: 0.693" if value == "0.693" else "Not quite")
            if k == 0:
                phone.get_by_role("button", name="Send my run to the class").click()
                wait_idle(phone)
                expect(phone.get_by_text("Sent: your run is on the class's chart")).to_be_visible()
                shot(phone, "class_3_phone_sent")

        # The live view catches up by itself (a fragment every 2 s): no reload.
        expect(teacher.get_by_test_id("stMetricValue")).to_have_text(["3", "3", "1"])
        card = teacher.locator(CARD)
        expect(card).to_contain_text("3 of 3 answered")
        ticks = card.locator(".xtick text")
        expect(ticks).to_have_text(["0.5", "0.693"])  # the answer hidden: no ✓, no verdict
        expect(card.locator(".bars text")).to_have_text(["1", "2", "1", "2"])  # first tries, then final answers
        expect(card).not_to_contain_text("Right:")
        card.scroll_into_view_if_needed()
        shot(teacher, "class_4_projector_answers")

        card.get_by_role("button", name="Reveal the answer").click()
        expect(card).to_contain_text("Right: 0.693")
        expect(ticks).to_have_text(["0.5", "✓ 0.693"])
        expect(card).to_contain_text("right at the first try: 2, at the end: 2")
        shot(card, "class_5_projector_revealed")

        runs = teacher.locator(".st-key-class_runs")
        runs.scroll_into_view_if_needed()
        points = runs.locator(".scatterlayer .point")
        expect(points).to_have_count(1)
        expect(runs.locator(".xtitle")).to_contain_text("learning rate α (log scale)")
        points.first.hover(force=True)
        hover = runs.locator(".hoverlayer")
        expect(hover).to_contain_text(NICKNAME)  # markup shown as text, not drawn
        expect(hover).to_contain_text("α = 0.005, 2,000 iterations")
        shot(teacher, "class_6_projector_runs")

        # The private link, unfolded on the laptop, opens the teacher's view on a phone as well.
        teacher.get_by_text("Your teacher link: keep it private").click()
        teacher_link = teacher.get_by_test_id("stCode").nth(1).inner_text().strip()
        assert teacher_link.startswith(f"{app_url}/classroom?class={code}&key=")
        ctx, phone = _phone(browser)
        students.append(ctx)
        phone.goto(teacher_link)
        wait_idle(phone)
        expect(phone.locator(".class-code")).to_have_text(code)
        expect(phone.get_by_test_id("stMetricValue").first).to_have_text("3")
        assert "key=" not in phone.url  # the key leaves the address bar
        _no_sideways_scroll(phone)
        shot(phone, "class_7_phone_teacher")
    finally:
        for ctx in students:
            ctx.close()
        # End the class: its answers, runs and students are deleted (the default database is shared).
        teacher.get_by_role("button", name="End the class").click()
        wait_idle(teacher)
        teacher.get_by_role("button", name="Yes, end it and delete its data").click()
        wait_idle(teacher)
    expect(teacher.get_by_text(f"Class {code} has ended: its data is deleted.")).to_be_visible()
    assert teacher.locator('[data-testid="stException"]').count() == 0


def test_a_lesson_in_korean_on_a_projector_and_a_phone(browser, projector, app_url):
    """The same lesson, shorter, in Korean: the projector's live view and a student's phone."""
    teacher = projector
    teacher.goto(f"{app_url}/classroom?present=1&lang=ko")
    wait_idle(teacher)
    teacher.get_by_role("button", name="수업 열기").click()
    wait_idle(teacher)
    code = teacher.locator(".class-code").inner_text().strip()
    join_link = teacher.get_by_test_id("stCode").first.inner_text().strip()
    expect(teacher.get_by_text("수업 참여 방법:")).to_be_visible()
    ctx, phone = _phone(browser)
    try:
        phone.goto(f"{join_link}&lang=ko")
        wait_idle(phone)
        _go(phone, "학습")
        box = _answer(phone, "0.693", check="확인")
        expect(box).to_contain_text("정답: 0.693")
        phone.get_by_role("button", name="내 실행을 수업에 보내기").click()
        wait_idle(phone)
        expect(phone.get_by_text("보냈습니다. 내 실행이 수업 차트에 올라갔습니다")).to_be_visible()
        _no_sideways_scroll(phone)
        shot(phone, "class_ko_phone_sent")

        expect(teacher.get_by_test_id("stMetricValue")).to_have_text(["1", "1", "1"])
        card = teacher.locator(CARD)
        expect(card).to_contain_text("1명 중 1명 답함")
        expect(card).not_to_contain_text("정답:")
        card.get_by_role("button", name="답 공개").click()
        expect(card).to_contain_text("정답: 0.693")
        expect(card).to_contain_text("첫 시도에 맞힘: 1명, 최종적으로 맞힘: 1명")
        runs = teacher.locator(".st-key-class_runs")
        runs.scroll_into_view_if_needed()
        expect(runs.locator(".scatterlayer .point")).to_have_count(1)
        expect(runs.locator(".xtitle")).to_contain_text("학습률")
        shot(teacher, "class_ko_projector_runs")
    finally:
        ctx.close()
        teacher.get_by_role("button", name="수업 끝내기").click()
        wait_idle(teacher)
        teacher.get_by_role("button", name="네, 끝내고 데이터를 삭제합니다").click()
        wait_idle(teacher)
    expect(teacher.get_by_text(f"수업 {code}이(가) 끝났습니다. 데이터는 삭제되었습니다.")).to_be_visible()
    assert teacher.locator('[data-testid="stException"]').count() == 0
