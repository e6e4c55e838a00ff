"""The shipped seed: read from assets/ instead of drawn, and written there by ``python -m playground.data.builtin``."""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from playground.data.builtin.assembly import as_dataset, draw_builtin_dataset
from playground.data.dataset import Dataset

# Seed 0 (the app's default) drawn once and shipped: reading the file is far quicker than drawing,
# which would be the whole of a fresh server's first page (BENCHMARKS.md has the figures).
# tests/data/test_builtin.py checks it is still exactly what draw_builtin_dataset(0) gives.
SHIPPED_SEED = 0
SHIPPED = Path(__file__).resolve().parents[3] / "assets" / f"builtin_seed{SHIPPED_SEED}.npz"
PARTS = ("train_x", "train_y", "test_x", "test_y")
"""The Dataset arrays the file holds, one npz entry each."""


def read_shipped(path: Path = SHIPPED) -> Dataset | None:
    """The shipped drawings of SHIPPED_SEED, or None if the file is missing or not what it should be
    (the caller then draws them)."""
    try:
        # Our own handle: np.load(path) leaves its file open when the zip is broken.
        with open(path, "rb") as f, np.load(f, allow_pickle=False) as z:
            parts = [z[name] for name in PARTS]
        return as_dataset(SHIPPED_SEED, *parts)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None


def write_shipped(path: Path = SHIPPED) -> Path:
    """Draw SHIPPED_SEED and store it at ``path`` (uncompressed: camera noise does not compress)."""
    ds = draw_builtin_dataset(SHIPPED_SEED)
    np.savez(path, **{name: getattr(ds, name) for name in PARTS})
    return path


def make_builtin_dataset(seed: int = 0) -> Dataset:
    """The built-in dataset of ``seed`` (see draw_builtin_dataset): read from assets/ for the shipped
    seed, drawn for any other."""
    if seed == SHIPPED_SEED:
        shipped = read_shipped()
        if shipped is not None:
            return shipped
    return draw_builtin_dataset(seed)
