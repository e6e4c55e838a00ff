"""The Class page in AppTest, one session per person: a teacher opens a class, students join it (with
the code, with a link), answer the Train page's first checkpoint and send a run, and the teacher's
live view counts them, reveals, clears and ends. Refusals: a wrong key, a missing class, a full class,
hostile nicknames; and a database that goes away mid-lesson."""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from playground.classroom import qr
from playground.classroom import store as store_module
from playground.classroom.store import ClassUnavailable, Store
from playground.errors import InputError
from playground.ui.i18n import catalog
from tests.conftest import ROOT, use_course_data

EN = catalog("en")
UNAVAILABLE = EN["classroom.unavailable"]
NOT_FOUND = EN["errors.class_not_found"]
CP = "train.first_cost"
PAGE = "playground/ui/pages/classroom.py"


@pytest.fixture(autouse=True)
def class_database(monkeypatch, tmp_path, course_dir):
    """Each test's own SQLite file, and no Store left from another test (st.cache_resource is per process).
    The course's pair is offered, as the app_test fixture offers it."""
    from playground.ui import classroom

    monkeypatch.setenv("PLAYGROUND_DATA", str(course_dir))
    monkeypatch.setenv("PLAYGROUND_STATE_DIR", str(tmp_path))
    monkeypatch.delenv("PLAYGROUND_DATABASE_URL", raising=False)
    classroom._store.clear()
    yield tmp_path / "classes.sqlite3"
    classroom._store.clear()


def _ok(at):
    assert not at.exception, at.exception
    return at


def _values(elements):
    return [e.value for e in elements]


def _class_page(query=None):
    """A session that opens on the Class page (as a link to /classroom does), ``query`` in its URL."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for k, v in (query or {}).items():
        at.query_params[k] = v
    at.switch_page(PAGE)
    return _ok(at.run())


def _click(at, key):
    return _ok(at.button(key=key).click().run())


def _open_class():
    """A teacher's session with a new class: (session, code, key) read from the page itself."""
    at = _click(_class_page(), "class.create")
    big = [h.proto.body for h in at.get("html") if 'class="class-code"' in h.proto.body]
    assert len(big) == 1
    code = re.search(r'class="class-code"[^>]*>([A-Z]{5})<', big[0]).group(1)
    teacher_link = next(c.value for c in at.code if "key=" in c.value)
    query = parse_qs(urlsplit(teacher_link).query)
    assert urlsplit(teacher_link).path.endswith("/classroom") and query["class"] == [code]
    return at, code, query["key"][0]


def _join(code, nickname=""):
    at = _class_page()
    at.text_input(key="class.code").set_value(code.lower())  # (as typed: lower case)
    at.text_input(key="class.nickname").set_value(nickname)
    return _click(at, "class.join")


def _on_train(at):
    _ok(at.switch_page("playground/ui/pages/train.py").run())
    if at.radio(key="dataset_kind").value != "course_folder":
        use_course_data(at)
    return at


def _answer(at, *values):
    for value in values:
        _ok(at.number_input(key=f"checkpoint.{CP}.answer").set_value(value).run())
        _click(at, f"checkpoint.{CP}.check")
    return at


def _metrics(at):
    return {m.label: m.value for m in at.metric}


def _chart(at, key):
    """The figure of the chart with widget key ``key`` (its element id ends with the key)."""
    found = [c for c in at.get("plotly_chart") if c.proto.id.endswith(key)]
    return json.loads(found[0].proto.spec) if found else None


def _bars(at):
    """(tick labels, first-try counts, final counts, first-try bar colours) of the checkpoint's chart."""
    fig = _chart(at, f"class.chart.{CP}")
    first, final = fig["data"]
    return fig["layout"]["xaxis"]["ticktext"], first["y"], final["y"], first["marker"]["color"]


# ------------------------------------------------------------------ a lesson


