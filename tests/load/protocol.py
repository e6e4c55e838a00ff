"""Many visitors at once through Streamlit's websocket protocol (tests.load.wsclient), each checked
against what its own model must show.

Each visitor opens the Train page with its settings in the URL, waits until every visitor has,
then all move their learning-rate slider at the same moment (one notch at a time, ``moves`` times,
each move waiting for the end of its rerun: a burst, the worst case of a class told "now drag the
slider"), go to Predict in the same session and upload their own photo.
"""

from __future__ import annotations

import asyncio
import re
import statistics
from dataclasses import dataclass, field

from websockets.exceptions import WebSocketException

from playground.ui.pages import train_params as tp
from tests.load.plan import Visitor
from tests.load.wsclient import ProtocolError, Session

WATCH = re.compile(rb"visitor(\d\d)-")
Z_LINE = re.compile(r"The model's own wᵀx̃ \+ b: \*\*([+\-−]?\d+\.\d+)\*\*")
SESSION_NOTE = "Using the model you trained on the Train page"


@dataclass
class VisitorResult:
    index: int
    open_s: float | None = None        # Train page opened (URL read, st.rerun, training, figures)
    rerun_s: list[float] = field(default_factory=list)  # one per learning-rate move
    switch_s: float | None = None      # Train → Predict
    upload_s: float | None = None      # photo chosen → P(cat) on the page (URL request, PUT, rerun)
    errors: list[str] = field(default_factory=list)
    shown: dict = field(default_factory=dict)
    bytes_received: int = 0
    rerun_bytes: list[int] = field(default_factory=list)   # bytes the server sent for each move
    rerun_cpu_s: list[float] = field(default_factory=list)  # server CPU during each move (``cpu`` given)
    copy: str | None = None            # the copy behind the balancer that served every request


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = -(-q * len(ordered) // 100)  # ceil(q·n / 100)
    return ordered[max(0, min(len(ordered), int(rank)) - 1)]


def summary_ms(seconds: list[float]) -> dict:
    """n, p50, p95, max and mean of durations given in seconds, in milliseconds."""
    if not seconds:
        return {"n": 0}
    ms = [s * 1000 for s in seconds]
    return {"n": len(ms), "p50_ms": round(percentile(ms, 50)), "p95_ms": round(percentile(ms, 95)),
            "max_ms": round(max(ms)), "mean_ms": round(statistics.fmean(ms))}


class Phase:
    """Lines all visitors up before a measured step; the last to arrive calls ``on_phase(name)``.
    A visitor that fails releases the others (they then stop, saying why)."""

    def __init__(self, name: str, n: int, on_phase=None):
        self.name, self.n, self.on_phase = name, n, on_phase
        self.arrived = 0
        self.failed = False
        self.event = asyncio.Event()

    async def wait(self) -> None:
        self.arrived += 1
        if self.arrived == self.n and not self.failed:
            if self.on_phase:
                self.on_phase(self.name)
            self.event.set()
        await self.event.wait()
        if self.failed:
            raise ProtocolError("another visitor failed before this one reached this step")

    def abort(self) -> None:
        self.failed = True
        self.event.set()


def check_page(s: Session, where: str) -> None:
    """An exception box on the page ends this visitor (the server log has the traceback)."""
    if s.exceptions():
        raise ProtocolError(f"{where}: an exception on the page (its traceback is in the server log): "
                            f"{s.exceptions()[0][:200]}")


async def _open_train(s: Session, v: Visitor, r: VisitorResult, where: str) -> None:
    """Open the Train page from the visitor's link; it must show the accuracies of the visitor's
    own model (recorded in ``r``; a mismatch is an error, an exception on the page ends the visit)."""
    r.open_s = await s.open("train", v.url_query)
    check_page(s, where)
    shown = (s.metric("Train accuracy"), s.metric("Test accuracy"))
    r.shown["train_start"] = shown
    if shown != (v.start_train_acc, v.start_test_acc):
        r.errors.append(f"{where} shows accuracies {shown}; its own model gives "
                        f"{(v.start_train_acc, v.start_test_acc)}")


async def visit(base_url: str, v: Visitor, phases: list[Phase], timeout: float,
                hold: asyncio.Event | None = None, cpu=None) -> VisitorResult:
    """One visitor's path; ``cpu()``, if given, is the server's CPU seconds so far, read around each
    move (meaningful for a visitor alone)."""
    r = VisitorResult(v.index)
    try:
        async with Session(base_url, timeout=timeout, watch=WATCH) as s:
            try:
                # ---- Train, opened from a link with this visitor's settings
                await _open_train(s, v, r, "Train on opening")
                slider = s.widget_id("slider", "train_lr")
                await phases[0].wait()
                # ---- the measured reruns: the learning rate, one notch at a time
                for rate in v.rates:
                    c0 = cpu() if cpu else 0.0
                    r.rerun_s.append(await s.set_select_slider(slider, tp.format_rate(rate)))
                    if cpu:
                        r.rerun_cpu_s.append(cpu() - c0)
                    r.rerun_bytes.append(s.run_bytes[-1])
                    check_page(s, f"Train at {tp.format_rate(rate)}")
                shown = (s.metric("Train accuracy"), s.metric("Test accuracy"))
                r.shown["train_final"] = shown
                if shown != (v.final_train_acc, v.final_test_acc):
                    r.errors.append(f"Train after the moves shows accuracies {shown}; its own model gives "
                                    f"{(v.final_train_acc, v.final_test_acc)}")
                if f"lr={v.final_lr_text}&iters={v.iterations}" not in s.query_string:
                    r.errors.append(f"the address bar does not hold this visitor's settings: {s.query_string!r}")
                await phases[1].wait()
                # ---- Predict in the same session: its own model, its own photo
                r.switch_s = await s.open("predict")
                check_page(s, "Predict")
                notes = [t for t in s.texts() if t.startswith(SESSION_NOTE)]
                r.shown["model_note"] = notes
                own = f"learning_rate = {v.final_lr}, num_iterations = {v.iterations},"
                if len(notes) != 1 or own not in notes[0]:
                    r.errors.append(f"Predict does not use this visitor's model ({own}): {notes}")
                uploader = s.widget_id("file_uploader", "predict_files")
                r.upload_s = await s.upload(uploader, [(v.photo_name, v.photo, "image/jpeg")])
                check_page(s, "Predict with the photo")
                headings = [t for t in s.texts() if " → " in t and t.startswith("visitor")]
                p_cat = s.metric("P(cat)")
                zs = [float(m.group(1).replace("−", "-")) for t in s.texts() if (m := Z_LINE.search(t))]
                r.shown.update(headings=headings, p_cat=p_cat, z=zs)
                if len(headings) != 1 or not headings[0].startswith(v.photo_name + " → "):
                    r.errors.append(f"Predict shows the photos {headings}, this visitor uploaded {v.photo_name}")
                if p_cat != v.p_cat:
                    r.errors.append(f"Predict shows P(cat) {p_cat}; its own model on its photo gives {v.p_cat}")
                if len(zs) != 1 or not abs(zs[0] - v.z) < 1e-4:
                    r.errors.append(f"Predict shows z = {zs}; its own model on its photo gives {v.z:.6f}")
                await phases[2].wait()  # everyone classified, sessions still open: memory is read now
                if hold is not None:
                    await hold.wait()   # … and the browser visitors come while these sessions stay open
            finally:
                r.bytes_received = s.bytes_received
                r.copy = ",".join(sorted(s.copies)) or None
                if len(s.copies) > 1:
                    r.errors.append(f"this session was served by more than one copy: {sorted(s.copies)}")
                own = f"visitor{v.index:02d}-".encode()
                foreign = sorted(n.decode() for n in s.watched if n != own)
                if foreign:
                    r.errors.append(f"this session received other visitors' file names: {foreign}")
    except (ProtocolError, WebSocketException, OSError, asyncio.TimeoutError) as err:
        r.errors.append(f"{type(err).__name__}: {err}")
        for phase in phases:
            phase.abort()
    return r


PHASES = ("train_open", "train_moved", "predicted")


async def run_visitors(url_for, visitors: list[Visitor], on_phase=None, timeout: float = 120.0,
                       hold: asyncio.Event | None = None, cpu=None) -> list[VisitorResult]:
    """All ``visitors`` at once, the k-th to ``url_for(k)`` (or to ``url_for`` if it is a URL).
    ``on_phase(name)`` is called when every one has opened Train ("train_open"), moved its slider
    ("train_moved") and had its photo classified ("predicted"); then, if ``hold`` is given, the
    sessions stay open until it is set. ``cpu``: see ``visit``."""
    if isinstance(url_for, str):
        url, url_for = url_for, lambda k: url
    phases = [Phase(name, len(visitors), on_phase) for name in PHASES]
    return list(await asyncio.gather(*(visit(url_for(k), v, phases, timeout, hold, cpu) for k, v in enumerate(visitors))))


async def open_at_once(url_for, visitors: list[Visitor], timeout: float = 120.0) -> list[VisitorResult]:
    """Every visitor connects (the k-th to ``url_for(k)``, or to ``url_for`` if it is a URL), then all
    open the Train page from their links at the same moment: on a fresh server their first runs
    import the pages and load the data concurrently (a class opening the teacher's link as the
    server starts)."""
    if isinstance(url_for, str):
        url, url_for = url_for, lambda k: url
    connected = Phase("connected", len(visitors))

    async def one(k: int, v: Visitor) -> VisitorResult:
        r = VisitorResult(v.index)
        try:
            async with Session(url_for(k), timeout=timeout, watch=WATCH) as s:
                await connected.wait()
                await _open_train(s, v, r, "Train on a fresh server")
                r.copy = ",".join(sorted(s.copies)) or None
                if len(s.copies) > 1:
                    r.errors.append(f"this session was served by more than one copy: {sorted(s.copies)}")
        except (ProtocolError, WebSocketException, OSError, asyncio.TimeoutError) as err:
            r.errors.append(f"{type(err).__name__}: {err}")
            connected.abort()
        return r

    return list(await asyncio.gather(*(one(k, v) for k, v in enumerate(visitors))))
