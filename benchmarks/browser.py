"""Browser benchmark: the real app in headless Chromium (software WebGL). Prints figures, asserts nothing.

    .venv/bin/python -m benchmarks.browser [--course PATH] [--pages data,train] [--sessions 10]
                                           [--shots /tmp/bench-browser] [--quick]

- Per page, the time from navigation until the app is idle with every chart drawn: in a new tab
  (a new session, the Streamlit bundle loaded again) on the built-in data, twice — the first
  visit after the server started (its caches cold) and a second one; then on the course's photos,
  through the sidebar's page links within one session. "Drawn": the page's title is the expected
  one, Streamlit reports the script ``notRunning``, and every Plotly chart the page sends (counted
  with AppTest) has its SVG — and its WebGL canvas for 3D scenes. The time is the page's own
  ``performance.now()``, from the navigation (or the link's click) to that moment.
- Frames per second of each animation while it plays: Play is pressed and Plotly's
  ``plotly_animatingframe`` events are counted, with the browser's painted frames
  (requestAnimationFrame) beside them.
- The size of each page's largest figure JSON, read server-side with AppTest.
- Felt latency of the learning-rate slider (``--latency``, on the course's photos): from a key
  press on the focused slider (the page's own ``keydown`` time) until the app is idle again and
  the browser has painted twice after it: 8 moves, alternately right and left.
- Server memory: VmRSS of a fresh server's process (/proc/<pid>/status) at rest, after one
  session that trained a model on the Train page, and after ten such sessions (ten browser
  contexts kept open, each training with its own learning rate); the growth per session.

A screenshot of every measured moment is saved under ``--shots``, to see that a drawn page was
measured, not an error.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import expect

from benchmarks.app import COURSE_DIR, MB, PHOTO, rss_mb, serve_app
from benchmarks.pages import (
    FIGURE_BUDGET_BYTES, PAGES, collect_figures, machine_line, new_session, quiet_streamlit,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}
IDLE_BUDGET_S = 3.0
FPS_BUDGET = 5.0
RSS_ONE_BUDGET_MB = 200.0
RSS_PER_SESSION_BUDGET_MB = 15.0
TIMEOUT_MS = 120_000
PLAY_WINDOW_MS = 5_000
"""How long each animation is watched (or until it ends): long enough for 25+ frames at 5 frames/s."""
SESSION_RATES = (0.005, 0.002, 0.01, 0.001, 0.02, 0.0005, 0.05, 0.0002, 0.1, 0.0001)
"""One learning rate per memory session, so each of them really trains (a repeated setting is cached)."""
COURSE_RADIO = "The course's photos"
NAV_TITLES = {"data": "Data", "train": "Train", "landscape": "Loss landscape", "graph": "Computational graph",
              "speed": "Loops vs vectors", "predict": "Predict"}
QUICK_PAGES = ("data",)
NEW_COLD = "new browser, 1st visit"
"""A new browser context (empty HTTP cache: Streamlit's bundle and the 4.7 MB plotly.js chunk are
fetched and compiled) on a server whose caches have not seen the page yet."""
RELOAD = "reload, browser cache warm"
"""The same context reloaded: a new session, with the scripts in the browser's cache."""
NEW_WARM = "new browser, 2nd visit"
COURSE_LINK = "course data, sidebar link"
"""Within one session on the course's photos, the page opened from the sidebar (no reload)."""

# True once the page shows ``title`` as its h1, Streamlit is idle and ``charts`` Plotly charts are drawn:
# returns the page's clock then (ms since the navigation started), else false (polled every frame).
DRAWN_JS = """
({title, charts}) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const h1 = document.querySelector('[data-testid="stMain"] h1') || document.querySelector('h1');
  if (!h1 || !h1.textContent.trim().startsWith(title)) return false;
  const els = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  if (els.length < charts) return false;
  for (const el of els) {
    const gd = el.querySelector('.js-plotly-plot');
    if (!gd || !gd._fullLayout || !el.querySelector('.main-svg')) return false;
    const scenes = (gd._fullLayout._subplots || {}).gl3d || [];
    if (scenes.length && el.querySelectorAll('.gl-container canvas').length < 1) return false;
  }
  return performance.now();
}
"""

# Records every plotly_animatingframe of the chart ``gd`` and every painted frame, until stopped.
WATCH_JS = """
gd => {
  const w = window.__bench = {frames: [], paints: [], ended: null, stop: false};
  w.onFrame = () => w.frames.push(performance.now());
  w.onEnd = () => { w.ended = performance.now(); };
  gd.on('plotly_animatingframe', w.onFrame);
  gd.on('plotly_animated', w.onEnd);
  const tick = t => { w.paints.push(t); if (!w.stop) requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
}
"""

