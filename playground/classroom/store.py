"""Every read and write of class data: SQLAlchemy Core over SQLite (default) or PostgreSQL.

SQLite lives in one file under $PLAYGROUND_STATE_DIR (default ~/.local/state/logistic-playground), in
WAL mode, which every copy of ``python -m playground.serve`` on one machine shares. With
$PLAYGROUND_DATABASE_URL (e.g. ``postgresql+psycopg://user@host/db``) the copies may span machines.
The schema is created or upgraded when a Store opens. Classes expire CLASS_HOURS after they are
made; a purge runs when a Store opens and then at most hourly.

Rules the store enforces, whatever a page asks: only the teacher key reads a class's own data, clears
or ends it, and a wrong key is refused exactly as a class that does not exist; a student has one
answer per checkpoint (replaced when they answer again) and at most MAX_RUNS runs; a class holds at
most MAX_STUDENTS students. Every database failure becomes ClassUnavailable: a page says class mode
is unavailable and goes on.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from playground.classroom.codes import clean_nickname, key_hash, key_matches, new_code, new_key, normal_code
from playground.errors import InputError

CLASS_HOURS = 24
MAX_STUDENTS = 200
MAX_RUNS = 50
"""Runs one student may send to a class."""
MAX_ANSWER = 120
"""Characters of an answer kept (a choice's id, a number, a target's run)."""
MAX_DATASET = 32
"""Characters of a run's dataset kept: the kind of data (and the built-in drawings' seed), no file name."""
PURGE_EVERY = dt.timedelta(hours=1)
SCHEMA_VERSION = 2
DATABASE_URL = "PLAYGROUND_DATABASE_URL"
STATE_DIR = "PLAYGROUND_STATE_DIR"

metadata = sa.MetaData()
schema = sa.Table("schema_version", metadata, sa.Column("version", sa.Integer, nullable=False))
classes = sa.Table(
    "classes", metadata,
    sa.Column("code", sa.String(8), primary_key=True),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False, index=True),
)
_class_fk = {"ondelete": "CASCADE"}
students = sa.Table(
    "students", metadata,
    sa.Column("code", sa.String(8), sa.ForeignKey("classes.code", **_class_fk), primary_key=True),
    sa.Column("student", sa.String(64), primary_key=True),
    sa.Column("nickname", sa.String(64), nullable=False, default=""),
    sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
)
rounds = sa.Table(
    "checkpoint_rounds", metadata,
    sa.Column("code", sa.String(8), sa.ForeignKey("classes.code", **_class_fk), primary_key=True),
    sa.Column("checkpoint", sa.String(64), primary_key=True),
    sa.Column("round", sa.Integer, nullable=False, default=0),
    sa.Column("revealed", sa.Boolean, nullable=False, default=False),
)
answers = sa.Table(
    "answers", metadata,
    sa.Column("code", sa.String(8), sa.ForeignKey("classes.code", **_class_fk), primary_key=True),
    sa.Column("student", sa.String(64), primary_key=True),
    sa.Column("checkpoint", sa.String(64), primary_key=True),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("first", sa.String(MAX_ANSWER), nullable=False),
    sa.Column("final", sa.String(MAX_ANSWER), nullable=False),
    sa.Column("first_right", sa.Boolean, nullable=False),
    sa.Column("final_right", sa.Boolean, nullable=False),
    sa.Column("tries", sa.Integer, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
)
runs = sa.Table(
    "runs", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("code", sa.String(8), sa.ForeignKey("classes.code", **_class_fk), nullable=False, index=True),
    sa.Column("student", sa.String(64), nullable=False),
    sa.Column("learning_rate", sa.Float, nullable=False),
    sa.Column("iterations", sa.Integer, nullable=False),
    sa.Column("loss", sa.String(32), nullable=False),
    sa.Column("init", sa.String(16), nullable=False),
    sa.Column("train_accuracy", sa.Float, nullable=True),
    sa.Column("test_accuracy", sa.Float, nullable=True),
    sa.Column("diverged", sa.Boolean, nullable=False),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    # (schema 2) which data the run trained on: accuracies on different data do not compare
    sa.Column("dataset", sa.String(MAX_DATASET), nullable=False, server_default=""),
)


class ClassUnavailable(RuntimeError):
    """The class database cannot be reached or failed: class mode is off, the pages go on."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _aware(t: dt.datetime) -> dt.datetime:
    # SQLite hands back naive datetimes (stored as UTC): compare like with like.
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class NewClass:
    code: str
    teacher_key: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class Run:
    """One run a student sent: the Train page's settings and what they gave."""

    learning_rate: float
    iterations: int
    loss: str
    init: str
    train_accuracy: float | None
    test_accuracy: float | None
    diverged: bool
    nickname: str = ""
    dataset: str = ""
    """The data it trained on, as the Train page names it (``"course_folder"``, ``"builtin:0"`` …); ""
    for a run sent before the store kept it."""


