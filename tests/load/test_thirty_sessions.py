"""Thirty at once: 30 simultaneous sessions through Train and Predict on the class server, two
copies of the app behind HAProxy as ``python -m playground.serve --copies 2`` starts them.

Runs ``python -m tests.load.run --copies 2`` (a separate process group, so a hang cannot leave a
server behind): 30 visitors opening a fresh class server at the same moment, then on a new one a lone
visitor for the baseline, then 30 visitors through Streamlit's websocket protocol,
each with its own learning rate and iteration count and its own photo, and two real Chromium
visitors while those 30 sessions are open. Every page each one sees is checked against what its
own model must show (accuracies, the model named on Predict, P(cat) and z of its own photo), and
no session may ever receive another visitor's file name nor be served by two copies (HAProxy names
the copy in every response). Then 30 students join one class, answer two checkpoints and send a run
at the same moment; the class database must count each submission once. The figures go to
test-artifacts/load.json
and one summary line is printed (pytest -s). See SERVING.md.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from tests.load.server import ARTIFACTS, ROOT

pytestmark = [pytest.mark.load, pytest.mark.browser]

SESSIONS = 30
COPIES = 2
DEADLINE_S = 200          # the scenario itself (python -m tests.load.run --deadline)
HARD_TIMEOUT_S = 230      # the whole process, server start and the plan included
# Regression guards, not service levels: measured on 2 shared cores, p95 under 30 sessions was
# 6–18 s (quiet to very busy machine) and the server held 0.5–0.7 GiB (SERVING.md has the figures).
MAX_P95_RERUN_MS = 60_000
MAX_RSS_MIB = 1_200
MAX_PER_SESSION_MIB = 25


@pytest.mark.timeout(HARD_TIMEOUT_S + 10)
def test_thirty_sessions_each_see_only_their_own():
    out = ARTIFACTS / "load.json"
    out.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [sys.executable, "-W", "error", "-m", "tests.load.run", "--sessions", str(SESSIONS),
         "--copies", str(COPIES),
         "--deadline", str(DEADLINE_S), "--json", str(out)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    try:
        output, _ = proc.communicate(timeout=HARD_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the runner, its server and its Chromium: one process group
        output, _ = proc.communicate()
        pytest.fail(f"the load test took more than {HARD_TIMEOUT_S} s:\n{output[-3000:]}")
    assert out.is_file(), f"no report (exit {proc.returncode}):\n{output[-3000:]}"
    report = json.loads(out.read_text())
    print("\n" + (output.strip().splitlines() or [""])[-1])

    assert not report["errors"], "\n".join(report["errors"])
    assert not report["server_log_problems"], "\n".join(report["server_log_problems"])
    assert report["checks"] == {"visitors": SESSIONS, "visitors_without_errors": SESSIONS,
                                "browsers": 2, "browsers_without_errors": 2}
    assert report["load"]["rerun"]["n"] == SESSIONS * report["moves"]
    assert report["load"]["upload_to_p_cat"]["n"] == SESSIONS
    assert report["cold_start"]["open_train"]["n"] == SESSIONS
    # Through the balancer: new sessions take the copies in turn, and each stayed on its own.
    assert report["balancer"] == "haproxy"
    assert report["per_copy_visitors"] == {"c1": SESSIONS // COPIES, "c2": SESSIONS // COPIES}
    assert sum(report["cold_start"]["per_copy_visitors"].values()) == SESSIONS
    assert report["bytes_per_move"]["n"] == SESSIONS * report["moves"] + report["baseline"]["rerun"]["n"]
    assert report["load"]["rerun"]["p95_ms"] < MAX_P95_RERUN_MS, report["load"]
    # The class step: 30 students of one class, every answer and run counted once in the shared SQLite.
    klass = report["class"]
    assert klass["engine"] == "sqlite" and klass["counted"] == klass["expected"]
    assert klass["counted"]["runs"] == SESSIONS and klass["submissions"]["n"] == 3 * SESSIONS
    assert klass["stored"]["n"] == 3 * SESSIONS  # every submission's row found, and its click
    assert klass["per_copy_students"] == {"c1": SESSIONS // COPIES, "c2": SESSIONS // COPIES}
    mem = report["memory_mib"]
    assert mem["peak"] < MAX_RSS_MIB, mem
    assert mem["per_session"] < MAX_PER_SESSION_MIB, mem
    assert proc.returncode == 0, output[-3000:]
