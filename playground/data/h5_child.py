"""The child process that parses the course's .h5 files, where a crash cannot reach the server.

Run by ``playground.data.course`` as ``python -m playground.data.h5_child CPU_S AS_BYTES OUT_BYTES``.
It limits itself first (CPU seconds, address space, size of what it writes, no core dump),
then imports NumPy and h5py.

stdin: one JSON line ``{"limits": {...}, "files": [{"what", "split", "size"}, ...]}``, then each
file's bytes in that order. stdout, for each file in order: a JSON line ``{"classes": [a, b]}``
followed by the images and the labels as two .npy arrays; or the JSON line
``{"error": key, "fields": {...}}`` of the InputError that refused it, and nothing after.
A MemoryError ends the child with EXIT_TOO_COSTLY.

The format is closed: the three objects must be datasets reached through hard links, stored in the
file itself (not virtual, no external raw storage), within the declared bounds, all checked
before a byte of data is read.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import os
import resource
import sys

from playground.errors import InputError  # (plain Python: the core's messages, nothing more)

EXIT_TOO_COSTLY = 3
"""Exit status of a child that ran out of memory."""
DETAIL_CHARS = 200
"""Longest text of the parser's own error repeated in a message."""
LISTED_KEYS = 20
"""How many of a file's keys a missing-key message lists."""


def _limit(which: int, soft: int, hard: int | None = None) -> None:
    """Lower one limit (never above a hard limit the server already has)."""
    _, current = resource.getrlimit(which)
    hard = soft if hard is None else hard
    if current != resource.RLIM_INFINITY:
        soft, hard = min(soft, current), min(hard, current)
    resource.setrlimit(which, (soft, hard))


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _detail(err: BaseException) -> str:
    return _short(f"{type(err).__name__}: {err}", DETAIL_CHARS)


def _checked_dataset(f, h5py, name: str, what: str):
    """f[name] once it is known to be a dataset stored in this file, reached by a hard link."""
    link = f.get(name, getlink=True)
    if isinstance(link, h5py.SoftLink):
        raise InputError("h5_soft_link", what=what, key=name, target=_short(link.path))
    if not isinstance(link, h5py.HardLink):  # an external link, or a user-defined one
        raise InputError("h5_external_link", what=what, key=name)
    obj = f[name]
    if not isinstance(obj, h5py.Dataset):
        raise InputError("h5_group", what=what, key=name)
    if obj.is_virtual:
        raise InputError("h5_virtual", what=what, key=name)
    if obj.external:
        raise InputError("h5_external_storage", what=what, key=name, n=len(obj.external))
    return obj


