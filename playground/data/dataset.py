"""The in-memory dataset every source is turned into, and its validation."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground import IMAGE_SIZE


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
            validate_images(x, f"{part} images")
            validate_labels(y, len(x), f"{part} labels")
            # Shared through st.cache_resource: read-only so no visitor can corrupt another's data.
            x.flags.writeable = False
            y.flags.writeable = False
        if self.train_x.shape[1:] != self.test_x.shape[1:]:
            raise ValueError(
                f"Train and test images differ in size: {self.train_x.shape[1:]} "
                f"against {self.test_x.shape[1:]}."
            )
        if len(np.unique(self.train_y)) < 2:
            only = int(self.train_y[0]) if len(self.train_y) else None
            raise ValueError(
                f"The training set needs both classes (0 and 1); it holds only label {only}."
            )
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


def validate_images(x, what: str = "images") -> None:
    """Raise ValueError unless x is a uint8 array of shape (m, H, W, 3) with m ≥ 1."""
    if not isinstance(x, np.ndarray):
        raise ValueError(f"Expected {what} as a NumPy array, got {type(x).__name__}.")
    if x.ndim != 4 or x.shape[3] != 3:
        raise ValueError(
            f"Expected {what} of shape (m, height, width, 3), got shape {x.shape}."
        )
    if x.dtype != np.uint8:
        raise ValueError(f"Expected {what} of dtype uint8 (0–255), got dtype {x.dtype}.")
    if x.shape[0] == 0:
        raise ValueError(f"Expected at least one image in {what}, got none.")


def validate_labels(y, m: int, what: str = "labels") -> None:
    """Raise ValueError unless y is an integer array of m labels, each 0 or 1."""
    if not isinstance(y, np.ndarray):
        raise ValueError(f"Expected {what} as a NumPy array, got {type(y).__name__}.")
    if y.ndim != 1:
        raise ValueError(f"Expected {what} of shape ({m},), got shape {y.shape}.")
    if len(y) != m:
        raise ValueError(
            f"Found inconsistent numbers of images and labels: [{m}, {len(y)}] in {what}."
        )
    if not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"Expected integer {what}, got dtype {y.dtype}.")
    bad = np.setdiff1d(np.unique(y), [0, 1])
    if bad.size:
        raise ValueError(f"Expected {what} to be 0 or 1, found {bad[:5].tolist()}.")


def square_image_shape() -> tuple[int, int, int]:
    """The (H, W, 3) shape the playground's images are brought to."""
    return (IMAGE_SIZE, IMAGE_SIZE, 3)
