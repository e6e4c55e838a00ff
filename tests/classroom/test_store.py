"""The class store on SQLite and on a real PostgreSQL server: the rules hold on both."""

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from playground.classroom import store as store_module
from playground.classroom.store import MAX_RUNS, ClassUnavailable, Run, Store
from playground.errors import InputError

RUN = Run(learning_rate=0.005, iterations=2000, loss="cross_entropy", init="zeros", train_accuracy=99.04,
          test_accuracy=70.0, diverged=False)


def _refused(key, call, *args, **kwargs):
    with pytest.raises(InputError) as err:
        call(*args, **kwargs)
    assert err.value.key == key


def test_a_class_counts_answers_first_try_and_final(store):
    new = store.create_class()
    assert len(new.code) == 5 and len(new.teacher_key) >= 22
    assert store.join(new.code.lower(), "s1", "Mina") == new.code
    store.join(new.code, "s2")
    store.answer(new.code, "s1", "train.blow_up", "zigzag", right=False, first=True)
    store.answer(new.code, "s1", "train.blow_up", "blow_up", right=True, first=False)
    store.answer(new.code, "s2", "train.blow_up", "blow_up", right=True, first=True)
    r = store.results(new.code, new.teacher_key)
    assert r.students == 2 and r.nicknames == ("Mina",)
    tally = r.checkpoints["train.blow_up"]
    assert tally.first == {"zigzag": 1, "blow_up": 1} and tally.final == {"blow_up": 2}
    assert (tally.answered, tally.first_right, tally.final_right) == (2, 1, 2)


def test_one_answer_per_checkpoint_replaced_on_a_new_first_try(store):
    new = store.create_class()
    store.join(new.code, "s1")
    for answer in ("a", "b", "c"):
        store.answer(new.code, "s1", "data.x_shape", answer, right=answer == "c", first=True)
    tally = store.results(new.code, new.teacher_key).checkpoints["data.x_shape"]
    assert tally.first == {"c": 1} and tally.final == {"c": 1} and tally.answered == 1


def test_clearing_a_checkpoint_starts_a_new_round(store):
    new = store.create_class()
    store.join(new.code, "s1")
    store.answer(new.code, "s1", "train.first_cost", "0.5", right=False, first=True)
    assert store.rounds(new.code, "s1") == {}
    assert store.clear_checkpoint(new.code, new.teacher_key, "train.first_cost") == 1
    assert store.rounds(new.code, "s1") == {"train.first_cost": 1}
    assert store.results(new.code, new.teacher_key).checkpoints["train.first_cost"].answered == 0
    store.answer(new.code, "s1", "train.first_cost", "0.693", right=True, first=True)
    tally = store.results(new.code, new.teacher_key).checkpoints["train.first_cost"]
    assert tally.round == 1 and tally.final == {"0.693": 1}
    store.reveal(new.code, new.teacher_key, "train.first_cost")
    assert store.results(new.code, new.teacher_key).checkpoints["train.first_cost"].revealed


def test_runs_are_kept_with_their_settings_at_most_50_a_student(store):
    new = store.create_class()
    store.join(new.code, "s1", "Jun")
    for k in range(MAX_RUNS):
        assert store.send_run(new.code, "s1", RUN) == k + 1
    _refused("class_runs_limit", store.send_run, new.code, "s1", RUN)
    runs = store.results(new.code, new.teacher_key).runs
    assert len(runs) == MAX_RUNS and runs[0] == Run(**{**RUN.__dict__, "nickname": "Jun"})


@pytest.mark.parametrize("key", [None, "", "not-the-key"])
def test_a_wrong_or_missing_key_is_refused_as_no_class_at_all(store, key):
    new = store.create_class()
    store.join(new.code, "s1")
    for call, args in [(store.results, ()), (store.clear_checkpoint, ("x.y",)), (store.end_class, ()),
                       (store.reveal, ("x.y",))]:
        _refused("class_not_found", call, new.code, key, *args)
        _refused("class_not_found", call, "AAAAA", new.teacher_key, *args)  # the same words for a missing class
    assert store.results(new.code, new.teacher_key).students == 1  # nothing was cleared or ended


def test_a_student_outside_the_class_cannot_send(store):
    new = store.create_class()
    _refused("class_not_found", store.answer, new.code, "stranger", "data.x_shape", "a", right=True, first=True)
    _refused("class_not_found", store.send_run, new.code, "stranger", RUN)
    _refused("class_not_found", store.join, "QQQQQ", "s1")
    _refused("class_not_found", store.join, "<script>", "s1")


def test_a_class_holds_at_most_200_students(store, monkeypatch):
    monkeypatch.setattr(store_module, "MAX_STUDENTS", 3)
    new = store.create_class()
    for k in range(3):
        store.join(new.code, f"s{k}")
    _refused("class_full", store.join, new.code, "s3")
    store.join(new.code, "s0", "renamed")  # a member may come back
    assert store_module.MAX_STUDENTS == 3 and store.results(new.code, new.teacher_key).students == 3


