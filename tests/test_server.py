"""What the server process sets up once."""

import logging

import pytest

from playground import server


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
