"""The built-in dataset: drawn cats and drawn non-cats, generated from a seed.

Same format and class balance as the course's ``train_catvnoncat.h5`` /
``test_catvnoncat.h5`` (209 + 50 RGB images of 64×64, label 1 = cat), drawn
by this module in NumPy — no download. Shapes are signed-distance fields
turned into anti-aliased coverage, so edges are smooth, not pixel masks.

Cats and non-cats share the coat colours, backgrounds, placement and camera
noise, so neither the mean colour nor the brightness gives the class away:
the one-neuron network has to learn from the shapes, and, as on the course's
photos, it learns the training set far better than it generalises.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import numpy as np

from playground import IMAGE_SIZE
from playground.data.dataset import Dataset

CLASSES = ("non-cat", "cat")

# (cats, non-cats) in the course's files: train 72 / 137, test 33 / 17.
TRAIN_COUNTS = (72, 137)
TEST_COUNTS = (33, 17)

S = IMAGE_SIZE
# Pixel centres, as broadcastable x (1, 1, S) and y (1, S, 1) in pixels.
_X = (np.arange(S, dtype=np.float32) + 0.5)[None, None, :]
_Y = (np.arange(S, dtype=np.float32) + 0.5)[None, :, None]

CAT_JITTER = 2.0
"""How far (px) cats stray from the centre: people centre their cat in the photo.

The main knob of the task's difficulty: the larger, the lower the test accuracy.
"""
OTHER_JITTER = 8.0
"""How far (px) dogs, bears and rabbits stray from the centre."""

CAMERA_NOISE = 0.035
"""Standard deviation of the per-pixel Gaussian noise, in units of full scale (1 = 255)."""

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


# --- coordinate frames and signed distances ------------------------------------------


class _Frame:
    """Local coordinates of a batch of n images.

    u, v: (n, S, S) position of every pixel centre in the frame's units
    (v points down, as image rows do); px: pixels per unit, (n, 1, 1) or scalar.
    """

    __slots__ = ("u", "v", "px")

    def __init__(self, u, v, px):
        self.u, self.v, self.px = u, v, px

    def sub(self, cx, cy, scale, angle=0.0, flip=1.0) -> _Frame:
        """The frame centred at (cx, cy), `scale` units per new unit, rotated by `angle` rad."""
        x, y = self.u - cx, self.v - cy
        if np.ndim(angle) or angle:
            c, s = np.cos(angle), np.sin(angle)
            x, y = c * x + s * y, c * y - s * x
        return _Frame(x * (flip / scale), y / scale, self.px * scale)

    def cover(self, d):
        """Coverage in [0, 1] of a pixel whose centre is at signed distance d (units): a 1-pixel ramp."""
        return np.clip(0.5 - d * self.px, 0.0, 1.0)


def _image_frame(cx, cy, scale, angle=0.0, flip=1.0) -> _Frame:
    """Frame of the image in pixels, moved to (cx, cy) px with `scale` px per unit."""
    return _Frame(_X, _Y, np.float32(1.0)).sub(cx, cy, scale, angle, flip)


def _circle(f, cx, cy, r):
    return np.hypot(f.u - cx, f.v - cy) - r


def _ellipse(f, cx, cy, rx, ry, angle=0.0):
    """Signed distance to an ellipse, to first order: accurate near the outline, where anti-aliasing needs it."""
    x, y = f.u - cx, f.v - cy
    if np.ndim(angle) or angle:
        c, s = np.cos(angle), np.sin(angle)
        x, y = c * x + s * y, c * y - s * x
    x, y = x / rx, y / ry
    k = np.sqrt(x * x + y * y)
    grad = np.hypot(x / rx, y / ry)
    return (k - 1.0) * np.maximum(k, 1e-6) / np.maximum(grad, 1e-6)


def _polygon(f, *points):
    """Signed distance (exact on the edges) to a convex polygon given by its corners in order."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    m = len(points)
    area = sum(xs[i] * ys[(i + 1) % m] - xs[(i + 1) % m] * ys[i] for i in range(m))
    # Either winding is accepted: the sign of the area says which side is outside.
    side = np.where(np.asarray(area) > 0, 1.0, -1.0).astype(np.float32)
    d = None
    for i in range(m):
        j = (i + 1) % m
        ex, ey = xs[j] - xs[i], ys[j] - ys[i]
        di = ((f.u - xs[i]) * ey - (f.v - ys[i]) * ex) * (side / np.hypot(ex, ey))
        d = di if d is None else np.maximum(d, di)
    return d


def _capsule(f, x0, y0, x1, y1, r):
    """Signed distance to a segment of half-width r with round ends: limbs, tails, lines."""
    px, py = f.u - x0, f.v - y0
    bx, by = x1 - x0, y1 - y0
    h = np.clip((px * bx + py * by) / (bx * bx + by * by), 0.0, 1.0)
    return np.hypot(px - bx * h, py - by * h) - r


def _box(f, cx, cy, hw, hh, r=0.0):
    """Signed distance to a rectangle of half-sizes (hw, hh) with corners rounded by r."""
    qx = np.abs(f.u - cx) - hw + r
    qy = np.abs(f.v - cy) - hh + r
    return np.hypot(np.maximum(qx, 0), np.maximum(qy, 0)) + np.minimum(np.maximum(qx, qy), 0) - r


def _line_width(f, r):
    """Half-width r, widened to at least 0.4 px so thin lines (whiskers) never vanish."""
    return np.maximum(r, 0.4 / f.px)


# --- painting ------------------------------------------------------------------------


