"""Start the real app (``streamlit run app.py``) on a free port for the load test, and watch its process.

Used by both the pytest test and ``python -m tests.load.run``; the server is stopped through its
process handle, never by name.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tests.app_server import serve_app, status_kib, tree_kib

ROOT = Path(__file__).resolve().parents[2]
COURSE_DIR = ROOT.parent / "shared" / "data" / "catvnoncat"
ARTIFACTS = ROOT / "test-artifacts"


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    log_path: Path

    @property
    def pid(self) -> int:
        return self.proc.pid

    def rss_mib(self) -> float:
        """Resident memory now of the server and its sidecar (VmRSS of /proc/<pid>/status), MiB."""
        return tree_kib(self.pid) / 1024

    def peak_rss_mib(self) -> float:
        """Highest resident memory so far of the server and its sidecar (VmHWM), MiB."""
        return tree_kib(self.pid, "VmHWM") / 1024

    def cpu_seconds(self) -> float:
        """User + system CPU time the server has used so far (/proc/<pid>/stat)."""
        with open(f"/proc/{self.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def threads(self) -> int:
        return status_kib(self.pid, "Threads")


@dataclass
class Fleet:
    """Several copies of the app, each its own process, as behind a load balancer with sticky
    sessions: visitor i always goes to copy i mod n."""

    servers: list[Server]

    def url_for(self, i: int) -> str:
        return self.servers[i % len(self.servers)].url

    def rss_mib(self) -> float:
        return sum(s.rss_mib() for s in self.servers)

    def peak_rss_mib(self) -> float:
        return sum(s.peak_rss_mib() for s in self.servers)

    def cpu_seconds(self) -> float:
        return sum(s.cpu_seconds() for s in self.servers)

    def threads(self) -> int:
        return sum(s.threads() for s in self.servers)

    def per_copy_rss_mib(self) -> list[float]:
        return [round(s.rss_mib(), 1) for s in self.servers]

    def log_text(self) -> str:
        return "\n".join(s.log_path.read_text(errors="replace") for s in self.servers)


@contextlib.contextmanager
def running_fleet(copies: int = 1, env: dict | None = None, args: tuple[str, ...] = ()) -> Iterator[Fleet]:
    """``copies`` servers (started one after the other), stopped together."""
    with contextlib.ExitStack() as stack:
        yield Fleet([stack.enter_context(running_app(env=env, args=args, log_name=f"load-server-{k}.log"))
                     for k in range(copies)])


@contextlib.contextmanager
def running_app(timeout: float = 60.0, env: dict | None = None, args: tuple[str, ...] = (),
                log_name: str = "load-server.log") -> Iterator[Server]:
    """``streamlit run app.py`` with the course's photos offered ($PLAYGROUND_DATA), on a free port,
    with the project's .streamlit/config.toml; ``env`` and ``args`` (more ``--section.option value``)
    are added to the command."""
    log_path = ARTIFACTS / log_name  # (serve_app makes the folder)
    with serve_app(log_path, env={"PLAYGROUND_DATA": str(COURSE_DIR), **(env or {})}, args=args,
                   timeout=timeout) as (url, proc):
        yield Server(url, proc, log_path)
