"""The class step of the load test: thirty students of one class answer and send, at the same moment.

Each protocol visitor joins the class from its link (``/?class=CODE&data=course``, the Data page),
chooses its answer to the Data page's first checkpoint, takes a nickname on the Class page, opens
the Train page and waits for the others. Then all at once: "Send my run to the class" (a run), back
to Data, Check (an answer), the second checkpoint picked, typed and checked (another answer).
Two times per submission: its click's rerun (until the student's page confirms it), and from the
click to its row in the class database (when the teacher's view can count it). The class's own
results, read from the store the copies share, must count every submission once: 30 students,
30 answers to each checkpoint, 30 runs.
"""

from __future__ import annotations

import asyncio
import datetime
import time
from dataclasses import dataclass, field

import sqlalchemy as sa
from websockets.exceptions import WebSocketException

from playground.classroom import store as tables
from playground.classroom.store import Store
from tests.load.protocol import Phase, check_page, summary_ms
from tests.load.wsclient import ProtocolError, Session, StringArray

RIGHT_SHAPE = "(12288, 209)"  # X of the course's training set
PIXEL = (10 * 64 + 3) * 3 + 1  # the index of pixel (row 10, column 3, green) in x


@dataclass
class Student:
    index: int
    submit_s: list[float] = field(default_factory=list)  # the reruns that sent something: 2 answers, 1 run
    clicked: dict = field(default_factory=dict)         # what was sent → time.time() of its click
    done_at: float | None = None                        # perf_counter when its last submission ended
    errors: list[str] = field(default_factory=list)
    copy: str | None = None


def nickname(k: int) -> str:
    return f"student{k:02d}"


def _stored_after_click(store: Store, code: str, students: list[Student]) -> dict[str, list[float]]:
    """Per kind of submission, the seconds from each click to its row's time in the class database
    (the server's clock; the same machine's): when the class had it, whatever the page did next."""
    by_name = {nickname(r.index): r for r in students}
    with store.engine.connect() as conn:
        who = {row.student: by_name.get(row.nickname) for row in conn.execute(
            sa.select(tables.students).where(tables.students.c.code == code))}
        rows = [("run", row.student, row.at) for row in conn.execute(
            sa.select(tables.runs).where(tables.runs.c.code == code))]
        rows += [(row.checkpoint, row.student, row.at) for row in conn.execute(
            sa.select(tables.answers).where(tables.answers.c.code == code))]
    seconds: dict[str, list[float]] = {}
    first_click = min((t for r in students for t in r.clicked.values()), default=None)
    last_row = None
    for kind, student_id, at in rows:
        r = who.get(student_id)
        if r is not None and kind in r.clicked:
            at = (at if at.tzinfo else at.replace(tzinfo=datetime.timezone.utc)).timestamp()
            seconds.setdefault(kind, []).append(at - r.clicked[kind])
            last_row = max(last_row or at, at)
    if first_click is not None and last_row is not None:
        seconds["_window"] = [last_row - first_click]  # the first click to the last row: the class had everything
    return seconds


def wrong_first(k: int) -> bool:
    """Every third student gets the Data page's question wrong (one try, then they move on)."""
    return k % 3 == 2


