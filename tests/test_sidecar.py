"""The sidecar records a batch's histories in a second process while the loop runs on: the same
numbers, to the last bit, as recorded here; and a sidecar that dies, hangs or is off changes no
number, only the time."""

import contextlib
import dataclasses
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from playground.training import TrainingSettings, sidecar, train_many
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


_RECORDER = sidecar.recorder
"""sidecar.recorder itself, whatever a test's spies put in its place."""
PROBE = S(num_iterations=2 * sidecar.MIN_WORK)
"""A run long enough to record in the sidecar (when it is up), and quick."""


def _where(recorder) -> str:
    """Where a recorder records a batch's histories: "here" (an Inline) or "sidecar"."""
    return "here" if isinstance(recorder, sidecar.Inline) else "sidecar"


@pytest.fixture
def recorders(monkeypatch):
    """Where each batch records ("here" or "sidecar"), in order."""
    kinds = []
    real = sidecar.recorder

    def spy(setup):
        recorder = real(setup)
        kinds.append(_where(recorder))
        return recorder

    monkeypatch.setattr(sidecar, "recorder", spy)
    return kinds


def _before_each_chunk(monkeypatch, act) -> None:
    """``act(i0)`` before the sidecar is handed each chunk (updates i0 …) of a batch it records."""
    real = sidecar.recorder

    def wrapped(setup):
        recorder = real(setup)
        if _where(recorder) == "sidecar":
            submit = recorder.submit

            def submit_after(slot, i0, n):
                act(i0)
                submit(slot, i0, n)

            recorder.submit = submit_after
        return recorder

    monkeypatch.setattr(sidecar, "recorder", wrapped)


@pytest.fixture
def sidecar_on(monkeypatch):
    """The sidecar switched on, its count of starts at 0 (this test's failures do not count against
    later tests' starts)."""
    monkeypatch.setenv(sidecar.SWITCH, "1")
    monkeypatch.setattr(sidecar, "_starts", 0)  # (sidecar.py has no public way to reset its state)


@pytest.fixture
def no_sidecar_yet(monkeypatch, sidecar_on):
    """As sidecar_on, with no sidecar started: this test's are its own."""
    monkeypatch.setattr(sidecar, "_worker", None)  # (sidecar.py has no public way to reset its state)


@pytest.fixture
def sidecar_up(sidecar_on, course_features) -> int:
    """A running sidecar: its process id."""
    return _wait_ready(course_features)