def test_a_lesson_counts_first_tries_and_final_answers_then_reveals(app_test):
    teacher, code, key = _open_class()
    (qr_image,) = teacher.image
    assert qr_image.captions == ["Scan to join"]
    join_link = next(c.value for c in teacher.code if "key=" not in c.value)
    assert join_link.endswith(f"/classroom?class={code}")  # (AppTest has no host: the link is relative)
    svg = base64.b64decode(qr_image.value[0].removeprefix("data:image/svg+xml;base64,")).decode()
    assert svg == qr.qr_svg(join_link) and key not in svg  # the join link, never the teacher's
    assert _metrics(teacher)["Students"] == "0"
    assert any(EN["classroom.teacher_link_warning"] == w for w in _values(teacher.warning))

    ada = _join(code, "Ada")
    assert f"You are in class **{code}** as Ada." in _values(ada.markdown)
    ben = _ok(app_test(None, {"class": code}))  # the join link opens the app's first page
    assert ben.session_state["class_member"] == (code, "")
    _ok(ben.switch_page(PAGE).run())
    assert f"You are in class **{code}**, without a nickname." in _values(ben.markdown)

    _answer(_on_train(ada), 0.693)  # right at once
    _answer(_on_train(ben), 0.5, 0.693)  # wrong, then right
    assert any(s.startswith("Right: 0.693") for s in _values(ben.success))
    _click(ada, "class.send_run")
    assert any(s.startswith("Sent: your run is on the class's chart (1 of") for s in _values(ada.success))

    _ok(teacher.run())
    assert _metrics(teacher) == {"Students": "2", "Answers": "2", "Runs sent": "1"}
    assert any(c.value.startswith("2 of 2 answered") for c in teacher.caption)
    ticks, first, final, colour = _bars(teacher)
    assert (ticks, first, final) == (["0.5", "0.693"], [1, 1], [0, 2])
    assert isinstance(colour, str) and not any("✓" in t for t in ticks)  # the answer hidden: all bars alike
    assert not any(s.startswith("Right:") for s in _values(teacher.success))
    assert not any("right at the first try" in c.value for c in teacher.caption)

    _click(teacher, f"class.reveal.{CP}")
    ticks, first, final, colour = _bars(teacher)
    assert ticks == ["0.5", "✓ 0.693"] and colour[0] != colour[1]
    assert r"Right: 0\.693" in _values(teacher.success)
    assert any(c.value.endswith("right at the first try: 1, at the end: 2") for c in teacher.caption)
    _click(teacher, f"class.reveal.{CP}")  # hidden again
    assert not any(s.startswith("Right:") for s in _values(teacher.success))

    # Once everyone has joined, the join panel folds to one line and the results get the screen.
    _ok(teacher.toggle(key="class.show_join").set_value(False).run())
    assert not teacher.image and f"Join with the code **{code}** on the **Class** page." in _values(teacher.markdown)
    assert _bars(teacher)[1] == [1, 1]

    # The runs' scatter: the course's run (α = 0.005, 2,000 iterations) tests at 70 % (the course's number).
    runs = _chart(teacher, "class.runs_chart")
    assert runs["layout"]["xaxis"]["type"] == "log"
    (point,) = runs["data"]
    assert point["x"] == [0.005] and point["y"] == [pytest.approx(70.0)] and point["marker"]["symbol"] == "circle"
    assert "Ada" in point["hovertext"][0] and "2,000 iterations" in point["hovertext"][0]


