"""The "thirty at once" load test as a script: ``python -m tests.load.run`` prints the figures.

The server is the class server as ``python -m playground.serve --copies n`` starts it: n copies of
``streamlit run app.py`` (the project's config) behind HAProxy, every visitor connecting to
HAProxy's port and keeping its affinity cookie; each must be served by one copy throughout
(HAProxy names the copy in every response). ``--no-balancer`` reaches the copies directly instead,
visitor i on copy i mod n. First a fresh class server is opened by all visitors at the same moment
(their Train page checked, no exception: concurrent first runs import the pages together), and
stopped. Then it starts the class server again, and
1. a lone visitor goes through Train (8 learning-rate moves) and Predict: the single-session baseline;
2. 30 visitors at once through Streamlit's websocket protocol, each with its own settings and photo
   (tests.load.protocol), every page they see checked against their own model;
3. while those 30 sessions stay open, a few real Chromium visitors take the same path
   (tests.load.browser) and leave screenshots in test-artifacts/;
and writes every figure to test-artifacts/load.json. tests/load/test_thirty_sessions.py runs this
and asserts; the options here only change what is measured, not what is checked.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

from playground.classroom.store import DATABASE_URL
from tests.load import browser as browser_visitors
from tests.load import protocol
from tests.load.classroom import class_step
from tests.load.plan import Visitor, make_baseline, make_browser_visitors, make_plan
from collections import Counter

from tests.load.server import ARTIFACTS, Fleet, running_class, running_fleet
from tests.postgres import running_postgres

LOG_PROBLEMS = re.compile(r"Traceback|Exception|Error|WARNING|CRITICAL", re.I)


def _mib(x: float) -> float:
    return round(x, 1)


def _figures(results: list[protocol.VisitorResult]) -> dict:
    return {
        "rerun": protocol.summary_ms([s for r in results for s in r.rerun_s]),
        "open_train": protocol.summary_ms([r.open_s for r in results if r.open_s is not None]),
        "switch_to_predict": protocol.summary_ms([r.switch_s for r in results if r.switch_s is not None]),
        "upload_to_p_cat": protocol.summary_ms([r.upload_s for r in results if r.upload_s is not None]),
    }


def _per_copy(results: list[protocol.VisitorResult]) -> dict[str, int]:
    """How many visitors each copy served (by HAProxy's header; "direct" without the balancer)."""
    return dict(sorted(Counter(r.copy or "direct" for r in results).items()))


def _kb(values: list[int]) -> dict:
    """n, p50, max and mean of byte counts, in kB (1,000 bytes)."""
    if not values:
        return {"n": 0}
    return {"n": len(values), "p50_kb": round(protocol.percentile(values, 50) / 1000, 1),
            "max_kb": round(max(values) / 1000, 1), "mean_kb": round(sum(values) / len(values) / 1000, 1)}


def _errors(results: list[protocol.VisitorResult], who: str) -> list[str]:
    return [f"{who} {r.index:02d}: {e}" for r in results for e in r.errors]


async def scenario(server: Fleet, plan: list[Visitor], lone: Visitor, in_browser: list[Visitor],
                   shots: Path | None, timeout: float, waves: int = 1, pause: float = 0.0) -> dict:
    sessions = len(plan)
    report: dict = {"memory_mib": {}, "server_cpu_s": {}, "phases_s": {}}
    mem, cpu = report["memory_mib"], report["server_cpu_s"]

    mem["idle"] = _mib(server.rss_mib())
    c0 = server.cpu_seconds()
    base = await protocol.run_visitors(server.url_for(0), [lone], timeout=timeout, cpu=server.cpu_seconds)
    cpu["baseline"] = round(server.cpu_seconds() - c0, 2)
    report["baseline"] = _figures(base)
    # The server's CPU for each of the lone visitor's moves (nothing else runs then).
    cpu["per_rerun_alone_ms"] = protocol.summary_ms([c for r in base for c in r.rerun_cpu_s])
    mem["after_one_visitor"] = _mib(server.rss_mib())

    t0 = time.perf_counter()
    marks: dict[str, tuple[float, float, float]] = {}
    everyone_classified = asyncio.Event()

    def on_phase(name: str) -> None:
        marks[name] = (time.perf_counter() - t0, server.rss_mib(), server.cpu_seconds())
        if name == protocol.PHASES[-1]:
            report["rss_per_copy_mib"] = server.per_copy_rss_mib()
            everyone_classified.set()

    hold = asyncio.Event()
    c1 = server.cpu_seconds()
    load = asyncio.create_task(protocol.run_visitors(server.url_for, plan, on_phase, timeout=timeout, hold=hold))
    waiter = asyncio.create_task(everyone_classified.wait())
    try:
        await asyncio.wait({load, waiter}, return_when=asyncio.FIRST_COMPLETED)
        browser_results: list[protocol.VisitorResult] = []
        rss_with_browsers = None
        if everyone_classified.is_set() and in_browser:
            tb = time.perf_counter()
            browser_results = await browser_visitors.run_browsers(server.url_for, in_browser, shots)
            report["browsers_s"] = round(time.perf_counter() - tb, 1)
            rss_with_browsers = _mib(server.rss_mib())
    finally:
        hold.set()
        waiter.cancel()
        results = await load
    report["load_s"] = round(time.perf_counter() - t0, 1)
    for name, (at, rss, c) in marks.items():
        report["phases_s"][name] = round(at, 1)
        mem[name] = _mib(rss)
        cpu[name] = round(c - c1, 2)
    if rss_with_browsers is not None:
        mem["with_browsers_too"] = rss_with_browsers
    mem["after_close"] = _mib(server.rss_mib())
    mem["peak"] = _mib(server.peak_rss_mib())
    if "predicted" in mem:
        mem["per_session"] = _mib((mem["predicted"] - mem["after_one_visitor"]) / sessions)
    if "train_open" in marks and "train_moved" in marks:
        moved = sum(len(r.rerun_s) for r in results)
        wall = marks["train_moved"][0] - marks["train_open"][0]
        burst_cpu = marks["train_moved"][2] - marks["train_open"][2]
        cpu["per_rerun_ms"] = round(1000 * burst_cpu / max(moved, 1))
        # The burst of moves: how busy the server process was (1.0 = one core) and its throughput.
        report["burst"] = {"reruns": moved, "seconds": round(wall, 1), "reruns_per_s": round(moved / wall, 1),
                           "server_cores_busy": round(burst_cpu / wall, 2)}
    report["load"] = _figures(results)
    report["browsers"] = {"n": len(browser_results), **_figures(browser_results)}
    report["bytes_per_session"] = round(sum(r.bytes_received for r in results) / max(len(results), 1))
    # What the server sent for one learning-rate move (the websocket's messages, request → end of run).
    report["bytes_per_move"] = _kb([b for r in [*base, *results] for b in r.rerun_bytes])
    report["per_copy_visitors"] = _per_copy(results)
    report["errors"] = _errors(base, "lone visitor") + _errors(results, "visitor") + _errors(browser_results, "browser")
    if in_browser and not browser_results:
        report["errors"].append("the browser visitors did not run (the protocol visitors failed first)")
    report["checks"] = {
        "visitors": len(results), "visitors_without_errors": sum(not r.errors for r in results),
        "browsers": len(browser_results), "browsers_without_errors": sum(not r.errors for r in browser_results),
    }
    # More waves of the same visitors (new sessions, same settings and photos) after ``pause`` seconds:
    # does the server give back what the first wave's sessions held?
    report["waves"] = []
    for _ in range(waves - 1):
        await asyncio.sleep(pause)
        before = _mib(server.rss_mib())
        held = {}
        again = await protocol.run_visitors(
            server.url_for, plan, lambda name: held.setdefault(name, _mib(server.rss_mib())), timeout=timeout)
        report["waves"].append({"rss_before": before, "rss_everyone_classified": held.get("predicted"),
                                "rss_after_close": _mib(server.rss_mib()), "rerun": _figures(again)["rerun"]})
        report["errors"] += _errors(again, "wave visitor")
    mem["peak"] = _mib(server.peak_rss_mib())
    return report


def _servers(copies: int, balancer: bool, env: dict | None, args: tuple[str, ...], name: str):
    if balancer:
        return running_class(copies, env=env, args=args, log_dir=name)
    return running_fleet(copies, env=env, args=args, log_name=name)


def cold_start(plan: list[Visitor], timeout: float, deadline: float, env: dict | None,
               server_args: tuple[str, ...], copies: int = 1, balancer: bool = True) -> dict:
    """A fresh class server, and all visitors opening the Train page at the same moment."""
    with _servers(copies, balancer, env, server_args, "load-cold") as server:
        idle = server.rss_mib()
        try:
            results = asyncio.run(asyncio.wait_for(protocol.open_at_once(server.url_for, plan, timeout), deadline))
        except TimeoutError:
            results = [protocol.VisitorResult(99, errors=[f"the cold start did not finish within {deadline:.0f} s"])]
        report = {"open_train": _figures(results)["open_train"], "rss_idle_mib": _mib(idle),
                  "rss_after_mib": _mib(server.rss_mib()), "per_copy_visitors": _per_copy(results),
                  "errors": _errors(results, "cold-start visitor")}
        log = server.log_text()
    report["server_log_problems"] = [line for line in log.splitlines() if LOG_PROBLEMS.search(line)][:20]
    return report


def run(sessions: int = 30, moves: int = 3, baseline_moves: int = 8, browsers: int = 2,
        shots: Path | None = ARTIFACTS, timeout: float = 120.0, deadline: float = 200.0, env: dict | None = None,
        server_args: tuple[str, ...] = (), json_path: Path | None = ARTIFACTS / "load.json",
        waves: int = 1, pause: float = 0.0, copies: int = 1, cold: bool = True, balancer: bool = True,
        students: int = 30, database_url: str | None = None) -> dict:
    """Start the server, run the scenario, stop the server; the report (also written to ``json_path``).
    ``timeout`` bounds each step of a visitor, ``deadline`` the whole scenario (seconds). Then
    ``students`` (0: none) go through the class step, on ``database_url`` (default: a fresh SQLite
    file, the copies' default engine)."""
    with tempfile.TemporaryDirectory(prefix="load-class-db-") as folder:
        database_url = database_url or f"sqlite:///{folder}/classes.sqlite3"
        env = {**(env or {}), DATABASE_URL: database_url}
        return _run(sessions, moves, baseline_moves, browsers, shots, timeout, deadline, env, server_args, json_path,
                    waves, pause, copies, cold, balancer, students, database_url)


def _run(sessions, moves, baseline_moves, browsers, shots, timeout, deadline, env, server_args, json_path,
         waves, pause, copies, cold, balancer, students, database_url) -> dict:
    t_all = time.perf_counter()
    load_before = os.getloadavg()
    plan = make_plan(sessions, moves)
    lone = make_baseline(baseline_moves)
    in_browser = make_browser_visitors(browsers) if browsers else []
    plan_s = round(time.perf_counter() - t_all, 1)
    t_cold = time.perf_counter()
    cold = cold_start(plan, timeout, deadline / 4, env, server_args, copies, balancer) if cold else None
    cold_s = round(time.perf_counter() - t_cold, 1)
    with _servers(copies, balancer, env, server_args, "load") as server:
        report = {"started": datetime.datetime.now().isoformat(timespec="seconds"),
                  "sessions": sessions, "moves": moves, "copies": copies, "balancer": server.balancer,
                  "cpus": os.cpu_count(),
                  "loadavg_before": [round(x, 2) for x in load_before], "env": env or {},
                  "server_args": list(server_args), "plan_s": plan_s, "cold_start_s": cold_s}
        if shots:
            shots.mkdir(parents=True, exist_ok=True)
        try:
            report |= asyncio.run(asyncio.wait_for(
                scenario(server, plan, lone, in_browser, shots, timeout, waves, pause), deadline))
        except TimeoutError:
            report["errors"] = [f"the scenario did not finish within {deadline:.0f} s"]
        if students and not report.get("errors"):
            try:
                report["class"] = asyncio.run(asyncio.wait_for(
                    class_step(server.url_for, database_url, students, timeout), deadline / 4))
            except TimeoutError:
                report["class"] = {"errors": [f"the class step did not finish within {deadline / 4:.0f} s"]}
            report["errors"] = report.get("errors", []) + report["class"]["errors"]
        report["server_threads_after"] = server.threads()
        log = server.log_text()
    report["server_log_problems"] = [line for line in log.splitlines() if LOG_PROBLEMS.search(line)][:20]
    if cold is not None:
        report["cold_start"] = cold
        report["errors"] = cold["errors"] + report.get("errors", [])
        report["server_log_problems"] = cold["server_log_problems"] + report["server_log_problems"]
    report["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    report["total_s"] = round(time.perf_counter() - t_all, 1)
    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    return report


def summary_line(report: dict) -> str:
    load, base, mem = report["load"]["rerun"], report["baseline"]["rerun"], report["memory_mib"]
    return (
        f"{report['sessions']} sessions: rerun p50 {load.get('p50_ms')} ms, p95 {load.get('p95_ms')} ms "
        f"(alone: p50 {base.get('p50_ms')} ms, p95 {base.get('p95_ms')} ms); "
        f"upload→P(cat) p50 {report['load']['upload_to_p_cat'].get('p50_ms')} ms; "
        f"server RSS {mem.get('idle')} MiB idle → {mem.get('after_one_visitor')} after one visitor → "
        f"{mem.get('predicted')} with {report['sessions']} (≈{mem.get('per_session')} MiB each), peak {mem.get('peak')}; "
        f"{report['checks']['visitors_without_errors']}/{report['checks']['visitors']} visitors and "
        f"{report['checks']['browsers_without_errors']}/{report['checks']['browsers']} browsers saw only their own; "
        f"load average {report['loadavg_before'][0]} before; {report['total_s']} s in all"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.load.run", description=__doc__.splitlines()[0])
    ap.add_argument("--sessions", type=int, default=30, help="simultaneous visitors (at most 30; default 30)")
    ap.add_argument("--moves", type=int, default=3, help="learning-rate moves per visitor (default 3)")
    ap.add_argument("--baseline-moves", type=int, default=8, help="moves of the lone visitor (default 8)")
    ap.add_argument("--browsers", type=int, default=2, help="real Chromium visitors during the load (default 2)")
    ap.add_argument("--env", action="append", default=[], metavar="NAME=VALUE",
                    help="environment of the server, e.g. MALLOC_ARENA_MAX=2 (repeatable)")
    ap.add_argument("--server-arg", action="append", default=[], metavar="--section.option=value",
                    help="extra streamlit option, written --server-arg=--server.maxUploadSize=50 (repeatable)")
    ap.add_argument("--copies", type=int, default=1,
                    help="copies of the app behind HAProxy, as python -m playground.serve starts them (default 1)")
    ap.add_argument("--no-balancer", action="store_true",
                    help="reach the copies directly (visitor i on copy i mod n), without HAProxy")
    ap.add_argument("--no-cold-start", action="store_true",
                    help="skip the first step: a fresh server opened by all visitors at the same moment")
    ap.add_argument("--waves", type=int, default=1, help="send the same 30 visitors again, N waves in all")
    ap.add_argument("--pause", type=float, default=0.0, help="seconds between waves")
    ap.add_argument("--class-students", type=int, default=30,
                    help="students of the class step: join, answer two checkpoints, send a run (0: skip; default 30)")
    ap.add_argument("--postgres", action="store_true",
                    help="the class database on a throw-away PostgreSQL server (tests/postgres.py), not SQLite")
    ap.add_argument("--deadline", type=float, default=200.0, help="seconds for the whole scenario (default 200)")
    ap.add_argument("--shots", type=Path, default=ARTIFACTS, help="where the browsers' screenshots go")
    ap.add_argument("--json", type=Path, default=ARTIFACTS / "load.json", help="where the figures go")
    args = ap.parse_args(argv)
    env = dict(item.split("=", 1) for item in args.env)
    server_args = tuple(part for a in args.server_arg for part in a.split("=", 1))
    with contextlib.ExitStack() as stack:
        database_url = stack.enter_context(running_postgres()) if args.postgres else None
        report = run(args.sessions, args.moves, args.baseline_moves, args.browsers, shots=args.shots,
                     deadline=args.deadline, env=env, server_args=server_args, json_path=args.json,
                     waves=args.waves, pause=args.pause, copies=args.copies, cold=not args.no_cold_start,
                     balancer=not args.no_balancer, students=args.class_students, database_url=database_url)
    shown = ("balancer", "copies", "per_copy_visitors", "cold_start", "baseline", "load", "browsers", "class", "waves",
             "burst", "bytes_per_move", "memory_mib", "rss_per_copy_mib", "server_cpu_s", "phases_s", "plan_s",
             "cold_start_s", "load_s", "loadavg_before", "loadavg_after", "total_s")
    print(json.dumps({k: report[k] for k in shown if k in report}, indent=2))
    for problem in report["errors"] + report["server_log_problems"]:
        print("PROBLEM:", problem, file=sys.stderr)
    if "load" in report:
        print(summary_line(report))
    return 1 if report["errors"] or report["server_log_problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
