"""The sidecar records a batch's histories in a second process while the loop runs on: the same
numbers, to the last bit, as recorded here; and a sidecar that dies, hangs or is off changes no
number, only the time."""

import dataclasses
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from playground import sidecar
from playground.training import TrainingSettings, train_many
from tests.conftest import ROOT
from tests.results import assert_same_runs

S = TrainingSettings
# The Train page's heaviest batch: the main run and three compared rates, 5,000 iterations.
COMPARE = ([S(num_iterations=5000)] + [S(learning_rate=r, num_iterations=5000) for r in (0.01, 0.001, 0.0001)],
           dict(snapshots=[41, 0, 0, 0], snapshot_weights=False, test_every=[1, 50, 50, 50]))


def _mixed():
    """Both losses, counts ending mid-chunk and at 0, rates that overshoot and one whose logits turn
    non-finite after one step (it stops; the others run on). (Settings made inside a test: 1.7e308
    needs the `unlimited` fixture.)"""
    rows = [("cross_entropy", 1.0, 3000), ("cross_entropy", 1.7e308, 3000), ("cross_entropy", 0.01, 777),
            ("cross_entropy", 0.02, 0), ("mse", 5.0, 2550), ("mse", 0.05, 3000)]
    return ([S(loss=loss, learning_rate=rate, num_iterations=n, init="random", seed=4) for loss, rate, n in rows],
            dict(snapshots=[41, 41, 5, 3, 41, 0], test_every=[1, 50, 1, 1, 50, 1]))


@pytest.fixture
def recorders(monkeypatch):
    """The kind of recorder each batch gets ("Inline" or "_Remote"), in order."""
    kinds = []
    real = sidecar.recorder

    def spy(setup):
        recorder = real(setup)
        kinds.append(type(recorder).__name__)
        return recorder

    monkeypatch.setattr(sidecar, "recorder", spy)
    return kinds


@pytest.fixture
def sidecar_on(monkeypatch):
    """The sidecar switched on, its count of starts at 0 (this test's failures do not count against
    later tests' starts)."""
    monkeypatch.setenv(sidecar.SWITCH, "1")
    monkeypatch.setattr(sidecar, "_starts", 0)


@pytest.fixture
def no_sidecar_yet(monkeypatch, sidecar_on):
    """As sidecar_on, with no sidecar started: this test's are its own."""
    monkeypatch.setattr(sidecar, "_worker", None)


@pytest.fixture
def sidecar_up(sidecar_on):
    """A running sidecar."""
    return _wait_ready()


def _wait_ready(seconds: float = 30):
    """The sidecar once it is up (started if need be)."""
    deadline = time.monotonic() + seconds
    while sidecar._ready_worker() is None:
        assert time.monotonic() < deadline, f"the sidecar did not start within {seconds:g} s"
        time.sleep(0.02)
    return sidecar._worker


def _inline(monkeypatch, features, settings, options):
    with monkeypatch.context() as m:
        m.setenv(sidecar.SWITCH, "0")
        return train_many(features, settings, **options)


@pytest.mark.parametrize("mixed", [False, True], ids=["compare", "mixed"])
def test_the_sidecar_records_the_same_bits(monkeypatch, course_features, unlimited, sidecar_up, recorders, mixed):
    settings, options = _mixed() if mixed else COMPARE
    here = _inline(monkeypatch, course_features, settings, options)
    there = train_many(course_features, settings, **options)
    assert recorders == ["Inline", "_Remote"]
    assert_same_runs(here, there)
    if mixed:
        broken = there[1]
        assert broken.stopped_early and len(broken.costs) == 2 and broken.snapshot_iterations.tolist() == [0]


def test_short_batches_and_the_switch_keep_recording_here(monkeypatch, course_features, sidecar_up, recorders):
    train_many(course_features, [S(num_iterations=200), S(learning_rate=0.01, num_iterations=200)])
    monkeypatch.setenv(sidecar.SWITCH, "0")
    train_many(course_features, COMPARE[0], **COMPARE[1])
    assert recorders == ["Inline", "Inline"]  # 2 × 200 row-iterations are below MIN_WORK


def test_a_sidecar_killed_mid_batch_changes_no_number(monkeypatch, course_features, sidecar_up, recorders):
    settings, options = COMPARE
    here = _inline(monkeypatch, course_features, settings, options)
    real = sidecar._Remote.submit

    def submit(self, slot, i0, n):
        if i0 == 2000:
            sidecar_up.process.kill()
            sidecar_up.process.wait()
        real(self, slot, i0, n)

    monkeypatch.setattr(sidecar._Remote, "submit", submit)
    there = train_many(course_features, settings, **options)
    assert recorders == ["Inline", "_Remote"] and sidecar._worker is not sidecar_up  # given up
    assert_same_runs(here, there)


def test_a_sidecar_that_hangs_is_given_up(monkeypatch, course_features, sidecar_up):
    settings, options = COMPARE
    here = _inline(monkeypatch, course_features, settings, options)
    monkeypatch.setattr(sidecar, "TIMEOUT", 0.5)
    os.kill(sidecar_up.process.pid, signal.SIGSTOP)  # (a stopped process still dies of SIGKILL)
    try:
        start = time.perf_counter()
        there = train_many(course_features, settings, **options)
        assert time.perf_counter() - start < 10
    finally:
        if sidecar_up.process.poll() is None:
            os.kill(sidecar_up.process.pid, signal.SIGCONT)
    assert sidecar_up.process.poll() is not None and sidecar._worker is not sidecar_up
    assert_same_runs(here, there)


