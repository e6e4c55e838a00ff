"""``python -m playground predict``: the course's photos, refused files in the output, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from playground.cli import main
from playground.lessons.predict.saved_model import SavedModel, save_model
from tests.conftest import ROOT
from tests.course_reference import REFERENCE_PHOTOS


@pytest.fixture(scope="module")
def course_npz(course_model, tmp_path_factory):
    """The course model saved as the Train page's download would be."""
    path = tmp_path_factory.mktemp("model") / "course.npz"
    path.write_bytes(save_model(course_model))
    return path


@pytest.fixture
def bad_files(tmp_path):
    """One file for each way an image can be refused by the command line."""
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "notes.jpg").write_text("these are my notes, not a photo")
    (tmp_path / "folder.png").mkdir()
    return {
        str(tmp_path / "empty.png"): "is empty (0 bytes)",
        str(tmp_path / "notes.jpg"): "is not an image Pillow can read",
        str(tmp_path / "folder.png"): "is not a file",
        str(tmp_path / "missing.gif"): "does not exist",
    }


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_on_the_course_data_gives_the_reference_probabilities(capsys, course_dir, photos_dir, bad_files):
    photos = [str(photos_dir / name) for name in REFERENCE_PHOTOS]
    code, out, _ = run(capsys, "predict", "--data", str(course_dir), *photos, *bad_files, "--json")
    assert code == 0
    results = json.loads(out)  # exactly one JSON document
    assert [r["file"] for r in results] == photos + list(bad_files)
    for r, (p, label) in zip(results, REFERENCE_PHOTOS.values()):
        assert set(r) == {"file", "p_cat", "label"}
        assert abs(r["p_cat"] - p) <= 0.01 and r["label"] == label
    for r, message in zip(results[len(photos):], bad_files.values()):
        assert set(r) == {"file", "error"} and message in r["error"] and r["file"] in r["error"]


def test_text_output_says_which_model_and_each_answer(capsys, course_npz, photos_dir, bad_files):
    photo = str(photos_dir / "my_image2.jpg")
    empty = next(iter(bad_files))
    code, out, _ = run(capsys, "predict", "--model", str(course_npz), photo, empty)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(f"model: {course_npz}")
    assert lines[1] == "preprocessing: squash to 64 × 64"
    assert lines[2] == f"{photo}: P(cat) = 0.8914 → cat"
    assert lines[3] == f"{empty}: refused: {empty} is empty (0 bytes)."


def test_crop_changes_the_input(capsys, course_npz, photos_dir):
    photo = str(photos_dir / "my_image.jpg")  # 1920 × 1276: cropping drops a sixth on each side
    _, squash, _ = run(capsys, "predict", "--model", str(course_npz), photo, "--json")
    _, crop, _ = run(capsys, "predict", "--model", str(course_npz), "--crop", photo, "--json")
    p_squash, p_crop = json.loads(squash)[0]["p_cat"], json.loads(crop)[0]["p_cat"]
    assert abs(p_squash - 0.282) <= 0.01
    assert abs(p_crop - p_squash) > 0.05


def test_a_loaded_model_is_the_one_used(capsys, tmp_path, photos_dir):
    """w = 0, b = 1: every image gets σ(1), whatever it shows."""
    n_x = 64 * 64 * 3
    model = SavedModel(w=np.zeros((n_x, 1)), b=1.0, mean=np.zeros((n_x, 1)), scale=np.ones((n_x, 1)),
                       image_shape=(64, 64, 3), classes=("other", "kitten"), settings={})
    path = tmp_path / "constant.npz"
    path.write_bytes(save_model(model))
    code, out, _ = run(capsys, "predict", "--model", str(path), str(photos_dir / "my_image.jpg"), "--json")
    assert code == 0
    [r] = json.loads(out)
    assert r["p_cat"] == pytest.approx(1 / (1 + np.exp(-1.0))) and r["label"] == "kitten"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["predict"], "the following arguments are required: IMAGE"),
        (["predict", "--model", "m.npz", "--data", "d", "x.png"], "--model carries its own data and scaling"),
        (["predict", "--model", "nowhere.npz", "x.png"], "nowhere.npz is not a file"),
        (["predict", "--data", "/no/such/folder", "x.png"], "/no/such/folder does not exist"),
        (["predict", "--crop=yes", "x.png"], "argument --crop: ignored explicit argument 'yes'"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(capsys, argv, message):
    try:
        code = main(argv)
    except SystemExit as stop:  # argparse's own errors exit; ours return the code
        code = stop.code
    assert code == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert message in err and err.count("\n") == 1


def test_a_bad_model_file_is_a_bad_argument(capsys, tmp_path):
    path = tmp_path / "model.npz"
    path.write_bytes(b"PK\x03\x04 definitely not a model")
    code, out, err = run(capsys, "predict", "--model", str(path), "x.png")
    assert code == 2 and out == ""
    assert f"{path} is not a .npz model saved by the playground" in err


def test_module_entry_point(course_npz, photos_dir):
    """The real command, as a user types it."""
    done = subprocess.run(
        [sys.executable, "-m", "playground", "predict", "--model", str(course_npz),
         str(photos_dir / "cat_in_iran.jpg"), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    [r] = json.loads(done.stdout)
    assert abs(r["p_cat"] - 0.697) <= 0.01 and r["label"] == "cat"
