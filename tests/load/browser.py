"""A few real visitors in headless Chromium (async Playwright), the same path as the protocol visitors.

The load itself is driven through the websocket protocol (tests.load.protocol): 30 Chromium pages
on two cores measure Chromium, not the server (see SERVING.md). These browser visitors check that
what the protocol visitors saw is what a browser shows, take the screenshots, and measure a rerun
as a person feels it: from the key press to Streamlit's idle marker, in the page's own clock.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from pathlib import Path

from playground.ui.pages import train_params as tp
from tests.load.plan import NAME, Visitor
from tests.load.protocol import SESSION_NOTE, VisitorResult
from tests.load.wsclient import COPY_HEADER

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
STEP_MS = 120_000

# Armed before an action with ``shown``, a JS expression true once the action's result is on the
# page; window.__rerun resolves with the ms from the first input event after arming (key, pointer,
# file chosen) to the moment the script state leaves "running". Every attribute change is its own
# mutation record, but a starved browser may take in a whole short run at once, and React then
# never renders "running" (seen with the CPU throttled 20×): polling for ``shown`` while idle
# catches that run too.
ARM = """shown => {
  const app = document.querySelector('[data-testid="stApp"]');
  const isShown = new Function('return (' + shown + ');');
  let t0 = null;
  const mark = () => { if (t0 === null) t0 = performance.now(); };
  for (const type of ['keydown', 'pointerdown', 'change', 'input']) {
    document.addEventListener(type, mark, {capture: true, once: true});
  }
  window.__rerun = new Promise((resolve, reject) => {
    const end = ms => { obs.disconnect(); clearInterval(poll); clearTimeout(timer); resolve(ms); };
    const obs = new MutationObserver(records => {
      for (const r of records) {
        if (r.oldValue === 'running' && t0 !== null) { end(performance.now() - t0); return; }
      }
    });
    let idleAndShown = 0;  // polls in a row: the address changes mid-run, maybe before "running" is drawn
    const poll = setInterval(() => {
      const done = t0 !== null && app.getAttribute('data-test-script-state') === 'notRunning' && isShown();
      idleAndShown = done ? idleAndShown + 1 : 0;
      if (idleAndShown === 2) end(performance.now() - t0);
    }, 50);
    const timer = setTimeout(() => {
      obs.disconnect(); clearInterval(poll);
      reject(new Error(`no finished rerun (input seen: ${t0 !== null}, script state ${
        app.getAttribute('data-test-script-state')}, address ${location.search})`));
    }, %d);
    obs.observe(app, {attributes: true, attributeFilter: ['data-test-script-state'], attributeOldValue: true});
  });
}""" % STEP_MS


def _metric(page, label: str):
    return page.get_by_test_id("stMetric").filter(has_text=label).get_by_test_id("stMetricValue")


async def _settled(read, expected, page, settle_ms: int = 15_000):
    """What ``read()`` shows, waiting up to ``settle_ms`` for ``expected`` (after the idle marker the
    page may still be swapping the new elements in); then whatever it shows."""
    deadline = time.perf_counter() + settle_ms / 1000
    while True:
        shown = await read()
        if shown == expected or time.perf_counter() > deadline:
            return shown
        await page.wait_for_timeout(100)


async def _accuracies(page):
    return ((await _metric(page, "Train accuracy").inner_text()).strip(),
            (await _metric(page, "Test accuracy").inner_text()).strip())


async def _idle(page) -> None:
    await page.locator(IDLE).wait_for(timeout=STEP_MS)


async def _exceptions(page, r: VisitorResult, where: str) -> None:
    n = await page.locator('[data-testid="stException"]').count()
    if n:
        r.errors.append(f"{where}: {n} exception box(es) on the page")


async def visit(browser, base_url: str, v: Visitor, shots: Path | None) -> VisitorResult:
    from playwright.async_api import Error as PlaywrightError

    r = VisitorResult(v.index)
    ctx = await browser.new_context(viewport={"width": 1280, "height": 1000})
    copies: set[str] = set()  # every copy that answered this browser (HAProxy names it in each response)
    ctx.on("response", lambda response: copies.add(response.headers.get(COPY_HEADER.lower(), "")))
    try:
        page = await ctx.new_page()
        page.set_default_timeout(STEP_MS)
        t0 = time.perf_counter()
        await page.goto(f"{base_url}/train?{v.url_query}")
        slider = page.get_by_role("slider", name="Learning rate")
        await slider.and_(page.locator(f'[aria-valuetext="{v.start_lr_text}"]')).wait_for()
        await _idle(page)
        expected = (v.start_train_acc, v.start_test_acc)
        r.shown["train_start"] = await _settled(lambda: _accuracies(page), expected, page)
        r.open_s = time.perf_counter() - t0
        if r.shown["train_start"] != expected:
            r.errors.append(f"Train on opening shows {r.shown['train_start']}; its own model gives {expected}")
        for rate in v.rates:
            await slider.focus()
            await page.evaluate(ARM, f"location.search.includes('lr={tp.format_rate(rate)}&')")
            await slider.press("ArrowRight")
            r.rerun_s.append(await page.evaluate("window.__rerun") / 1000)
            await _idle(page)
            if await slider.get_attribute("aria-valuetext") != tp.format_rate(rate):
                r.errors.append(f"the slider did not move to {tp.format_rate(rate)}")
        expected = (v.final_train_acc, v.final_test_acc)
        r.shown["train_final"] = await _settled(lambda: _accuracies(page), expected, page)
        if r.shown["train_final"] != expected:
            r.errors.append(f"Train after the moves shows {r.shown['train_final']}; its own model gives {expected}")
        if f"lr={v.final_lr_text}&iters={v.iterations}" not in page.url:
            r.errors.append(f"the address bar does not hold this visitor's settings: {page.url}")
        await _exceptions(page, r, "Train")
        if shots:
            await page.get_by_test_id("stPlotlyChart").first.locator(".main-svg").first.wait_for()
            await page.locator("div.weights img").first.wait_for()
            await page.screenshot(path=str(shots / f"load_browser{v.index:02d}_train.png"))

        t0 = time.perf_counter()
        await page.get_by_test_id("stSidebarNavLink").filter(has_text="Predict").click()
        note = page.get_by_text(SESSION_NOTE)
        await note.wait_for()
        await _idle(page)
        r.switch_s = time.perf_counter() - t0
        note_text = await note.inner_text()
        r.shown["model_note"] = note_text
        if f"learning_rate = {v.final_lr}, num_iterations = {v.iterations}," not in note_text:
            r.errors.append(f"Predict does not use this visitor's model: {note_text!r}")
        uploader = page.get_by_test_id("stFileUploader").filter(has_text="Photos").locator('input[type="file"]')
        heading = json.dumps(v.photo_name + " → ")
        await page.evaluate(ARM, f"[...document.querySelectorAll('h1,h2,h3,h4')].some(h => h.textContent.startsWith({heading}))")
        await uploader.set_input_files(files=[{"name": v.photo_name, "mimeType": "image/jpeg", "buffer": v.photo}])
        r.upload_s = await page.evaluate("window.__rerun") / 1000
        await page.get_by_role("heading", name=re.compile("^" + re.escape(v.photo_name) + " → ")).wait_for()
        await _idle(page)
        p_metric = page.get_by_test_id("stMetric").filter(has_text="P(cat)").get_by_test_id("stMetricValue")
        r.shown["p_cat"] = await _settled(lambda: p_metric.inner_text(), v.p_cat, page)
        if r.shown["p_cat"] != v.p_cat:
            r.errors.append(f"Predict shows P(cat) {r.shown['p_cat']}; its own model on its photo gives {v.p_cat}")
        line = await page.get_by_text("The model's own wᵀx̃ + b:").inner_text()
        m = re.search(r"The model's own wᵀx̃ \+ b: ([+\-−]?\d+\.\d+)", line)
        z = float(m.group(1).replace("−", "-")) if m else float("nan")
        r.shown["z"] = z
        if not abs(z - v.z) < 1e-4:
            r.errors.append(f"Predict shows z = {z}; its own model on its photo gives {v.z:.6f}")
        text = await page.locator('[data-testid="stApp"]').inner_text()
        foreign = sorted({m.group(0) for m in NAME.finditer(text) if int(m.group(1)) != v.index})
        if foreign:
            r.errors.append(f"the page shows other visitors' files: {foreign}")
        await _exceptions(page, r, "Predict")
        if shots:
            await page.get_by_test_id("stPlotlyChart").nth(1).locator(".main-svg").first.wait_for()
            await page.screenshot(path=str(shots / f"load_browser{v.index:02d}_predict.png"))
    except (PlaywrightError, asyncio.TimeoutError) as err:
        r.errors.append(f"{type(err).__name__}: {str(err).splitlines()[0]}")
    finally:
        await ctx.close()
    copies.discard("")
    r.copy = ",".join(sorted(copies)) or None
    if len(copies) > 1:
        r.errors.append(f"this browser was served by more than one copy: {sorted(copies)}")
    return r


async def run_browsers(url_for, visitors: list[Visitor], shots: Path | None = None) -> list[VisitorResult]:
    """``visitors`` at once, each in its own context of one headless Chromium; the k-th goes to
    ``url_for(k)`` (or to ``url_for`` if it is a URL)."""
    if isinstance(url_for, str):
        url, url_for = url_for, lambda k: url
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            return list(await asyncio.gather(*(visit(browser, url_for(k), v, shots) for k, v in enumerate(visitors))))
        finally:
            await browser.close()
