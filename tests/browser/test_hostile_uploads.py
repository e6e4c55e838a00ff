"""Every hostile upload, one after another, through the real page in Chromium, against a server of
its own: each is refused on the page, none costs the server more than 2 s of CPU, and afterwards the
server is healthy and holds at most 500 MB."""

import os
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.app_server import serve_app, tree_kib
from tests.browser.conftest import ARTIFACTS, shot, wait_idle
from tests.conftest import COURSE_DIR
from tests.hostile import h5, images
from tests.ui.test_hostile_uploads import fixed_text

pytestmark = pytest.mark.browser

CPU_BUDGET = 2.0
"""Seconds of CPU one upload may cost the server, its children included."""
MEMORY_BUDGET_MB = 500


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process and of its children it has waited for (the HDF5 parser's)."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


@pytest.fixture(scope="module")
def own_server():
    with serve_app(ARTIFACTS / "server-hostile.log", env={"PLAYGROUND_DATA": str(COURSE_DIR)}) as (url, proc):
        yield url, proc.pid


def files(pairs, mime):
    return [{"name": name, "mimeType": mime, "buffer": data} for name, data in pairs]


def test_the_whole_set_is_refused_and_the_server_stays_well(page, own_server):
    url, pid = own_server
    costs = {}

    def upload(name, uploader, payload, expected_key):
        before = cpu_seconds(pid)
        uploader.locator('input[type="file"]').set_input_files(payload)
        wait_idle(page)
        if expected_key is not None:
            expect(page.get_by_text(fixed_text(expected_key)).first).to_be_visible()
        costs[name] = cpu_seconds(pid) - before
        assert page.locator('[data-testid="stException"]').count() == 0, name

    page.goto(url)
    wait_idle(page)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Upload the course's .h5 pair").click()
    wait_idle(page)
    uploaders = sidebar.get_by_test_id("stFileUploader")
    for name in sorted(h5.CASES):
        train, test = h5.CASES[name]()
        for k, (file_name, data) in enumerate((("train_catvnoncat.h5", train), ("test_catvnoncat.h5", test))):
            upload(f"h5/{name}/{k}", uploaders.nth(k), files([(file_name, data)], "application/x-hdf5"),
                   h5.EXPECTED[name] if k == 1 else None)
        assert "root:x" not in page.inner_text("body")
    shot(page, "hostile_h5_refused")

    sidebar.get_by_text("Upload your images (.zip)").click()
    wait_idle(page)
    for name in sorted(n for n, where in images.UPLOADER.items() if where == "zip"):
        upload(f"zip/{name}", sidebar.get_by_test_id("stFileUploader"), files(images.CASES[name](), "application/zip"),
               images.EXPECTED[name])
    shot(page, "hostile_zip_refused")

    page.goto(f"{url}/predict")
    wait_idle(page)
    photos = page.get_by_test_id("stFileUploader").filter(has_text="Photos")
    for name in ("jpeg_scan_bomb", "twenty_webp_bombs"):  # (a multi-file uploader adds: the bomb stays first)
        upload(f"photos/{name}", photos, files(images.CASES[name](), "image/webp"), images.EXPECTED[name])
    shot(page, "hostile_photos_refused")

    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as r:
        assert r.read() == b"ok"
    memory_mb = tree_kib(pid) / 1024
    print(f"\nCPU per upload (s): max {max(costs.values()):.2f}; " +
          ", ".join(f"{k} {v:.2f}" for k, v in sorted(costs.items(), key=lambda kv: -kv[1])[:6]))
    print(f"server memory after the whole set: {memory_mb:.0f} MB")
    assert memory_mb <= MEMORY_BUDGET_MB
    assert max(costs.values()) <= CPU_BUDGET, costs