def _sidecars() -> set[int]:
    """The process ids of this process's sidecars that run (its children started as
    ``python -m playground.training.sidecar``; one killed but not yet reaped has no command line)."""
    pids = set()
    for task in Path("/proc/self/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # (a thread that ended meanwhile)
            for pid in (task / "children").read_text().split():
                with contextlib.suppress(FileNotFoundError):
                    if b"playground.training.sidecar" in Path(f"/proc/{pid}/cmdline").read_bytes():
                        pids.add(int(pid))
    return pids


def _wait_ready(features, besides: set[int] = frozenset(), seconds: float = 30) -> int:
    """The sidecar's process id once a batch records there (started if need be), not counting
    sidecars ``besides``. The probing batches go to sidecar.recorder itself: a test's spies do not see them."""
    deadline = time.monotonic() + seconds
    kinds = []

    def probe(setup):
        recorder = _RECORDER(setup)
        kinds.append(_where(recorder))
        return recorder

    with pytest.MonkeyPatch.context() as m:
        m.setattr(sidecar, "recorder", probe)
        while kinds[-1:] != ["sidecar"]:
            assert time.monotonic() < deadline, f"the sidecar did not start within {seconds:g} s"
            time.sleep(0.02)
            train_many(features, [PROBE])
    [pid] = _sidecars() - besides
    return pid


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (not ended, not a zombie)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


def _kill(pid: int) -> None:
    """SIGKILL, and wait until it is dead (a zombie until the sidecar's owner reaps it)."""
    os.kill(pid, signal.SIGKILL)
    while _alive(pid):
        time.sleep(0.01)


def _given_up(pid: int) -> bool:
    """Whether this process stopped the sidecar ``pid`` and let it go: killed and reaped, not even a zombie."""
    return not Path(f"/proc/{pid}").exists()


class _Stop(Exception):
    pass


def _stop_sidecar(features) -> None:
    """Have this process stop its sidecar (up), as it does when a batch recorded there fails here."""
    def fail(i0):
        raise _Stop

    with pytest.MonkeyPatch.context() as m:
        _before_each_chunk(m, fail)
        with pytest.raises(_Stop):
            train_many(features, [PROBE])


def _inline(monkeypatch, features, settings, options):
    with monkeypatch.context() as m:
        m.setenv(sidecar.SWITCH, "0")
        return train_many(features, settings, **options)


@pytest.mark.parametrize("mixed", [False, True], ids=["compare", "mixed"])
def test_the_sidecar_records_the_same_bits(monkeypatch, course_features, unlimited, sidecar_up, recorders, mixed):
    settings, options = _mixed() if mixed else COMPARE
    here = _inline(monkeypatch, course_features, settings, options)
    there = train_many(course_features, settings, **options)
    assert recorders == ["here", "sidecar"]
    assert_same_runs(here, there)
    if mixed:
        broken = there[1]
        assert broken.stopped_early and len(broken.costs) == 2 and broken.snapshot_iterations.tolist() == [0]


def test_short_batches_and_the_switch_keep_recording_here(monkeypatch, course_features, sidecar_up, recorders):
    train_many(course_features, [S(num_iterations=200), S(learning_rate=0.01, num_iterations=200)])
    monkeypatch.setenv(sidecar.SWITCH, "0")
    train_many(course_features, COMPARE[0], **COMPARE[1])
    assert recorders == ["here", "here"]  # 2 × 200 row-iterations are below MIN_WORK


def test_a_sidecar_killed_mid_batch_changes_no_number(monkeypatch, course_features, sidecar_up, recorders):
    settings, options = COMPARE
    here = _inline(monkeypatch, course_features, settings, options)

    def kill(i0):
        if i0 == 2000:
            _kill(sidecar_up)

    _before_each_chunk(monkeypatch, kill)
    there = train_many(course_features, settings, **options)
    assert recorders == ["here", "sidecar"] and _given_up(sidecar_up)
    assert_same_runs(here, there)


def test_a_sidecar_that_hangs_is_given_up(monkeypatch, course_features, sidecar_up):
    settings, options = COMPARE
    here = _inline(monkeypatch, course_features, settings, options)
    monkeypatch.setattr(sidecar, "TIMEOUT", 0.5)
    os.kill(sidecar_up, signal.SIGSTOP)  # (a stopped process still dies of SIGKILL)
    try:
        start = time.perf_counter()
        there = train_many(course_features, settings, **options)
        assert time.perf_counter() - start < 10
    finally:
        if _alive(sidecar_up):
            os.kill(sidecar_up, signal.SIGCONT)
    assert _given_up(sidecar_up)
    assert_same_runs(here, there)


def test_a_recorded_batch_starts_the_count_of_failed_starts_afresh(monkeypatch, course_features, sidecar_up,
                                                                 recorders):
    """A batch recorded there resets the count of starts: only MAX_STARTS failures in a row (not over
    the process's whole life) switch the sidecar off."""
    settings, options = COMPARE
    monkeypatch.setattr(sidecar, "_starts", sidecar.MAX_STARTS)  # (no public way to have used them up)
    train_many(course_features, settings, **options)
    assert recorders == ["sidecar"]
    _kill(sidecar_up)
    assert _wait_ready(course_features) != sidecar_up  # another was started: the count began afresh


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
    assert recorders[:2] == ["here", "here"] and "sidecar" in recorders[2:]  # (both, if one ended first)
    for mine, theirs in zip(here, got):
        assert_same_runs(mine, theirs)


LEAVE_AND_DIE = """
import os, time
from pathlib import Path
from playground.training import sidecar
from playground.data.features import make_features
from playground.training import TrainingSettings, train_many
from tests.helpers import random_pictures
F = make_features(random_pictures(40, (8, 8, 3)))  # (n_x = 192 > m = 30: the dual path, which records)
real, inline = sidecar.recorder, []
def spy(setup):
    inline.append(isinstance(recorder := real(setup), sidecar.Inline))
    return recorder
sidecar.recorder = spy
deadline = time.monotonic() + 30
while inline[-1:] != [False]:  # until a batch records in the sidecar
    assert time.monotonic() < deadline, "the sidecar did not start"
    time.sleep(0.02)
    train_many(F, [TrainingSettings(num_iterations=2 * sidecar.MIN_WORK)])
[pid] = [k for t in Path("/proc/self/task").iterdir() for k in (t / "children").read_text().split()
         if b"playground.training.sidecar" in Path(f"/proc/{k}/cmdline").read_bytes()]
[path] = {line.split(maxsplit=5)[5].strip().removesuffix(" (deleted)")
          for line in open("/proc/self/maps") if "playground-sidecar-" in line}
print(pid, path, flush=True)
os.kill(os.getpid(), 9)
"""
"""Starts a sidecar in a new process and prints its process id and the path of the file the two
map, then dies of SIGKILL."""


def test_the_sidecar_leaves_nothing_behind(tmp_path):
    """Its shared file is unlinked once both processes map it, and it exits when its parent does,
    even one killed without a chance to stop it."""
    # (The sidecar inherits stderr: kept off a pipe, so that run() returns when its parent dies.)
    out = subprocess.run([sys.executable, "-c", LEAVE_AND_DIE], cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True, timeout=60)
    assert out.returncode == -9 and len(out.stdout.split()) == 2, out
    pid, path = out.stdout.split()
    assert not os.path.exists(path)
    deadline = time.monotonic() + 10
    while _alive(int(pid)):
        assert time.monotonic() < deadline, "the orphaned sidecar is still running"
        time.sleep(0.05)


def test_where_no_sidecar_can_start_training_records_here(monkeypatch, course_features, recorders, no_sidecar_yet):
    """No shared memory, no subprocesses (another OS): the same numbers, recorded in this process."""
    def refuse(*args, **kwargs):
        raise ValueError("pass_fds is not supported on this platform")

    before = _sidecars()
    monkeypatch.setattr(subprocess, "Popen", refuse)
    settings, options = COMPARE
    runs = train_many(course_features, settings, **options)
    assert recorders == ["here"] and _sidecars() == before
    here = _inline(monkeypatch, course_features, settings, options)
    assert_same_runs(here, runs)


SILENT_START = """
import os, sys, time
if sys.orig_argv[1:3] == ["-m", "playground.training.sidecar"]:  # the sidecar: its socket closed before a word
    os.close(int(sys.orig_argv[3]))
    time.sleep(60)
"""
"""A sitecustomize.py that makes a sidecar fall silent as it starts, as one that died importing."""


def test_a_sidecar_that_dies_starting_is_stopped_and_another_started(monkeypatch, tmp_path, course_features,
                                                                     no_sidecar_yet):
    """Its first word is not "ready" (it died importing): given up without waiting, started again."""
    (tmp_path / "sitecustomize.py").write_text(SILENT_START)
    before = _sidecars()
    try:
        with monkeypatch.context() as m:
            m.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(tmp_path), os.environ.get("PYTHONPATH")])))
            train_many(course_features, [PROBE])  # recorded here; the sidecar starting
            [first] = _sidecars() - before
            deadline = time.monotonic() + 30
            while not _given_up(first):
                assert time.monotonic() < deadline, "a sidecar that fell silent was not given up"
                done = threading.Event()
                threading.Thread(target=lambda: (train_many(course_features, [PROBE]), done.set()), daemon=True).start()
                assert done.wait(10), "a batch waited for a sidecar that fell silent"
                time.sleep(0.02)
        second = _wait_ready(course_features, besides=before)  # the next one
        assert second != first
        _stop_sidecar(course_features)
        assert _given_up(second)
    finally:  # (no sidecar of this test's left running, whatever failed)
        for pid in _sidecars() - before:
            _kill(pid)


