"""The real app as a server process: one way to start it for the browser tests, the load test
and the browser benchmark."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from pathlib import Path

from playground.serve import one_copy

ROOT = Path(__file__).resolve().parents[1]


def serve_app(log_path: Path, env: dict | None = None, args: tuple[str, ...] = (), timeout: float = 60.0):
    """``streamlit run app.py`` on a free loopback port until the block ends; yields (url, process) once
    /_stcore/health answers ``ok`` (playground.serve.one_copy: the class server starts its copies the
    same way). ``args`` (``--section.option value``) go to the command."""
    return one_copy(log_path, env, args, timeout)


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
