"""The course's HDF5 loader: the real pair, and every refusal with its message."""

import io

import h5py
import numpy as np
import pytest

from playground.data.course import (
    default_course_folder, has_course_pair, load_course_bytes, load_course_folder,
)


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
