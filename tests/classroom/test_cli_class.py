"""``python -m playground class create|results`` against either engine."""

import json
import os
import subprocess
import sys

from playground.classroom.store import Run, Store
from tests.conftest import ROOT


def _run(database_url, *args):
    env = dict(os.environ, PLAYGROUND_DATABASE_URL=database_url)
    return subprocess.run([sys.executable, "-m", "playground", "class", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_create_then_results_with_the_key_only(database_url):
    out = _run(database_url, "create", "--url", "http://school:8080/", "--json")
    assert out.returncode == 0, out.stderr
    made = json.loads(out.stdout)
    code, key = made["code"], made["teacher_key"]
    assert made["join_url"] == f"http://school:8080/classroom?class={code}" and key in made["teacher_url"]
    store = Store(database_url)
    store.join(code, "s1", "Mina")
    store.answer(code, "s1", "train.blow_up", "zigzag", right=False, first=True)
    store.send_run(code, "s1", Run(0.05, 2000, "cross_entropy", "zeros", 95.0, 68.0, True,
                                         dataset="course_folder"))
    store.close()
    out = _run(database_url, "results", code.lower(), "--key", key, "--json")
    assert out.returncode == 0, out.stderr
    results = json.loads(out.stdout)
    assert results["students"] == 1 and results["checkpoints"]["train.blow_up"]["final"] == {"zigzag": 1}
    assert results["runs"][0]["learning_rate"] == 0.05 and results["runs"][0]["diverged"] is True
    assert results["runs"][0]["dataset"] == "course_folder"
    refused = _run(database_url, "results", code, "--key", key + "x", "--json")
    assert refused.returncode == 2 and "No class with this code and key" in refused.stderr and not refused.stdout