def test_joins_at_the_same_moment_never_overfill_a_class(store, monkeypatch):
    monkeypatch.setattr(store_module, "MAX_STUDENTS", 10)
    new = store.create_class()

    def join(k):
        try:
            store.join(new.code, f"s{k}")
            return True
        except InputError:
            return False

    with ThreadPoolExecutor(8) as pool:
        joined = sum(pool.map(join, range(30)))
    assert joined == 10 and store.results(new.code, new.teacher_key).students == 10


def test_an_expired_class_is_gone_and_purged(store):
    new = store.create_class(hours=-1)  # expired an hour ago
    _refused("class_not_found", store.join, new.code, "s1")
    _refused("class_not_found", store.results, new.code, new.teacher_key)
    live = store.create_class()
    store.join(live.code, "s1")
    assert store.purge() == 1
    assert store.results(live.code, live.teacher_key).students == 1


def test_the_purge_removes_every_row_of_an_expired_class(store):
    new = store.create_class()
    store.join(new.code, "s1")
    store.answer(new.code, "s1", "data.x_shape", "a", right=True, first=True)
    store.send_run(new.code, "s1", RUN)
    store.clear_checkpoint(new.code, new.teacher_key, "data.x_shape")
    assert store.purge(now=dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=25)) == 1
    with store.engine.connect() as conn:
        for table in (store_module.classes, store_module.students, store_module.answers, store_module.runs,
                      store_module.rounds):
            assert conn.execute(table.select()).first() is None, table.name


def test_ending_a_class_deletes_its_data(store):
    new = store.create_class()
    store.join(new.code, "s1")
    store.send_run(new.code, "s1", RUN)
    store.end_class(new.code, new.teacher_key)
    _refused("class_not_found", store.results, new.code, new.teacher_key)
    with store.engine.connect() as conn:
        assert conn.execute(store_module.runs.select()).first() is None


def test_a_runs_dataset_is_kept_bounded(store):
    new = store.create_class()
    store.join(new.code, "s1")
    store.send_run(new.code, "s1", Run(**{**RUN.__dict__, "dataset": "builtin:3"}))
    store.send_run(new.code, "s1", Run(**{**RUN.__dict__, "dataset": "x" * 1000}))
    assert [r.dataset for r in store.results(new.code, new.teacher_key).runs] == ["builtin:3", "x" * 32]


def test_a_schema_1_database_is_upgraded_and_keeps_its_runs(database_url):
    """A database made before runs named their dataset (schema 1): the store adds the column, and the
    runs sent before say nothing of their data."""
    import sqlalchemy as sa

    old = sa.MetaData()
    for table in store_module.metadata.sorted_tables:
        if table.name != "runs":
            table.to_metadata(old)
    sa.Table("runs", old, *[sa.Column(c.name, c.type, primary_key=c.primary_key, nullable=c.nullable)
                            for c in store_module.runs.columns if c.name != "dataset"])
    engine = sa.create_engine(database_url)
    at = dt.datetime.now(dt.timezone.utc)
    with engine.begin() as conn:
        old.create_all(conn)
        conn.execute(old.tables["schema_version"].insert().values(version=1))
        conn.execute(old.tables["classes"].insert().values(
            code="AFHJK", key_hash=store_module.key_hash("k" * 30), created_at=at, expires_at=at + dt.timedelta(hours=1)))
        conn.execute(old.tables["runs"].insert().values(
            code="AFHJK", student="s1", learning_rate=0.01, iterations=1000, loss="mse", init="zeros",
            train_accuracy=80.0, test_accuracy=60.0, diverged=False, at=at))
    engine.dispose()
    s = Store(database_url)
    with s.engine.connect() as conn:
        assert conn.execute(sa.select(store_module.schema.c.version)).scalar() == store_module.SCHEMA_VERSION == 2
    (run,) = s.results("AFHJK", "k" * 30).runs
    assert (run.learning_rate, run.loss, run.dataset) == (0.01, "mse", "")
    s.close()
    Store(database_url).close()  # a second start finds it upgraded


def test_a_second_store_on_the_same_database_sees_the_class(database_url):
    """Two copies of the app: one creates, the other serves a student; the schema is made once."""
    a, b = Store(database_url), Store(database_url)
    new = a.create_class()
    b.join(new.code, "s1")
    assert a.results(new.code, new.teacher_key).students == 1
    a.close(), b.close()


def test_a_database_that_cannot_be_reached_is_unavailable(tmp_path):
    with pytest.raises(ClassUnavailable):
        Store("postgresql+psycopg://pg@/postgres?host=/nonexistent&port=1")
    (tmp_path / "a-file").write_text("")
    with pytest.raises(ClassUnavailable):
        Store(f"sqlite:///{tmp_path}/a-file/classes.sqlite3")  # (its folder cannot be made)


def test_a_database_that_stops_mid_lesson_raises_unavailable_then_recovers(tmp_path):
    path = tmp_path / "classes.sqlite3"
    s = Store(f"sqlite:///{path}")
    new = s.create_class()
    s.join(new.code, "s1")
    s.engine.dispose()
    broken = tmp_path / "moved.sqlite3"
    path.rename(broken)
    path.mkdir()  # the file is gone and a folder stands in its way: every connection fails
    with pytest.raises(ClassUnavailable):
        s.results(new.code, new.teacher_key)
    path.rmdir()
    broken.rename(path)
    assert s.results(new.code, new.teacher_key).students == 1
    s.close()
