"""python -m playground.serve: a class on one machine, several copies of the app behind HAProxy.

    python -m playground.serve --copies 2 --port 8080

starts ``--copies`` copies of the app (``streamlit run app.py``, headless, no file watcher, each on
a private loopback port) and HAProxy in front of them on ``--port``: a browser keeps to one copy by
a cookie HAProxy inserts (a session lives in one process), websockets pass through, uploads up to
the app's ``server.maxUploadSize`` pass and larger ones are refused, and HAProxy checks each copy's
``/_stcore/health`` every second. A copy that exits is marked down by those checks (its visitors
are sent to another copy, as new sessions) and started again here, after a pause that grows while
it keeps failing. SIGTERM, SIGINT (Ctrl-C) or SIGHUP stops everything this started, children of the
copies included. SERVING.md says when to use it and what production would use instead.

The restart loop is this module's: a process manager (supervisor, systemd) would add a daemon and
its own configuration to stop and clean up, for three lines of work here.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import json
import logging
import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = Path(__file__).with_name("haproxy.cfg.template")
COOKIE = "PGCOPY"
COPY_HEADER = "X-Playground-Copy"
# Streamlit refuses an upload body above maxUploadSize plus its own 1 MB multipart margin; HAProxy
# refuses only what is larger still, so a file the app accepts always gets through.
BODY_MARGIN_BYTES = 2 * 1024 * 1024
# A copy that exits sooner than this after its start counts as failing: the next start waits longer.
STEADY_S = 30.0
MAX_BACKOFF_S = 30.0
POLL_S = 0.5

log = logging.getLogger("playground.serve")


def free_port(address: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((address, 0))
        return s.getsockname()[1]


def max_upload_mb(config: Path = ROOT / ".streamlit" / "config.toml") -> int:
    """The app's ``server.maxUploadSize`` (MB), Streamlit's default 200 when the config sets none."""
    with contextlib.suppress(FileNotFoundError):
        with open(config, "rb") as f:
            return int(tomllib.load(f).get("server", {}).get("maxUploadSize", 200))
    return 200


def haproxy_config(port: int, copies: list[tuple[str, int]], stats_socket: Path, address: str = "0.0.0.0",
                   upload_mb: int | None = None) -> str:
    """HAProxy's configuration: ``port`` on ``address`` in front of ``copies`` (name, loopback port)."""
    upload_mb = max_upload_mb() if upload_mb is None else upload_mb
    servers = "\n".join(f"    server {name} 127.0.0.1:{p} cookie {name}" for name, p in copies)
    return string.Template(TEMPLATE.read_text()).substitute(
        address=address, port=port, servers=servers, stats_socket=stats_socket,
        max_body_bytes=upload_mb * 1024 * 1024 + BODY_MARGIN_BYTES)


def copy_states(stats_socket: Path | str, timeout: float = 2.0) -> dict[str, str]:
    """Each copy's state as HAProxy sees it ("UP", "DOWN", …), asked on its stats socket."""
    with socket.socket(socket.AF_UNIX) as s:
        s.settimeout(timeout)
        s.connect(str(stats_socket))
        s.sendall(b"show stat\n")
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    lines = data.decode().splitlines()
    header = lines[0].lstrip("# ").split(",")
    rows = [dict(zip(header, line.split(","))) for line in lines[1:] if line]
    return {r["svname"]: r["status"].split()[0] for r in rows
            if r.get("pxname") == "copies" and r["svname"] not in ("BACKEND", "FRONTEND")}


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when serve itself dies, even by SIGKILL (Linux)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Child:
    """One process this started: a copy of the app or HAProxy, in a process group of its own (so its
    own children, the upload parsers, stop with it)."""

    name: str
    command: list[str]
    log_path: Path | None = None
    env: dict | None = None
    port: int | None = None
    proc: subprocess.Popen | None = None
    started_at: float = 0.0
    restarts: int = 0
    failures: int = 0          # exits in a row, each sooner than STEADY_S after its start
    next_start: float | None = None
    groups: list[int] = field(default_factory=list)   # every process group it had, for the last sweep

    def start(self) -> None:
        out = open(self.log_path, "ab") if self.log_path else None
        try:
            self.proc = subprocess.Popen(
                self.command, cwd=ROOT, env=self.env, stdin=subprocess.DEVNULL, stdout=out,
                stderr=subprocess.STDOUT if out else None, start_new_session=True, preexec_fn=_die_with_parent)
        finally:
            if out:
                out.close()
        self.groups.append(self.proc.pid)
        self.started_at = time.monotonic()
        self.next_start = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def exited(self) -> int | None:
        """Its exit code when it has exited since the last look, else None."""
        if self.proc is None or self.next_start is not None:
            return None
        return self.proc.poll()

    def schedule_restart(self, now: float) -> float:
        """Note an exit; the pause before the next start (seconds)."""
        self.failures = self.failures + 1 if now - self.started_at < STEADY_S else 1
        pause = min(MAX_BACKOFF_S, 2.0 ** (self.failures - 1))
        self.next_start = now + pause
        return pause