def test_a_batch_that_fails_here_leaves_no_answers_for_the_next(monkeypatch, course_features, sidecar_up, recorders):
    """Any failure mid-batch (not the sidecar's) stops the sidecar: its unread answers would be taken
    by the next batch for its own, which would then overwrite slots still being read."""
    settings, options = COMPARE
    here = _inline(monkeypatch, course_features, settings, options)

    def fail(i0):
        if i0 == 1000:
            raise MemoryError("a failure in the server process")

    with monkeypatch.context() as m:
        _before_each_chunk(m, fail)
        with pytest.raises(MemoryError):
            train_many(course_features, settings, **options)
    assert _given_up(sidecar_up)
    _wait_ready(course_features)  # a new one
    there = train_many(course_features, settings, **options)
    assert recorders[-1] == "sidecar"
    assert_same_runs(here, there)


def test_no_room_for_the_ring_records_here(monkeypatch, course_features, sidecar_up, recorders):
    """A full /dev/shm: the batch records here (writing an unreserved page there would be SIGBUS)."""
    def full(fd, offset, length):
        raise OSError(28, "No space left on device")

    _kill(sidecar_up)
    _wait_ready(course_features)  # a new sidecar: its file reserved for the probe's small ring only
    monkeypatch.setattr(os, "posix_fallocate", full, raising=False)
    settings, options = COMPARE
    runs = train_many(course_features, settings, **options)
    assert recorders == ["here"]
    here = _inline(monkeypatch, course_features, settings, options)
    assert_same_runs(here, runs)
