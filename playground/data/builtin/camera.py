"""The camera every picture is taken with: uneven light, lens blur, sensor noise, uint8."""

import numpy as np

from playground.data.builtin.canvas import S, X, Y
from playground.data.builtin.random_draws import uniform

CAMERA_NOISE = 0.035
"""Standard deviation of the per-pixel Gaussian noise, in units of full scale (1 = 255)."""


def _blur(img):
    """3×3 binomial blur of (n, S, S, 3): softens edges like a camera lens."""
    p = np.pad(img, ((0, 0), (1, 1), (1, 1), (0, 0)), mode="edge")
    p = p[:, :-2] + 2 * p[:, 1:-1] + p[:, 2:]
    return (p[:, :, :-2] + 2 * p[:, :, 1:-1] + p[:, :, 2:]) / 16


def camera(rng, img):
    """Uneven lighting, lens blur and sensor noise, then quantised to uint8."""
    n = len(img)
    angle = rng.uniform(0, 2 * np.pi, n).astype(np.float32)[:, None, None]
    ramp = (np.cos(angle) * (X - S / 2) + np.sin(angle) * (Y - S / 2)) / S
    img *= (1 + uniform(rng, n, 0.0, 0.4) * ramp)[..., None]
    img = _blur(img)
    img += rng.standard_normal(img.shape, dtype=np.float32) * CAMERA_NOISE
    return (np.clip(img, 0.0, 1.0) * 255 + 0.5).astype(np.uint8)
