"""Per-image random choices: a number or an on/off switch per image, and smooth value noise.

All take the generator the dataset is drawn from; the order of the calls is part of what a seed means.
"""

import numpy as np

from playground.data.builtin.canvas import S


def uniform(rng, n, lo, hi):
    """n uniform draws in [lo, hi), as (n, 1, 1) float32 to broadcast over pixels."""
    return rng.uniform(lo, hi, n).astype(np.float32)[:, None, None]


def flag(rng, n, p):
    """n draws of 1.0 with probability p, else 0.0, as (n, 1, 1): switches a feature per image."""
    return (rng.random(n) < p).astype(np.float32)[:, None, None]


def smooth_noise(rng, n, cells):
    """Value noise in [0, 1], (n, S, S), with about `cells` blobs across: clouds, patches, grass."""
    grid = rng.random((n, cells + 1, cells + 1), dtype=np.float32)
    t = (np.arange(S, dtype=np.float32) + 0.5) * (cells / S)
    i = np.minimum(t.astype(int), cells - 1)
    w = t - i
    w = w * w * (3 - 2 * w)  # smoothstep: no visible creases at the cell borders
    m = np.zeros((S, cells + 1), dtype=np.float32)
    m[np.arange(S), i] = 1 - w
    m[np.arange(S), i + 1] = w
    return m @ grid @ m.T


def contrast(noise, lo, hi):
    """Ramp noise values from lo (0) to hi (1): soft-edged blobs from value noise."""
    return np.clip((noise - lo) / (hi - lo), 0.0, 1.0)