STOP_JS = """
gd => {
  const w = window.__bench;
  w.stop = true;
  gd.removeListener('plotly_animatingframe', w.onFrame);
  gd.removeListener('plotly_animated', w.onEnd);
  return {frames: w.frames, paints: w.paints, ended: w.ended};
}
"""


# ---------------------------------------------------------------------- the server


@contextlib.contextmanager
def app_server(course: Path | None, log_path: Path):
    """``streamlit run app.py`` on a free port, offering ``course``, until the block ends; yields (url, process)."""
    env = {} if course is None else {"PLAYGROUND_DATA": str(course)}
    with serve_app(log_path, env=env, timeout=90) as server:
        yield server


def settled_rss_mb(pid: int, seconds: float = 2.0) -> float:
    """VmRSS after the server has had ``seconds`` to finish its session's work (sent messages, GC)."""
    time.sleep(seconds)
    return rss_mb(pid)


# ---------------------------------------------------------------------- what AppTest says a page shows


@dataclass
class PageFacts:
    """The page's title, how many charts its first run sends, and the JSON bytes of each figure
    in the states the benchmark visits (key → bytes)."""

    title: str
    charts: int
    figures: dict[str, int] = field(default_factory=dict)
    charts_after_setup: int = 0
    """Charts once the page's setup is done (the Predict page with one photo)."""

    def largest(self) -> tuple[str, int]:
        if not self.figures:
            return "–", 0
        key = max(self.figures, key=self.figures.get)
        return key, self.figures[key]


def page_facts(name: str, data: str) -> PageFacts:
    """Run the page in AppTest, then its view switches, tabs and setup (the states the browser
    visits, animations included), collecting every figure's JSON size."""
    case = next(c for c in PAGES if c.name == name)
    at = new_session(data, name)
    at.run()
    if at.exception:
        raise RuntimeError(f"{name}: {at.exception[0].message}")
    facts = PageFacts(at.title[0].value if len(at.title) else "", len(at.get("plotly_chart")))
    collect_figures(at, facts.figures)
    if case.setup is not None:
        case.setup(at)
        at.run()
        facts.charts_after_setup = len(at.get("plotly_chart"))
        collect_figures(at, facts.figures)
    for move in case.others:
        if move.widget in ("radio", "state") and move.key in ("landscape_view", "tab"):
            move.apply(at, move.values[0])
            at.run()
            collect_figures(at, facts.figures)
    return facts


# ---------------------------------------------------------------------- the browser


def wait_drawn(page, title: str, charts: int) -> float:
    """Wait until the page is idle with its charts drawn; the page's clock then, in ms."""
    handle = page.wait_for_function(DRAWN_JS, arg={"title": title, "charts": charts}, polling="raf",
                                    timeout=TIMEOUT_MS)
    return float(handle.json_value())


def _exceptions(page) -> int:
    return page.locator('[data-testid="stException"]').count()


def shot(page, shots: Path, name: str) -> Path:
    path = shots / f"{name}.png"
    page.screenshot(path=str(path))
    return path


@dataclass
class Visit:
    """One measured navigation: seconds to idle with charts drawn, and exceptions shown on the page."""

    page: str
    how: str
    seconds: float
    exceptions: int
    screenshot: Path


def visit_new_tab(browser, url: str, name: str, facts: PageFacts, shots: Path, how: str,
                  reload_how: str | None = None) -> list[Visit]:
    """Open ``name`` in a new browser context (a new session, the browser's cache empty) and time it
    until drawn; with ``reload_how``, reload it in the same context too (cache warm, new session)."""
    ctx = browser.new_context(viewport=VIEWPORT)
    visits = []
    try:
        page = ctx.new_page()
        page.goto(f"{url}/{'' if name == 'data' else name}", wait_until="commit", timeout=TIMEOUT_MS)
        for label in (how, reload_how):
            if label is None:
                break
            if label is reload_how:
                page.reload(wait_until="commit", timeout=TIMEOUT_MS)
            ms = wait_drawn(page, facts.title, facts.charts)
            picture = shot(page, shots, f"{name}-{label.replace(' ', '_').replace(',', '')}")
            visits.append(Visit(name, label, ms / 1000, _exceptions(page), picture))
            print(f"  {name}: {label}: {ms / 1000:.2f} s (load {os.getloadavg()[0]:.2f})", flush=True)
        return visits
    finally:
        ctx.close()