@dataclass(frozen=True)
class Tally:
    """One checkpoint's answers in the current round: counts per answer, first tries and final ones."""

    round: int = 0
    revealed: bool = False
    first: dict = field(default_factory=dict)
    final: dict = field(default_factory=dict)
    first_right: int = 0
    final_right: int = 0
    right_answers: tuple[str, ...] = ()
    """The answers the students' pages judged right (a number within its tolerance, a target met)."""

    @property
    def answered(self) -> int:
        return sum(self.final.values())


@dataclass(frozen=True)
class Results:
    """What the teacher sees: the class's size, each checkpoint's tally, every run."""

    code: str
    expires_at: dt.datetime
    students: int
    nicknames: tuple[str, ...]
    checkpoints: dict[str, Tally]
    runs: tuple[Run, ...]

    def as_json(self) -> dict:
        return {
            "code": self.code, "expires_at": self.expires_at.isoformat(), "students": self.students,
            "checkpoints": {cp: {"round": t.round, "revealed": t.revealed, "answered": t.answered, "first": t.first,
                                 "final": t.final, "first_right": t.first_right, "final_right": t.final_right,
                                 "right_answers": list(t.right_answers)}
                            for cp, t in self.checkpoints.items()},
            "runs": [dataclasses.asdict(r) for r in self.runs],
        }


def default_url() -> str:
    """$PLAYGROUND_DATABASE_URL, else the SQLite file under $PLAYGROUND_STATE_DIR."""
    url = os.environ.get(DATABASE_URL, "").strip()
    if url:
        return url
    folder = Path(os.environ.get(STATE_DIR) or Path.home() / ".local" / "state" / "logistic-playground")
    return f"sqlite:///{folder / 'classes.sqlite3'}"


def _engine(url: str) -> sa.Engine:
    if not url.startswith("sqlite"):
        return sa.create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=4, pool_timeout=5,
                                connect_args={"connect_timeout": 5} if "psycopg" in url else {})
    path = sa.engine.make_url(url).database
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(url, connect_args={"timeout": 10})

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # transactions begun below, as IMMEDIATE
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL cannot corrupt the file; a power cut may lose the last answers, not the class.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn):
        # Writers queue at BEGIN rather than fail mid-transaction when a reader wants to write.
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("read_only") else "BEGIN IMMEDIATE")

    return engine


