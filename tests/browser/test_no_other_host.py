"""Nothing leaves the school: every request a visitor's browser makes goes to the server.

Visits every page (in English and in Korean), with a photo classified on Predict (its formula and
charts), and records every request and websocket the pages open; any host but the server's fails.
A page icon given as a Material icon name made every page fetch it from fonts.gstatic.com.
"""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest

from tests.browser.conftest import shot, wait_idle

pytestmark = pytest.mark.browser

PAGES = ("", "train", "landscape", "graph", "speed", "predict")
# Requests that never reach a network: the page's own inline data and the browser's internals.
LOCAL_SCHEMES = ("data", "blob", "about", "chrome", "chrome-extension")


def _foreign(urls: list[str], server: str) -> list[str]:
    """The URLs among ``urls`` whose host is not ``server``'s (host and port)."""
    own = urlsplit(server).netloc
    return sorted({u for u in urls if urlsplit(u).scheme not in LOCAL_SCHEMES and urlsplit(u).netloc != own})


def test_foreign_hosts_are_found():
    # The check itself: the server's own requests pass, another host or port is reported.
    server = "http://127.0.0.1:8501"
    urls = [f"{server}/train", f"{server}/media/abc.png", "data:image/png;base64,AA==",
            "https://fonts.gstatic.com/s/materialsymbols.woff2", "http://127.0.0.1:9999/x"]
    assert _foreign(urls, server) == ["http://127.0.0.1:9999/x", "https://fonts.gstatic.com/s/materialsymbols.woff2"]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_page_asks_only_the_server(page, app_url, photos_dir, lang):
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url))
    page.on("websocket", lambda ws: urls.append(ws.url.replace("ws://", "http://", 1)))
    for name in PAGES:
        page.goto(f"{app_url}/{name}?lang={lang}")
        wait_idle(page)
        page.wait_for_timeout(1500)  # what a page fetches after its run: fonts, icons, chart bundles
        assert page.locator('[data-testid="stException"]').count() == 0, name
    # Predict with a photo: its formula (KaTeX and its fonts) and its charts.
    page.goto(f"{app_url}/predict?data=course&lang={lang}")
    wait_idle(page)
    uploader = page.get_by_test_id("stFileUploader").first.locator('input[type="file"]')
    uploader.set_input_files([str(photos_dir / "cat_in_iran.jpg")])
    wait_idle(page)
    page.get_by_test_id("stPlotlyChart").nth(2).locator(".main-svg").first.wait_for()
    page.wait_for_timeout(1500)
    shot(page, f"no_other_host_predict_{lang}")
    # The page icon is the project's, served by the server itself.
    icon = page.locator('link[rel~="icon"]').first.get_attribute("href") or ""
    assert icon and _foreign([urljoin(page.url, icon)], app_url) == [], icon
    assert len(urls) > 20, urls  # the pages really were fetched and recorded
    assert _foreign(urls, app_url) == []
