"""A Store on each engine: a fresh SQLite file, and a fresh database on a real PostgreSQL server."""

import itertools

import pytest
import sqlalchemy as sa

from playground.classroom.store import Store
from tests.postgres import running_postgres

_fresh = itertools.count()


@pytest.fixture(scope="session")
def postgres_url():
    try:
        with running_postgres() as url:
            yield url
    except RuntimeError as err:
        pytest.fail(str(err))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """The URL of an empty database on each engine."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'classes.sqlite3'}"
    server = request.getfixturevalue("postgres_url")
    name = f"test_{next(_fresh)}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return server.replace("/postgres?", f"/{name}?")


@pytest.fixture
def store(database_url):
    s = Store(database_url)
    yield s
    s.close()
