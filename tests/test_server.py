"""What the server process sets up once."""

import logging

from playground import server


def test_running_as_root_is_warned_once(monkeypatch, caplog):
    server.warn_if_root.cache_clear()
    monkeypatch.setattr(server.os, "geteuid", lambda: 0)
    try:
        with caplog.at_level(logging.WARNING, logger="playground.server"):
            assert server.warn_if_root() is True
            assert server.warn_if_root() is True
        assert [r.getMessage() for r in caplog.records] == [server.ROOT_WARNING]
    finally:
        server.warn_if_root.cache_clear()


def test_an_unprivileged_user_is_not_warned(monkeypatch, caplog):
    server.warn_if_root.cache_clear()
    monkeypatch.setattr(server.os, "geteuid", lambda: 1000)
    try:
        with caplog.at_level(logging.WARNING, logger="playground.server"):
            assert server.warn_if_root() is False
        assert not caplog.records
    finally:
        server.warn_if_root.cache_clear()