def test_clearing_asks_the_students_again_and_ending_deletes_the_class(app_test, class_database):
    teacher, code, key = _open_class()
    ada = _answer(_on_train(_join(code, "Ada")), 0.693)
    assert ada.number_input(key=f"checkpoint.{CP}.answer").disabled  # answered: closed
    _ok(teacher.run())
    assert _bars(teacher)[2] == [1]

    _click(teacher, f"class.clear.{CP}")
    assert _chart(teacher, f"class.chart.{CP}") is None  # (still shown, with no answers)
    assert any(c.value.startswith("0 of 1 answered") for c in teacher.caption)
    assert EN["classroom.no_answers"] in _values(teacher.caption)

    _ok(ada.run())  # the student's page asks the cleared question afresh
    field = ada.number_input(key=f"checkpoint.{CP}.answer")
    assert field.value is None and not field.disabled
    _answer(ada, 0.7)
    _ok(teacher.run())
    assert _bars(teacher)[0] == ["0.7"]

    # Ending asks first; cancelling keeps the class.
    _click(teacher, "class.end")
    assert any(w.startswith(f"End class **{code}**?") for w in _values(teacher.warning))
    _click(teacher, "class.end_cancel")
    assert teacher.session_state["class_teacher"][0] == code and _metrics(teacher)["Students"] == "1"
    _click(teacher, "class.end")
    _click(teacher, "class.end_confirm")
    assert f"Class **{code}** has ended: its data is deleted." in _values(teacher.success)
    assert teacher.button(key="class.create") is not None  # back to the start
    with pytest.raises(InputError, match="No class with this code"):
        Store(f"sqlite:///{class_database}").results(code, key)
    with sqlite3.connect(class_database) as db:  # nothing of it is left in any table
        left = {table: db.execute(f"SELECT COUNT(*) FROM {table} WHERE code = ?", (code,)).fetchone()[0]
                for table in ("classes", "students", "answers", "checkpoint_rounds", "runs")}
    assert left == dict.fromkeys(left, 0)
    _ok(ada.switch_page(PAGE).run())
    assert NOT_FOUND in _values(ada.warning)


def test_a_student_changes_nickname_and_leaves():
    teacher, code, _ = _open_class()
    ada = _join(code, "Ada")
    ada.text_input(key="class.new_nickname").set_value("Bea")
    _click(ada, "class.rename")
    assert "Your nickname is now Bea." in _values(ada.success)
    assert ada.session_state["class_member"] == (code, "Bea")
    _ok(teacher.run())
    assert _metrics(teacher)["Students"] == "1"  # the same student, renamed
    assert "Bea" in _values(teacher.markdown) and "Ada" not in _values(teacher.markdown)
    _click(ada, "class.leave_page")
    assert "class_member" not in ada.session_state and ada.button(key="class.join") is not None


def test_the_teacher_shows_a_question_before_anyone_answers():
    teacher, _, _ = _open_class()
    assert _chart(teacher, "class.chart.train.blow_up") is None
    assert EN["classroom.no_checkpoints"] in _values(teacher.caption)
    _ok(teacher.button_group(key="class.show").set_value(["train.blow_up"]).run())
    # Its fields depend on each student's page: "…" in the teacher's view; its options all there, at 0.
    assert ("**Train 2** · Keep the other settings as they are and set α = …. Over … iterations, how will the "
            "training cost go?") in _values(teacher.markdown)
    fig = _chart(teacher, "class.chart.train.blow_up")
    options = [EN[f"train.checkpoint.blow_up.option_{o}"] for o in ("downhill", "zigzag", "blow_up", "stall")]
    assert [t.replace("<br>", " ") for t in fig["layout"]["xaxis"]["ticktext"]] == options
    assert fig["data"][0]["y"] == [0, 0, 0, 0] and fig["data"][1]["y"] == [0, 0, 0, 0]
    assert any(c.value.startswith("0 of 0 answered") for c in teacher.caption)


# ------------------------------------------------------------------ refusals


def test_a_wrong_key_and_a_missing_class_are_refused_alike():
    _, code, key = _open_class()
    wrong = _class_page({"class": code, "key": "wrong"})
    missing = _class_page({"class": "QQQQQ" if code != "QQQQQ" else "WWWWW", "key": key})
    for at in (wrong, missing):
        assert NOT_FOUND in _values(at.warning)
        assert "class_teacher" not in at.session_state and at.button(key="class.create") is not None
        assert "key" not in at.query_params  # the key left the address bar
    right = _class_page({"class": code, "key": key})  # the teacher's link on a second device
    assert right.session_state["class_teacher"] == (code, key) and "Students" in _metrics(right)
    assert "key" not in right.query_params