def _read(f, split: str, what: str, limits: dict):
    """Check {split}_set_x, {split}_set_y and list_classes against ``limits``, then read them."""
    import h5py
    import numpy as np

    needed = [f"{split}_set_x", f"{split}_set_y", "list_classes"]
    missing = [k for k in needed if f.get(k, getlink=True) is None]
    if missing:
        keys = [_short(k) for k in itertools.islice(f.keys(), LISTED_KEYS + 1)]  # (in name order)
        found = ", ".join(keys[:LISTED_KEYS]) + (", …" if len(keys) > LISTED_KEYS else "")
        raise InputError("h5_missing_keys", what=what, missing=", ".join(missing), needed=", ".join(needed),
                         found=found or "–")
    x, y, c = (_checked_dataset(f, h5py, k, what) for k in needed)

    shape = x.shape  # (None for an empty dataspace)
    if shape is None or len(shape) != 4 or shape[3] != 3 or 0 in shape[1:3] or x.dtype != np.uint8:
        raise InputError("h5_bad_images", what=what, split=split, shape=shape, dtype=x.dtype)
    m, height, width, _ = shape
    if m > limits["images"]:
        raise InputError("h5_too_many_images", what=what, split=split, m=m, limit=limits["images"])
    if max(height, width) > limits["side"]:
        raise InputError("h5_images_too_large", what=what, split=split, height=height, width=width,
                         limit=limits["side"])
    if m * height * width * 3 > limits["bytes"]:
        raise InputError("h5_split_too_big", what=what, split=split, m=m, height=height, width=width,
                         mb=m * height * width * 3 / 1e6, limit_mb=limits["bytes"] / 1e6)
    if x.chunks:  # each chunk is a look-up of its own: millions of tiny ones outlast any CPU limit
        n = math.prod(math.ceil(s / k) for s, k in zip(shape, x.chunks))
        if n > limits["chunks"]:
            raise InputError("h5_too_many_chunks", what=what, split=split, n=n, limit=limits["chunks"])

    yshape = y.shape
    if (yshape is None or not (len(yshape) == 1 or (len(yshape) == 2 and 1 in yshape))
            or math.prod(yshape) > limits["images"]):
        raise InputError("h5_labels_shape", what=what, split=split, shape=yshape, limit=limits["images"])
    if not np.issubdtype(y.dtype, np.integer):
        raise InputError("h5_bad_labels", what=what, split=split, dtype=y.dtype)

    string = h5py.check_string_dtype(c.dtype)  # (fixed-length or variable-length, bytes or UTF-8)
    if c.shape is None or len(c.shape) != 1 or c.shape[0] > limits["class_names"] or string is None:
        raise InputError("h5_classes_shape", what=what, shape=c.shape, dtype=c.dtype, limit=limits["class_names"])
    if string.length is not None and string.length > limits["class_name_bytes"]:
        raise InputError("h5_class_name_too_long", what=what, n=string.length, limit=limits["class_name_bytes"])

    images = x[()]
    labels = y[()].reshape(-1).astype(np.int64)
    raw = [n if isinstance(n, bytes) else str(n).encode() for n in c[()]]
    longest = max((len(n) for n in raw), default=0)
    if longest > limits["class_name_bytes"]:  # (variable-length names: known only once read)
        raise InputError("h5_class_name_too_long", what=what, n=longest, limit=limits["class_name_bytes"])
    try:
        classes = [n.decode() for n in raw]
    except UnicodeDecodeError:
        raise InputError("h5_bad_classes", what=what, found=repr(raw)) from None
    if len(classes) != 2:
        raise InputError("h5_bad_classes", what=what, found=f"{len(classes)}: {tuple(classes)!r}")
    return images, labels, classes


def _unreadable(err: Exception, what: str) -> Exception:
    """What a parser's exception becomes: an InputError, or a MemoryError when memory ran out."""
    if "memory allocation failed" in str(err):  # (how HDF5 words a malloc that RLIMIT_AS refused)
        return MemoryError(str(err))
    return InputError("h5_unreadable", what=what, detail=_detail(err))


def _parse(data: bytes, split: str, what: str, limits: dict):
    """The images, labels and class names of one file, or an InputError (MemoryError passes)."""
    import h5py

    try:
        f = h5py.File(io.BytesIO(data), "r")
    except Exception as err:  # noqa: BLE001 — whatever HDF5 makes of hostile bytes
        raise _unreadable(err, what) from None
    try:
        with f:
            return _read(f, split, what, limits)
    except (InputError, MemoryError):
        raise
    except Exception as err:  # noqa: BLE001 — a corrupt object header, chunk index, filter …
        raise _unreadable(err, what) from None


def _plain(value):
    """A field as JSON holds it; shapes and dtypes as the text they print as."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "__index__"):
        return int(value)
    return str(value)


def _send(out, record: dict) -> None:
    out.write(json.dumps(record).encode() + b"\n")


def main(argv: list[str]) -> int:
    cpu_s, as_bytes, out_bytes = (int(a) for a in argv[1:4])
    _limit(resource.RLIMIT_CORE, 0)  # (a crash must not write a core file, nor hand one to a crash reporter)
    _limit(resource.RLIMIT_CPU, cpu_s, cpu_s + 1)  # SIGXCPU at the soft limit, SIGKILL one second later
    _limit(resource.RLIMIT_AS, as_bytes)
    _limit(resource.RLIMIT_FSIZE, out_bytes)  # (stdout is a file: what the parent reads is bounded)
    # Answers go to the real stdout only; anything a library prints lands on stderr.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)

    import numpy as np

    stdin = sys.stdin.buffer
    header = json.loads(stdin.readline(1 << 16))
    for spec in header["files"]:
        data = stdin.read(spec["size"])
        try:
            x, y, classes = _parse(data, spec["split"], spec["what"], header["limits"])
        except InputError as err:
            _send(out, {"error": err.key, "fields": {k: _plain(v) for k, v in err.fields.items()}})
            break
        except MemoryError:
            out.flush()
            return EXIT_TOO_COSTLY
        _send(out, {"classes": classes})
        np.save(out, x, allow_pickle=False)
        np.save(out, y, allow_pickle=False)
        del x, y, data
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
