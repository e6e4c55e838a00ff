"""The real app as a server process for the benchmarks: started on a free port, stopped through its
own process handle (never by name: other servers may run on this machine), and its memory read.

Both this and the test suite start a copy through playground.serve.one_copy, as the class server
does; the benchmarks import nothing from tests/.
"""

from __future__ import annotations

from pathlib import Path

from playground.serve import one_copy

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
COURSE_DIR = SHARED_DATA / "catvnoncat"
PHOTO = SHARED_DATA / "photos" / "cat_in_iran.jpg"
ARTIFACTS = ROOT / "test-artifacts"
MB = 1e6


def serve_app(log_path: Path, env: dict | None = None, timeout: float = 90.0):
    """``streamlit run app.py`` on a free loopback port, with the project's .streamlit/config.toml and
    ``env`` added to this process's environment, until the block ends; yields (url, process) once the
    server answers (playground.serve.one_copy). Its output goes to ``log_path``."""
    return one_copy(log_path, env, timeout=timeout)


def rss_mb(pid: int) -> float:
    """Resident memory of the server (VmRSS of /proc/<pid>/status), MB (10⁶ bytes)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024 / MB
    raise RuntimeError(f"VmRSS not in /proc/{pid}/status")
