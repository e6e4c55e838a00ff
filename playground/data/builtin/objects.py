"""Things that are not animals (label 0), standing near the middle: mug, lamp, ball, house, tree."""

import numpy as np

from playground.data.builtin.canvas import box, capsule, circle, ellipse, fill, image_frame, polygon
from playground.data.builtin.palette import (
    BARK,
    COAT_COLOURS,
    DARK,
    LAMP_LIGHT,
    LEAVES,
    OBJECT_COLOURS,
    SKY_HORIZON,
    WINDOW_LIGHT,
    mix,
    pick,
    shade,
)
from playground.data.builtin.random_draws import flag, smooth_noise, uniform


def _object_frame(rng, n, lo, hi):
    """An object standing near the middle of the picture, scale in [lo, hi) px per unit."""
    return image_frame(uniform(rng, n, 22, 42), uniform(rng, n, 26, 40), uniform(rng, n, lo, hi), uniform(rng, n, -0.1, 0.1))


def _shaded(colour, f, k=0.35):
    """colour lit from the upper left: a round object's highlight and shadow, (n, S, S, 3)."""
    light = 1.0 + k * np.clip(-(f.u + f.v) * 0.5, -1.0, 1.0)
    return shade(colour, light)


def mug(img, rng, n):
    """A mug with a handle on a table, some with a stripe, all with a drink inside."""
    f = _object_frame(rng, n, 14, 20)
    colour = pick(rng, n, OBJECT_COLOURS)
    fill(img, f, ellipse(f, 0.1, 0.62, 0.75, 0.12), DARK, 0.25)
    ring = np.abs(ellipse(f, 0.5, 0.0, 0.3, 0.3)) - 0.07
    fill(img, f, ring, shade(colour, 0.85))
    fill(img, f, box(f, 0.0, 0.0, 0.5, 0.6, 0.12), _shaded(colour, f))
    fill(img, f, box(f, 0.0, 0.05, 0.5, 0.08), pick(rng, n, OBJECT_COLOURS), flag(rng, n, 0.5))
    fill(img, f, ellipse(f, 0.0, -0.56, 0.5, 0.12), shade(colour, 1.15))
    fill(img, f, ellipse(f, 0.0, -0.55, 0.42, 0.08), pick(rng, n, COAT_COLOURS[[0, 6, 7]]))


def lamp(img, rng, n):
    """A table lamp: a lit conical shade on a thin stem and a round base."""
    f = _object_frame(rng, n, 15, 22)
    colour = pick(rng, n, OBJECT_COLOURS)
    glow = np.clip(1 - np.hypot(f.u, (f.v + 0.2) * 1.5) / 1.5, 0, 1) * 0.5
    img += glow[..., None] * (LAMP_LIGHT - img)
    metal = pick(rng, n, COAT_COLOURS[[0, 2, 6, 7]])
    fill(img, f, capsule(f, 0.0, -0.3, 0.0, 0.8, 0.05), metal)
    fill(img, f, ellipse(f, 0.0, 0.85, 0.35, 0.1), metal)
    fill(img, f, polygon(f, (-0.55, -0.25), (0.55, -0.25), (0.3, -0.95), (-0.3, -0.95)), _shaded(colour, f, 0.2))


def ball(img, rng, n):
    """A shaded ball: beach ball with coloured segments, or a plain one with curved seams."""
    f = _object_frame(rng, n, 10, 18)
    fill(img, f, ellipse(f, 0.1, 1.0, 0.9, 0.15), DARK, 0.25)
    colour = pick(rng, n, OBJECT_COLOURS)
    segments = (np.sin(3 * np.arctan2(f.v, f.u)) > 0)[..., None] * flag(rng, n, 0.5)[..., None]
    paint = mix(colour, pick(rng, n, OBJECT_COLOURS), segments)
    fill(img, f, circle(f, 0.0, 0.0, 1.0), _shaded(paint, f, 0.4))
    seam = np.abs(circle(f, 1.3, 0.0, 0.9)) - 0.04
    fill(img, f, np.maximum(seam, circle(f, 0.0, 0.0, 1.0)), shade(colour, 0.4), 1 - flag(rng, n, 0.5))


def house(img, rng, n):
    """A house: walls, a pointed roof, two windows and a door."""
    f = _object_frame(rng, n, 14, 20)
    walls = pick(rng, n, OBJECT_COLOURS)
    roof = pick(rng, n, OBJECT_COLOURS[[0, 1, 5, 6, 8]])
    fill(img, f, box(f, 0.55, -0.7, 0.1, 0.25), roof, flag(rng, n, 0.6))
    fill(img, f, box(f, 0.0, 0.35, 0.85, 0.6), walls)
    fill(img, f, polygon(f, (-1.05, -0.25), (1.05, -0.25), (0.0, -1.05 - uniform(rng, n, 0.0, 0.3))), roof)
    glass = pick(rng, n, np.stack([SKY_HORIZON, WINDOW_LIGHT]))
    for side in (-1.0, 1.0):
        fill(img, f, box(f, side * 0.45, 0.2, 0.2, 0.18), shade(walls, 0.5))
        fill(img, f, box(f, side * 0.45, 0.2, 0.16, 0.14), glass)
    fill(img, f, box(f, 0.0, 0.68, 0.18, 0.27), shade(roof, 0.7))


def tree(img, rng, n):
    """A tree: a trunk under a canopy of overlapping round clumps of leaves."""
    f = _object_frame(rng, n, 13, 19)
    fill(img, f, box(f, 0.0, 0.7, 0.14, 0.7), BARK)
    leaves = pick(rng, n, LEAVES, 0.05)
    texture = shade(leaves, 0.8 + 0.4 * smooth_noise(rng, n, 12))
    d = circle(f, 0.0, -0.6, 0.7)
    for cx, cy in ((-0.5, -0.2), (0.5, -0.2), (0.0, -1.1)):
        d = np.minimum(d, circle(f, cx + uniform(rng, n, -0.1, 0.1), cy, uniform(rng, n, 0.4, 0.6)))
    fill(img, f, d, texture)