def upload_photo_and_time(browser, url: str, facts: PageFacts, shots: Path) -> Visit:
    """On the Predict page in a new tab: seconds from handing the uploader a photo until its three
    charts (preprocessing, P(cat), contribution map) are drawn."""
    ctx = browser.new_context(viewport=VIEWPORT)
    try:
        page = ctx.new_page()
        page.goto(f"{url}/predict", timeout=TIMEOUT_MS)
        wait_drawn(page, facts.title, facts.charts)
        start = page.evaluate("() => performance.now()")
        uploader = page.locator('[data-testid="stMain"] [data-testid="stFileUploader"] input[type="file"]')
        uploader.first.set_input_files(PHOTO)
        done = wait_drawn(page, facts.title, facts.charts_after_setup)
        return Visit("predict", "photo uploaded", (done - start) / 1000, _exceptions(page),
                     shot(page, shots, "predict-photo-uploaded"))
    finally:
        ctx.close()


def click_and_time(page, locator, title: str, charts: int) -> float:
    """Seconds from a click on ``locator`` until the page is drawn (the click's time taken in the page)."""
    page.evaluate("() => document.addEventListener('click', () => { window.__clicked = performance.now(); },"
                  " {capture: true, once: true})")
    locator.click()
    done = wait_drawn(page, title, charts)
    return (done - page.evaluate("() => window.__clicked")) / 1000


def open_course_session(browser, url: str, data_facts: PageFacts):
    """A context on the Data page that has picked the course's photos in the sidebar; (context, page)."""
    ctx = browser.new_context(viewport=VIEWPORT)
    page = ctx.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url, timeout=TIMEOUT_MS)
    wait_drawn(page, data_facts.title, data_facts.charts)
    page.get_by_test_id("stSidebar").get_by_text(COURSE_RADIO, exact=True).click()
    page.get_by_test_id("stMain").get_by_text("The course's cat / non-cat photos").first.wait_for()  # (the dataset line)
    wait_drawn(page, data_facts.title, data_facts.charts)
    return ctx, page


def nav_link(page, name: str):
    return page.get_by_test_id("stSidebarNavLink").filter(has_text=NAV_TITLES[name]).first


@dataclass
class Animation:
    """An animation watched while it played: Plotly frames and painted frames per second."""

    what: str
    frames: int
    fps: float
    longest_gap_ms: float
    paints_per_s: float
    screenshot: Path


def watch_animation(page, chart, what: str, shots: Path) -> Animation:
    """Press the chart's Play, watch it for PLAY_WINDOW_MS (or to its end), pause it, and count."""
    gd = chart.locator(".js-plotly-plot").first
    play = chart.locator("g.updatemenu-button", has_text="Play").first
    chart.scroll_into_view_if_needed()
    play.wait_for()
    gd.evaluate(WATCH_JS)
    play.click()
    waited = 0
    while waited < PLAY_WINDOW_MS and page.evaluate("() => window.__bench.ended") is None:
        page.wait_for_timeout(250)
        waited += 250
    log = gd.evaluate(STOP_JS)
    chart.locator("g.updatemenu-button", has_text="Pause").first.dispatch_event("click")
    page.wait_for_timeout(300)
    path = shots / f"anim-{what.replace(' ', '_').replace('/', '-')}.png"
    chart.screenshot(path=str(path))
    frames, paints = log["frames"], log["paints"]
    span = frames[-1] - frames[0] if len(frames) > 1 else float("nan")
    fps = (len(frames) - 1) / span * 1000 if len(frames) > 1 and span > 0 else 0.0
    gaps = [b - a for a, b in zip(frames, frames[1:])]
    paint_span = paints[-1] - paints[0] if len(paints) > 1 else float("nan")
    return Animation(what, len(frames), fps, max(gaps) if gaps else float("nan"),
                     (len(paints) - 1) / paint_span * 1000 if len(paints) > 1 else 0.0, path)


