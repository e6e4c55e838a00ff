"""The real app as a server process: one way to start it for the browser tests, the load test
and the browser benchmark."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_app(log_path: Path, env: dict | None = None, args: tuple[str, ...] = (),
              timeout: float = 60.0) -> Iterator[tuple[str, subprocess.Popen]]:
    """``streamlit run app.py`` on a free loopback port until the block ends;
    yields (url, process) once /_stcore/health answers ``ok``.

    ``env`` is added to this process's environment, ``args`` (``--section.option value``) to the
    command; the server's output goes to ``log_path``. It is stopped through its own process
    handle, never by name: other servers may run on the same machine.
    """
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
             "--server.port", str(port), "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *args],
            cwd=ROOT, env=dict(os.environ, **(env or {})), stdout=log, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-3000:]
                raise RuntimeError(f"The app did not start:\n{tail}")
            time.sleep(0.2)
        yield url, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def status_kib(pid: int, field: str) -> int:
    """A field of /proc/<pid>/status in kB (VmRSS, VmHWM) or as a count (Threads)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/{pid}/status")


def children(pid: int) -> list[int]:
    """The processes ``pid`` started that still run (the app's: the .h5 parser of an upload being read,
    playground/data/h5_child.py)."""
    kids = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # (a script thread that ended meanwhile)
            kids += [int(k) for k in (task / "children").read_text().split()]
    return kids


def tree_kib(pid: int, field: str = "VmRSS") -> int:
    """``field`` of the app's process plus its children's: the server with the upload parsers it runs
    at that moment. (Pages both map, NumPy's libraries, count twice: the sum errs on the high side; for
    VmHWM it adds peaks that need not have come at the same moment.)"""
    return status_kib(pid, field) + sum(status_kib(k, field) for k in children(pid))


def stop_group(proc: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM to a process that leads its own group (the class server), then SIGKILL to the whole group
    if it has not ended within ``timeout`` seconds."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
