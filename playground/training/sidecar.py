"""The sidecar: a second process that records a dual batch's histories (playground.training.histories)
while the loop in this process goes on stepping, so a long batch uses the machine's second core.
The loop is a few short NumPy calls an update and needs nothing back from the histories;
recording them is two fifths of a batch's time.

The loop and the sidecar take turns on a ring of two slots in a shared memory-mapped file: the
loop fills one while the sidecar reads the other. Messages go over a socket pair:
("job", Setup); ("chunk", slot, i0, n) answered by ("ack", slot, rows that ended); ("end",)
answered by ("result", Recorded); ("error", text) when something fails there.

The sidecar saves time and never changes a number: it runs the same recorder on the same
arrays, aligned alike. Whatever goes wrong with it (it cannot start, dies, answers late, fails)
raises SidecarError, and training records that batch in this process instead. A batch also
records here while the sidecar is starting, serving another batch, or when
PLAYGROUND_SIDECAR=0.
"""

from __future__ import annotations

import atexit
import contextlib
import mmap
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from multiprocessing.connection import Connection
from pathlib import Path

import numpy as np

from playground.training.histories import DualRecorder, Recorded, Setup, ring, ring_bytes

ARENA_BYTES = 32 << 20
"""The shared file's size: a batch whose ring needs more records in this process (four rows of the
course's 209 examples need 2.6 MiB, 3.8 with squared error; pages never reserved cost nothing)."""
MIN_WORK = 500
"""Row-iterations below which a batch records in this process: the sidecar would save it next to
nothing (see BENCHMARKS.md), and stays free for a long batch."""
TIMEOUT = 5.0
"""Seconds to wait for an answer before giving the sidecar up (the batch then records here). An
answer is due far sooner (a chunk records quickly; the result is a few MB at most), so this leaves
a busy machine a wide margin; an answer that does not come costs the visitor this long."""
MAX_STARTS = 3  # starts in a row without a batch recorded there: a sidecar that keeps failing is not started again
SWITCH = "PLAYGROUND_SIDECAR"
SPIN = 0.001
"""Seconds either side polls before it sleeps on the socket: a chunk's message is due within about
that long, and a sleeping process wakes late (see BENCHMARKS.md)."""


def _spin(conn: Connection, seconds: float) -> bool:
    """Whether a message arrived within ``seconds`` of polling without sleeping."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        if conn.poll(0):
            return True
    return False


class SidecarError(RuntimeError):
    """The sidecar could not record a batch; the caller records it in this process instead."""


class Inline:
    """Records in this process, right after each chunk (the ring in a private buffer)."""

    def __init__(self, setup: Setup):
        self._buffer = np.empty(ring_bytes(setup), np.uint8)
        self.slots = ring(self._buffer, setup)
        self._recorder = DualRecorder(setup)
        self._ended: list[int] = []

    def submit(self, slot: int, i0: int, n: int) -> None:
        """Updates i0 … i0 + n − 1 are in ``slot``: record them."""
        self._ended += self._recorder.record(self.slots[slot], i0, n)

    def free(self, slot: int) -> list[int]:
        """Wait until ``slot`` may be written again; the rows that ended since the last call."""
        ended, self._ended = self._ended, []
        return ended

    def finish(self) -> Recorded:
        return self._recorder.result()

    def close(self) -> None:
        pass


class _Worker:
    """The sidecar process, its socket and the shared file (mapped here and there)."""

    def __init__(self):
        shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
        self.fd, self.path = tempfile.mkstemp(prefix="playground-sidecar-", dir=shm)
        self.reserved = 0
        ours = theirs = None
        try:
            os.ftruncate(self.fd, ARENA_BYTES)
            self._map = mmap.mmap(self.fd, ARENA_BYTES)
            self.arena = np.frombuffer(self._map, np.uint8)
            ours, theirs = socket.socketpair()
            root = str(Path(__file__).resolve().parents[2])  # so `-m playground.training.sidecar` imports from anywhere
            env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
                       OPENBLAS_NUM_THREADS="1")  # (as the server holds it: app.py)
            # Its own session: a Ctrl-C in the server's terminal is the server's to handle; the sidecar
            # ends when the server's end of the socket closes.
            self.process = subprocess.Popen(
                [sys.executable, "-m", "playground.training.sidecar", str(theirs.fileno()), self.path],
                pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                start_new_session=True)
        except BaseException:
            os.close(self.fd)
            Path(self.path).unlink(missing_ok=True)
            if ours is not None:
                ours.close()
            raise
        finally:
            if theirs is not None:
                theirs.close()
        self.conn = Connection(ours.detach())
        self.ready = self.stopped = False
        self.lock = threading.Lock()  # one batch at a time

    def check_ready(self) -> bool:
        """Whether the sidecar has mapped the file (and unlinked its name: both maps stay)."""
        if not self.ready and self.conn.poll(0):
            if self.receive()[0] != "ready":
                raise SidecarError("The sidecar did not start as expected.")
            self.ready = True
        return self.ready

    def reserve(self, nbytes: int) -> None:
        """Give the file's first ``nbytes`` their pages now: writing a page a full /dev/shm cannot
        give would kill the server (SIGBUS); here it is an error, and the batch records here."""
        if nbytes > self.reserved and hasattr(os, "posix_fallocate"):
            try:
                os.posix_fallocate(self.fd, 0, nbytes)
            except OSError as e:
                raise SidecarError(f"No room for the sidecar's ring: {e}") from None
            self.reserved = nbytes

    def send(self, message) -> None:
        try:
            self.conn.send(message)
        except (OSError, ValueError) as e:
            raise SidecarError(f"The sidecar is gone: {e}") from None

    def receive(self):
        try:
            if not _spin(self.conn, SPIN) and not self.conn.poll(TIMEOUT):
                raise SidecarError(f"The sidecar did not answer within {TIMEOUT:g} s.")
            message = self.conn.recv()
        except (EOFError, OSError) as e:
            raise SidecarError(f"The sidecar is gone: {e!r}") from None
        if message[0] == "error":
            raise SidecarError(f"The sidecar failed: {message[1]}")
        return message

    def stop(self) -> None:
        if self.stopped:  # (once: its fd's number may belong to another file afterwards)
            return
        self.stopped = True
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        with contextlib.suppress(OSError):
            os.close(self.fd)
        Path(self.path).unlink(missing_ok=True)  # (the sidecar unlinks it once mapped; not if it died before)


class _Remote:
    """Records in the sidecar, one chunk behind the loop."""

    def __init__(self, worker: _Worker, setup: Setup):
        self._worker = worker
        worker.reserve(ring_bytes(setup))
        self.slots = ring(worker.arena[:ring_bytes(setup)], setup)
        self._pending = [False, False]
        self._ended: list[int] = []
        self._finished = False
        worker.send(("job", setup))

    def submit(self, slot: int, i0: int, n: int) -> None:
        self._pending[slot] = True
        self._worker.send(("chunk", slot, i0, n))

    def _take(self, message) -> None:
        if message[0] != "ack":
            raise SidecarError(f"Unexpected message from the sidecar: {message[0]!r}.")
        self._pending[message[1]] = False
        self._ended += message[2]

    def free(self, slot: int) -> list[int]:
        while self._pending[slot]:
            self._take(self._worker.receive())
        ended, self._ended = self._ended, []
        return ended

    def finish(self) -> Recorded:
        self._worker.send(("end",))
        while True:
            message = self._worker.receive()
            if message[0] == "result":
                self._finished = True
                _recorded()
                return message[1]
            self._take(message)

    def close(self) -> None:
        """Done with the sidecar. A batch that did not finish (a failure there or here) leaves it
        mid-job, with answers in its socket that the next batch would take for its own: stop it."""
        if not self._finished:
            _discard(self._worker)
        self._worker.lock.release()


_worker: _Worker | None = None
_starts = 0
_start_lock = threading.Lock()


def _enabled() -> bool:
    return os.environ.get(SWITCH, "1") != "0"


def _ready_worker() -> _Worker | None:
    """The sidecar, when it is up; started (not waited for) when it is not."""
    global _worker, _starts
    with _start_lock:
        if _worker is not None and _worker.process.poll() is not None:
            _worker.stop()
            _worker = None
        if _worker is None:
            if _starts >= MAX_STARTS:
                return None
            _starts += 1
            # (no shared memory, no subprocesses, another OS: record here, as without it)
            with contextlib.suppress(Exception):
                _worker = _Worker()
            return None  # (started, not waited for)
        try:
            return _worker if _worker.check_ready() else None
        except SidecarError:  # (it died while starting: the next long batch starts another)
            _worker.stop()
            _worker = None
            return None


def _recorded() -> None:
    """A batch was recorded there: a later failure (a stall of the host longer than TIMEOUT, say)
    starts the count of MAX_STARTS afresh rather than using up this process's last starts."""
    global _starts
    with _start_lock:
        _starts = 0


