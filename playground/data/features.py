"""Images → the course's matrices: X (n_x, m) scaled to [0, 1], Y (1, m).

Also owns what is computed once per dataset for the fast path (K = XᵀX)
and the transform that later brings a new photo to the same scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.data.dataset import Dataset

PREPROCESSINGS = ("divide_255", "standardize")


def flatten(images: np.ndarray) -> np.ndarray:
    """Unroll images (m, H, W, 3) into columns: (H·W·3, m), as ``x.reshape(m, -1).T``.

    Position of pixel (row r, column c, channel k) in a column: (r·W + c)·3 + k.
    """
    m = images.shape[0]
    return images.reshape(m, -1).T


def pixel_index(row: int, col: int, channel: int, width: int = 64) -> int:
    """Index in the flattened x of pixel (row, col) in channel 0=R, 1=G, 2=B."""
    return (row * width + col) * 3 + channel


@dataclass(frozen=True, eq=False)
class Features:
    """One dataset as the model sees it. All arrays are read-only (shared between visitors).

    X_train: (n_x, m_train) float64; Y_train: (1, m_train) float64 of 0/1.
    X_test: (n_x, m_test); Y_test: (1, m_test).
    mean, scale: (n_x, 1) — a new image x/255 becomes (x/255 − mean) / scale.
    K_train: (m_train, m_train) = X_trainᵀ X_train, K_test: (m_test, m_train) = X_testᵀ X_train,
    present only when the dual (fast) path pays off, i.e. m_train < n_x.
    """

    key: str
    preprocessing: str
    X_train: np.ndarray
    Y_train: np.ndarray
    X_test: np.ndarray
    Y_test: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    image_shape: tuple[int, int, int]
    K_train: np.ndarray | None = None
    K_test: np.ndarray | None = None

    @property
    def n_x(self) -> int:
        return self.X_train.shape[0]

    @property
    def m_train(self) -> int:
        return self.X_train.shape[1]

    @property
    def m_test(self) -> int:
        return self.X_test.shape[1]

    def transform(self, images: np.ndarray) -> np.ndarray:
        """uint8 images (k, H, W, 3) → X (n_x, k) on this dataset's scale."""
        if images.shape[1:] != self.image_shape:
            raise ValueError(
                f"Expected images of shape (k, {', '.join(map(str, self.image_shape))}), "
                f"got {images.shape}."
            )
        return (flatten(images) / 255.0 - self.mean) / self.scale


def make_features(
    dataset: Dataset, preprocessing: str = "divide_255", precompute_kernel: bool | None = None
) -> Features:
    """Build X, Y (and K when m < n_x) for a dataset. Preprocessing: "divide_255" (the course) or
    "standardize" (per feature: subtract the training mean, divide by its standard deviation)."""
    if preprocessing not in PREPROCESSINGS:
        raise ValueError(
            f"Unknown preprocessing {preprocessing!r}: expected one of {', '.join(PREPROCESSINGS)}."
        )
    X_train = flatten(dataset.train_x) / 255.0
    X_test = flatten(dataset.test_x) / 255.0
    n_x = X_train.shape[0]
    if preprocessing == "standardize":
        mean = X_train.mean(axis=1, keepdims=True)
        scale = X_train.std(axis=1, keepdims=True)
        # A feature constant over the training set carries no information; leave it centred.
        scale[scale == 0] = 1.0
        X_train = (X_train - mean) / scale
        X_test = (X_test - mean) / scale
    else:
        mean = np.zeros((n_x, 1))
        scale = np.ones((n_x, 1))
    if precompute_kernel is None:
        precompute_kernel = X_train.shape[1] < n_x
    K_train = K_test = None
    if precompute_kernel:
        K_train = X_train.T @ X_train
        K_test = X_test.T @ X_train
    arrays = dict(
        X_train=X_train,
        Y_train=dataset.train_y.reshape(1, -1).astype(float),
        X_test=X_test,
        Y_test=dataset.test_y.reshape(1, -1).astype(float),
        mean=mean,
        scale=scale,
        K_train=K_train,
        K_test=K_test,
    )
    for arr in arrays.values():
        if arr is not None:
            arr.flags.writeable = False
    return Features(
        key=f"{dataset.key}|{preprocessing}",
        preprocessing=preprocessing,
        image_shape=dataset.image_shape,
        **arrays,
    )
