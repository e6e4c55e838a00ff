"""One entry point from a path on disk to a Dataset, for the command line."""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from playground.data.builtin import make_builtin_dataset
from playground.data.course import has_course_pair, load_course_folder
from playground.data.dataset import Dataset
from playground.data.folder import folder_classes, load_image_folder, load_image_zip, zip_classes
from playground.errors import InputError

CAT_NAMES = ("cat", "cats")
DETAIL_CHARS = 200
"""Longest detail of an unforeseen failure repeated to the visitor."""


@contextlib.contextmanager
def loading():
    """The one boundary of every loader: whatever fails inside leaves as an InputError.

    A failure no check named (a parser's KeyError, a MemoryError …) is logged with its traceback
    for the operator, and the visitor (or the command line) gets one sentence instead.
    """
    try:
        yield
    except ValueError:  # an InputError, or a caller's mistake already worded
        raise
    except MemoryError:
        logging.getLogger(__name__).exception("A loader ran out of memory")
        raise InputError("load_out_of_memory") from None
    except Exception as err:  # noqa: BLE001 — the boundary: nothing else may reach a page or a shell
        logging.getLogger(__name__).exception("A loader failed in a way no check foresaw")
        detail = f"{type(err).__name__}: {err}"
        raise InputError("load_failed", detail=detail[:DETAIL_CHARS]) from None


def _pick_positive(classes: list[str], positive: str | None, where: str) -> str:
    if positive is not None:
        if positive not in classes:
            raise ValueError(f"{where} has no class {positive!r}; its classes are {', '.join(classes)}.")
        return positive
    guesses = [c for c in classes if c.lower() in CAT_NAMES]
    if len(guesses) == 1:
        return guesses[0]
    raise ValueError(
        f"{where} has the classes {', '.join(classes)}: say which one is 'cat' (label 1) with --cat-class."
    )


def load_dataset_path(path: str | os.PathLike | None, positive: str | None = None, seed: int = 0) -> Dataset:
    """None → the built-in drawings (``seed``); a folder with the course's pair; a folder
    or .zip of class subfolders (``positive`` names the cat class, or a folder called cat/cats).
    Every failure is a ValueError (an InputError when the data is at fault)."""
    with loading():
        return _load_path(path, positive, seed)


def _load_path(path, positive, seed) -> Dataset:
    if path is None:
        return make_builtin_dataset(seed)
    p = Path(path)
    if not p.exists():
        raise ValueError(f"{p} does not exist.")
    if p.is_dir():
        if has_course_pair(p):
            return load_course_folder(p)
        classes = folder_classes(p)
        if not classes:
            raise ValueError(
                f"{p} holds neither the course's train_catvnoncat.h5 and test_catvnoncat.h5 "
                "nor class subfolders of images."
            )
        return load_image_folder(p, _pick_positive(classes, positive, str(p)), seed)
    if p.suffix.lower() == ".zip":
        data = p.read_bytes()
        return load_image_zip(data, _pick_positive(zip_classes(data), positive, str(p)), seed)
    raise ValueError(f"{p} is a file but not a .zip: give a folder (course .h5 pair or class subfolders) or a .zip.")
