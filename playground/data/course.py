"""The course's HDF5 pair: train_catvnoncat.h5 and test_catvnoncat.h5.

The files are parsed in a child process (``playground.data.h5_child``) that limits its own CPU
time and memory, so a hostile file that crashes HDF5 or declares gigabytes costs one refused
upload, not the server. What comes back is checked again here.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import numpy as np

from playground.data.dataset import Dataset
from playground.data.h5_child import EXIT_TOO_COSTLY
from playground.errors import MESSAGES, InputError

TRAIN_FILE = "train_catvnoncat.h5"
TEST_FILE = "test_catvnoncat.h5"
MAX_H5_BYTES = 50 * 1024 * 1024
"""Largest HDF5 file accepted (the course's pair is 2.6 MB + 0.6 MB)."""
MAX_SPLIT_IMAGES = 2_000
"""Most images (and labels) one split may declare (the course's training set has 209)."""
MAX_SIDE = 256
"""Longest side of an image, in pixels (the course's are 64 × 64)."""
MAX_SPLIT_BYTES = 2_000 * 64 * 64 * 3
"""Most bytes of images one split may declare: as much as 2,000 of the course's 64 × 64 images,
so 256 × 256 images are accepted only about 125 a split."""
MAX_SPLIT_CHUNKS = 20_000
"""Most chunks a split's images may be stored in (h5py's own chunking of the largest split
makes a few thousand; one-byte chunks would make millions, each a look-up)."""
MAX_CLASS_NAMES = 16
"""Most entries list_classes may declare (two are used; more is refused after reading)."""
MAX_CLASS_NAME_BYTES = 64
"""Longest class name, in bytes as stored (UTF-8)."""
CHILD_CPU_SECONDS = 2
"""CPU time the child may use for both files together (RLIMIT_CPU, whole seconds)."""
CHILD_MEMORY_BYTES = 1024 * 1024 * 1024
"""Address space the child may map (RLIMIT_AS): NumPy and h5py, both files and one split's
images, with room to spare."""
CHILD_WALL_SECONDS = 10
"""Time the child may take, waiting included, before it is killed."""
_ANSWER_SLACK = 1024 * 1024
"""Room for the JSON lines and .npy headers in the child's answer, beyond its arrays."""
CHILDREN_AT_ONCE = 2
"""HDF5 children one server runs at the same time (one a core); an upload waits its turn."""
QUEUE_SECONDS = 10
"""How long an upload waits for its turn before it is refused as busy."""
_CHILDREN = threading.BoundedSemaphore(CHILDREN_AT_ONCE)


def _limits() -> dict:
    return {"images": MAX_SPLIT_IMAGES, "side": MAX_SIDE, "bytes": MAX_SPLIT_BYTES, "chunks": MAX_SPLIT_CHUNKS,
            "class_names": MAX_CLASS_NAMES, "class_name_bytes": MAX_CLASS_NAME_BYTES}


def _answer_cap(n_files: int) -> int:
    """Most bytes the child may write: each file's largest images and labels, and the slack."""
    return n_files * (MAX_SPLIT_BYTES + 8 * MAX_SPLIT_IMAGES) + _ANSWER_SLACK


def _child_command() -> list[str]:
    """The child's command line, before its three limits are appended."""
    return [sys.executable, "-m", "playground.data.h5_child"]


def _child_env(empty: str) -> dict[str, str]:
    """A small environment of its own: nothing of the server's but what starting Python needs."""
    root = str(Path(__file__).resolve().parents[2])  # so `-m playground.data.h5_child` imports from anywhere
    # (OPENBLAS_CORETYPE and L2_SIZE: where set, older OpenBLAS builds need them to run right)
    passed = ("PATH", "LD_LIBRARY_PATH", "SYSTEMROOT", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
    env = {k: os.environ[k] for k in passed if k in os.environ}
    env.update(
        PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
        LC_ALL="C.UTF-8",
        OPENBLAS_NUM_THREADS="1",
        HDF5_PLUGIN_PRELOAD="::",  # (HDF5's word for "load no filter plugin at all")
        HDF5_PLUGIN_PATH=empty,
        # External raw storage and virtual datasets are refused before reading; should one get
        # through, its relative paths resolve in an empty folder.
        HDF5_EXTFILE_PREFIX=empty,
        HDF5_VDS_PREFIX=empty,
    )
    return env


@contextlib.contextmanager
def _scratch(name: str):
    """An anonymous file in memory (on disk where there is no memfd), closed on leaving."""
    if hasattr(os, "memfd_create"):
        f = open(os.memfd_create(name, getattr(os, "MFD_CLOEXEC", 0)), "w+b")
    else:
        f = tempfile.TemporaryFile()
    with f:
        yield f


class _Refused(Exception):
    """The child's answer for one file fails a check here; its one argument says which."""


def _npy(stream, dtype: np.dtype, check) -> np.ndarray:
    """The next .npy array in ``stream``, its header checked by ``check(shape)`` before its data is read."""
    try:
        version = np.lib.format.read_magic(stream)
        read_header = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
        shape, fortran, got = read_header[version](stream)
    except Exception:  # noqa: BLE001 — NumPy's header parser raises ValueError, SyntaxError, TokenError …
        raise _Refused("a broken .npy header") from None
    if got != dtype or fortran:
        raise _Refused(f"an array of dtype {got}")
    check(shape)
    n = int(np.prod(shape)) * dtype.itemsize
    data = stream.read(n)
    if len(data) != n:
        raise _Refused("an array cut short")
    return np.frombuffer(data, dtype).reshape(shape)


def _check_images(shape) -> None:
    if not (len(shape) == 4 and shape[3] == 3 and 0 <= shape[0] <= MAX_SPLIT_IMAGES
            and 0 < shape[1] <= MAX_SIDE and 0 < shape[2] <= MAX_SIDE
            and shape[0] * shape[1] * shape[2] * 3 <= MAX_SPLIT_BYTES):
        raise _Refused(f"images of shape {shape}")


def _check_labels(shape) -> None:
    if not (len(shape) == 1 and 0 <= shape[0] <= MAX_SPLIT_IMAGES):
        raise _Refused(f"labels of shape {shape}")


def _child_error(record: dict, what: str) -> InputError:
    """The InputError the child refused ``what`` with, once its key and fields pass muster."""
    key, fields = record.get("error"), record.get("fields")
    if not (isinstance(key, str) and key.startswith("h5_") and key in MESSAGES and isinstance(fields, dict)
            and fields.get("what") == what):
        raise _Refused("an unknown refusal")
    for v in fields.values():
        if not (v is None or isinstance(v, (bool, int, float)) or (isinstance(v, str) and len(v) <= 1000)):
            raise _Refused("a refusal with odd fields")
    try:
        return InputError(key, **fields)
    except (KeyError, ValueError, TypeError, IndexError):
        raise _Refused("a refusal with odd fields") from None


def _answer(stream, what: str):
    """One file's part of the child's answer: (x, y, classes), or the child's InputError raised.
    None if it stops before its JSON line is whole."""
    line = stream.readline(64 * 1024)
    if not line.endswith(b"\n"):
        return None
    try:
        record = json.loads(line)
    except ValueError:
        raise _Refused("a garbled line") from None
    if not isinstance(record, dict):
        raise _Refused("a garbled line")
    if "error" in record:
        raise _child_error(record, what)
    classes = record.get("classes")
    if not (isinstance(classes, list) and len(classes) == 2 and all(
            isinstance(c, str) and len(c.encode()) <= MAX_CLASS_NAME_BYTES for c in classes)):
        raise _Refused("odd class names")
    x = _npy(stream, np.dtype(np.uint8), _check_images)
    y = _npy(stream, np.dtype("<i8"), _check_labels)
    return x, y.astype(np.int64), tuple(classes)


def _status(returncode: int | None) -> str:
    if returncode is not None and returncode < 0:
        try:
            return f"signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"signal {-returncode}"
    return f"exit code {returncode}"


def _parse_in_child(files: list[tuple[bytes, str, str]]) -> list:
    """(x, y, classes) of each (bytes, split, what), read by one child process; any failure an InputError."""
    # A class uploading at once must not start a child (and its memory) per visitor.
    if not _CHILDREN.acquire(timeout=QUEUE_SECONDS):
        raise InputError("h5_busy", what=files[0][2])
    try:
        return _run_child(files)
    finally:
        _CHILDREN.release()


def _run_child(files: list[tuple[bytes, str, str]]) -> list:
    header = {"limits": _limits(), "files": [{"what": what, "split": split, "size": len(data)}
                                             for data, split, what in files]}
    cap = _answer_cap(len(files))
    limits = [str(CHILD_CPU_SECONDS), str(CHILD_MEMORY_BYTES), str(cap)]
    with tempfile.TemporaryDirectory(prefix="playground-h5-") as empty, \
            _scratch("h5-in") as stdin, _scratch("h5-out") as stdout, _scratch("h5-err") as stderr:
        stdin.write(json.dumps(header).encode() + b"\n")
        for data, _, _ in files:
            stdin.write(data)
        stdin.seek(0)
        try:
            # (no preexec_fn: the server has threads; the child limits itself first thing)
            returncode = subprocess.run(_child_command() + limits, stdin=stdin, stdout=stdout, stderr=stderr,
                                        cwd=empty, env=_child_env(empty), timeout=CHILD_WALL_SECONDS).returncode
        except subprocess.TimeoutExpired:
            returncode = None  # (killed and reaped by run)
        stdout.seek(0)
        answer = io.BytesIO(stdout.read(cap + 1))
        stderr.seek(max(0, stderr.seek(0, os.SEEK_END) - 4096))  # (a traceback's last lines)
        errors = stderr.read().decode(errors="replace").strip()

    results, detail = [], "no answer"
    try:
        for _, _, what in files:
            part = _answer(answer, what)  # (raises the child's InputError for this file)
            if part is None:
                break
            results.append(part)
    except _Refused as err:
        detail = err.args[0]
    if len(results) == len(files) and returncode == 0 and not answer.read(1):
        return results
    what = files[min(len(results), len(files) - 1)][2]  # the file the child was on when it stopped
    if returncode is None or returncode in (-signal.SIGXCPU, -signal.SIGKILL, EXIT_TOO_COSTLY):
        raise InputError("h5_too_costly", what=what, cpu_s=CHILD_CPU_SECONDS, wall_s=CHILD_WALL_SECONDS,
                         mem_mib=CHILD_MEMORY_BYTES // 2**20)
    if returncode != 0:
        logging.getLogger(__name__).warning("The HDF5 child stopped on %s (%s): %s", what, _status(returncode),
                                            errors or "nothing on stderr")
        raise InputError("h5_crashed", what=what, status=_status(returncode))
    raise InputError("h5_bad_answer", what=what, detail=detail)


def _check_size(n: int, what: str) -> None:
    if n > MAX_H5_BYTES:
        raise InputError("h5_too_big", what=what, mb=n / 1e6, limit_mb=MAX_H5_BYTES / 1e6)
    if n == 0:
        raise InputError("h5_empty", what=what)


def _build(train, test, key: str, name: str) -> Dataset:
    x, y, classes = train
    xt, yt, _ = test
    return Dataset(name=name, key=key, train_x=x, train_y=y, test_x=xt, test_y=yt, classes=classes)


def _read_capped(path: Path) -> bytes:
    with open(path, "rb") as f:
        data = f.read(MAX_H5_BYTES + 1)  # (a file that grew since its size was checked is read no further)
    _check_size(len(data), path.name)
    return data


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
    train, test = _parse_in_child([(_read_capped(paths[0]), "train", TRAIN_FILE),
                                   (_read_capped(paths[1]), "test", TEST_FILE)])
    return _build(train, test, key, f"Course data ({folder.name or folder})")


def load_course_bytes(train_bytes: bytes, test_bytes: bytes) -> Dataset:
    """The pair from uploaded bytes (parsed in memory by the child). Key: SHA-256 of both."""
    # (named as the page's two uploaders are labelled, in every language)
    _check_size(len(train_bytes), TRAIN_FILE)
    _check_size(len(test_bytes), TEST_FILE)
    digest = hashlib.sha256(train_bytes + b"|" + test_bytes).hexdigest()
    train, test = _parse_in_child([(train_bytes, "train", TRAIN_FILE), (test_bytes, "test", TEST_FILE)])
    return _build(train, test, f"course-upload:{digest}", "Course data (uploaded)")


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