def test_a_recorded_batch_starts_the_count_of_failed_starts_afresh(monkeypatch, course_features, sidecar_up,
                                                                 recorders):
    """A batch recorded there resets the count of starts: only MAX_STARTS failures in a row (not over
    the process's whole life) switch the sidecar off."""
    settings, options = COMPARE
    monkeypatch.setattr(sidecar, "_starts", sidecar.MAX_STARTS)
    train_many(course_features, settings, **options)
    assert recorders == ["_Remote"] and sidecar._starts == 0


def test_two_batches_at_once_one_in_the_sidecar(monkeypatch, course_features, sidecar_up, recorders):
    """Two visitors train at the same moment: one batch gets the sidecar, the other records here."""
    settings, options = COMPARE
    other = [dataclasses.replace(s, loss="mse") for s in settings]
    here = [_inline(monkeypatch, course_features, batch, options) for batch in (settings, other)]
    got = [None, None]
    go = threading.Barrier(2)

    def run(k, batch):
        go.wait()
        got[k] = train_many(course_features, batch, **options)

    threads = [threading.Thread(target=run, args=(k, batch)) for k, batch in enumerate((settings, other))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert recorders[:2] == ["Inline", "Inline"] and "_Remote" in recorders[2:]  # (both, if one ended first)
    for mine, theirs in zip(here, got):
        assert_same_runs(mine, theirs)


def test_the_sidecar_leaves_nothing_behind(tmp_path):
    """Its shared file is unlinked once both processes map it, and it exits when its parent does,
    even one killed without a chance to stop it."""
    script = ("import os, time\n"
              "from playground import sidecar\n"
              "while sidecar._ready_worker() is None: time.sleep(0.02)\n"
              "print(sidecar._worker.process.pid, sidecar._worker.path, flush=True)\n"
              "os.kill(os.getpid(), 9)\n")
    # (The sidecar inherits stderr: kept off a pipe, so that run() returns when its parent dies.)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, timeout=60)
    assert out.returncode == -9 and len(out.stdout.split()) == 2, out
    pid, path = out.stdout.split()
    assert not os.path.exists(path)
    deadline = time.monotonic() + 10
    while _alive(int(pid)):
        assert time.monotonic() < deadline, "the orphaned sidecar is still running"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_where_no_sidecar_can_start_training_records_here(monkeypatch, course_features, recorders, no_sidecar_yet):
    """No shared memory, no subprocesses (another OS): the same numbers, recorded in this process."""
    def refuse():
        raise ValueError("pass_fds is not supported on this platform")

    monkeypatch.setattr(sidecar, "_Worker", refuse)
    settings, options = COMPARE
    runs = train_many(course_features, settings, **options)
    assert recorders == ["Inline"] and sidecar._worker is None
    here = _inline(monkeypatch, course_features, settings, options)
    assert_same_runs(here, runs)


def test_a_sidecar_that_dies_starting_is_stopped_and_another_started(monkeypatch, course_features, no_sidecar_yet):
    """Its first word is not "ready" (it died importing): given up without waiting, started again."""
    assert sidecar._ready_worker() is None  # starting
    first = sidecar._worker

    def died(self):
        raise sidecar.SidecarError("The sidecar is gone: EOFError()")

    real_check = sidecar._Worker.check_ready
    try:
        monkeypatch.setattr(sidecar._Worker, "check_ready", died)
        done = threading.Event()
        threading.Thread(target=lambda: (sidecar._ready_worker(), done.set()), daemon=True).start()
        assert done.wait(10), "_ready_worker hung"
        assert sidecar._worker is None and first.process.poll() is not None
        monkeypatch.setattr(sidecar._Worker, "check_ready", real_check)
        assert sidecar._ready_worker() is None and sidecar._worker not in (None, first)  # the next one starting
    finally:  # (no sidecar left running, whatever failed)
        for worker in {first, sidecar._worker} - {None}:
            sidecar._discard(worker)


def test_a_batch_that_fails_here_leaves_no_answers_for_the_next(monkeypatch, course_features, sidecar_up, recorders):
    """Any failure mid-batch (not the sidecar's) stops the sidecar: its unread answers would be taken
    by the next batch for its own, which would then overwrite slots still being read."""
    settings, options = COMPARE
    here = _inline(monkeypatch, course_features, settings, options)
    real = sidecar._Remote.submit

    def submit(self, slot, i0, n):
        if i0 == 1000:
            raise MemoryError("a failure in the server process")
        real(self, slot, i0, n)

    with monkeypatch.context() as m:
        m.setattr(sidecar._Remote, "submit", submit)
        with pytest.raises(MemoryError):
            train_many(course_features, settings, **options)
    assert sidecar_up.process.poll() is not None and sidecar._worker is None
    _wait_ready()  # a new one
    there = train_many(course_features, settings, **options)
    assert recorders[-1] == "_Remote"
    assert_same_runs(here, there)


def test_no_room_for_the_ring_records_here(monkeypatch, course_features, sidecar_up, recorders):
    """A full /dev/shm: the batch records here (writing an unreserved page there would be SIGBUS)."""
    def full(fd, offset, length):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(sidecar.os, "posix_fallocate", full, raising=False)
    monkeypatch.setattr(sidecar_up, "reserved", 0)
    settings, options = COMPARE
    runs = train_many(course_features, settings, **options)
    assert recorders == ["Inline"]
    here = _inline(monkeypatch, course_features, settings, options)
    assert_same_runs(here, runs)
