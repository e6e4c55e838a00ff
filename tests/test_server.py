"""What the server process sets up once."""

import gc
import logging

import pytest

from playground import server
from playground.lessons.speed import single_blas_thread


@pytest.fixture
def run_as(monkeypatch, caplog):
    """``run_as(uid)``: the server's process seen as running with that effective user id, its
    warnings (logger playground.server) captured; warn_if_root's memory emptied before and after."""
    server.warn_if_root.cache_clear()

    def as_user(uid: int):
        monkeypatch.setattr(server.os, "geteuid", lambda: uid)
        caplog.set_level(logging.WARNING, logger="playground.server")
        return caplog

    yield as_user
    server.warn_if_root.cache_clear()


def test_running_as_root_is_warned_once(run_as):
    log = run_as(0)
    assert server.warn_if_root() is True
    assert server.warn_if_root() is True
    assert [r.getMessage() for r in log.records] == [server.ROOT_WARNING]


def test_an_unprivileged_user_is_not_warned(run_as):
    log = run_as(1000)
    assert server.warn_if_root() is False
    assert not log.records


def test_the_startup_heap_is_frozen_once():
    server.freeze_startup_heap.cache_clear()
    try:
        server.freeze_startup_heap()
        frozen = gc.get_freeze_count()
        assert frozen > 1000  # pytest, NumPy and this test's imports at least
        junk = [[] for _ in range(1000)]
        server.freeze_startup_heap()  # a later rerun: nothing more is frozen
        assert gc.get_freeze_count() == frozen
        del junk
    finally:
        gc.unfreeze()
        server.freeze_startup_heap.cache_clear()


def test_use_one_blas_thread_sets_the_process_count():
    funcs = server.openblas_threads()
    if funcs is None:
        assert server.use_one_blas_thread() is False
        return
    get, set_ = funcs
    before = get()
    try:
        assert server.use_one_blas_thread() is True and get() == 1
        with single_blas_thread() as single:  # already one thread: no change, no lock
            assert single and get() == 1
        assert get() == 1
    finally:
        set_(before)
