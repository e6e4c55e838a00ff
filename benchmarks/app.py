"""The real app as a server process for the benchmarks: started on a free port, stopped through its
own process handle (never by name: other servers may run on this machine), and its memory read.

The test suite starts its servers with its own helper (tests/app_server.py): the benchmarks do not
import from tests/.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
COURSE_DIR = SHARED_DATA / "catvnoncat"
PHOTO = SHARED_DATA / "photos" / "cat_in_iran.jpg"
ARTIFACTS = ROOT / "test-artifacts"
MB = 1e6


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, proc: subprocess.Popen, log_path: Path, timeout: float) -> None:
    """Until /_stcore/health answers ``ok``; the log's tail in the error if the server died or is late."""
    deadline = time.monotonic() + timeout
    while True:
        with contextlib.suppress(OSError):
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"The app did not start:\n{log_path.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)


@contextlib.contextmanager
def serve_app(log_path: Path, env: dict | None = None, timeout: float = 90.0) -> Iterator[tuple[str, subprocess.Popen]]:
    """``streamlit run app.py`` on a free loopback port, with the project's .streamlit/config.toml and
    ``env`` added to this process's environment, until the block ends; yields (url, process) once the
    server answers. Its output goes to ``log_path``."""
    port = _free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=dict(os.environ, **(env or {})), stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log_path, timeout)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def rss_mb(pid: int) -> float:
    """Resident memory of the server (VmRSS of /proc/<pid>/status), MB (10⁶ bytes)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024 / MB
    raise RuntimeError(f"VmRSS not in /proc/{pid}/status")