def measure_animations(page, facts: dict[str, PageFacts], shots: Path) -> list[Animation]:
    """Every Plotly animation of the app, on the course's photos (the page is in a course session)."""
    out = []
    train = facts["train"]
    click_and_time(page, nav_link(page, "train"), train.title, train.charts)
    page.get_by_role("tab", name="Replay").click()
    page.locator('[data-testid="stPlotlyChart"] g.updatemenu-button').first.wait_for(timeout=TIMEOUT_MS)
    wait_drawn(page, train.title, train.charts)
    out.append(watch_animation(page, page.get_by_test_id("stPlotlyChart").last, "train: replay", shots))

    land = facts["landscape"]
    click_and_time(page, nav_link(page, "landscape"), land.title, land.charts)
    views = (("exact", None, "landscape view 1: contours + paths"),
             ("slice", "2 · A slice of the real model", "landscape view 2: slice + paths"),
             ("counter", "3 · The counterexample", "landscape view 3: counterexample"))
    for _, label, what in views:
        if label is not None:
            page.get_by_text(label, exact=True).click()
            page.wait_for_timeout(300)
            page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=TIMEOUT_MS)
        out.append(watch_animation(page, page.get_by_test_id("stPlotlyChart").first, what, shots))
    return out


def measure_navigation(browser, url: str, names: list[str], facts: dict[str, PageFacts], shots: Path) -> list[Visit]:
    """Every page in a new browser (server caches cold, then reloaded), every page again in a new
    browser (server warm), and the Predict page's photo upload."""
    visits = []
    for name in names:
        visits += visit_new_tab(browser, url, name, facts[name], shots, NEW_COLD, RELOAD)
    for name in names:
        visits += visit_new_tab(browser, url, name, facts[name], shots, NEW_WARM)
    if "predict" in names:
        visits.append(upload_photo_and_time(browser, url, facts["predict"], shots))
        print(f"  predict: photo uploaded: {visits[-1].seconds:.2f} s (load {os.getloadavg()[0]:.2f})", flush=True)
    return visits


def measure_course_session(browser, url: str, names: list[str], facts: dict[str, PageFacts], shots: Path,
                           animations: bool) -> tuple[list[Visit], list[Animation]]:
    """One session on the course's photos: every page from the sidebar's links (the Data page last,
    as it is where the session starts), then every animation."""
    ctx, page = open_course_session(browser, url, facts["data"])
    visits, played = [], []
    try:
        for name in [n for n in names if n != "data"] + (["data"] if "data" in names else []):
            seconds = click_and_time(page, nav_link(page, name), facts[name].title, facts[name].charts)
            picture = shot(page, shots, f"{name}-course-link")
            visits.append(Visit(name, COURSE_LINK, seconds, _exceptions(page), picture))
            print(f"  {name}: {COURSE_LINK}: {seconds:.2f} s (load {os.getloadavg()[0]:.2f})", flush=True)
        if animations:
            played = measure_animations(page, facts, shots)
    finally:
        ctx.close()
    return visits, played


# ---------------------------------------------------------------------- memory


def measure_memory(browser, course: Path | None, sessions: int, shots: Path) -> dict[str, float]:
    """RSS of a fresh server at rest, after one session that trained, after ``sessions`` of them (MB)."""
    log = shots / "server-memory.log"
    with app_server(course, log) as (url, proc):
        out = {"idle": rss_mb(proc.pid)}
        contexts = []
        try:
            data = "course" if course is not None else "builtin"
            facts = page_facts("train", data)
            for k in range(sessions):
                ctx = browser.new_context(viewport=VIEWPORT)
                contexts.append(ctx)
                page = ctx.new_page()
                page.goto(f"{url}/train?data={data}&lr={SESSION_RATES[k % len(SESSION_RATES)]}&iters=2000",
                          timeout=TIMEOUT_MS)
                wait_drawn(page, facts.title, facts.charts)
                if f"data={data}" not in page.url:
                    raise RuntimeError(f"session {k + 1} did not train on the {data} data: {page.url}")
                if k == 0:
                    out["one"] = settled_rss_mb(proc.pid)
                    shot(page, shots, "memory-session-1")
            out["all"] = settled_rss_mb(proc.pid, 3.0)
            out["sessions"] = sessions
            out["what"] = f"Train page on the {data} data, each session its own learning rate, 2,000 iterations"
            return out
        finally:
            for ctx in contexts:
                ctx.close()


# ---------------------------------------------------------------------- printing


def print_navigation(facts: dict[str, PageFacts], visits: list[Visit]) -> None:
    """Seconds to idle with charts drawn, one column per way of arriving; a star marks a miss of 3 s."""
    print(f"\nNAVIGATION → idle with every chart drawn (seconds; budget ≤ {IDLE_BUDGET_S:g} s, * = over)")
    hows = list(dict.fromkeys(v.how for v in visits))
    width = max(len(h) for h in hows) if hows else 10
    print(f"{'page':<10} {'charts':>6}  " + "  ".join(f"{h:>{width}}" for h in hows) + "  errors shown")
    for name in facts:
        row = {v.how: v for v in visits if v.page == name}
        cells = [(f"{row[h].seconds:.2f}" + ("*" if row[h].seconds > IDLE_BUDGET_S else " ")) if h in row else "– "
                 for h in hows]
        errors = sum(v.exceptions for v in row.values())
        print(f"{name:<10} {facts[name].charts:>6}  " + "  ".join(f"{c:>{width}}" for c in cells) + f"  {errors}")


