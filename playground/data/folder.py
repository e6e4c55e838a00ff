"""Your own images: a folder, or a .zip, with one subfolder per class.

The class the user picks becomes label 1 ("cat"), every other class label 0.
Images are decoded and brought to 64 × 64 by ``playground.data.images`` and
split into train and test by a seeded shuffle, stratified by class.
Zips are read in memory: nothing is extracted, and an entry whose path
would leave its folder (absolute, or with "..") is refused. Before any image is
decoded, what decoding all of them costs is added up from their headers and held
to ``images.MAX_UPLOAD_PIXELS``; every image is reduced while decoding to
``images.DATASET_SIDE`` a side (it only becomes a 64 × 64 input).
"""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from pathlib import Path, PurePosixPath

import numpy as np

from playground.data import images
from playground.data.dataset import Dataset
from playground.data.images import ACCEPTED_TYPES, DATASET_SIDE, decode_cost, load_model_input
from playground.errors import InputError

MAX_IMAGES = 1000
"""Most images one folder or zip may hold."""
MAX_TOTAL_BYTES = 50 * 1024 * 1024
"""Most bytes one folder or zip may hold once uncompressed (50 MiB: the server's upload limit)."""
TEST_FRACTION = 0.2


def _is_image_name(name: str) -> bool:
    return name.rsplit(".", 1)[-1].lower() in ACCEPTED_TYPES and not name.rsplit("/", 1)[-1].startswith(".")


def _check_counts(files: dict[str, list[tuple[str, int]]], folder: str | None) -> None:
    """files: class → [(name, size)]. Enforce the limits and two classes at least; ``folder`` None
    for a zip."""
    n = sum(len(v) for v in files.values())
    total = sum(size for v in files.values() for _, size in v)
    kind, where = ("zip", {}) if folder is None else ("folder", {"folder": folder})
    if n > MAX_IMAGES:
        raise InputError(f"{kind}_too_many_images", **where, n=n, limit=MAX_IMAGES)
    if total > MAX_TOTAL_BYTES:
        raise InputError(f"{kind}_too_big", **where, mib=total / 2**20, limit_mib=MAX_TOTAL_BYTES / 2**20)
    if len(files) < 2:
        raise InputError(f"{kind}_too_few_classes", **where, n=len(files), found=", ".join(sorted(files)) or "–")


