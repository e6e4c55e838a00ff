"""The course's HDF5 loader: the real pair, and every refusal with its message."""

import io
import os
import subprocess
import sys

import h5py
import numpy as np
import pytest

from playground.data.course import (
    default_course_folder, has_course_pair, load_course_bytes, load_course_folder,
)
from playground.errors import InputError
from tests.conftest import ROOT
from tests.hostile.h5 import CASES, EXPECTED


def _h5(split="train", m=6, x=None, y=None, classes=(b"non-cat", b"cat"), drop=()):
    buf = io.BytesIO()
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(m, 64, 64, 3), dtype=np.uint8) if x is None else x
    y = np.array([0, 1] * (m // 2), dtype=np.int64) if y is None else y
    with h5py.File(buf, "w") as f:
        items = {f"{split}_set_x": x, f"{split}_set_y": y, "list_classes": np.array(classes)}
        for k, v in items.items():
            if k not in drop:
                f.create_dataset(k, data=v)
    return buf.getvalue()


def test_real_pair_loads_in_the_course_format(course_dir):
    ds = load_course_folder(course_dir)
    assert ds.train_x.shape == (209, 64, 64, 3) and ds.train_x.dtype == np.uint8
    assert ds.test_x.shape == (50, 64, 64, 3)
    assert ds.classes == ("non-cat", "cat")
    assert (int(ds.train_y.sum()), int(ds.test_y.sum())) == (72, 33)
    assert not ds.train_x.flags.writeable  # shared between visitors
    assert str(course_dir.resolve()) in ds.key


def test_uploaded_bytes_give_the_same_data(course_dir):
    a = load_course_folder(course_dir)
    b = load_course_bytes((course_dir / "train_catvnoncat.h5").read_bytes(), (course_dir / "test_catvnoncat.h5").read_bytes())
    assert np.array_equal(a.train_x, b.train_x) and np.array_equal(a.test_y, b.test_y)
    assert b.key.startswith("course-upload:")


def test_small_valid_pair_loads():
    ds = load_course_bytes(_h5("train"), _h5("test", m=2))
    assert ds.m_train == 6 and ds.m_test == 2


@pytest.mark.parametrize(
    "train, message",
    [
        (_h5(drop=("train_set_y",)), r"train_catvnoncat\.h5 lacks the key\(s\) train_set_y: expected train_set_x, train_set_y, list_classes, found list_classes, train_set_x"),
        (_h5(x=np.zeros((4, 64, 64), np.uint8), y=np.array([0, 1, 0, 1])), r"expected train_set_x of shape \(m, height, width, 3\) and dtype uint8, got shape \(4, 64, 64\)"),
        (_h5(x=np.zeros((4, 64, 64, 3), np.float32), y=np.array([0, 1, 0, 1])), "dtype uint8, got shape .* and dtype float32"),
        (_h5(y=np.zeros(6, np.int64)), r"The training set needs both classes \(0 and 1\); it holds only label 0"),
        (_h5(y=np.array([0, 1, 2, 0, 1, 0])), r"Expected train labels to be 0 or 1, found \[2\]"),
        (_h5(y=np.array([0, 1, 0])), r"inconsistent numbers of images and labels: \[6, 3\]"),
        (_h5(y=np.array([0.0, 1, 0, 1, 0, 1])), "expected integer labels in train_set_y, got dtype float64"),
        (_h5(classes=(b"a", b"b", b"c")), "list_classes should hold two names, got 3"),
        (b"this is not hdf5", r"train_catvnoncat\.h5 is not a readable HDF5 file"),
        (b"", r"train_catvnoncat\.h5 is empty \(0 bytes\)"),
    ],
    ids=["missing_key", "3d_images", "float_images", "one_class", "label_2", "too_few_labels", "float_labels",
         "three_classes", "not_hdf5", "empty"],
)
def test_bad_training_file_is_refused_with_a_precise_message(train, message):
    with pytest.raises(ValueError, match=message):
        load_course_bytes(train, _h5("test", m=2))


def test_test_file_with_train_keys_is_refused():
    with pytest.raises(ValueError, match=r"test_catvnoncat\.h5 lacks the key\(s\) test_set_x, test_set_y"):
        load_course_bytes(_h5("train"), _h5("train"))


def test_mismatched_image_sizes_are_refused():
    small = np.zeros((2, 32, 32, 3), np.uint8)
    with pytest.raises(ValueError, match=r"Train and test images differ in size: \(64, 64, 3\) against \(32, 32, 3\)"):
        load_course_bytes(_h5("train"), _h5("test", m=2, x=small))


def test_too_large_file_is_refused(monkeypatch):
    import playground.data.course as course

    monkeypatch.setattr(course, "MAX_H5_BYTES", 1000)
    with pytest.raises(ValueError, match=r"train_catvnoncat\.h5 is 0\.\d MB; the limit is 0 MB"):
        load_course_bytes(_h5("train"), _h5("test", m=2))


def test_folder_without_the_pair(tmp_path):
    with pytest.raises(ValueError, match="lacks train_catvnoncat.h5, test_catvnoncat.h5"):
        load_course_folder(tmp_path)
    assert not has_course_pair(tmp_path)


def test_default_folder_comes_from_the_environment(monkeypatch, tmp_path, course_dir):
    monkeypatch.setenv("PLAYGROUND_DATA", str(course_dir))
    assert default_course_folder(project_root=tmp_path) == course_dir
    monkeypatch.setenv("PLAYGROUND_DATA", str(tmp_path / "nothing"))
    assert default_course_folder(project_root=tmp_path) is None
    (tmp_path / "data").mkdir()
    for name in ("train_catvnoncat.h5", "test_catvnoncat.h5"):
        (tmp_path / "data" / name).write_bytes((course_dir / name).read_bytes())
    assert default_course_folder(project_root=tmp_path) == tmp_path / "data"


# --- hostile files: the closed format, checked in a child process --------------------------------

EXPECTED_TEXT = {
    "external_absolute": r"train_catvnoncat\.h5: expected 'train_set_x' stored in the file itself, got data kept in 1 external file\(s\)\.",
    "external_relative": r"train_catvnoncat\.h5: expected 'train_set_x' stored in the file itself, got data kept in 1 external file\(s\)\.",
    "external_link": r"train_catvnoncat\.h5: expected 'train_set_x' stored in the file itself, got an external link to another file\.",
    "vds_present": r"train_catvnoncat\.h5: expected 'train_set_x' stored in the file itself, got a virtual dataset that reads other files\.",
    "vds_missing": r"train_catvnoncat\.h5: expected 'train_set_x' stored in the file itself, got a virtual dataset",
    "vds_missing_in_test": r"test_catvnoncat\.h5: expected 'test_set_x' stored in the file itself, got a virtual dataset",
    "bomb_10k_images": r"train_catvnoncat\.h5: expected at most 2,000 images in train_set_x, got 10,000\.",
    "bomb_huge_images": r"expected images of at most 256 × 256 pixels in train_set_x, got 16,384 × 16,384\.",
    "bomb_gzip": r"expected at most 2,000 images in train_set_x, got 20,000\.",
    "tiny_chunks": r"expected train_set_x stored in at most 20,000 chunks, got 24,576,000\.",
    "bomb_labels": r"expected train_set_y of shape \(m,\), \(1, m\) or \(m, 1\) with m at most 2,000, got shape \(1000000000,\)\.",
    "bomb_classes": r"expected list_classes as a list of at most 16 names, got shape \(1000000,\) and dtype \|S64\.",
    "corrupt_truncated": r"train_catvnoncat\.h5 is not a readable HDF5 file \(OSError: .*truncated file",
    "corrupt_flipped": r"train_catvnoncat\.h5 is not a readable HDF5 file \(OSError: ",
    "softlink_loop": r"expected 'train_set_x' stored under its own name, got a soft link to '/loop'\.",
    "softlink_valid": r"expected 'train_set_x' stored under its own name, got a soft link to '/stash/x'\.",
}


def test_every_hostile_case_has_its_expected_message():
    assert set(EXPECTED_TEXT) == set(CASES) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_pair_is_refused_with_its_message(name):
    with pytest.raises(InputError, match=EXPECTED_TEXT[name]) as refused:
        load_course_bytes(*CASES[name]())
    assert refused.value.key == EXPECTED[name]
    assert "root:" not in str(refused.value)  # (no line of /etc/passwd in the message either)


def test_a_hostile_folder_is_refused_as_its_upload(tmp_path):
    train, test = CASES["external_absolute"]()
    (tmp_path / "train_catvnoncat.h5").write_bytes(train)
    (tmp_path / "test_catvnoncat.h5").write_bytes(test)
    with pytest.raises(InputError, match=EXPECTED_TEXT["external_absolute"]):
        load_course_folder(tmp_path)


def test_external_storage_is_never_opened(tmp_path):
    # A FIFO blocks whoever opens it for reading until a writer comes: had the child opened it, the
    # upload would be refused for its time, not for its format.
    canary = tmp_path / "canary"
    os.mkfifo(canary)
    train = _h5_with(lambda f: f.create_dataset("train_set_x", (2, 4, 4, 3), np.uint8,
                                                external=[(str(canary), 0, h5py.h5f.UNLIMITED)]))
    with pytest.raises(InputError) as refused:
        load_course_bytes(train, _h5("test", m=2))
    assert refused.value.key == "h5_external_storage"


def _h5_with(build, split="train"):
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        build(f)
        if f"{split}_set_y" not in f:
            f[f"{split}_set_y"] = np.array([0, 1])
        if "list_classes" not in f:
            f["list_classes"] = np.array([b"non-cat", b"cat"])
    return buf.getvalue()


def test_labels_as_a_row_or_a_column_and_variable_length_names_load():
    x = np.zeros((2, 8, 8, 3), np.uint8)
    for y in (np.array([[0, 1]]), np.array([[0], [1]])):
        def build(f, y=y):
            f["train_set_x"] = x
            f["train_set_y"] = y
            f.create_dataset("list_classes", data=["개가 아님", "개"], dtype=h5py.string_dtype())
        ds = load_course_bytes(_h5_with(build), _h5("test", m=2, x=np.zeros((2, 8, 8, 3), np.uint8)))
        assert ds.train_y.tolist() == [0, 1] and ds.classes == ("개가 아님", "개")


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda f: (f.__setitem__("train_set_x", np.zeros((2, 8, 8, 3), np.uint8)),
                    f.__setitem__("list_classes", np.array([b"a" * 65, b"b"]))),
         r"expected class names of at most 64 bytes in list_classes, got 65\."),
        (lambda f: (f.__setitem__("train_set_x", np.zeros((2, 8, 8, 3), np.uint8)),
                    f.create_dataset("list_classes", data=["a" * 5000, "b"], dtype=h5py.string_dtype())),
         r"expected class names of at most 64 bytes in list_classes, got 5,000\."),
        (lambda f: (f.__setitem__("train_set_x", np.zeros((2, 8, 8, 3), np.uint8)),
                    f.__setitem__("list_classes", np.array([0, 1]))),
         r"expected list_classes as a list of at most 16 names, got shape \(2,\) and dtype int64\."),
        (lambda f: f.create_dataset("train_set_x", (130, 256, 256, 3), np.uint8),
         r"expected at most 24\.6 MB of images in train_set_x, got 130 images of 256 × 256 × 3 bytes = 25\.6 MB\."),
        (lambda f: f.__setitem__("train_set_x", h5py.Empty(np.uint8)),
         r"expected train_set_x of shape \(m, height, width, 3\) and dtype uint8, got shape None"),
        (lambda f: f.create_group("train_set_x"), r"'train_set_x' is a group, expected an array\."),
    ],
    ids=["long_fixed_name", "long_variable_name", "integer_names", "256px_over_budget", "empty_dataspace", "group"],
)
def test_declared_bounds_are_checked_before_reading(build, message):
    with pytest.raises(InputError, match=message):
        load_course_bytes(_h5_with(build), _h5("test", m=2))


