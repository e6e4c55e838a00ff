"""Pictures to try: a dataset's test pictures, classified as the Predict page classifies an upload.

The page hands a picked picture to the upload path as a PNG file (lossless), so its decoded pixels
are the array itself; ``logits`` gives the same z for all of them at once, for the checkpoints.
"""

from __future__ import annotations

import numpy as np

from playground.data.images import to_model_input
from playground.lessons.predict.saved_model import SavedModel

TRY_MAX = 60
"""Pictures offered per set: the first of its test set (the course's has 50). Each is a pill and a
thumbnail on the page, so a thousand-picture upload must not make a thousand."""


def offered(images: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pictures to try of a test set: (k, H, W, 3) uint8 and their (k,) labels, k ≤ TRY_MAX."""
    return images[:TRY_MAX], labels[:TRY_MAX]


def model_inputs(model: SavedModel, images: np.ndarray, mode: str = "squash") -> np.ndarray:
    """images (k, H, W, 3) uint8 → (k, h, w, 3) at the model's input size, each brought there by
    ``mode`` ("squash" or "crop") exactly as an uploaded file of those pixels would be."""
    size = tuple(model.image_shape[:2])
    if tuple(images.shape[1:3]) == size:  # (what to_model_input gives then: the pixels unchanged)
        return images
    return np.stack([to_model_input(image, mode, size) for image in images])


def logits(model: SavedModel, images: np.ndarray, mode: str = "squash") -> np.ndarray:
    """z = wᵀx̃ + b of each picture (k,), as the page's explanation of that picture computes it."""
    return model.logits(model_inputs(model, images, mode))