def print_figures(facts: dict[str, PageFacts]) -> None:
    print("\nLARGEST FIGURE JSON per page (AppTest, every state visited here; budget ≤ 2 MB = 2,000,000 bytes)")
    for name, f in facts.items():
        key, size = f.largest()
        verdict = "ok" if size <= FIGURE_BUDGET_BYTES else "OVER"
        shown = f"{size / MB:.3f} MB  {key}" if size else "no figure"
        print(f"{name:<10} {shown:<40} {verdict}")


def print_animations(animations: list[Animation]) -> None:
    print(f"\nANIMATIONS while playing (budget ≥ {FPS_BUDGET:g} frames/s; {PLAY_WINDOW_MS / 1000:g} s watched)")
    print(f"{'animation':<38} {'frames':>6} {'frames/s':>8} {'longest gap':>12} {'paints/s':>8}  ≥5")
    for a in animations:
        verdict = "ok" if a.fps >= FPS_BUDGET else "UNDER"
        print(f"{a.what:<38} {a.frames:>6} {a.fps:>8.1f} {a.longest_gap_ms:>9.0f} ms {a.paints_per_s:>8.1f}  {verdict}")


def print_memory(mem: dict[str, float]) -> None:
    print(f"\nSERVER MEMORY (VmRSS of the streamlit process, MB = 10⁶ bytes): {mem['what']}")
    print(f"  at rest after start:         {mem['idle']:7.1f} MB")
    ok = "ok" if mem["one"] <= RSS_ONE_BUDGET_MB else "OVER"
    print(f"  after one session:           {mem['one']:7.1f} MB   budget ≤ {RSS_ONE_BUDGET_MB:g} MB  {ok}")
    if "all" in mem:
        n = int(mem["sessions"])
        per = (mem["all"] - mem["one"]) / (n - 1)
        ok = "ok" if per <= RSS_PER_SESSION_BUDGET_MB else "OVER"
        print(f"  after {n} sessions:            {mem['all']:7.1f} MB")
        print(f"  growth per added session:    {per:7.1f} MB   budget ≤ {RSS_PER_SESSION_BUDGET_MB:g} MB  {ok}")


LATENCY_MOVES = 8
# Where a move's time goes, stamped in the page itself (a wait on the Python side could only add
# its own polling to the figures): the key press; the first websocket message the page sends after
# it (the rerun request: until then the slider itself holds the move); the app's script state
# leaving "running" (the server's run, received); and two painted frames after that (the charts
# the run sent are drawn by then).
STAMPS_JS = """() => {
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (window.__pressed && !window.__sent) window.__sent = performance.now();
    return send.call(this, data);
  };
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(records => {
    for (const r of records) if (r.oldValue === 'running' && window.__sent && !window.__finished) {
      window.__finished = performance.now();
      requestAnimationFrame(() => requestAnimationFrame(() => { window.__drawn = performance.now(); }));
    }
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state'], attributeOldValue: true});
  document.addEventListener('keydown', () => {
    window.__pressed = performance.now(); window.__sent = null; window.__finished = null; window.__drawn = null;
  }, {capture: true});
}"""


def measure_slider_latency(browser, url: str, data_facts: PageFacts, train: PageFacts, shots: Path
                           ) -> tuple[list[float], list[tuple[float, float, float]]]:
    """Seconds from a key press on the learning-rate slider until the charts are redrawn, per move; and
    per move (press → rerun request sent, → run finished, → charts redrawn) in seconds."""
    ctx, page = open_course_session(browser, url, data_facts)
    parts = []
    try:
        click_and_time(page, nav_link(page, "train"), train.title, train.charts)
        slider = page.get_by_role("slider", name="Learning rate")
        slider.focus()
        page.evaluate(STAMPS_JS)
        out = []
        for k in range(LATENCY_MOVES):
            before = slider.get_attribute("aria-valuetext")
            slider.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
            page.wait_for_function("() => window.__drawn", timeout=TIMEOUT_MS)
            expect(slider).not_to_have_attribute("aria-valuetext", before)  # (the move did happen)
            pressed, sent, finished, done = page.evaluate(
                "() => [window.__pressed, window.__sent, window.__finished, window.__drawn]")
            out.append((done - pressed) / 1000)
            parts.append(((sent - pressed) / 1000, (finished - sent) / 1000, (done - finished) / 1000))
            page.wait_for_timeout(300)  # (a hand between two presses)
        shot(page, shots, "latency_train")
        return out, parts
    finally:
        ctx.close()


