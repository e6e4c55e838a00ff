"""The colours the pictures are painted with, RGB in [0, 1], and how to vary and mix them."""

import numpy as np

COAT_COLOURS = np.array(
    [
        (0.12, 0.11, 0.11),  # black
        (0.33, 0.32, 0.33),  # dark grey
        (0.56, 0.56, 0.58),  # grey
        (0.93, 0.91, 0.88),  # white
        (0.92, 0.83, 0.66),  # cream
        (0.86, 0.52, 0.22),  # ginger
        (0.52, 0.35, 0.21),  # brown
        (0.74, 0.60, 0.42),  # tan
    ],
    dtype=np.float32,
)
"""Fur (and feather) colours shared by cats and the other animals, RGB in [0, 1]."""

OBJECT_COLOURS = np.concatenate(
    [
        COAT_COLOURS,
        np.array(
            [
                (0.78, 0.22, 0.20),  # red
                (0.25, 0.42, 0.70),  # blue
                (0.35, 0.58, 0.30),  # green
                (0.90, 0.78, 0.30),  # yellow
            ],
            dtype=np.float32,
        ),
    ]
)
"""Colours of cups, lamps, balls and houses: mostly the coat colours, so colour alone
does not tell an orange cat from an orange ball."""

IRIS_COLOURS = np.array(
    [(0.45, 0.70, 0.25), (0.85, 0.75, 0.20), (0.86, 0.56, 0.15), (0.45, 0.65, 0.86), (0.70, 0.80, 0.35)],
    dtype=np.float32,
)
WALL_COLOURS = np.array(
    [(0.85, 0.80, 0.70), (0.70, 0.75, 0.80), (0.75, 0.82, 0.72), (0.88, 0.72, 0.65), (0.60, 0.60, 0.62), (0.90, 0.88, 0.82)],
    dtype=np.float32,
)
FLOOR_COLOURS = np.array(
    [(0.55, 0.38, 0.22), (0.70, 0.55, 0.38), (0.45, 0.45, 0.48), (0.62, 0.30, 0.25), (0.80, 0.75, 0.65)],
    dtype=np.float32,
)
BRICK_COLOURS = np.array([(0.65, 0.30, 0.22), (0.72, 0.55, 0.40), (0.55, 0.55, 0.55)], dtype=np.float32)
GRASS = np.array((0.36, 0.58, 0.24), dtype=np.float32)
SKY_TOP = np.array((0.30, 0.52, 0.85), dtype=np.float32)
SKY_HORIZON = np.array((0.72, 0.84, 0.95), dtype=np.float32)
PINK = np.array((0.90, 0.58, 0.60), dtype=np.float32)
DARK = np.array((0.06, 0.05, 0.05), dtype=np.float32)
WHITE = np.array((0.97, 0.97, 0.95), dtype=np.float32)
BARK = np.array((0.40, 0.27, 0.16), dtype=np.float32)
HILL_COLOURS = np.array([GRASS, (0.55, 0.50, 0.42), (0.70, 0.60, 0.35)], dtype=np.float32)
SUN = np.array((1.0, 0.9, 0.5), dtype=np.float32)
LAMP_LIGHT = np.array((1.0, 0.95, 0.75), dtype=np.float32)
WINDOW_LIGHT = np.array((0.95, 0.85, 0.5), dtype=np.float32)
ASPHALT = np.array((0.35, 0.35, 0.37), dtype=np.float32)
LEAVES = np.array([(0.25, 0.50, 0.20), (0.40, 0.60, 0.25), (0.85, 0.50, 0.18), (0.75, 0.35, 0.15)], dtype=np.float32)


def pick(rng, n, palette, jitter=0.04):
    """n colours from a palette (k, 3), each varied by about ± jitter: (n, 1, 1, 3)."""
    c = palette[rng.integers(len(palette), size=n)]
    # Mostly lighter / darker, barely a change of hue: a grey cat must not turn purple.
    c = c * (1 + rng.normal(0, 2 * jitter, (n, 1))) + rng.normal(0, jitter / 3, (n, 3))
    return np.clip(c, 0.0, 1.0).astype(np.float32)[:, None, None, :]


def shade(colour, k):
    """colour scaled by k (darker for k < 1), k broadcast as (n, 1, 1) or scalar."""
    return colour * (k[..., None] if np.ndim(k) else k)


def mix(a, b, t):
    """a + t (b − a): t = 0 gives a, 1 gives b."""
    return a + (b - a) * t


def luma(colour):
    """Perceived brightness of colours (..., 3) → (...)."""
    return colour @ np.array([0.3, 0.59, 0.11], dtype=np.float32)