def test_the_pair_is_parsed_in_one_child_and_h5py_stays_out_of_the_server(course_dir):
    code = ("import sys, subprocess; runs = []; real = subprocess.run\n"
            "subprocess.run = lambda *a, **k: runs.append(a) or real(*a, **k)\n"
            "from playground.data.course import load_course_folder\n"
            f"ds = load_course_folder({str(course_dir)!r})\n"
            "assert ds.m_train == 209 and len(runs) == 1, runs\n"
            "assert 'h5py' not in sys.modules\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def _fake_child(monkeypatch, code: str):
    """The child replaced by ``code`` (what a crashed or confused child would do)."""
    import playground.data.course as course

    monkeypatch.setattr(course, "_child_command", lambda: [sys.executable, "-c", code])


def test_a_child_that_crashes_is_refused_and_the_server_carries_on(monkeypatch, course_dir):
    _fake_child(monkeypatch, "import os, signal; os.kill(os.getpid(), signal.SIGSEGV)")
    with pytest.raises(InputError, match=r"Reading train_catvnoncat\.h5 crashed the HDF5 reader \(signal SIGSEGV\)") as refused:
        load_course_bytes(_h5("train"), _h5("test", m=2))
    assert refused.value.key == "h5_crashed"
    monkeypatch.undo()
    assert load_course_folder(course_dir).m_train == 209


def test_a_crash_on_the_test_file_names_the_test_file(monkeypatch):
    # A valid answer for the training file, then the crash.
    _fake_child(monkeypatch, "import json, os, signal, sys, numpy as np\n"
                             "out = sys.stdout.buffer\n"
                             "out.write(json.dumps({'classes': ['non-cat', 'cat']}).encode() + b'\\n')\n"
                             "np.save(out, np.zeros((2, 8, 8, 3), np.uint8)); np.save(out, np.array([0, 1]))\n"
                             "out.flush(); os.kill(os.getpid(), signal.SIGABRT)")
    with pytest.raises(InputError, match=r"Reading test_catvnoncat\.h5 crashed the HDF5 reader \(signal SIGABRT\)"):
        load_course_bytes(_h5("train"), _h5("test", m=2))


_ANSWER = ("import json, sys, numpy as np\nout = sys.stdout.buffer\n"
           "out.write(json.dumps({'classes': ['a', 'b']}).encode() + b'\\n')\n")
"""The start of a fake child's answer: its JSON line for the training file."""


@pytest.mark.parametrize(
    "code, detail",
    [
        ("print('hello')", "a garbled line"),
        ("", "no answer"),
        # images declared by the thousands of millions: refused on the header, nothing allocated
        (_ANSWER + "np.lib.format.write_array_header_1_0(out, {'descr': '|u1', 'fortran_order': False, "
                   "'shape': (10**9, 64, 64, 3)})",
         r"images of shape \(1000000000, 64, 64, 3\)"),
        (_ANSWER + "out.write(np.lib.format.MAGIC_PREFIX + b'\\x01\\x00\\x08\\x00{\\'descr\\n')",
         "a broken .npy header"),
        (_ANSWER + "np.save(out, np.zeros((2, 8, 8, 3), np.uint8)); np.save(out, np.array([0.5, 1]))",
         "an array of dtype float64"),
        (_ANSWER + "np.lib.format.write_array_header_1_0(out, {'descr': '|u1', 'fortran_order': False, "
                   "'shape': (2, 8, 8, 3)}); out.write(bytes(10))",
         "an array cut short"),
        ("import json; print(json.dumps({'error': 'model_empty', 'fields': {'name': 'x'}}))", "an unknown refusal"),
        ("import json; print(json.dumps({'error': 'h5_empty', 'fields': {'what': 'train_catvnoncat.h5', 'x': [1]}}))",
         "a refusal with odd fields"),
    ],
    ids=["garbage", "silence", "huge_header", "broken_header", "float_labels", "cut_short", "foreign_key", "odd_fields"],
)
def test_a_child_answer_that_fails_the_checks_is_refused(monkeypatch, code, detail):
    _fake_child(monkeypatch, code)
    with pytest.raises(InputError, match=rf"The HDF5 reader's answer for train_catvnoncat\.h5 fails its checks \({detail}\)") as refused:
        load_course_bytes(_h5("train"), _h5("test", m=2))
    assert refused.value.key == "h5_bad_answer"


def test_a_child_out_of_memory_or_time_is_refused_as_too_costly(monkeypatch):
    import playground.data.course as course
    from playground.data.h5_child import EXIT_TOO_COSTLY

    _fake_child(monkeypatch, f"raise SystemExit({EXIT_TOO_COSTLY})")
    with pytest.raises(InputError, match=r"Reading train_catvnoncat\.h5 needs more than 2 s of CPU time, 10 s in all or 1,024 MiB"):
        load_course_bytes(_h5("train"), _h5("test", m=2))
    _fake_child(monkeypatch, "import time; time.sleep(30)")
    monkeypatch.setattr(course, "CHILD_WALL_SECONDS", 0.5)
    with pytest.raises(InputError, match="0.5 s in all") as refused:
        load_course_bytes(_h5("train"), _h5("test", m=2))
    assert refused.value.key == "h5_too_costly"


def test_the_cpu_limit_stops_a_real_parse(monkeypatch):
    # One-byte chunks let through: reading them would take minutes, the child's CPU limit stops it.
    import playground.data.course as course

    monkeypatch.setattr(course, "MAX_SPLIT_CHUNKS", 10**12)
    monkeypatch.setattr(course, "CHILD_CPU_SECONDS", 1)
    with pytest.raises(InputError, match=r"Reading train_catvnoncat\.h5 needs more than 1 s of CPU time") as refused:
        load_course_bytes(*CASES["tiny_chunks"]())
    assert refused.value.key == "h5_too_costly"


def test_uploads_past_the_children_at_once_wait_then_are_refused(monkeypatch, course_dir):
    import playground.data.course as course

    monkeypatch.setattr(course, "QUEUE_SECONDS", 0.2)
    train = (course_dir / "train_catvnoncat.h5").read_bytes()
    test = (course_dir / "test_catvnoncat.h5").read_bytes()
    taken = [course._CHILDREN.acquire(timeout=1) for _ in range(course.CHILDREN_AT_ONCE)]
    try:
        assert all(taken)
        with pytest.raises(InputError, match="waits behind other uploads") as err:
            load_course_bytes(train, test)
        assert err.value.key == "h5_busy"
    finally:
        for _ in taken:
            course._CHILDREN.release()
    assert load_course_bytes(train, test).m_train == 209  # the turn came: it loads
