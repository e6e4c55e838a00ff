"""python -m playground.serve: copies of the app behind a real HAProxy.

Its configuration as HAProxy reads it; then one class server with two copies, started as an
operator would: four Chromium visitors through it, each kept on its copy; a copy killed, marked
down and started again while the other serves; SIGTERM, and no process left behind.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from playground import serve
from playground.serve import free_port
from tests.app_server import children, stop_group
from tests.conftest import COURSE_DIR, ROOT

HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
needs_haproxy = pytest.mark.skipif(not Path(HAPROXY).exists(), reason="HAProxy is not installed")


@needs_haproxy
def test_haproxy_accepts_the_configuration(tmp_path):
    cfg = serve.haproxy_config(8080, [("c1", 10001), ("c2", 10002)], tmp_path / "haproxy.sock", "127.0.0.1",
                               upload_mb=50)
    path = tmp_path / "haproxy.cfg"
    path.write_text(cfg)
    checked = subprocess.run([HAPROXY, "-c", "-f", str(path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # Affinity by an inserted cookie, never by the client's address (a school shares one).
    assert 'cookie PGCOPY insert indirect nocache attr "SameSite=Lax" httponly' in cfg
    assert "server c1 127.0.0.1:10001 cookie c1" in cfg and "server c2 127.0.0.1:10002 cookie c2" in cfg
    assert "balance source" not in cfg and "src" not in cfg
    assert "option httpchk GET /_stcore/health" in cfg
    # An open websocket outlives Streamlit's 30 s ping many times over.
    assert int(re.search(r"timeout tunnel (\d+)h", cfg).group(1)) >= 1
    # Every upload the app accepts (50 MB and its 1 MB multipart margin) gets through.
    limit = int(re.search(r"content-length\) gt (\d+)", cfg).group(1))
    assert limit >= 50 * 1024 * 1024 + 1024 * 1024


def test_the_upload_limit_is_read_from_the_apps_config(tmp_path):
    assert serve.max_upload_mb() == 50  # .streamlit/config.toml
    (tmp_path / "config.toml").write_text("[server]\nheadless = true\n")
    assert serve.max_upload_mb(tmp_path / "config.toml") == 200  # Streamlit's default


def test_a_copy_that_keeps_failing_waits_longer_before_each_start():
    c = serve.Child("c1", ["true"])
    c.started_at = 100.0
    pauses = [c.schedule_restart(100.5 + k) for k in range(7)]  # each exit within a second of its start
    assert pauses == [1, 2, 4, 8, 16, 30, 30]
    c.started_at = 0.0
    assert c.schedule_restart(serve.STEADY_S + 1) == 1  # it ran steadily before this exit: start afresh


@pytest.fixture(scope="module")
def class_server(tmp_path_factory):
    """``python -m playground.serve --copies 2`` on a free port; (its process, the state file's path)."""
    if not Path(HAPROXY).exists():
        pytest.skip("HAProxy is not installed")
    folder = tmp_path_factory.mktemp("serve")
    state = folder / "state.json"
    out = open(folder / "serve.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "playground.serve", "--copies", "2", "--port", str(free_port()), "--address",
         "127.0.0.1", "--log-dir", str(folder), "--state-file", str(state)],
        cwd=ROOT, env=dict(os.environ, PLAYGROUND_DATA=str(COURSE_DIR)), stdout=out, stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not (state.exists() and json.loads(state.read_text() or "{}").get("ready")):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the class server did not start:\n" + (folder / "serve.log").read_text()[-3000:])
            time.sleep(0.2)
        yield proc, state
    finally:
        if proc.poll() is None:
            stop_group(proc)
        out.close()


def _state(path: Path) -> dict:
    return json.loads(path.read_text())


def _get(url: str, cookie: str | None = None) -> tuple[int, str | None]:
    """(HTTP status, the copy HAProxy says answered) of a GET, with the affinity cookie if given."""
    req = urllib.request.Request(url, headers={"Cookie": f"{serve.COOKIE}={cookie}"} if cookie else {})
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.status, r.headers.get(serve.COPY_HEADER)
    except OSError as err:
        return getattr(err, "code", 0) or 0, None


@pytest.mark.browser
def test_four_browsers_each_stay_on_their_copy(class_server):
    _, state = class_server
    # In a thread of its own: Playwright's sync API refuses to start where another one (the browser
    # tests' session fixture) already runs an event loop.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        copies = pool.submit(_four_browsers, _state(state)["url"]).result()
    assert sorted(copies) == ["c1", "c1", "c2", "c2"]  # new sessions take the copies in turn


def _four_browsers(url: str) -> list[str]:
    """Four Chromium sessions open at once through the balancer, each moving its learning rate; the
    copy each was served by (every one of its responses by the same)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            visitors = []
            for k in range(4):  # four sessions open at the same time, each its own cookie jar
                ctx = browser.new_context(viewport={"width": 1280, "height": 800})
                seen: set[str] = set()
                ctx.on("response", lambda r, seen=seen: seen.add(r.headers.get(serve.COPY_HEADER.lower(), "")))
                page = ctx.new_page()
                page.set_default_timeout(90_000)
                page.goto(f"{url}/train?data=course&lr=0.0001&iters={1000 + 50 * k}")
                visitors.append((ctx, page, seen))
            for k, (ctx, page, seen) in enumerate(visitors):
                page.locator(IDLE).wait_for()
                slider = page.get_by_role("slider", name="Learning rate")
                slider.focus()
                slider.press("ArrowRight")
                page.wait_for_timeout(300)
                page.locator(IDLE).wait_for()
                assert slider.get_attribute("aria-valuetext") != "0.0001"
                assert page.get_by_test_id("stMetricValue").count() >= 2
                assert page.locator('[data-testid="stException"]').count() == 0
                assert "iters=" + str(1000 + 50 * k) in page.url
                if k == 0:
                    ARTIFACTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(ARTIFACTS / "serve_browser_train.png"))
            copies = []
            for ctx, page, seen in visitors:
                seen.discard("")
                assert len(seen) == 1, seen  # every request of a session went to one copy
                copies.append(seen.pop())
                assert {c["value"] for c in ctx.cookies() if c["name"] == serve.COOKIE} == {copies[-1]}
                ctx.close()
            return copies
        finally:
            browser.close()


def test_a_copy_that_dies_is_marked_down_and_started_again(class_server):
    _, state = class_server
    info = _state(state)
    url, c1 = info["url"], next(c for c in info["copies"] if c["name"] == "c1")
    assert _get(f"{url}/_stcore/health", "c1") == (200, "c1")
    os.kill(c1["pid"], signal.SIGKILL)
    answers, marked_down, deadline = [], False, time.monotonic() + 90
    while True:
        answers.append(_get(f"{url}/_stcore/health", "c1"))  # a visitor of c1 meanwhile
        states = serve.copy_states(info["stats_socket"])
        marked_down |= states["c1"] == "DOWN"
        now = _state(state)["copies"][0]
        if now["restarts"] == 1 and states == {"c1": "UP", "c2": "UP"}:
            break
        assert time.monotonic() < deadline, (states, now)
        time.sleep(0.2)
    assert now["pid"] != c1["pid"]
    assert marked_down
    # While c1 was away its visitors were answered by c2 (new sessions there), never refused.
    assert set(answers) <= {(200, "c1"), (200, "c2")} and (200, "c2") in answers, answers
    assert _get(f"{url}/_stcore/health", "c1") == (200, "c1")


def _descendants(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):
            kids = children(pending.pop())
            found += kids
            pending += kids
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_sigterm_stops_everything_it_started(class_server):
    proc, state = class_server
    info = _state(state)
    started = _descendants(proc.pid)
    pids = {info["haproxy"]["pid"], *(c["pid"] for c in info["copies"])}
    assert pids <= set(started), (pids, started)
    assert all(_alive(p) for p in pids)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    deadline = time.monotonic() + 10
    while any(_alive(p) for p in started) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert [p for p in started if _alive(p)] == []
    assert not Path(info["run_dir"]).exists() and not state.exists()
    assert _get(f"{info['url']}/_stcore/health") == (0, None)  # nothing listens on the class's port