class Store:
    """Class data in one database. Thread-safe: one Store serves every visitor of a copy."""

    def __init__(self, url: str | None = None):
        self.url = url or default_url()
        self._purged_at: dt.datetime | None = None
        self._purge_lock = threading.Lock()
        self._writing = threading.Lock() if self.url.startswith("sqlite") else contextlib.nullcontext()
        try:
            self.engine = _engine(self.url)
            self._upgrade()
        except (SQLAlchemyError, OSError) as err:
            raise ClassUnavailable(f"class database unavailable: {type(err).__name__}") from err
        self.purge()

    # ---------------------------------------------------------------- plumbing
    @contextmanager
    def _tx(self, read_only: bool = False) -> Iterator[sa.Connection]:
        """A transaction; on SQLite a writing one holds this copy's write lock: the copy's own writers
        queue in order here, rather than in SQLite's busy handler, whose growing sleeps let thirty
        writers at once starve a few for seconds."""
        try:
            with self._writing if not read_only else contextlib.nullcontext(), self.engine.connect() as conn:
                with conn.execution_options(read_only=read_only).begin():
                    yield conn
        except (SQLAlchemyError, OSError) as err:
            raise ClassUnavailable(f"class database unavailable: {type(err).__name__}") from err

    def _upgrade(self) -> None:
        """Create the tables, or bring an older schema up to SCHEMA_VERSION (copies may start together)."""
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(720461)"))  # one copy creates at a time
            metadata.create_all(conn, checkfirst=True)
            version = conn.execute(sa.select(schema.c.version)).scalar()
            if version is None:
                conn.execute(schema.insert().values(version=SCHEMA_VERSION))
            elif version > SCHEMA_VERSION:
                raise ClassUnavailable(f"the class database has schema {version}, newer than this app's {SCHEMA_VERSION}")
            # Upgrades from older versions, one step per version, then the row is raised.
            if version is not None and version < 2:
                conn.execute(sa.text(f"ALTER TABLE runs ADD COLUMN dataset VARCHAR({MAX_DATASET}) NOT NULL DEFAULT ''"))
            if version is not None and version < SCHEMA_VERSION:
                conn.execute(schema.update().values(version=SCHEMA_VERSION))

    def close(self) -> None:
        self.engine.dispose()

    def purge(self, now: dt.datetime | None = None) -> int:
        """Delete expired classes and all their data; returns how many went."""
        now = now or _now()
        with self._purge_lock:
            self._purged_at = now
        with self._tx() as conn:
            gone = [row.code for row in conn.execute(sa.select(classes.c.code).where(classes.c.expires_at <= now))]
            for table in (answers, rounds, runs, students):  # (explicitly: SQLite cascades only with its pragma)
                conn.execute(table.delete().where(table.c.code.in_(gone)))
            conn.execute(classes.delete().where(classes.c.code.in_(gone)))
        return len(gone)

    def _maybe_purge(self) -> None:
        with self._purge_lock:
            due = self._purged_at is None or _now() - self._purged_at >= PURGE_EVERY
        if due:
            self.purge()

    def _live(self, conn: sa.Connection, code: str, lock: bool = False):
        """The class row if it exists and has not expired, else None."""
        query = sa.select(classes).where(classes.c.code == code, classes.c.expires_at > _now())
        return conn.execute(query.with_for_update() if lock and conn.dialect.name == "postgresql" else query).first()

    def _teacher(self, conn: sa.Connection, code: str, key: str | None, lock: bool = False):
        row = self._live(conn, normal_code(code), lock)
        if row is None or not key_matches(key, row.key_hash):
            raise InputError("class_not_found")  # (a wrong key says exactly what a missing class says)
        return row

    # ---------------------------------------------------------------- the teacher
    def create_class(self, hours: float = CLASS_HOURS) -> NewClass:
        """A new class with a fresh join code and teacher key (shown once: the store keeps its hash)."""
        self._maybe_purge()
        key = new_key()
        now = _now()
        expires = now + dt.timedelta(hours=hours)
        for _ in range(20):
            code = new_code()
            try:
                with self._tx() as conn:
                    conn.execute(classes.insert().values(code=code, key_hash=key_hash(key), created_at=now,
                                                         expires_at=expires))
                return NewClass(code, key, expires)
            except ClassUnavailable as err:
                if not isinstance(err.__cause__, IntegrityError):
                    raise
        raise ClassUnavailable("no free join code after 20 tries")

    def results(self, code: str, key: str | None) -> Results:
        """Everything the teacher's view shows; InputError class_not_found for a wrong key or code."""
        self._maybe_purge()
        with self._tx(read_only=True) as conn:
            row = self._teacher(conn, code, key)
            people = {r.student: r.nickname for r in conn.execute(
                sa.select(students.c.student, students.c.nickname).where(students.c.code == row.code))}
            state = {r.checkpoint: r for r in conn.execute(sa.select(rounds).where(rounds.c.code == row.code))}
            rows = conn.execute(sa.select(answers).where(answers.c.code == row.code)).all()
            sent = conn.execute(sa.select(runs).where(runs.c.code == row.code).order_by(runs.c.id)).all()
        tallies = {}
        for cp in sorted({r.checkpoint for r in rows} | set(state)):
            current = state[cp].round if cp in state else 0
            mine = [r for r in rows if r.checkpoint == cp and r.round == current]
            tallies[cp] = Tally(
                round=current, revealed=bool(state[cp].revealed) if cp in state else False,
                first=dict(Counter(r.first for r in mine)), final=dict(Counter(r.final for r in mine)),
                first_right=sum(r.first_right for r in mine), final_right=sum(r.final_right for r in mine),
                right_answers=tuple(sorted({r.first for r in mine if r.first_right} | {r.final for r in mine if r.final_right})))
        return Results(
            code=row.code, expires_at=_aware(row.expires_at), students=len(people),
            nicknames=tuple(sorted(n for n in people.values() if n)), checkpoints=tallies,
            runs=tuple(Run(r.learning_rate, r.iterations, r.loss, r.init, r.train_accuracy, r.test_accuracy,
                           r.diverged, people.get(r.student, ""), r.dataset) for r in sent))

    def clear_checkpoint(self, code: str, key: str | None, checkpoint: str) -> int:
        """Start a new round of ``checkpoint``: its answers so far no longer count, students answer again.
        Returns the new round."""
        with self._tx() as conn:
            row = self._teacher(conn, code, key, lock=True)
            current = conn.execute(sa.select(rounds.c.round).where(
                rounds.c.code == row.code, rounds.c.checkpoint == checkpoint)).scalar()
            if current is None:
                conn.execute(rounds.insert().values(code=row.code, checkpoint=checkpoint, round=1, revealed=False))
                new = 1
            else:
                new = current + 1
                conn.execute(rounds.update().where(rounds.c.code == row.code, rounds.c.checkpoint == checkpoint)
                             .values(round=new, revealed=False))
            conn.execute(answers.delete().where(answers.c.code == row.code, answers.c.checkpoint == checkpoint))
        return new

    def reveal(self, code: str, key: str | None, checkpoint: str, revealed: bool = True) -> None:
        with self._tx() as conn:
            row = self._teacher(conn, code, key, lock=True)
            done = conn.execute(rounds.update().where(rounds.c.code == row.code, rounds.c.checkpoint == checkpoint)
                                .values(revealed=revealed)).rowcount
            if not done:
                conn.execute(rounds.insert().values(code=row.code, checkpoint=checkpoint, round=0, revealed=revealed))

    def end_class(self, code: str, key: str | None) -> None:
        """Delete the class and everything its students sent."""
        with self._tx() as conn:
            row = self._teacher(conn, code, key, lock=True)
            for table in (answers, rounds, runs, students):
                conn.execute(table.delete().where(table.c.code == row.code))
            conn.execute(classes.delete().where(classes.c.code == row.code))

    # ---------------------------------------------------------------- a student
    def join(self, code: str, student: str, nickname: str | None = "") -> str:
        """Join (or re-join, with a new nickname) class ``code``; returns the code as stored.

        InputError: class_not_found, class_full, class_nickname_too_long."""
        self._maybe_purge()
        name = clean_nickname(nickname)
        wanted = normal_code(code)
        with self._tx() as conn:
            row = self._live(conn, wanted, lock=True)
            if row is None:
                raise InputError("class_not_found")
            if conn.execute(students.update().where(students.c.code == row.code, students.c.student == student)
                            .values(nickname=name)).rowcount:
                return row.code
            count = conn.execute(sa.select(sa.func.count()).select_from(students)
                                 .where(students.c.code == row.code)).scalar()
            if count >= MAX_STUDENTS:
                raise InputError("class_full", limit=MAX_STUDENTS)
            conn.execute(students.insert().values(code=row.code, student=student, nickname=name, joined_at=_now()))
        return row.code

    def _member(self, conn: sa.Connection, code: str, student: str):
        row = self._live(conn, code)
        if row is None or conn.execute(sa.select(students.c.student).where(
                students.c.code == row.code, students.c.student == student)).first() is None:
            raise InputError("class_not_found")
        return row

    def rounds(self, code: str, student: str) -> dict[str, int]:
        """Checkpoint → its current round, for a member (a round above theirs: the teacher cleared it)."""
        with self._tx(read_only=True) as conn:
            row = self._member(conn, code, student)
            return {r.checkpoint: r.round for r in conn.execute(
                sa.select(rounds.c.checkpoint, rounds.c.round).where(rounds.c.code == row.code))}

    def answer(self, code: str, student: str, checkpoint: str, answer: str, right: bool, first: bool) -> None:
        """Record a member's answer to ``checkpoint`` in its current round: a first try starts (or
        replaces) their one answer, a later try replaces its final part."""
        text = str(answer)[:MAX_ANSWER]
        now = _now()
        with self._tx() as conn:
            row = self._member(conn, code, student)
            current = conn.execute(sa.select(rounds.c.round).where(
                rounds.c.code == row.code, rounds.c.checkpoint == checkpoint)).scalar() or 0
            where = (answers.c.code == row.code, answers.c.student == student, answers.c.checkpoint == checkpoint)
            if not first and conn.execute(answers.update().where(*where, answers.c.round == current).values(
                    final=text, final_right=right, tries=answers.c.tries + 1, at=now)).rowcount:
                return
            conn.execute(answers.delete().where(*where))
            conn.execute(answers.insert().values(code=row.code, student=student, checkpoint=checkpoint, round=current,
                                                 first=text, final=text, first_right=right, final_right=right,
                                                 tries=1, at=now))

    def send_run(self, code: str, student: str, run: Run) -> int:
        """Add a member's run; returns how many they have sent. InputError class_runs_limit past MAX_RUNS."""
        with self._tx() as conn:
            row = self._member(conn, code, student)
            sent = conn.execute(sa.select(sa.func.count()).select_from(runs).where(
                runs.c.code == row.code, runs.c.student == student)).scalar()
            if sent >= MAX_RUNS:
                raise InputError("class_runs_limit", limit=MAX_RUNS)
            conn.execute(runs.insert().values(
                code=row.code, student=student, learning_rate=float(run.learning_rate), iterations=int(run.iterations),
                loss=str(run.loss)[:32], init=str(run.init)[:16], train_accuracy=run.train_accuracy,
                test_accuracy=run.test_accuracy, diverged=bool(run.diverged), at=_now(),
                dataset=str(run.dataset)[:MAX_DATASET]))
        return sent + 1