def test_an_expired_class_is_refused_to_students_and_to_its_teacher(class_database):
    """A class made 25 hours ago (the store's clock is the only one): its link and its teacher link
    say what a missing class says, which names the 24 hours; a live view in progress says so too."""
    store = Store(f"sqlite:///{class_database}")
    old = store.create_class(hours=-1)
    student = _class_page({"class": old.code})
    teacher = _class_page({"class": old.code, "key": old.teacher_key})
    for at in (student, teacher):
        assert NOT_FOUND in _values(at.warning) and "24 hours" in NOT_FOUND
        assert "class_member" not in at.session_state and "class_teacher" not in at.session_state
    # A class that expires during the lesson: the teacher's next refresh says it is gone.
    at, code, key = _open_class()
    with sqlite3.connect(class_database) as db:
        db.execute("UPDATE classes SET expires_at = '2000-01-01 00:00:00.000000' WHERE code = ?", (code,))
    _ok(at.run())
    assert NOT_FOUND in _values(at.warning) + _values(at.error) + _values(at.info)
    store.close()


def test_codes_that_cannot_be_a_class_are_refused_clearly():
    at = _click(_class_page(), "class.join")
    assert EN["classroom.code_missing"] in _values(at.error)
    for typed in ("QQQQQ", "nonsense<b>", "x" * 5000):
        at.text_input(key="class.code").set_value(typed)
        _click(at, "class.join")
        assert NOT_FOUND in _values(at.error) and "class_member" not in at.session_state


def test_a_full_class_refuses_one_more(monkeypatch):
    monkeypatch.setattr(store_module, "MAX_STUDENTS", 2)
    teacher, code, _ = _open_class()
    for name in ("Ada", "Ben"):
        assert "class_member" in _join(code, name).session_state
    late = _join(code, "Cy")
    assert EN["errors.class_full"].format(limit=2) in _values(late.error)
    assert "class_member" not in late.session_state
    _ok(teacher.run())
    assert _metrics(teacher)["Students"] == "2"


HOSTILE = ("<img src=x onerror=1>", "**A** [x](javascript:1)", "$x$ `y` # z &amp;")


def test_hostile_nicknames_are_refused_or_shown_as_text():
    teacher, code, _ = _open_class()
    # 10 KB pasted: the field keeps 24 characters (Streamlit cuts a value at max_chars, on the server too).
    long = _join(code, "<" * 10_240)
    assert long.session_state["class_member"] == (code, "<" * 24)
    assert f"You are in class **{code}** as " + "\\<" * 24 + "." in _values(long.markdown)
    # Control and format characters go; what is left is text.
    odd = _join(code, "Bo\x00b\u202e\x1b[31m\t!")
    assert odd.session_state["class_member"] == (code, "Bob[31m !")
    assert f"You are in class **{code}** as Bob\\[31m \\!." in _values(odd.markdown)
    # Markup is shown as typed: every character Markdown, HTML or LaTeX reads is escaped.
    for name in HOSTILE:
        at = _join(code, name)
        shown = next(m for m in _values(at.markdown) if m.startswith(f"You are in class **{code}** as "))
        shown = shown.removeprefix(f"You are in class **{code}** as ").removesuffix(".")
        assert re.sub(r"\\(.)", r"\1", shown) == name and not re.search(r"(?<!\\)[<>*\[\]()$`#]", shown)
    _click(_on_train(at), "class.send_run")  # (the last one sends a run)

    _ok(teacher.run())
    who = next(m for m in _values(teacher.markdown) if "Bob" in m)
    assert "\\<img" in who and not re.search(r"(?<!\\)[<*$`]", who)
    hover = _chart(teacher, "class.runs_chart")["data"][0]["hovertext"][0]
    assert "$x$ `y` # z &amp;amp;" in hover and "<img" not in hover


# ------------------------------------------------------------------ the database goes away


