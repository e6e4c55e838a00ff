"""Hostile .h5 pairs for the course's loader, built in memory with h5py as an attacker would.

Each builder returns ``(train_bytes, test_bytes)``: the hostile file as the training file and a
small valid test file, unless its name says the test file is the hostile one. ``CASES`` maps a
case's name to its builder and ``EXPECTED`` to the message key the loader refuses it with, so
UI and browser tests can iterate over both.
"""

from __future__ import annotations

import atexit
import io
import shutil
import tempfile
import zlib
from pathlib import Path

import h5py
import numpy as np

TRAIN, TEST = "train_catvnoncat.h5", "test_catvnoncat.h5"
CLASSES = np.array([b"non-cat", b"cat"])


def _file(build, split: str = "train") -> bytes:
    """The bytes of a file ``build(f, split)`` fills, with valid labels and class names unless it sets its own."""
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        build(f, split)
        if f"{split}_set_y" not in f:
            f[f"{split}_set_y"] = np.array([0, 1], np.int64)
        if "list_classes" not in f:
            f["list_classes"] = CLASSES
    return buf.getvalue()


def valid(split: str = "train", m: int = 2) -> bytes:
    """A small valid file: m random 64 × 64 images with labels 0, 1, 0, 1, …"""
    def build(f, split):
        f[f"{split}_set_x"] = np.random.default_rng(0).integers(0, 256, (m, 64, 64, 3), dtype=np.uint8)
        f[f"{split}_set_y"] = np.arange(m, dtype=np.int64) % 2
    return _file(build, split)


def _pair(build) -> tuple[bytes, bytes]:
    return _file(build), valid("test")


def external_absolute() -> tuple[bytes, bytes]:
    """The images' raw storage is a server file: /etc/passwd's bytes would become pixels."""
    return _pair(lambda f, s: f.create_dataset(f"{s}_set_x", (2, 4, 4, 3), np.uint8,
                                               external=[("/etc/passwd", 0, h5py.h5f.UNLIMITED)]))


def external_relative() -> tuple[bytes, bytes]:
    """The same with a relative path, which would resolve against the server's working directory."""
    return _pair(lambda f, s: f.create_dataset(f"{s}_set_x", (2, 4, 4, 3), np.uint8,
                                               external=[("app.py", 0, h5py.h5f.UNLIMITED)]))


def external_link() -> tuple[bytes, bytes]:
    """The images are an external link to a dataset in another file on the server."""
    def build(f, s):
        f[f"{s}_set_x"] = h5py.ExternalLink("../shared/data/catvnoncat/train_catvnoncat.h5", "/train_set_x")
    return _pair(build)


_source_dir: Path | None = None


def _vds(f, split: str, source: str) -> None:
    layout = h5py.VirtualLayout((2, 64, 64, 3), np.uint8)
    layout[:] = h5py.VirtualSource(source, "data", shape=(2, 64, 64, 3))
    f.create_virtual_dataset(f"{split}_set_x", layout)


def vds_present() -> tuple[bytes, bytes]:
    """A virtual dataset whose source is another HDF5 file, present on the server."""
    global _source_dir
    if _source_dir is None:
        _source_dir = Path(tempfile.mkdtemp(prefix="hostile-h5-"))
        atexit.register(shutil.rmtree, _source_dir, True)
        with h5py.File(_source_dir / "source.h5", "w") as src:
            src["data"] = np.full((2, 64, 64, 3), 7, np.uint8)
    return _pair(lambda f, s: _vds(f, s, str(_source_dir / "source.h5")))


def vds_missing() -> tuple[bytes, bytes]:
    """A virtual dataset whose source file does not exist (reading it crashed the server)."""
    return _pair(lambda f, s: _vds(f, s, "/nonexistent.h5"))


def vds_missing_in_test() -> tuple[bytes, bytes]:
    """The same in the test file, the training file being valid."""
    return valid("train"), _file(lambda f, s: _vds(f, s, "/nonexistent.h5"), "test")


def bomb_10k_images() -> tuple[bytes, bytes]:
    """10,000 images declared in a file of a few KB (never written: HDF5 fills them on reading)."""
    return _pair(lambda f, s: f.create_dataset(f"{s}_set_x", (10_000, 64, 64, 3), np.uint8))


def bomb_huge_images() -> tuple[bytes, bytes]:
    """2 images of 16,384 × 16,384 pixels declared."""
    return _pair(lambda f, s: f.create_dataset(f"{s}_set_x", (2, 16_384, 16_384, 3), np.uint8))