def _discard(worker: _Worker) -> None:
    """Stop a sidecar that failed (the next long batch starts a new one, up to MAX_STARTS)."""
    global _worker
    with _start_lock:
        if _worker is worker:
            _worker = None
    worker.stop()


def recorder(setup: Setup) -> Inline | _Remote:
    """Where this batch records its histories: the sidecar when it is up, idle, and the batch is
    long enough and fits its ring; this process otherwise. Call ``close()`` when done, whatever
    happened (after a SidecarError, record the batch again with an ``Inline``)."""
    if not _enabled() or max(setup.counts) * setup.rows < MIN_WORK or ring_bytes(setup) > ARENA_BYTES:
        return Inline(setup)
    worker = _ready_worker()
    if worker is None or not worker.lock.acquire(blocking=False):
        return Inline(setup)
    try:
        return _Remote(worker, setup)
    except SidecarError:
        worker.lock.release()
        _discard(worker)
        return Inline(setup)


@atexit.register
def _shutdown() -> None:
    if _worker is not None:
        _worker.stop()


def _serve(fd: int, path: str) -> None:
    """The sidecar's own loop: one job at a time, a chunk at a time, until the socket closes."""
    conn = Connection(fd)
    with open(path, "r+b") as f:
        arena = np.frombuffer(mmap.mmap(f.fileno(), 0), np.uint8)
    Path(path).unlink(missing_ok=True)  # both processes map it now: nothing is left behind, however either ends
    conn.send(("ready",))
    recorder = slots = None
    while True:
        try:
            _spin(conn, SPIN)
            message = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if message[0] == "job":
                setup = message[1]
                slots = ring(arena[:ring_bytes(setup)], setup, clear=False)
                recorder = DualRecorder(setup)
            elif message[0] == "chunk":
                _, slot, i0, n = message
                conn.send(("ack", slot, recorder.record(slots[slot], i0, n)))
            elif message[0] == "end":
                conn.send(("result", recorder.result()))
                recorder = slots = None
            else:
                raise ValueError(f"unknown message {message[0]!r}")
        except OSError:  # the server is gone
            return
        except Exception:
            recorder = slots = None
            try:
                conn.send(("error", traceback.format_exc(limit=4)))
            except OSError:
                return


if __name__ == "__main__":
    _serve(int(sys.argv[1]), sys.argv[2])
