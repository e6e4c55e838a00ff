"""The Data page's checkpoints: the shape of X, and where one pixel lands in x."""

from __future__ import annotations

from playground.data.dataset import Dataset
from playground.data.features import flatten
from playground.data.features import pixel_index as index_of
from playground.lessons.checkpoints.catalog import Checkpoint
from playground.lessons.checkpoints.kinds import Choice, Number, Question

CHECKPOINTS = (
    Checkpoint("data", "x_shape", "choice"),
    Checkpoint("data", "pixel_index", "number"),
)

ASKED_PIXEL = (10, 3, 1)
"""(row, column, channel) the index question asks about: green, away from the page's default (0, 0, R);
pulled inside a smaller picture."""


def _shape(*sizes: int) -> str:
    """A shape as NumPy prints it, which is how the page writes X_train.shape: (12288, 209)."""
    return f"({', '.join(map(str, sizes))})"


def x_shape(ds: Dataset) -> Question:
    """The shape of X_train for ``ds``, among the layouts a student may picture: rows per example
    (m, n_x), one picture (H, W, 3), the images as loaded (m, H, W, 3). Always in that order around
    the right one (third): the order never gives the answer away."""
    n_x, m = flatten(ds.train_x).shape
    h, w, c = ds.image_shape
    right = _shape(n_x, m)
    # (dict: with n_x == m the two layouts read the same, and are shown once)
    options = tuple(dict.fromkeys([_shape(m, n_x), _shape(h, w, c), right, _shape(m, h, w, c)]))
    return Question(Choice(options, right, literal=True),
                    fields={"m": f"{m:,}", "h": h, "w": w, "n_x": f"{n_x:,}", "shape": right},
                    show={"image": m - 1})


def asked_pixel(image_shape: tuple[int, int, int]) -> tuple[int, int, int]:
    """ASKED_PIXEL, moved inside pictures of ``image_shape`` (H, W, 3) smaller than it."""
    row, col, channel = ASKED_PIXEL
    h, w = image_shape[:2]
    return min(row, h - 1), min(col, w - 1), channel


def pixel_index(image_shape: tuple[int, int, int]) -> Question:
    """The index j in x of the asked pixel's channel, for pictures of ``image_shape`` (H, W, 3)."""
    row, col, channel = asked_pixel(image_shape)
    h, w = image_shape[:2]
    j = index_of(row, col, channel, width=w)
    return Question(Number(j), fields={"row": row, "col": col, "k": channel, "h": h, "w": w, "j": j,
                                       "before": row * w + col},
                    show={"row": row, "col": col, "channel": channel})
