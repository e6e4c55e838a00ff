"""``python -m playground train``: the course's numbers through the command line, and its errors."""

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tests.course_reference import BASELINE_COSTS, BASELINE_FINAL_COST


def _run(*args):
    return subprocess.run([sys.executable, "-m", "playground", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_train_json_on_the_course_data(course_dir):
    out = _run("train", "--data", str(course_dir), "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["costs"] == pytest.approx(list(BASELINE_COSTS.values()), abs=1e-6)
    assert result["cost_iterations"] == list(BASELINE_COSTS)
    assert result["final_cost"] == pytest.approx(BASELINE_FINAL_COST, abs=1e-6)
    assert result["train_accuracy"] == pytest.approx(99.043062, abs=1e-6)
    assert result["test_accuracy"] == pytest.approx(70.0, abs=1e-6)
    assert (result["iterations"], result["learning_rate"], result["loss"]) == (2000, 0.005, "cross_entropy")
    assert result["diverged_at"] is None and result["seconds"] > 0


def test_train_table_on_the_course_data(course_dir):
    out = _run("train", "--data", str(course_dir), "--lr", "0.01", "--iterations", "1500")
    assert out.returncode == 0, out.stderr
    assert "Cost after iteration 1400: 0.092043" in out.stdout
    assert "train accuracy: 99.521531 %" in out.stdout
    assert "test accuracy: 68.000000 %" in out.stdout


def test_train_on_the_built_in_data_reports_divergence():
    out = _run("train", "--iterations", "20", "--lr", "100", "--json")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["diverged_at"] == 1 and result["dataset"].startswith("Built-in")


@pytest.mark.parametrize(
    "args, message",
    [
        (["train", "--lr", "fast"], "argument --lr: expected a number, got 'fast'"),
        (["train", "--lr", "0"], "argument --lr: expected a number above 0, got 0"),
        (["train", "--loss", "hinge"], "argument --loss: invalid choice: 'hinge'"),
        (["train", "--iterations", "-5"], "whole number of iterations from 0 to 100,000, got -5"),
        (["train", "--data", "/no/such/folder"], "/no/such/folder does not exist"),
        (["fly"], "invalid choice: 'fly'"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_code_2(args, message):
    out = _run(*args)
    assert out.returncode == 2
    assert message in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert "Traceback" not in out.stderr


def test_checkpoints_lists_every_checkpoint_in_both_languages():
    out = _run("checkpoints", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) >= 14 and {row["page"] for row in rows} == {"data", "train", "landscape", "graph", "speed", "predict"}
    for row in rows:
        assert set(row) == {"page", "id", "kind", "en", "ko"} and row["id"].startswith(row["page"] + ".")
        assert row["kind"] in ("choice", "number", "target") and row["en"] and row["ko"] != row["en"]
    first = next(row for row in rows if row["id"] == "train.first_cost")
    assert first["kind"] == "number" and "w = 0" in first["en"] and "비용" in first["ko"]
