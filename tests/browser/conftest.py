"""The real app in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.app_server import serve_app
from tests.conftest import COURSE_DIR, ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
]
ARTIFACTS = ROOT / "test-artifacts"
# Playwright's expect() waits this long (not 5 s) for what a busy two-core machine draws late: a row
# of metrics, a chart's text after a step.
expect.set_options(timeout=30_000)
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


@pytest.fixture(scope="session")
def app_url():
    """The real app on a free port, the course's pair offered through $PLAYGROUND_DATA, its class
    database in a folder of its own (removed afterwards)."""
    try:
        with tempfile.TemporaryDirectory(prefix="browser-class-db-") as state_dir, \
                serve_app(ARTIFACTS / "server.log",
                          env={"PLAYGROUND_DATA": str(COURSE_DIR), "PLAYGROUND_STATE_DIR": state_dir}) as (url, _):
            yield url
    except RuntimeError as err:
        pytest.fail(str(err))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (tests/install-and-run.sh does).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


PHONE = {"width": 390, "height": 844}
"""A phone's viewport, in CSS pixels (students open class links on phones)."""


@pytest.fixture
def phone(browser):
    """A page in a touch phone's context (390 × 844); ``page.cdp`` sends it raw touch events."""
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)
    pg.cdp = ctx.new_cdp_session(pg)
    yield pg
    ctx.close()


@pytest.fixture
def projector(browser):
    """A page at a projector's 1920 × 1080."""
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080})
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    ctx.close()


@pytest.fixture
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800}, permissions=["camera"])
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)
    yield pg
    ctx.close()


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until the script run has finished (Streamlit marks the app notRunning)."""
    page.wait_for_timeout(300)
    page.locator(IDLE).wait_for(timeout=timeout)


def shot(page_or_locator, name: str) -> Path:
    """Save a screenshot under test-artifacts/ (for looking at; not committed)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page_or_locator.screenshot(path=str(path))
    return path


def expect_metrics(page, *texts) -> None:
    """The page's metric values read ``texts`` (strings or patterns), all at once, waited for: after a
    run the browser may draw a row one metric at a time (under load, the first was seen arriving a
    second after the other three, while its code loaded)."""
    expect(page.get_by_test_id("stMetricValue")).to_have_text(list(texts))
