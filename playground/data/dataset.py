"""The in-memory dataset every source is turned into, and its validation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground import IMAGE_SIZE
from playground.errors import InputError


@dataclass(frozen=True, eq=False)
class Dataset:
    """Images and labels in the course's format.

    train_x: uint8 ndarray of shape (m_train, H, W, 3); train_y: int64 (m_train,) of 0/1.
    test_x, test_y: the same for the m_test test images (m_test may be 0 only if
    nothing is held out, which no loader here does).
    classes: (name of label 0, name of label 1), e.g. ("non-cat", "cat").
    key: a string that identifies the source (seed, file paths and mtimes, or
    SHA-256 of the bytes) — what caches are keyed by.
    """

    name: str
    key: str
    train_x: np.ndarray
    train_y: np.ndarray
    test_x: np.ndarray
    test_y: np.ndarray
    classes: tuple[str, str]

    def __post_init__(self):
        for part in ("train", "test"):
            x, y = getattr(self, f"{part}_x"), getattr(self, f"{part}_y")
            validate_images(x, part)
            validate_labels(y, len(x), part)
            # Shared through st.cache_resource: read-only so no visitor can corrupt another's data.
            x.flags.writeable = False
            y.flags.writeable = False
        if self.train_x.shape[1:] != self.test_x.shape[1:]:
            raise InputError("dataset_size_mismatch", train=self.train_x.shape[1:], test=self.test_x.shape[1:])
        if len(np.unique(self.train_y)) < 2:
            only = int(self.train_y[0]) if len(self.train_y) else None
            raise InputError("dataset_one_class", only=only)
        if len(self.classes) != 2:
            raise ValueError(f"Expected 2 class names, got {len(self.classes)}: {self.classes!r}.")

    @property
    def m_train(self) -> int:
        return len(self.train_y)

    @property
    def m_test(self) -> int:
        return len(self.test_y)

    @property
    def image_shape(self) -> tuple[int, int, int]:
        return tuple(self.train_x.shape[1:])

    @property
    def n_x(self) -> int:
        h, w, c = self.image_shape
        return h * w * c


def validate_images(x, split: str) -> None:
    """Raise ValueError unless x, the ``split`` part's images, is a uint8 array of shape (m, H, W, 3)
    with m ≥ 1."""
    if not isinstance(x, np.ndarray):
        raise ValueError(f"Expected {split} images as a NumPy array, got {type(x).__name__}.")
    if x.ndim != 4 or x.shape[3] != 3:
        raise InputError("dataset_images_shape", split=split, shape=x.shape)
    if x.dtype != np.uint8:
        raise InputError("dataset_images_dtype", split=split, dtype=x.dtype)
    if x.shape[0] == 0:
        raise InputError("dataset_no_images", split=split)


def validate_labels(y, m: int, split: str) -> None:
    """Raise ValueError unless y, the ``split`` part's labels, is an integer array of m labels, each 0 or 1."""
    if not isinstance(y, np.ndarray):
        raise ValueError(f"Expected {split} labels as a NumPy array, got {type(y).__name__}.")
    if y.ndim != 1:
        raise InputError("dataset_labels_shape", split=split, m=m, shape=y.shape)
    if len(y) != m:
        raise InputError("dataset_labels_count", split=split, m=m, n=len(y))
    if not np.issubdtype(y.dtype, np.integer):
        raise InputError("dataset_labels_dtype", split=split, dtype=y.dtype)
    bad = np.setdiff1d(np.unique(y), [0, 1])
    if bad.size:
        raise InputError("dataset_labels_values", split=split, found=bad[:5].tolist())


def square_image_shape() -> tuple[int, int, int]:
    """The (H, W, 3) shape the playground's images are brought to."""
    return (IMAGE_SIZE, IMAGE_SIZE, 3)