def _fill(img, f, d, colour, opacity=1.0):
    """Paint `colour` ((3,), (n,1,1,3) or (n,S,S,3)) over img (n,S,S,3) where d < 0, anti-aliased."""
    a = f.cover(d)
    if np.ndim(opacity) or opacity != 1.0:
        a = a * opacity
    a = np.broadcast_to(a, img.shape[:3])
    # Blend only inside the batch's bounding box: most shapes (eyes, noses, whiskers) are small.
    rows = np.flatnonzero(a.any(axis=(0, 2)))
    cols = np.flatnonzero(a.any(axis=(0, 1)))
    if rows.size == 0:
        return
    box = (slice(None), slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
    a = a[box]
    colour = np.broadcast_to(colour, img.shape)[box]
    img[box] += a[..., None] * (colour - img[box])


def _u(rng, n, lo, hi):
    """n uniform draws in [lo, hi), as (n, 1, 1) float32 to broadcast over pixels."""
    return rng.uniform(lo, hi, n).astype(np.float32)[:, None, None]


def _flag(rng, n, p):
    """n draws of 1.0 with probability p, else 0.0, as (n, 1, 1): switches a feature per image."""
    return (rng.random(n) < p).astype(np.float32)[:, None, None]


def _pick(rng, n, palette, jitter=0.04):
    """n colours from a palette (k, 3), each varied by about ± jitter: (n, 1, 1, 3)."""
    c = palette[rng.integers(len(palette), size=n)]
    # Mostly lighter / darker, barely a change of hue: a grey cat must not turn purple.
    c = c * (1 + rng.normal(0, 2 * jitter, (n, 1))) + rng.normal(0, jitter / 3, (n, 3))
    return np.clip(c, 0.0, 1.0).astype(np.float32)[:, None, None, :]


def _shade(colour, k):
    """colour scaled by k (darker for k < 1), k broadcast as (n, 1, 1) or scalar."""
    return colour * (k[..., None] if np.ndim(k) else k)


def _mix(a, b, t):
    """a + t (b − a): t = 0 gives a, 1 gives b."""
    return a + (b - a) * t


def _luma(colour):
    """Perceived brightness of colours (..., 3) → (...)."""
    return colour @ np.array([0.3, 0.59, 0.11], dtype=np.float32)


def _smooth_noise(rng, n, cells):
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


def _contrast(noise, lo, hi):
    """Ramp noise values from lo (0) to hi (1): soft-edged blobs from value noise."""
    return np.clip((noise - lo) / (hi - lo), 0.0, 1.0)


# --- backgrounds ---------------------------------------------------------------------


def _room(rng, n):
    """Indoor: a wall with a soft light gradient over a wooden floor."""
    wall = _pick(rng, n, WALL_COLOURS)
    floor = _pick(rng, n, FLOOR_COLOURS)
    horizon = _u(rng, n, 36, 56)
    light = 1.05 - 0.25 * _Y / S + _u(rng, n, -0.1, 0.1) * (_X / S - 0.5)
    img = _shade(wall, light) * np.ones((1, 1, S, 1), dtype=np.float32)
    planks = 0.9 - 0.1 * (np.sin((_Y - horizon) * 1.2) > 0.85)  # the gaps between floorboards
    grain = 0.92 + 0.08 * _smooth_noise(rng, n, 8)
    on_floor = np.clip(_Y - horizon + 0.5, 0.0, 1.0)
    img += on_floor[..., None] * (_shade(floor, planks * grain) - img)
    skirting = np.clip(1.5 - np.abs(_Y - horizon + 1.5), 0, 1) * np.ones_like(_X)
    img += skirting[..., None] * (_shade(wall, 1.08) - img)
    return img


def _sky(rng, n):
    """Blue sky, paler towards the horizon, with soft white clouds."""
    t = (_Y / S) * _u(rng, n, 0.8, 1.4)
    img = _mix(SKY_TOP, SKY_HORIZON, np.clip(t, 0, 1)[..., None]) * np.ones((n, 1, S, 1), dtype=np.float32)
    img *= _u(rng, n, 0.85, 1.1)[..., None]
    cover = _contrast(_smooth_noise(rng, n, 4), _u(rng, n, 0.45, 0.75), 0.85)
    img += cover[..., None] * (WHITE - img) * 0.9
    return img


def _garden(rng, n):
    """Outdoors: sky above a lawn with noisy, darker-in-the-distance grass."""
    img = _sky(rng, n)
    horizon = _u(rng, n, 12, 36)
    grass = _pick(rng, n, GRASS[None], 0.05)
    blades = 0.75 + 0.25 * _smooth_noise(rng, n, 16) + 0.15 * (_smooth_noise(rng, n, 32) - 0.5)
    depth = 0.8 + 0.3 * np.clip((_Y - horizon) / 30, 0, 1)
    lawn = np.clip(_Y - horizon + 0.5, 0.0, 1.0) * np.ones_like(_X)
    img += lawn[..., None] * (_shade(grass, blades * depth) - img)
    return img


def _bricks(rng, n):
    """A brick or stone wall: rows offset by half a brick, mortar lines, per-brick tint."""
    h = _u(rng, n, 5, 9)
    row = np.floor(_Y / h)
    shift = (row % 2) * h
    col = np.floor((_X + shift) / (2 * h))
    tint_table = rng.uniform(0.8, 1.1, (n, 16, 16)).astype(np.float32)
    tint = np.take_along_axis(
        tint_table.reshape(n, -1),
        ((row.astype(int) % 16) * 16 + col.astype(int) % 16).reshape(n, -1),
        axis=1,
    ).reshape(n, S, S)
    mortar_y = np.abs(_Y - (row + 0.5) * h) > h / 2 - 0.8
    mortar_x = np.abs((_X + shift) - (col + 0.5) * 2 * h) > h - 0.8
    mortar = (mortar_y | mortar_x).astype(np.float32)
    brick = _pick(rng, n, BRICK_COLOURS)
    img = _shade(brick, tint * (0.9 + 0.2 * _smooth_noise(rng, n, 12)))
    img += mortar[..., None] * (_shade(brick, 0.5) + 0.35 - img)
    return np.clip(img, 0, 1)


def _wallpaper(rng, n):
    """Striped or polka-dot wallpaper in two soft colours."""
    a = _pick(rng, n, WALL_COLOURS)
    b = _pick(rng, n, OBJECT_COLOURS) * 0.4 + a * 0.6
    period = _u(rng, n, 6, 12)
    stripes = (np.sin(2 * np.pi * _X / period) > 0.3).astype(np.float32) * np.ones_like(_Y)
    gx, gy = (_X % period) - period / 2, (_Y % period) - period / 2
    dots = np.clip(period * 0.25 - np.hypot(gx, gy) + 0.5, 0, 1)
    pattern = np.where(_flag(rng, n, 0.5) > 0, stripes, dots)
    return a + pattern[..., None] * (b - a)


BACKGROUNDS = {"room": _room, "garden": _garden, "sky": _sky, "bricks": _bricks, "wallpaper": _wallpaper}
INDOOR = ("room", "room", "bricks", "wallpaper")
OUTDOOR = ("garden", "garden", "sky")
ANYWHERE = ("room", "garden", "sky", "bricks", "wallpaper")


# --- coats ---------------------------------------------------------------------------


def _coat(rng, f, n, stripes=0.0, patches=0.0, spots=0.0):
    """Fur colour at every pixel, (n, S, S, 3), and the base colour (n, 1, 1, 3).

    Each image is solid, striped (tabby), patched (calico-like, on a white
    base) or spotted with the given probabilities.
    """
    base = _pick(rng, n, COAT_COLOURS)
    is_patched = _flag(rng, n, patches)
    base = _mix(base, _pick(rng, n, COAT_COLOURS[3:5], 0.02), is_patched[..., None])
    fur = base * np.ones((1, S, S, 1), dtype=np.float32)
    # Stripes follow the frame, so they turn with the animal; the wobble keeps them from looking ruled.
    wave = np.sin(_u(rng, n, 9, 14) * (f.v + 0.1 * np.sin(4 * f.u + _u(rng, n, 0, 6))) + _u(rng, n, 0, 6))
    stripe = _contrast(wave, 0.2, 0.7) * _flag(rng, n, stripes) * _u(rng, n, 0.3, 0.5)
    fur *= 1 - stripe[..., None]
    for colour in (_pick(rng, n, COAT_COLOURS[[0, 5, 6]]), _pick(rng, n, COAT_COLOURS[[0, 5]])):
        patch = _contrast(_smooth_noise(rng, n, 5), 0.58, 0.66) * is_patched
        fur += patch[..., None] * (colour - fur)
    dot = _contrast(_smooth_noise(rng, n, 14), 0.7, 0.76) * _flag(rng, n, spots)
    fur += dot[..., None] * (_shade(base, 0.3) - fur)
    return fur, base


# --- animals -------------------------------------------------------------------------


def _shoulders(img, f, fur):
    """The chest and shoulders under a portrait's head."""
    _fill(img, f, _ellipse(f, 0.0, 1.75, 1.3, 1.05), fur)


def _cat_eyes(img, f, rng, n, base):
    """Almond eyes with coloured irises and slit pupils, tilted up at the outer corner."""
    iris = _pick(rng, n, IRIS_COLOURS, 0.05)
    ex, ey = _u(rng, n, 0.34, 0.46), _u(rng, n, -0.16, -0.02)
    rx, ry = _u(rng, n, 0.17, 0.23), _u(rng, n, 0.13, 0.19)
    slant = _u(rng, n, 0.05, 0.35)
    pupil = _u(rng, n, 0.025, 0.1)
    for side in (-1.0, 1.0):
        x = side * ex
        _fill(img, f, _ellipse(f, x, ey, rx + 0.035, ry + 0.035, -side * slant), _shade(base, 0.3))
        _fill(img, f, _ellipse(f, x, ey, rx, ry, -side * slant), iris)
        _fill(img, f, _ellipse(f, x, ey, pupil, ry * 0.88), DARK)
        _fill(img, f, _circle(f, x + 0.05, ey - 0.06, 0.045), WHITE)


def _whiskers(img, f, rng, n, base, x0, y0, length):
    """Three whiskers per side from the muzzle, light on dark fur and dark on light fur."""
    colour = np.where(_luma(base)[..., None] < 0.45, WHITE * 0.9, DARK + 0.15)
    droop = _u(rng, n, -0.05, 0.15)
    spread = _u(rng, n, 0.15, 0.25)
    r = _line_width(f, 0.012)
    for side in (-1.0, 1.0):
        for k in (-1.0, 0.0, 1.0):
            d = _capsule(f, side * x0, y0 + 0.05 * k, side * (x0 + length), y0 + droop + spread * k, r)
            _fill(img, f, d, colour, 0.85)


def _cat_head(img, f, rng, n, fur, base):
    """A cat's head of radius ≈ 1: pointed ears, almond eyes, pink nose, 'w' mouth, whiskers."""
    ear_h = _u(rng, n, 0.4, 0.8)
    ear_out = _u(rng, n, -0.1, 0.25)
    inner = _flag(rng, n, 0.8) * 0.7
    for side in (-1.0, 1.0):
        tip = (side * (0.75 + ear_out), -1.3 - ear_h)
        _fill(img, f, _polygon(f, (side * 0.95, -0.15), tip, (side * 0.18, -0.75)), fur)
        inner_tip = (side * (0.72 + 0.8 * ear_out), -1.15 - 0.75 * ear_h)
        _fill(img, f, _polygon(f, (side * 0.8, -0.3), inner_tip, (side * 0.35, -0.7)), PINK, inner)
    _fill(img, f, _ellipse(f, 0.0, 0.0, _u(rng, n, 0.95, 1.1), _u(rng, n, 0.78, 0.92)), fur)
    white_face = _flag(rng, n, 0.3)
    _fill(img, f, _ellipse(f, 0.0, 0.5, 0.5, 0.42), WHITE * 0.95, white_face)
    _cat_eyes(img, f, rng, n, base)
    muzzle = _mix(base, WHITE, 0.35)
    for side in (-1.0, 1.0):
        _fill(img, f, _ellipse(f, side * 0.12, 0.38, 0.15, 0.11), muzzle, 0.5)
    nose = np.where(_flag(rng, n, 0.75)[..., None] > 0, PINK, _shade(base, 0.5) + 0.1)
    _fill(img, f, _polygon(f, (-0.11, 0.18), (0.11, 0.18), (0.0, 0.3)), nose)
    line, r = _shade(base, 0.35), _line_width(f, 0.018)
    _fill(img, f, _capsule(f, 0.0, 0.3, 0.0, 0.4, r), line)
    for side in (-1.0, 1.0):
        _fill(img, f, _capsule(f, 0.0, 0.4, side * 0.14, 0.47, r), line)
    _whiskers(img, f, rng, n, base, 0.28, 0.38, _u(rng, n, 0.9, 1.2))


def _dog_head(img, f, rng, n, fur, base):
    """A dog's head of radius ≈ 1: floppy ears, round eyes, a long snout, big black nose."""
    ear = _shade(base, _u(rng, n, 0.55, 1.0))
    _fill(img, f, _ellipse(f, 0.0, 0.0, _u(rng, n, 0.82, 0.95), _u(rng, n, 0.92, 1.05)), fur)
    tilt = _u(rng, n, 0.15, 0.5)
    for side in (-1.0, 1.0):
        _fill(img, f, _ellipse(f, side * 0.85, 0.05, _u(rng, n, 0.24, 0.34), 0.68, side * tilt), ear)
    for side in (-1.0, 1.0):
        _fill(img, f, _circle(f, side * 0.34, -0.18, 0.14), DARK + 0.2)
        _fill(img, f, _circle(f, side * 0.34, -0.18, 0.09), DARK)
        _fill(img, f, _circle(f, side * 0.34 + 0.04, -0.22, 0.035), WHITE)
    snout = _mix(base, _pick(rng, n, COAT_COLOURS[3:5], 0.02), _u(rng, n, 0.1, 0.8)[..., None])
    _fill(img, f, _ellipse(f, 0.0, 0.45, _u(rng, n, 0.4, 0.5), _u(rng, n, 0.32, 0.4)), snout)
    _fill(img, f, _ellipse(f, 0.0, 0.27, _u(rng, n, 0.15, 0.21), 0.12), DARK)
    _fill(img, f, _circle(f, -0.05, 0.23, 0.035), WHITE, 0.7)
    line, r = _shade(base, 0.3), _line_width(f, 0.02)
    _fill(img, f, _ellipse(f, 0.0, 0.68, 0.11, 0.14), PINK, _flag(rng, n, 0.5))
    _fill(img, f, _capsule(f, 0.0, 0.38, 0.0, 0.55, r), line)
    for side in (-1.0, 1.0):
        _fill(img, f, _capsule(f, 0.0, 0.55, side * 0.2, 0.6, r), line)


def _bear_head(img, f, rng, n, fur, base):
    """A teddy bear's head: round ears on top, button eyes, a pale muzzle."""
    light = _mix(base, WHITE, 0.4)
    for side in (-1.0, 1.0):
        _fill(img, f, _circle(f, side * 0.72, -0.72, 0.32), fur)
        _fill(img, f, _circle(f, side * 0.72, -0.72, 0.17), light)
    _fill(img, f, _ellipse(f, 0.0, 0.0, 1.0, 0.9), fur)
    _fill(img, f, _ellipse(f, 0.0, 0.38, 0.38, 0.3), light)
    for side in (-1.0, 1.0):
        _fill(img, f, _circle(f, side * 0.38, -0.15, 0.1), DARK)
    _fill(img, f, _ellipse(f, 0.0, 0.27, 0.13, 0.09), DARK)
    _fill(img, f, _capsule(f, 0.0, 0.3, 0.0, 0.48, _line_width(f, 0.02)), DARK)


def _rabbit_head(img, f, rng, n, fur, base):
    """A rabbit's head: long upright ears, side-set round eyes, small nose, whiskers."""
    lean = _u(rng, n, -0.25, 0.25)
    for side in (-1.0, 1.0):
        angle = side * _u(rng, n, 0.0, 0.3) + lean
        _fill(img, f, _ellipse(f, side * 0.35, -1.35, 0.24, 0.8, angle), fur)
        _fill(img, f, _ellipse(f, side * 0.35, -1.3, 0.12, 0.6, angle), PINK, 0.6)
    _fill(img, f, _ellipse(f, 0.0, 0.0, 0.85, 0.8), fur)
    for side in (-1.0, 1.0):
        _fill(img, f, _circle(f, side * 0.42, -0.12, 0.12), DARK)
        _fill(img, f, _circle(f, side * 0.42 + 0.04, -0.16, 0.035), WHITE)
        _fill(img, f, _ellipse(f, side * 0.1, 0.35, 0.14, 0.11), _mix(base, WHITE, 0.5), 0.7)
    _fill(img, f, _ellipse(f, 0.0, 0.24, 0.08, 0.06), PINK)
    _whiskers(img, f, rng, n, base, 0.22, 0.33, _u(rng, n, 0.6, 0.9))


def _portrait(img, rng, n, head, coat_odds, jitter):
    """Head-and-shoulders of an animal, big in the frame, up to `jitter` px off-centre, a little tilted."""
    f = _image_frame(
        _u(rng, n, 32 - jitter, 32 + jitter),
        _u(rng, n, 35 - jitter / 2, 35 + jitter / 2),
        _u(rng, n, 15 - jitter / 3, 17 + jitter / 3),
        _u(rng, n, -0.03 * jitter, 0.03 * jitter),
    )
    fur, base = _coat(rng, f, n, *coat_odds)
    _shoulders(img, f, fur)
    _fill(img, f, _ellipse(f, 0.0, 1.3, 0.55, 0.4), WHITE * 0.95, _flag(rng, n, 0.3))
    head(img, f, rng, n, fur, base)


def _sitting(img, rng, n, head, coat_odds, tail_len, jitter):
    """A whole animal sitting, seen from the front, up to `jitter` px off-centre: body, legs, tail, head."""
    flip = np.where(_flag(rng, n, 0.5) > 0, 1.0, -1.0).astype(np.float32)
    f = _image_frame(
        _u(rng, n, 32 - jitter, 32 + jitter),
        _u(rng, n, 33 - jitter / 2, 33 + jitter / 2),
        _u(rng, n, 20 - jitter / 2, 21 + jitter / 2),
        _u(rng, n, -0.02 * jitter, 0.02 * jitter),
        flip,
    )
    fur, base = _coat(rng, f, n, *coat_odds)
    _fill(img, f, _ellipse(f, 0.0, 0.98, 0.75, 0.1), DARK, 0.25)
    curl = _u(rng, n, -0.2, 0.25)
    joints = [(0.4, 0.9), (0.7, 0.75), (0.85, 0.45 - curl), (0.75 + curl, 0.15 - curl)]
    tail = _line_width(f, 0.075)
    for (x0, y0), (x1, y1) in list(zip(joints, joints[1:]))[:tail_len]:
        _fill(img, f, _capsule(f, x0, y0, x1, y1, tail), fur)
    _fill(img, f, _ellipse(f, 0.0, 0.4, _u(rng, n, 0.38, 0.48), 0.55), fur)
    _fill(img, f, _ellipse(f, 0.0, 0.75, _u(rng, n, 0.5, 0.6), 0.23), fur)
    _fill(img, f, _ellipse(f, 0.0, 0.2, 0.2, 0.3), WHITE * 0.95, _flag(rng, n, 0.3))
    edge = _shade(base, 0.6)
    for side in (-1.0, 1.0):
        _fill(img, f, _capsule(f, side * 0.14, 0.35, side * 0.14, 0.9, 0.1), edge)
        _fill(img, f, _capsule(f, side * 0.14, 0.35, side * 0.14, 0.9, 0.085), fur)
        _fill(img, f, _ellipse(f, side * 0.15, 0.92, 0.12, 0.07), fur)
    head(img, f.sub(0.0, -0.42, _u(rng, n, 0.3, 0.36), _u(rng, n, -0.25, 0.25)), rng, n, fur, base)


def _cat_portrait(img, rng, n):
    _portrait(img, rng, n, _cat_head, (0.35, 0.15, 0.0), CAT_JITTER)


def _cat_sitting(img, rng, n):
    _sitting(img, rng, n, _cat_head, (0.35, 0.15, 0.0), 3, CAT_JITTER)


def _dog_portrait(img, rng, n):
    _portrait(img, rng, n, _dog_head, (0.1, 0.15, 0.15), OTHER_JITTER)


def _dog_sitting(img, rng, n):
    _sitting(img, rng, n, _dog_head, (0.1, 0.15, 0.15), 2, OTHER_JITTER)


def _bear(img, rng, n):
    _portrait(img, rng, n, _bear_head, (0.0, 0.0, 0.0), OTHER_JITTER)


def _rabbit(img, rng, n):
    _sitting(img, rng, n, _rabbit_head, (0.0, 0.2, 0.0), 0, OTHER_JITTER)


def _owl(img, rng, n):
    """An owl on a branch: egg-shaped body, ear tufts, facial discs, big round eyes."""
    f = _image_frame(_u(rng, n, 24, 40), _u(rng, n, 28, 38), _u(rng, n, 14, 21), _u(rng, n, -0.15, 0.15))
    fur, base = _coat(rng, f, n, 0.5, 0.0, 0.3)
    _fill(img, f, _capsule(f, -1.8, 1.1, 1.8, 1.0, _u(rng, n, 0.1, 0.16)), BARK)
    tuft = _u(rng, n, 0.2, 0.5)
    for side in (-1.0, 1.0):
        _fill(img, f, _polygon(f, (side * 0.7, -0.5), (side * 0.75, -1.0 - tuft), (side * 0.25, -0.75)), fur)
    _fill(img, f, _ellipse(f, 0.0, 0.1, 0.78, 1.0), fur)
    wing = _shade(base, 0.7)
    for side in (-1.0, 1.0):
        _fill(img, f, _ellipse(f, side * 0.62, 0.3, 0.25, 0.6, side * 0.2), wing)
        _fill(img, f, _circle(f, side * 0.3, -0.3, 0.32), _mix(base, WHITE, 0.5))
    iris = _pick(rng, n, IRIS_COLOURS[[1, 2]], 0.05)
    for side in (-1.0, 1.0):
        _fill(img, f, _circle(f, side * 0.3, -0.3, 0.2), iris)
        _fill(img, f, _circle(f, side * 0.3, -0.3, 0.1), DARK)
        _fill(img, f, _circle(f, side * 0.3 + 0.05, -0.35, 0.04), WHITE)
    _fill(img, f, _polygon(f, (-0.08, -0.12), (0.08, -0.12), (0.0, 0.1)), _pick(rng, n, COAT_COLOURS[[4, 7]]))
    for side in (-1.0, 1.0):
        _fill(img, f, _capsule(f, side * 0.2, 1.0, side * 0.2, 1.12, 0.06), IRIS_COLOURS[2])


def _bird(img, rng, n):
    """A small bird in profile: round body, head, beak, wing and tail, on a branch or in the air."""
    flip = np.where(_flag(rng, n, 0.5) > 0, 1.0, -1.0).astype(np.float32)
    f = _image_frame(_u(rng, n, 22, 42), _u(rng, n, 24, 40), _u(rng, n, 13, 20), _u(rng, n, -0.3, 0.3), flip)
    fur, base = _coat(rng, f, n, 0.2, 0.0, 0.2)
    perched = _flag(rng, n, 0.6)
    _fill(img, f, _capsule(f, -1.8, 0.55, 1.8, 0.6, 0.1), BARK, perched)
    for x in (-0.05, 0.15):
        _fill(img, f, _capsule(f, x, 0.3, x, 0.55, _line_width(f, 0.03)), DARK + 0.2, perched)
    _fill(img, f, _polygon(f, (-0.5, -0.05), (-1.25, -0.3), (-1.15, 0.2)), _shade(base, 0.8))
    _fill(img, f, _ellipse(f, 0.0, 0.0, 0.7, 0.45, -0.2), fur)
    _fill(img, f, _ellipse(f, 0.2, 0.15, 0.45, 0.25), _pick(rng, n, OBJECT_COLOURS), 0.8)
    _fill(img, f, _circle(f, 0.6, -0.4, 0.32), fur)
    _fill(img, f, _polygon(f, (0.82, -0.5), (1.18, -0.4), (0.82, -0.3)), _pick(rng, n, COAT_COLOURS[[0, 4, 5]]))
    _fill(img, f, _circle(f, 0.68, -0.47, 0.07), DARK)
    _fill(img, f, _ellipse(f, -0.15, -0.05, 0.5, 0.24, -0.3), _shade(base, 0.65))


# --- objects and scenes --------------------------------------------------------------


def _object_frame(rng, n, lo, hi):
    """An object standing near the middle of the picture, scale in [lo, hi) px per unit."""
    return _image_frame(_u(rng, n, 22, 42), _u(rng, n, 26, 40), _u(rng, n, lo, hi), _u(rng, n, -0.1, 0.1))


def _shaded(colour, f, k=0.35):
    """colour lit from the upper left: a round object's highlight and shadow, (n, S, S, 3)."""
    light = 1.0 + k * np.clip(-(f.u + f.v) * 0.5, -1.0, 1.0)
    return _shade(colour, light)


def _mug(img, rng, n):
    """A mug with a handle on a table, some with a stripe, all with a drink inside."""
    f = _object_frame(rng, n, 14, 20)
    colour = _pick(rng, n, OBJECT_COLOURS)
    _fill(img, f, _ellipse(f, 0.1, 0.62, 0.75, 0.12), DARK, 0.25)
    ring = np.abs(_ellipse(f, 0.5, 0.0, 0.3, 0.3)) - 0.07
    _fill(img, f, ring, _shade(colour, 0.85))
    _fill(img, f, _box(f, 0.0, 0.0, 0.5, 0.6, 0.12), _shaded(colour, f))
    _fill(img, f, _box(f, 0.0, 0.05, 0.5, 0.08), _pick(rng, n, OBJECT_COLOURS), _flag(rng, n, 0.5))
    _fill(img, f, _ellipse(f, 0.0, -0.56, 0.5, 0.12), _shade(colour, 1.15))
    _fill(img, f, _ellipse(f, 0.0, -0.55, 0.42, 0.08), _pick(rng, n, COAT_COLOURS[[0, 6, 7]]))


def _lamp(img, rng, n):
    """A table lamp: a lit conical shade on a thin stem and a round base."""
    f = _object_frame(rng, n, 15, 22)
    colour = _pick(rng, n, OBJECT_COLOURS)
    glow = np.clip(1 - np.hypot(f.u, (f.v + 0.2) * 1.5) / 1.5, 0, 1) * 0.5
    img += glow[..., None] * (LAMP_LIGHT - img)
    metal = _pick(rng, n, COAT_COLOURS[[0, 2, 6, 7]])
    _fill(img, f, _capsule(f, 0.0, -0.3, 0.0, 0.8, 0.05), metal)
    _fill(img, f, _ellipse(f, 0.0, 0.85, 0.35, 0.1), metal)
    _fill(img, f, _polygon(f, (-0.55, -0.25), (0.55, -0.25), (0.3, -0.95), (-0.3, -0.95)), _shaded(colour, f, 0.2))


def _ball(img, rng, n):
    """A shaded ball: beach ball with coloured segments, or a plain one with curved seams."""
    f = _object_frame(rng, n, 10, 18)
    _fill(img, f, _ellipse(f, 0.1, 1.0, 0.9, 0.15), DARK, 0.25)
    colour = _pick(rng, n, OBJECT_COLOURS)
    segments = (np.sin(3 * np.arctan2(f.v, f.u)) > 0)[..., None] * _flag(rng, n, 0.5)[..., None]
    paint = _mix(colour, _pick(rng, n, OBJECT_COLOURS), segments)
    _fill(img, f, _circle(f, 0.0, 0.0, 1.0), _shaded(paint, f, 0.4))
    seam = np.abs(_circle(f, 1.3, 0.0, 0.9)) - 0.04
    _fill(img, f, np.maximum(seam, _circle(f, 0.0, 0.0, 1.0)), _shade(colour, 0.4), 1 - _flag(rng, n, 0.5))


def _house(img, rng, n):
    """A house: walls, a pointed roof, two windows and a door."""
    f = _object_frame(rng, n, 14, 20)
    walls = _pick(rng, n, OBJECT_COLOURS)
    roof = _pick(rng, n, OBJECT_COLOURS[[0, 1, 5, 6, 8]])
    _fill(img, f, _box(f, 0.55, -0.7, 0.1, 0.25), roof, _flag(rng, n, 0.6))
    _fill(img, f, _box(f, 0.0, 0.35, 0.85, 0.6), walls)
    _fill(img, f, _polygon(f, (-1.05, -0.25), (1.05, -0.25), (0.0, -1.05 - _u(rng, n, 0.0, 0.3))), roof)
    glass = _pick(rng, n, np.stack([SKY_HORIZON, WINDOW_LIGHT]))
    for side in (-1.0, 1.0):
        _fill(img, f, _box(f, side * 0.45, 0.2, 0.2, 0.18), _shade(walls, 0.5))
        _fill(img, f, _box(f, side * 0.45, 0.2, 0.16, 0.14), glass)
    _fill(img, f, _box(f, 0.0, 0.68, 0.18, 0.27), _shade(roof, 0.7))


def _tree(img, rng, n):
    """A tree: a trunk under a canopy of overlapping round clumps of leaves."""
    f = _object_frame(rng, n, 13, 19)
    _fill(img, f, _box(f, 0.0, 0.7, 0.14, 0.7), BARK)
    leaves = _pick(rng, n, LEAVES, 0.05)
    texture = _shade(leaves, 0.8 + 0.4 * _smooth_noise(rng, n, 12))
    d = _circle(f, 0.0, -0.6, 0.7)
    for cx, cy in ((-0.5, -0.2), (0.5, -0.2), (0.0, -1.1)):
        d = np.minimum(d, _circle(f, cx + _u(rng, n, -0.1, 0.1), cy, _u(rng, n, 0.4, 0.6)))
    _fill(img, f, d, texture)


def _landscape(img, rng, n):
    """A landscape: sky, sun, two ranges of hills or mountains, the near one greener."""
    img[:] = _sky(rng, n)
    sun = _image_frame(_u(rng, n, 8, 56), _u(rng, n, 6, 20), 1.0)
    _fill(img, sun, _circle(sun, 0.0, 0.0, _u(rng, n, 3, 7)), SUN)
    f = _image_frame(np.float32(0), np.float32(0), np.float32(1))
    for depth, lo, hi in ((0.75, 18, 36), (1.0, 30, 50)):
        height = _u(rng, n, lo, hi)
        wave = height + 6 * np.sin(_X * _u(rng, n, 0.05, 0.15) + _u(rng, n, 0, 6)) + 4 * (_smooth_noise(rng, n, 3) - 0.5)
        colour = _shade(_pick(rng, n, HILL_COLOURS, 0.05), depth)
        _fill(img, f, wave - f.v, colour)


def _city(img, rng, n):
    """A street of buildings of different heights with rows of windows."""
    f = _image_frame(np.float32(0), np.float32(0), np.float32(1))
    for k in range(5):
        x0, x1 = k * 13 - 2 + _u(rng, n, -3, 3), (k + 1) * 13 + _u(rng, n, -2, 4)
        top = _u(rng, n, 8, 40)
        wall = _pick(rng, n, OBJECT_COLOURS)
        windows = (np.sin(_X * 1.3 + k) > 0.2) & (np.sin(_Y * 1.1) > 0.2) & (_Y > top + 3)
        building = _box(f, (x0 + x1) / 2, (top + 70) / 2, (x1 - x0) / 2, (70 - top) / 2)
        _fill(img, f, building, _mix(wall, _shade(wall, 0.45), windows[..., None] * 0.9))
    _fill(img, f, 58 - f.v, ASPHALT)


# kind → (draw function, backgrounds it is drawn on, weight among its class)
CAT_KINDS = {
    "cat portrait": (_cat_portrait, ANYWHERE, 0.8),
    "cat sitting": (_cat_sitting, ANYWHERE, 0.2),
}
NON_CAT_KINDS = {
    "dog portrait": (_dog_portrait, ANYWHERE, 0.12),
    "dog sitting": (_dog_sitting, ANYWHERE, 0.07),
    "teddy bear": (_bear, INDOOR, 0.06),
    "rabbit": (_rabbit, ANYWHERE, 0.07),
    "owl": (_owl, OUTDOOR, 0.06),
    "bird": (_bird, OUTDOOR, 0.08),
    "mug": (_mug, INDOOR, 0.08),
    "lamp": (_lamp, INDOOR, 0.06),
    "ball": (_ball, ANYWHERE, 0.08),
    "house": (_house, ("garden",), 0.08),
    "tree": (_tree, ("garden",), 0.08),
    "landscape": (_landscape, ("sky",), 0.08),
    "city": (_city, ("sky",), 0.08),
}


# --- the dataset ---------------------------------------------------------------------


def _blur(img):
    """3×3 binomial blur of (n, S, S, 3): softens edges like a camera lens."""
    p = np.pad(img, ((0, 0), (1, 1), (1, 1), (0, 0)), mode="edge")
    p = p[:, :-2] + 2 * p[:, 1:-1] + p[:, 2:]
    return (p[:, :, :-2] + 2 * p[:, :, 1:-1] + p[:, :, 2:]) / 16


def _camera(rng, img):
    """Uneven lighting, lens blur and sensor noise, then quantised to uint8."""
    n = len(img)
    angle = rng.uniform(0, 2 * np.pi, n).astype(np.float32)[:, None, None]
    ramp = (np.cos(angle) * (_X - S / 2) + np.sin(angle) * (_Y - S / 2)) / S
    img *= (1 + _u(rng, n, 0.0, 0.4) * ramp)[..., None]
    img = _blur(img)
    img += rng.standard_normal(img.shape, dtype=np.float32) * CAMERA_NOISE
    return (np.clip(img, 0.0, 1.0) * 255 + 0.5).astype(np.uint8)


def _draw(rng, labels):
    """Pictures for the labels (m,) of 0/1: (m, S, S, 3) uint8."""
    m = len(labels)
    kinds = np.empty(m, dtype=object)
    for label, table in ((1, CAT_KINDS), (0, NON_CAT_KINDS)):
        names = list(table)
        weights = np.array([table[k][2] for k in names])
        where = np.flatnonzero(labels == label)
        # Stratified, not drawn: each kind gets its share even in the 17 non-cats of the test set.
        share = np.cumsum(weights) / weights.sum()
        quantiles = (np.arange(len(where)) + rng.random()) / len(where)
        # share[:-1]: rounding may leave share[-1] a hair under 1, past the last kind.
        kinds[where] = rng.permutation(np.array(names)[np.searchsorted(share[:-1], quantiles, side="right")])
    backgrounds = np.empty(m, dtype=object)
    for kind, (_, allowed, _) in (CAT_KINDS | NON_CAT_KINDS).items():
        where = np.flatnonzero(kinds == kind)
        backgrounds[where] = rng.choice(allowed, size=len(where))
    img = np.empty((m, S, S, 3), dtype=np.float32)
    for name, make in BACKGROUNDS.items():
        where = np.flatnonzero(backgrounds == name)
        if len(where):
            img[where] = make(rng, len(where))
    for kind, (draw, _, _) in (CAT_KINDS | NON_CAT_KINDS).items():
        where = np.flatnonzero(kinds == kind)
        if len(where):
            batch = img[where]
            draw(batch, rng, len(where))
            img[where] = batch
    return _camera(rng, img)


# Seed 0 (the app's default) drawn once and shipped: drawing takes ~0.45 s, the whole of a fresh
# server's first page; reading the file ~15 ms. tests/data/test_builtin.py checks it is still
# exactly what draw_builtin_dataset(0) gives; `python -m playground.data.builtin` writes it anew.
SHIPPED_SEED = 0
SHIPPED = Path(__file__).resolve().parents[2] / "assets" / f"builtin_seed{SHIPPED_SEED}.npz"
_PARTS = ("train_x", "train_y", "test_x", "test_y")


def draw_builtin_dataset(seed: int = 0) -> Dataset:
    """The built-in drawn cat / non-cat dataset; the same seed always gives the same bytes.

    209 training and 50 test images, uint8 (m, 64, 64, 3), labels 1 = cat,
    with the course's class balance (72 / 137 and 33 / 17).
    """
    rng = np.random.default_rng(seed)
    parts = []
    for cats, non_cats in (TRAIN_COUNTS, TEST_COUNTS):
        labels = rng.permutation(np.repeat(np.array([1, 0], dtype=np.int64), (cats, non_cats)))
        parts += [_draw(rng, labels), labels]
    return _dataset(seed, *parts)


def _dataset(seed: int, train_x, train_y, test_x, test_y) -> Dataset:
    return Dataset(
        name=f"Built-in drawings (seed {seed})",
        key=f"builtin:{seed}",
        train_x=train_x,
        train_y=train_y,
        test_x=test_x,
        test_y=test_y,
        classes=CLASSES,
    )


def read_shipped(path: Path = SHIPPED) -> Dataset | None:
    """The shipped drawings of SHIPPED_SEED, or None if the file is missing or not what it should be
    (the caller then draws them)."""
    try:
        # Our own handle: np.load(path) leaves its file open when the zip is broken.
        with open(path, "rb") as f, np.load(f, allow_pickle=False) as z:
            parts = [z[name] for name in _PARTS]
        return _dataset(SHIPPED_SEED, *parts)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None


def write_shipped(path: Path = SHIPPED) -> Path:
    """Draw SHIPPED_SEED and store it at ``path`` (uncompressed: camera noise does not compress)."""
    ds = draw_builtin_dataset(SHIPPED_SEED)
    np.savez(path, **{name: getattr(ds, name) for name in _PARTS})
    return path


def make_builtin_dataset(seed: int = 0) -> Dataset:
    """The built-in dataset of ``seed`` (see draw_builtin_dataset): read from assets/ for the shipped
    seed, drawn for any other."""
    if seed == SHIPPED_SEED:
        shipped = read_shipped()
        if shipped is not None:
            return shipped
    return draw_builtin_dataset(seed)


if __name__ == "__main__":
    print(f"wrote {write_shipped()}", file=sys.stderr)