def _zip_listing(data: bytes) -> tuple[zipfile.ZipFile, dict[str, list[tuple[str, int]]]]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # noqa: BLE001 — a damaged directory raises BadZipFile, EOFError, ValueError …
        raise InputError("zip_unreadable") from None
    files: dict[str, list[tuple[str, int]]] = {}
    for info in zf.infolist():
        path = PurePosixPath(info.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or (path.parts and ":" in path.parts[0]):
            raise InputError("zip_entry_outside", entry=info.filename)
        if info.is_dir() or not _is_image_name(info.filename) or "__MACOSX" in path.parts:
            continue
        if len(path.parts) < 2:
            raise InputError("zip_entry_no_class", entry=info.filename)
        files.setdefault(path.parts[-2], []).append((info.filename, info.file_size))
    return zf, files


def zip_classes(data: bytes) -> list[str]:
    """Class names (subfolders holding images) in a zip, sorted. Reads the zip's directory only,
    and refuses what it shows: an entry outside its folder or outside any class folder, too many
    images or bytes, fewer than two class folders holding images (none at all included)."""
    _, files = _zip_listing(data)
    _check_counts(files, None)
    return sorted(files)


def _read_zip(zf: zipfile.ZipFile, files: dict[str, list[tuple[str, int]]]) -> dict[str, list[tuple[str, bytes]]]:
    """class → [(entry, bytes)], every entry read (within MAX_TOTAL_BYTES, checked from the directory)."""
    contents: dict[str, list[tuple[str, bytes]]] = {}
    for cls, entries in files.items():
        for name, _ in entries:
            try:
                contents.setdefault(cls, []).append((name, zf.read(name)))
            except Exception as err:  # noqa: BLE001 — bad CRC, encryption, an unknown method, a cut stream …
                module, kind = type(err).__module__, type(err).__name__
                if module not in ("builtins", "zipfile"):  # zlib.error, not a bare "error"
                    kind = f"{module}.{kind}"
                raise InputError("zip_entry_unreadable", entry=name, detail=f"{kind}: {err}") from None
    return contents


def _model_inputs(contents: dict[str, list[tuple[str, bytes]]], folder: str | None) -> dict[str, list[np.ndarray]]:
    """class → 64 × 64 inputs, once what decoding all the images costs (images.decode_cost, added up
    from their headers, nothing decoded yet) is within MAX_UPLOAD_PIXELS; ``folder`` None for a zip."""
    kind, where = ("zip", {}) if folder is None else ("folder", {"folder": folder})
    total = sum(decode_cost(data, name, DATASET_SIDE) for entries in contents.values() for name, data in entries)
    if total > images.MAX_UPLOAD_PIXELS:
        raise InputError(f"{kind}_too_many_pixels", **where, megapixels=total / 1e6, limit=images.MAX_UPLOAD_PIXELS / 1e6)
    return {
        cls: [load_model_input(data, name, min_side=DATASET_SIDE) for name, data in entries]
        for cls, entries in contents.items()
    }


def folder_classes(folder: str | os.PathLike) -> list[str]:
    """Class names (subfolders holding images) in a folder, sorted."""
    return sorted(_folder_listing(Path(folder)))


def _folder_listing(folder: Path) -> dict[str, list[tuple[str, int]]]:
    if not folder.is_dir():
        raise InputError("folder_missing", folder=str(folder))
    files: dict[str, list[tuple[str, int]]] = {}
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        images = [(str(p), p.stat().st_size) for p in sorted(sub.iterdir()) if p.is_file() and _is_image_name(p.name)]
        if images:
            files[sub.name] = images
    return files


def _assemble(images_by_class: dict[str, list[np.ndarray]], positive: str, seed: int, key: str, name: str) -> Dataset:
    if positive not in images_by_class:
        raise InputError("no_such_class", positive=positive, classes=", ".join(sorted(images_by_class)))
    rng = np.random.default_rng(seed)
    parts = {"train": ([], []), "test": ([], [])}
    for cls in sorted(images_by_class):
        imgs = images_by_class[cls]
        order = rng.permutation(len(imgs))
        n_test = int(round(TEST_FRACTION * len(imgs))) if len(imgs) > 1 else 0
        label = 1 if cls == positive else 0
        for rank, idx in enumerate(order):
            xs, ys = parts["test" if rank < n_test else "train"]
            xs.append(imgs[idx])
            ys.append(label)
    if not parts["test"][0]:
        raise InputError("too_few_to_test")
    others = sorted(c for c in images_by_class if c != positive)
    return Dataset(
        name=name,
        key=key,
        train_x=np.stack(parts["train"][0]),
        train_y=np.array(parts["train"][1], dtype=np.int64),
        test_x=np.stack(parts["test"][0]),
        test_y=np.array(parts["test"][1], dtype=np.int64),
        classes=(" + ".join(others) if len(others) <= 3 else f"not {positive}", positive),
    )


def load_image_zip(data: bytes, positive: str, seed: int = 0) -> Dataset:
    """A .zip of class folders → Dataset with ``positive`` as label 1. Key: SHA-256 of the bytes."""
    zf, files = _zip_listing(data)
    _check_counts(files, None)
    with zf:
        contents = _read_zip(zf, files)
    inputs = _model_inputs(contents, None)
    digest = hashlib.sha256(data).hexdigest()
    return _assemble(inputs, positive, seed, f"zip:{digest}:{positive}:{seed}", f"Your images (zip, '{positive}' as cat)")


def load_image_folder(folder: str | os.PathLike, positive: str, seed: int = 0) -> Dataset:
    """A folder of class subfolders → Dataset with ``positive`` as label 1."""
    folder = Path(folder)
    files = _folder_listing(folder)
    _check_counts(files, str(folder))
    contents: dict[str, list[tuple[str, bytes]]] = {}
    for cls, entries in files.items():
        for p, _ in entries:
            try:
                contents.setdefault(cls, []).append((Path(p).name, Path(p).read_bytes()))
            except OSError as err:
                raise InputError("folder_entry_unreadable", entry=p, detail=err.strerror or str(err)) from None
    inputs = _model_inputs(contents, str(folder))
    stamp = max(os.stat(p).st_mtime_ns for entries in files.values() for p, _ in entries)
    return _assemble(
        inputs, positive, seed, f"folder:{folder.resolve()}@{stamp}:{positive}:{seed}", f"Your images ({folder.name}, '{positive}' as cat)"
    )
