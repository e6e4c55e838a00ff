"""The benchmark scripts run in their --quick mode and print their tables.

Figures are read by people: these tests check that every row is printed, never a timing.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import CHROMIUM
from tests.conftest import ROOT


def _run(module: str, *args: str, timeout: float) -> str:
    """Run ``python -m benchmarks.<module>`` with this interpreter; its stdout (the command must succeed)."""
    done = subprocess.run(
        [sys.executable, "-m", f"benchmarks.{module}", *args],
        cwd=ROOT, capture_output=True, text=True, timeout=timeout,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout


def test_pages_benchmark_prints_its_table(course_dir):
    out = _run("pages", "--quick", "--course", str(course_dir), timeout=120)
    assert "machine: " in out and "load average" in out
    assert "PAGES (seconds of one server-side run" in out
    row = next(line for line in out.splitlines() if line.startswith("data ") and "builtin" in line)
    assert "vector_image (slider)" in row
    assert "MB matrix" in row  # the largest figure of the Data page, named by its key


@pytest.mark.browser
def test_browser_benchmark_prints_its_table(course_dir, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (tests/install-and-run.sh does).")
    out = _run("browser", "--quick", "--course", str(course_dir), "--shots", str(tmp_path), timeout=180)
    navigation = out.split("NAVIGATION → idle with every chart drawn")[1].split("LARGEST FIGURE")[0]
    # the page, its chart count, then the seconds of its one visit
    assert re.search(r"^data\s+\d+\s+\d+\.\d\d", navigation, re.MULTILINE), navigation
    assert "LARGEST FIGURE JSON per page" in out
    assert "after one session:" in out and "at rest after start:" in out
    assert (tmp_path / "data-new_browser_1st_visit.png").is_file()


def test_server_benchmark_prints_the_heaviest_reruns():
    """A real server, the Train page driven through the websocket protocol for a second."""
    out = _run("server", "--seconds", "1", "--data", "builtin", "--settle", "0", timeout=180)
    assert "THE HEAVIEST RERUN IN A SERVER" in out
    assert re.search(r"^\s+builtin\s+\d+ reruns: median \d+\.\d{3}, p90 \d+\.\d{3}, max \d+\.\d{3} s; over 0\.15 s: \d+",
                     out, re.MULTILINE), out