def print_latency(seconds: list[float], parts: list[tuple[float, float, float]]) -> None:
    ordered = sorted(seconds)
    print(f"\nfelt latency, learning-rate slider key press → charts redrawn ({len(seconds)} moves): median "
          f"{statistics.median(ordered):.2f} s, max {ordered[-1]:.2f} s; each: "
          + ", ".join(f"{x:.2f}" for x in seconds))
    if parts:
        names = ("key press → rerun request sent (the slider)", "→ run finished (server and network)",
                 "→ charts redrawn (the browser)")
        for name, values in zip(names, zip(*parts)):
            print(f"  {name}: median {statistics.median(values):.3f} s; each: " + ", ".join(f"{v:.3f}" for v in values))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.browser", description=__doc__.split("\n")[0])
    p.add_argument("--course", default=str(COURSE_DIR), help="folder of the course's .h5 pair (default: %(default)s)")
    p.add_argument("--pages", help="comma-separated page names (default: all six)")
    p.add_argument("--sessions", type=int, default=10, help="sessions for the memory figure (default: %(default)s)")
    p.add_argument("--shots", default="/tmp/bench-browser", help="folder for screenshots (default: %(default)s)")
    p.add_argument("--no-memory", action="store_true")
    p.add_argument("--no-animations", action="store_true")
    p.add_argument("--latency", action="store_true", help="only the learning-rate slider's felt latency (course's photos)")
    p.add_argument("--quick", action="store_true",
                   help="a smoke run: one visit of the Data page on the built-in data, and the server's memory "
                        "before and after it")
    args = p.parse_args(argv)
    if not Path(CHROMIUM).exists():
        p.error(f"{CHROMIUM} is missing: install Debian's chromium (tests/install-and-run.sh does)")

    course = Path(args.course) if (Path(args.course) / "train_catvnoncat.h5").is_file() else None
    if course is not None:
        os.environ["PLAYGROUND_DATA"] = str(course)
    names = list(QUICK_PAGES if args.quick else args.pages.split(",") if args.pages else NAV_TITLES)
    shots = Path(args.shots)
    shots.mkdir(parents=True, exist_ok=True)
    quiet_streamlit()
    print(machine_line())
    print("browser: Chromium headless, software rendering (SwiftShader WebGL), viewport "
          f"{VIEWPORT['width']} × {VIEWPORT['height']}; screenshots in {shots}")

    facts = {name: page_facts(name, "builtin") for name in names}
    course_facts = {}
    if course is not None and not args.quick:
        course_facts = {name: page_facts(name, "course") for name in set(names) | {"data", "train", "landscape"}}
        for name in names:
            facts[name].figures.update({f"{k} (course)": v for k, v in course_facts[name].figures.items()})

    from playwright.sync_api import sync_playwright

    visits, animations, mem, latency, parts = [], [], None, [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            with app_server(course, shots / "server.log") as (url, proc):
                if args.latency:
                    latency, parts = measure_slider_latency(browser, url, facts["data"], course_facts.get("train")
                                                            or page_facts("train", "course"), shots)
                elif args.quick:
                    # One visit on a fresh server: its memory before and after is the one-session figure.
                    mem = {"idle": rss_mb(proc.pid), "what": "one session on the Data page (built-in data)"}
                    visits = visit_new_tab(browser, url, "data", facts["data"], shots, NEW_COLD)
                    mem["one"] = settled_rss_mb(proc.pid, 1.0)
                else:
                    visits = measure_navigation(browser, url, names, facts, shots)
                    if course_facts:
                        more, animations = measure_course_session(browser, url, names, course_facts, shots,
                                                                  not args.no_animations)
                        visits += more
            if not (args.no_memory or args.quick or args.latency):
                mem = measure_memory(browser, course, args.sessions, shots)
        finally:
            browser.close()

    if latency:
        print_latency(latency, parts)
    print_navigation(facts, visits)
    print_figures(facts)
    if animations:
        print_animations(animations)
    if mem:
        print_memory(mem)
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