def _signal_groups(groups: list[int], sig: int) -> list[int]:
    """Send ``sig`` to each process group; the groups that still had a member."""
    alive = []
    for g in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(g, sig)
            alive.append(g)
    return alive


def stop_all(children: list[Child], grace: float = 10.0) -> None:
    """SIGTERM to every process group started (HAProxy first: no new requests), SIGKILL to what is
    left after ``grace`` seconds; every child reaped."""
    groups = [g for c in children for g in c.groups]
    _signal_groups(groups, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        for c in children:
            if c.proc is not None:
                c.proc.poll()
        if not _signal_groups(groups, 0):
            break
        time.sleep(0.1)
    _signal_groups(groups, signal.SIGKILL)
    for c in children:
        if c.proc is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                c.proc.wait(timeout=5)


def _healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
            return r.read() == b"ok"
    except OSError:
        return False


def app_command(port: int, *server_args: str) -> list[str]:
    """``streamlit run app.py`` on a loopback port: headless, no file watcher, no usage statistics."""
    return [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
            "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false", *server_args]


@contextlib.contextmanager
def one_copy(log_path: Path, env: dict | None = None, server_args: tuple[str, ...] = (), timeout: float = 60.0):
    """One copy of the app on a free loopback port until the block ends, no balancer (the tests' and
    benchmarks' server); yields (url, process) once /_stcore/health answers. ``env`` is added to this
    process's environment; the output goes to ``log_path``. Stopped through its own process handle."""
    port = free_port()
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "wb") as out:
        proc = subprocess.Popen(app_command(port, *server_args), cwd=ROOT, env=dict(os.environ, **(env or {})),
                                stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while not _healthy(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"The app did not start:\n{log_path.read_text(errors='replace')[-3000:]}")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Stop(Exception):
    pass


class ClassServer:
    """The copies and HAProxy: started, watched, stopped."""

    def __init__(self, copies: int, port: int, address: str = "0.0.0.0", log_dir: Path | None = None,
                 state_file: Path | None = None, server_args: tuple[str, ...] = (), haproxy: str = "haproxy"):
        self.address, self.port = address, port
        self.log_dir = log_dir
        self.state_file = state_file
        self.stopping = False
        if log_dir:
            log_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.setdefault("MALLOC_ARENA_MAX", "2")  # one malloc arena per script thread is memory for nothing
        self.copies = []
        for k in range(1, copies + 1):
            name, p = f"c{k}", free_port()
            self.copies.append(Child(name, app_command(p, *server_args), self._log(f"copy-{name}.log"), env, p))
        # The configuration and HAProxy's socket live in a folder of this run's, removed by stop().
        self.run_dir = Path(tempfile.mkdtemp(prefix="playground-serve-"))
        self.stats_socket = self.run_dir / "haproxy.sock"
        self.config_path = self.run_dir / "haproxy.cfg"
        try:
            self.config_path.write_text(haproxy_config(port, [(c.name, c.port) for c in self.copies],
                                                       self.stats_socket, address))
        except BaseException:
            shutil.rmtree(self.run_dir, ignore_errors=True)
            raise
        self.haproxy = Child("haproxy", [haproxy, "-f", str(self.config_path), "-db"], self._log("haproxy.log"))
        self.children = [self.haproxy, *self.copies]

    def _log(self, name: str) -> Path | None:
        return self.log_dir / name if self.log_dir else None

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.address in ("0.0.0.0", "") else self.address
        return f"http://{host}:{self.port}"

    def check_config(self) -> None:
        r = subprocess.run([self.haproxy.command[0], "-c", "-q", "-f", str(self.config_path)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"HAProxy refuses its configuration:\n{r.stdout}{r.stderr}")

    def write_state(self, ready: bool) -> None:
        if not self.state_file:
            return
        state = {"url": self.url, "pid": os.getpid(), "ready": ready, "run_dir": str(self.run_dir),
                 "stats_socket": str(self.stats_socket), "haproxy": {"pid": self.haproxy.pid},
                 "copies": [{"name": c.name, "port": c.port, "pid": c.pid, "restarts": c.restarts}
                            for c in self.copies]}
        tmp = self.state_file.with_suffix(".tmp")
        tmp.write_text(json.dumps(state, indent=2) + "\n")
        tmp.replace(self.state_file)

    def start(self, timeout: float = 90.0) -> None:
        """Every copy, then HAProxy once they answer (so its first checks find them up); returns once
        HAProxy sees every copy up."""
        self.check_config()
        for c in self.copies:
            c.start()
        self.write_state(False)
        deadline = time.monotonic() + timeout
        pending = set(range(len(self.copies)))
        while pending or not self._all_up():
            self._check_stop()
            for c in self.children:
                if c.proc is not None and c.proc.poll() is not None:
                    raise RuntimeError(f"{c.name} exited with code {c.proc.returncode} while starting"
                                       + (f" (its log: {c.log_path})" if c.log_path else ""))
            pending = {k for k in pending if not _healthy(self.copies[k].port)}
            if not pending and self.haproxy.proc is None:
                self.haproxy.start()
                self.write_state(False)
            if time.monotonic() > deadline:
                raise RuntimeError(f"not every copy was up after {timeout:.0f} s")
            time.sleep(0.2)
        self.write_state(True)

    def _all_up(self) -> bool:
        try:
            return set(copy_states(self.stats_socket).values()) == {"UP"}
        except OSError:
            return False

    def _check_stop(self) -> None:
        if self.stopping:
            raise Stop

    def watch(self) -> None:
        """Until told to stop: start again whatever exited, after its pause."""
        while True:
            self._check_stop()
            now = time.monotonic()
            for c in self.children:
                code = c.exited()
                if code is not None:
                    pause = c.schedule_restart(now)
                    log.warning("%s (pid %s) exited with code %s; starting it again in %.0f s",
                                c.name, c.pid, code, pause)
                elif c.next_start is not None and now >= c.next_start:
                    _signal_groups([c.pid], signal.SIGKILL)  # what the exited one left behind
                    c.restarts += 1
                    c.start()
                    log.warning("%s started again (pid %s, restart %d)", c.name, c.pid, c.restarts)
                    self.write_state(True)
            time.sleep(POLL_S)

    def stop(self) -> None:
        stop_all(self.children)
        shutil.rmtree(self.run_dir, ignore_errors=True)
        if self.state_file:
            self.state_file.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m playground.serve", description=__doc__.splitlines()[0])
    ap.add_argument("--copies", type=int, default=len(os.sched_getaffinity(0)),
                    help="copies of the app (default: the number of cores, one core each)")
    ap.add_argument("--port", type=int, default=8080, help="where the class connects (default 8080)")
    ap.add_argument("--address", default="0.0.0.0", help="address HAProxy listens on (default: every one)")
    ap.add_argument("--log-dir", type=Path, help="write each process's output to a file here (default: this terminal)")
    ap.add_argument("--state-file", type=Path, help="keep a JSON file of the processes' ids and ports here")
    ap.add_argument("--haproxy", default=shutil.which("haproxy") or "/usr/sbin/haproxy", help="HAProxy's binary")
    ap.add_argument("--server-arg", action="append", default=[], metavar="--section.option=value",
                    help="one more option for every copy's streamlit run, e.g. --server-arg=--server.maxUploadSize=50")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s serve: %(message)s", datefmt="%H:%M:%S")
    if args.copies < 1:
        ap.error("--copies must be 1 or more")
    if not Path(args.haproxy).exists() and not shutil.which(args.haproxy):
        ap.error(f"HAProxy not found ({args.haproxy}): apt-get install haproxy")
    from playground.server import warn_if_root  # (imports NumPy: only once the arguments are good)

    warn_if_root()
    server_args = tuple(part for a in args.server_arg for part in a.split("=", 1))
    server = ClassServer(args.copies, args.port, args.address, args.log_dir, args.state_file, server_args, args.haproxy)

    def on_signal(signum, frame):
        server.stopping = True

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)
    try:
        server.start()
        print(f"Serving {args.copies} {'copy' if args.copies == 1 else 'copies'} of the playground on "
              f"http://{args.address}:{args.port} (Ctrl-C stops them)", flush=True)
        server.watch()
    except Stop:
        return 0
    except RuntimeError as err:
        log.error("%s", err)
        return 1
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