def bomb_gzip() -> tuple[bytes, bytes]:
    """20,000 gzip-compressed images: a small file that inflates to gigabytes (one chunk compressed
    once, written 40 times as it is)."""
    def build(f, s):
        x = f.create_dataset(f"{s}_set_x", (20_000, 64, 64, 3), np.uint8, chunks=(500, 64, 64, 3),
                             compression="gzip")
        chunk = zlib.compress(bytes(500 * 64 * 64 * 3), 9)
        for i in range(0, 20_000, 500):
            x.id.write_direct_chunk((i, 0, 0, 0), chunk)
    return _pair(build)


def tiny_chunks() -> tuple[bytes, bytes]:
    """2,000 images within every size bound, stored in one-byte chunks: reading costs millions of chunk look-ups."""
    return _pair(lambda f, s: f.create_dataset(f"{s}_set_x", (2_000, 64, 64, 3), np.uint8, chunks=(1, 1, 1, 1)))


def bomb_labels() -> tuple[bytes, bytes]:
    """Valid images but a billion labels declared."""
    def build(f, s):
        f[f"{s}_set_x"] = np.zeros((2, 64, 64, 3), np.uint8)
        f.create_dataset(f"{s}_set_y", (1_000_000_000,), np.int64)
    return _pair(build)


def bomb_classes() -> tuple[bytes, bytes]:
    """Valid images but a million class names declared."""
    def build(f, s):
        f[f"{s}_set_x"] = np.zeros((2, 64, 64, 3), np.uint8)
        f.create_dataset("list_classes", (1_000_000,), "S64")
    return _pair(build)


def _real_like() -> bytes:
    return valid("train", m=8)


def corrupt_truncated() -> tuple[bytes, bytes]:
    """A valid file cut in half."""
    data = _real_like()
    return data[: len(data) // 2], valid("test")


def corrupt_flipped() -> tuple[bytes, bytes]:
    """A valid file with its metadata's bytes flipped after the superblock."""
    data = bytearray(_real_like())
    for i in range(96, 2048, 7):
        data[i] ^= 0xFF
    return bytes(data), valid("test")


def softlink_loop() -> tuple[bytes, bytes]:
    """The images are a soft link to a soft link back to them."""
    def build(f, s):
        f[f"{s}_set_x"] = h5py.SoftLink("/loop")
        f["loop"] = h5py.SoftLink(f"/{s}_set_x")
    return _pair(build)


def softlink_valid() -> tuple[bytes, bytes]:
    """The images are a soft link to a valid dataset elsewhere in the file (refused all the same)."""
    def build(f, s):
        f["stash/x"] = np.zeros((2, 64, 64, 3), np.uint8)
        f[f"{s}_set_x"] = h5py.SoftLink("/stash/x")
    return _pair(build)


CASES = {
    "external_absolute": external_absolute,
    "external_relative": external_relative,
    "external_link": external_link,
    "vds_present": vds_present,
    "vds_missing": vds_missing,
    "vds_missing_in_test": vds_missing_in_test,
    "bomb_10k_images": bomb_10k_images,
    "bomb_huge_images": bomb_huge_images,
    "bomb_gzip": bomb_gzip,
    "tiny_chunks": tiny_chunks,
    "bomb_labels": bomb_labels,
    "bomb_classes": bomb_classes,
    "corrupt_truncated": corrupt_truncated,
    "corrupt_flipped": corrupt_flipped,
    "softlink_loop": softlink_loop,
    "softlink_valid": softlink_valid,
}
"""Every hostile pair, by name: ``CASES[name]()`` is (train_bytes, test_bytes)."""

EXPECTED = {
    "external_absolute": "h5_external_storage",
    "external_relative": "h5_external_storage",
    "external_link": "h5_external_link",
    "vds_present": "h5_virtual",
    "vds_missing": "h5_virtual",
    "vds_missing_in_test": "h5_virtual",
    "bomb_10k_images": "h5_too_many_images",
    "bomb_huge_images": "h5_images_too_large",
    "bomb_gzip": "h5_too_many_images",
    "tiny_chunks": "h5_too_many_chunks",
    "bomb_labels": "h5_labels_shape",
    "bomb_classes": "h5_classes_shape",
    "corrupt_truncated": "h5_unreadable",
    "corrupt_flipped": "h5_unreadable",
    "softlink_loop": "h5_soft_link",
    "softlink_valid": "h5_soft_link",
}
"""The key of playground/errors.py each case is refused with."""
