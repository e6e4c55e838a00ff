"""The course's HDF5 pair: train_catvnoncat.h5 and test_catvnoncat.h5."""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import numpy as np

from playground.data.dataset import Dataset
from playground.errors import InputError

TRAIN_FILE = "train_catvnoncat.h5"
TEST_FILE = "test_catvnoncat.h5"
MAX_H5_BYTES = 50 * 1024 * 1024
"""Largest HDF5 file accepted (the course's pair is 2.6 MB + 0.6 MB)."""


def _read_split(source, split: str, what: str) -> tuple[np.ndarray, np.ndarray, tuple[str, str]]:
    """Read {split}_set_x, {split}_set_y and list_classes from one HDF5 file or file-like."""
    import h5py  # here, not at the top: 30 ms of a fresh server's first page, which reads no .h5 file

    try:
        f = h5py.File(source, "r")
    except OSError as err:
        raise InputError("h5_unreadable", what=what, detail=str(err)) from None
    with f:
        keys = sorted(f.keys())
        needed = [f"{split}_set_x", f"{split}_set_y", "list_classes"]
        missing = [k for k in needed if k not in f]
        if missing:
            raise InputError("h5_missing_keys", what=what, missing=", ".join(missing), needed=", ".join(needed),
                             found=", ".join(keys) or "–")
        for k in needed:
            if not isinstance(f[k], h5py.Dataset):
                raise InputError("h5_group", what=what, key=k)
        x = f[f"{split}_set_x"]
        if x.ndim != 4 or x.shape[3] != 3 or x.dtype != np.uint8:
            raise InputError("h5_bad_images", what=what, split=split, shape=x.shape, dtype=x.dtype)
        x = x[()]
        y = f[f"{split}_set_y"][()]
        if y.ndim == 2 and 1 in y.shape:
            y = y.reshape(-1)
        if not np.issubdtype(y.dtype, np.integer):
            raise InputError("h5_bad_labels", what=what, split=split, dtype=y.dtype)
        raw_classes = f["list_classes"][()]
        try:
            classes = tuple(c.decode() if isinstance(c, bytes) else str(c) for c in raw_classes)
        except (TypeError, UnicodeDecodeError):
            raise InputError("h5_bad_classes", what=what, found=repr(raw_classes)) from None
        if len(classes) != 2:
            raise InputError("h5_bad_classes", what=what, found=f"{len(classes)}: {classes!r}")
    return x, y.astype(np.int64), classes


def _check_size(n: int, what: str) -> None:
    if n > MAX_H5_BYTES:
        raise InputError("h5_too_big", what=what, mb=n / 1e6, limit_mb=MAX_H5_BYTES / 1e6)
    if n == 0:
        raise InputError("h5_empty", what=what)


def _build(train, test, key: str, name: str) -> Dataset:
    x, y, classes = train
    xt, yt, _ = test
    return Dataset(name=name, key=key, train_x=x, train_y=y, test_x=xt, test_y=yt, classes=classes)


def load_course_folder(folder: str | os.PathLike) -> Dataset:
    """The pair from a folder that holds both files. Key: the paths and their mtimes."""
    folder = Path(folder)
    paths = [folder / TRAIN_FILE, folder / TEST_FILE]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise InputError("course_files_missing", folder=str(folder), missing=", ".join(missing),
                         train_file=TRAIN_FILE, test_file=TEST_FILE)
    for p in paths:
        _check_size(p.stat().st_size, p.name)
    key = "course:" + "|".join(f"{p.resolve()}@{p.stat().st_mtime_ns}" for p in paths)
    return _build(
        _read_split(paths[0], "train", TRAIN_FILE),
        _read_split(paths[1], "test", TEST_FILE),
        key,
        f"Course data ({folder.name or folder})",
    )


def load_course_bytes(train_bytes: bytes, test_bytes: bytes) -> Dataset:
    """The pair from uploaded bytes (nothing touches the disk). Key: SHA-256 of both."""
    # (named as the page's two uploaders are labelled, in every language)
    _check_size(len(train_bytes), TRAIN_FILE)
    _check_size(len(test_bytes), TEST_FILE)
    digest = hashlib.sha256(train_bytes + b"|" + test_bytes).hexdigest()
    return _build(
        _read_split(io.BytesIO(train_bytes), "train", TRAIN_FILE),
        _read_split(io.BytesIO(test_bytes), "test", TEST_FILE),
        f"course-upload:{digest}",
        "Course data (uploaded)",
    )


def has_course_pair(folder: str | os.PathLike) -> bool:
    """True when ``folder`` holds both of the course's files."""
    folder = Path(folder)
    return (folder / TRAIN_FILE).is_file() and (folder / TEST_FILE).is_file()


def default_course_folder(project_root: str | os.PathLike | None = None) -> Path | None:
    """Where the app finds the course's pair on its own: $PLAYGROUND_DATA, else data/ in the project."""
    env = os.environ.get("PLAYGROUND_DATA")
    candidates = [Path(env)] if env else []
    root = Path(project_root) if project_root else Path(__file__).resolve().parents[2]
    candidates.append(root / "data")
    for folder in candidates:
        if has_course_pair(folder):
            return folder
    return None
