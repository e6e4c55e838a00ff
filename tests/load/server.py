"""Start the real app for the load test, and watch its processes: the class server as
``python -m playground.serve`` starts it (copies of ``streamlit run app.py`` behind HAProxy), or
one ``streamlit run app.py`` reached directly.

Used by both the pytest test and ``python -m tests.load.run``; every process is stopped through
its own id, never by name.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from playground.serve import free_port
from tests.app_server import children, serve_app, status_kib, stop_group, tree_kib

ROOT = Path(__file__).resolve().parents[2]
COURSE_DIR = ROOT.parent / "shared" / "data" / "catvnoncat"
ARTIFACTS = ROOT / "test-artifacts"


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    url: str
    pid: int
    log_path: Path

    def rss_mib(self) -> float:
        """Resident memory now of the server and its running children (VmRSS of /proc/<pid>/status), MiB."""
        return tree_kib(self.pid) / 1024

    def peak_rss_mib(self) -> float:
        """Highest resident memory so far of the server and its running children (VmHWM), MiB."""
        return tree_kib(self.pid, "VmHWM") / 1024

    def cpu_seconds(self) -> float:
        """User + system CPU time the server and its running children (upload parsers) have used so far
        (/proc/<pid>/stat)."""
        total = _cpu_seconds(self.pid)
        for kid in children(self.pid):
            with contextlib.suppress(FileNotFoundError):
                total += _cpu_seconds(kid)
        return total

    def threads(self) -> int:
        return status_kib(self.pid, "Threads")


@dataclass
class Fleet:
    """Copies of the app, each its own process: behind the balancer (``balancer``: every visitor
    connects to ``url`` and HAProxy's cookie keeps it on one copy), or reached directly, visitor i on
    copy i mod n."""

    servers: list[Server]
    url: str | None = None
    balancer: str = "none"
    balancer_log: Path | None = None

    def url_for(self, i: int) -> str:
        return self.url or self.servers[i % len(self.servers)].url

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
        """The copies' logs, and HAProxy's alerts and copies marked down (a copy that failed)."""
        text = "\n".join(s.log_path.read_text(errors="replace") for s in self.servers)
        if self.balancer_log and self.balancer_log.exists():
            text += "\n" + "\n".join(line for line in self.balancer_log.read_text(errors="replace").splitlines()
                                     if "ALERT" in line or " is DOWN" in line)
        return text


@contextlib.contextmanager
def running_class(copies: int = 2, env: dict | None = None, args: tuple[str, ...] = (), log_dir: str = "load-class",
                  timeout: float = 120.0) -> Iterator[Fleet]:
    """``python -m playground.serve --copies n`` on a free loopback port, with the course's photos
    offered; yields once HAProxy sees every copy up; stopped by SIGTERM (as an operator would), its
    process group killed if it does not stop in time. Logs under test-artifacts/``log_dir``/."""
    logs = ARTIFACTS / log_dir
    logs.mkdir(parents=True, exist_ok=True)
    for old in logs.glob("*.log"):
        old.unlink()
    state = logs / "state.json"
    state.unlink(missing_ok=True)
    command = [sys.executable, "-m", "playground.serve", "--copies", str(copies), "--port", str(free_port()),
               "--address", "127.0.0.1", "--log-dir", str(logs), "--state-file", str(state),
               *(f"--server-arg={a}" for a in args)]
    with open(logs / "serve.log", "wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=dict(os.environ, PLAYGROUND_DATA=str(COURSE_DIR), **(env or {})),
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + timeout
        while True:
            with contextlib.suppress(FileNotFoundError, json.JSONDecodeError):
                info = json.loads(state.read_text())
                if info["ready"]:
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the class server did not start:\n" + (logs / "serve.log").read_text()[-3000:])
            time.sleep(0.2)
        servers = [Server(f"http://127.0.0.1:{c['port']}", c["pid"], logs / f"copy-{c['name']}.log")
                   for c in info["copies"]]
        yield Fleet(servers, url=info["url"], balancer="haproxy", balancer_log=logs / "haproxy.log")
    finally:
        stop_group(proc)


@contextlib.contextmanager
def running_fleet(copies: int = 1, env: dict | None = None, args: tuple[str, ...] = (),
                  log_name: str = "load-server") -> Iterator[Fleet]:
    """``copies`` servers reached directly (started one after the other), stopped together."""
    with contextlib.ExitStack() as stack:
        yield Fleet([stack.enter_context(running_app(env=env, args=args, log_name=f"{log_name}-{k}.log"))
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
        yield Server(url, proc.pid, log_path)
