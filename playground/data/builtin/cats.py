"""The cats (label 1): a cat's head, in a portrait or sitting."""

import numpy as np

from playground.data.builtin.animals import portrait, sitting, whiskers
from playground.data.builtin.canvas import capsule, circle, ellipse, fill, line_width, polygon
from playground.data.builtin.palette import DARK, IRIS_COLOURS, PINK, WHITE, mix, pick, shade
from playground.data.builtin.random_draws import flag, uniform

CAT_JITTER = 2.0
"""How far (px) cats stray from the centre: people centre their cat in the photo.

The main knob of the task's difficulty: the larger, the lower the test accuracy.
"""


def _cat_eyes(img, f, rng, n, base):
    """Almond eyes with coloured irises and slit pupils, tilted up at the outer corner."""
    iris = pick(rng, n, IRIS_COLOURS, 0.05)
    ex, ey = uniform(rng, n, 0.34, 0.46), uniform(rng, n, -0.16, -0.02)
    rx, ry = uniform(rng, n, 0.17, 0.23), uniform(rng, n, 0.13, 0.19)
    slant = uniform(rng, n, 0.05, 0.35)
    pupil = uniform(rng, n, 0.025, 0.1)
    for side in (-1.0, 1.0):
        x = side * ex
        fill(img, f, ellipse(f, x, ey, rx + 0.035, ry + 0.035, -side * slant), shade(base, 0.3))
        fill(img, f, ellipse(f, x, ey, rx, ry, -side * slant), iris)
        fill(img, f, ellipse(f, x, ey, pupil, ry * 0.88), DARK)
        fill(img, f, circle(f, x + 0.05, ey - 0.06, 0.045), WHITE)


def _cat_head(img, f, rng, n, fur, base):
    """A cat's head of radius ≈ 1: pointed ears, almond eyes, pink nose, 'w' mouth, whiskers."""
    ear_h = uniform(rng, n, 0.4, 0.8)
    ear_out = uniform(rng, n, -0.1, 0.25)
    inner = flag(rng, n, 0.8) * 0.7
    for side in (-1.0, 1.0):
        tip = (side * (0.75 + ear_out), -1.3 - ear_h)
        fill(img, f, polygon(f, (side * 0.95, -0.15), tip, (side * 0.18, -0.75)), fur)
        inner_tip = (side * (0.72 + 0.8 * ear_out), -1.15 - 0.75 * ear_h)
        fill(img, f, polygon(f, (side * 0.8, -0.3), inner_tip, (side * 0.35, -0.7)), PINK, inner)
    fill(img, f, ellipse(f, 0.0, 0.0, uniform(rng, n, 0.95, 1.1), uniform(rng, n, 0.78, 0.92)), fur)
    white_face = flag(rng, n, 0.3)
    fill(img, f, ellipse(f, 0.0, 0.5, 0.5, 0.42), WHITE * 0.95, white_face)
    _cat_eyes(img, f, rng, n, base)
    muzzle = mix(base, WHITE, 0.35)
    for side in (-1.0, 1.0):
        fill(img, f, ellipse(f, side * 0.12, 0.38, 0.15, 0.11), muzzle, 0.5)
    nose = np.where(flag(rng, n, 0.75)[..., None] > 0, PINK, shade(base, 0.5) + 0.1)
    fill(img, f, polygon(f, (-0.11, 0.18), (0.11, 0.18), (0.0, 0.3)), nose)
    line, r = shade(base, 0.35), line_width(f, 0.018)
    fill(img, f, capsule(f, 0.0, 0.3, 0.0, 0.4, r), line)
    for side in (-1.0, 1.0):
        fill(img, f, capsule(f, 0.0, 0.4, side * 0.14, 0.47, r), line)
    whiskers(img, f, rng, n, base, 0.28, 0.38, uniform(rng, n, 0.9, 1.2))


def cat_portrait(img, rng, n):
    """A cat's head and shoulders, nearly centred."""
    portrait(img, rng, n, _cat_head, (0.35, 0.15, 0.0), CAT_JITTER)


def cat_sitting(img, rng, n):
    """A whole cat sitting, with a long curled tail."""
    sitting(img, rng, n, _cat_head, (0.35, 0.15, 0.0), 3, CAT_JITTER)