def _down(monkeypatch):
    def fail(*args, **kwargs):
        raise ClassUnavailable("class database unavailable: OperationalError")

    for name in ("results", "join", "answer", "send_run", "rounds", "reveal", "clear_checkpoint", "end_class",
                 "create_class"):
        monkeypatch.setattr(Store, name, fail)


def test_a_database_that_stops_mid_lesson_turns_class_mode_off(monkeypatch):
    teacher, code, key = _open_class()
    ada = _on_train(_join(code, "Ada"))
    _down(monkeypatch)

    _ok(teacher.run())
    assert UNAVAILABLE in _values(teacher.warning) and not teacher.metric
    _click(teacher, "class.end")
    _click(teacher, "class.end_confirm")  # nothing deleted: still the teacher, told why
    assert teacher.session_state["class_teacher"] == (code, key)
    assert UNAVAILABLE in _values(teacher.error)

    _answer(ada, 0.693)  # the page still asks and judges; the class just does not hear
    assert any(s.startswith("Right: 0.693") for s in _values(ada.success))
    assert UNAVAILABLE in _values(ada.warning)
    _click(ada, "class.send_run")
    assert UNAVAILABLE in _values(ada.warning)
    assert ada.metric[1].value == "70 %"  # the Train page itself works on
    _ok(ada.switch_page(PAGE).run())
    assert UNAVAILABLE in _values(ada.warning)


def test_a_database_that_cannot_open_leaves_the_app_working(app_test, monkeypatch, tmp_path):
    from playground.ui import classroom

    teacher, code, _ = _open_class()
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the state folder should be")
    monkeypatch.setenv("PLAYGROUND_STATE_DIR", str(blocker))
    classroom._store.clear()  # (as after a restart: the store opens again, and cannot)

    _ok(teacher.run())
    assert UNAVAILABLE in _values(teacher.warning)
    fresh = _class_page()
    assert UNAVAILABLE in _values(fresh.warning)
    _click(fresh, "class.create")
    assert UNAVAILABLE in _values(fresh.error) and "class_teacher" not in fresh.session_state
    linked = _ok(app_test(None, {"class": code}))  # a join link: the page opens and says so
    assert UNAVAILABLE in _values(linked.warning) and linked.title


def test_the_page_in_korean():
    at = _class_page({"lang": "ko"})
    assert at.title[0].value == "수업" and at.button(key="class.create").label == "수업 열기"
    _click(at, "class.create")
    assert "학생" in _metrics(at)


def test_runs_on_different_data_are_charted_one_dataset_at_a_time():
    teacher, code, _ = _open_class()
    ada, ben = _join(code, "Ada"), _join(code, "Ben")
    _click(_on_train(ada), "class.send_run")  # the course's photos
    _ok(ben.switch_page("playground/ui/pages/train.py").run())  # the built-in drawings, seed 0
    assert ben.radio(key="dataset_kind").value == "builtin"
    _click(ben, "class.send_run")
    _ok(ben.select_slider(key="train_lr").set_value(0.01).run())
    _click(ben, "class.send_run")

    _ok(teacher.run())
    (picker,) = [g for g in teacher.get("button_group") if g.proto.label == "Runs on"]
    # In the order the runs came; the one with the most runs is shown first: Ben's two, on the drawings.
    assert [o.content for o in picker.proto.options] == ["The course's photos (1)", "Built-in drawings (seed 0) (2)"]
    points = _chart(teacher, "class.runs_chart")["data"]
    assert sorted(x for p in points for x in p["x"]) == [0.005, 0.01]
    assert not any("Ada" in h for p in points for h in p["hovertext"])
    teacher.session_state["class.runs_dataset"] = "course_folder"  # the teacher picks the course's photos
    _ok(teacher.run())
    (point,) = _chart(teacher, "class.runs_chart")["data"]
    assert point["x"] == [0.005] and point["y"] == [pytest.approx(70.0)] and "Ada" in point["hovertext"][0]