async def student(url: str, code: str, k: int, ready: Phase, start: dict, timeout: float) -> Student:
    r = Student(k)
    try:
        async with Session(url, timeout=timeout) as s:
            # ---- before the moment: joined from the link, an answer chosen, the Train page open
            await s.open("", f"class={code}&data=course")
            check_page(s, "Data, joining")
            if not any(code in t for t in s.texts()):
                r.errors.append(f"the page does not say the student is in class {code}")
            radio = s.widget_id("radio", "checkpoint.data.x_shape.answer")
            options = next(w.options for w in s.of_type("radio") if w.id == radio)
            await s.set_widget(radio, string_value=next(o for o in options if (o != RIGHT_SHAPE) == wrong_first(k)))
            await s.open("classroom")  # a nickname, so that the class's rows can be told apart
            await s.set_widget(s.widget_id("text_input", "class.new_nickname"), string_value=nickname(k))
            await s.click(s.widget_id("button", "class.rename"))
            await s.open("train", "data=course")
            check_page(s, "Train")
            await ready.wait()
            # ---- all at once: a run sent from Train, two answers checked on Data
            start.setdefault("t0", time.perf_counter())
            r.clicked["run"] = time.time()
            r.submit_s.append(await s.click(s.widget_id("button", "class.send_run")))
            if not any(t.startswith("Sent:") for t in s.texts()):
                r.errors.append(f"no 'Sent:' after sending the run: {[t[:80] for t in s.texts()][:8]}")
            await s.open("")
            r.clicked["data.x_shape"] = time.time()
            r.submit_s.append(await s.click(s.widget_id("button", "checkpoint.data.x_shape.check")))
            await s.set_widget(s.widget_id("button_group", "checkpoint.data.pick"), string_array_value=StringArray(data=["2"]))
            await s.set_widget(s.widget_id("number_input", "checkpoint.data.pixel_index.answer"), double_value=PIXEL)
            r.clicked["data.pixel_index"] = time.time()
            r.submit_s.append(await s.click(s.widget_id("button", "checkpoint.data.pixel_index.check")))
            check_page(s, "Data, answered")
            r.done_at = time.perf_counter()
            r.copy = ",".join(sorted(s.copies)) or None
    except (ProtocolError, WebSocketException, OSError, asyncio.TimeoutError, StopIteration) as err:
        r.errors.append(f"{type(err).__name__}: {err}")
        ready.abort()
    return r


async def class_step(url_for, database_url: str, n: int = 30, timeout: float = 60.0) -> dict:
    """Create a class in the copies' database, send ``n`` students through it at once, and count."""
    store = Store(database_url)
    new = store.create_class()
    ready, start = Phase("class_ready", n), {}
    students = await asyncio.gather(*(student(url_for(k), new.code, k, ready, start, timeout) for k in range(n)))
    results = store.results(new.code, new.teacher_key)
    stored = _stored_after_click(store, new.code, students)
    store.end_class(new.code, new.teacher_key)
    store.close()
    shape, cost = results.checkpoints.get("data.x_shape"), results.checkpoints.get("data.pixel_index")
    wrong = sum(wrong_first(k) for k in range(n))
    counted = {
        "students": results.students,
        "data.x_shape": {"answered": shape.answered if shape else 0, "right": shape.final_right if shape else 0},
        "data.pixel_index": {"answered": cost.answered if cost else 0, "right": cost.final_right if cost else 0},
        "runs": len(results.runs),
    }
    expected = {"students": n, "data.x_shape": {"answered": n, "right": n - wrong},
                "data.pixel_index": {"answered": n, "right": n}, "runs": n}
    errors = [f"student {r.index:02d}: {e}" for r in students for e in r.errors]
    if counted != expected:
        errors.append(f"the class counted {counted}, expected {expected}")
    ends = [r.done_at for r in students if r.done_at is not None]
    return {
        "engine": store.engine.dialect.name,
        "submissions": summary_ms([t for r in students for t in r.submit_s]),
        "stored_window_s": round(stored.pop("_window", [float("nan")])[0], 2),
        "stored": summary_ms([t for ts in stored.values() for t in ts]),
        "by_kind": {kind: summary_ms([r.submit_s[i] for r in students if len(r.submit_s) > i])
                    for i, kind in enumerate(("run", "data.x_shape", "data.pixel_index"))},
        "stored_by_kind": {kind: summary_ms(ts) for kind, ts in sorted(stored.items())},
        "window_s": round(max(ends) - start["t0"], 2) if ends and "t0" in start else None,
        "counted": counted, "expected": expected, "errors": errors,
        "per_copy_students": dict(sorted({c: sum(r.copy == c for r in students) for c in {r.copy for r in students}}.items(),
                                         key=lambda kv: str(kv[0]))),
    }
