"""Backgrounds, drawn before the subject: room, garden, sky, brick wall, wallpaper.

Each takes (rng, n) and returns n backgrounds, (n, S, S, 3) float32 in [0, 1].

Cats and non-cats are drawn on the same ones (see ``kinds``), so the
background says nothing about the class.
"""

import numpy as np

from playground.data.builtin.canvas import S, X, Y
from playground.data.builtin.palette import (
    BRICK_COLOURS,
    FLOOR_COLOURS,
    GRASS,
    OBJECT_COLOURS,
    SKY_HORIZON,
    SKY_TOP,
    WALL_COLOURS,
    WHITE,
    mix,
    pick,
    shade,
)
from playground.data.builtin.random_draws import contrast, flag, smooth_noise, uniform


def room(rng, n):
    """Indoor: a wall with a soft light gradient over a wooden floor."""
    wall = pick(rng, n, WALL_COLOURS)
    floor = pick(rng, n, FLOOR_COLOURS)
    horizon = uniform(rng, n, 36, 56)
    light = 1.05 - 0.25 * Y / S + uniform(rng, n, -0.1, 0.1) * (X / S - 0.5)
    img = shade(wall, light) * np.ones((1, 1, S, 1), dtype=np.float32)
    planks = 0.9 - 0.1 * (np.sin((Y - horizon) * 1.2) > 0.85)  # the gaps between floorboards
    grain = 0.92 + 0.08 * smooth_noise(rng, n, 8)
    on_floor = np.clip(Y - horizon + 0.5, 0.0, 1.0)
    img += on_floor[..., None] * (shade(floor, planks * grain) - img)
    skirting = np.clip(1.5 - np.abs(Y - horizon + 1.5), 0, 1) * np.ones_like(X)
    img += skirting[..., None] * (shade(wall, 1.08) - img)
    return img


def sky(rng, n):
    """Blue sky, paler towards the horizon, with soft white clouds."""
    t = (Y / S) * uniform(rng, n, 0.8, 1.4)
    img = mix(SKY_TOP, SKY_HORIZON, np.clip(t, 0, 1)[..., None]) * np.ones((n, 1, S, 1), dtype=np.float32)
    img *= uniform(rng, n, 0.85, 1.1)[..., None]
    cover = contrast(smooth_noise(rng, n, 4), uniform(rng, n, 0.45, 0.75), 0.85)
    img += cover[..., None] * (WHITE - img) * 0.9
    return img


def garden(rng, n):
    """Outdoors: sky above a lawn with noisy, darker-in-the-distance grass."""
    img = sky(rng, n)
    horizon = uniform(rng, n, 12, 36)
    grass = pick(rng, n, GRASS[None], 0.05)
    blades = 0.75 + 0.25 * smooth_noise(rng, n, 16) + 0.15 * (smooth_noise(rng, n, 32) - 0.5)
    depth = 0.8 + 0.3 * np.clip((Y - horizon) / 30, 0, 1)
    lawn = np.clip(Y - horizon + 0.5, 0.0, 1.0) * np.ones_like(X)
    img += lawn[..., None] * (shade(grass, blades * depth) - img)
    return img


def bricks(rng, n):
    """A brick or stone wall: rows offset by half a brick, mortar lines, per-brick tint."""
    h = uniform(rng, n, 5, 9)
    row = np.floor(Y / h)
    shift = (row % 2) * h
    col = np.floor((X + shift) / (2 * h))
    tint_table = rng.uniform(0.8, 1.1, (n, 16, 16)).astype(np.float32)
    tint = np.take_along_axis(
        tint_table.reshape(n, -1),
        ((row.astype(int) % 16) * 16 + col.astype(int) % 16).reshape(n, -1),
        axis=1,
    ).reshape(n, S, S)
    mortar_y = np.abs(Y - (row + 0.5) * h) > h / 2 - 0.8
    mortar_x = np.abs((X + shift) - (col + 0.5) * 2 * h) > h - 0.8
    mortar = (mortar_y | mortar_x).astype(np.float32)
    brick = pick(rng, n, BRICK_COLOURS)
    img = shade(brick, tint * (0.9 + 0.2 * smooth_noise(rng, n, 12)))
    img += mortar[..., None] * (shade(brick, 0.5) + 0.35 - img)
    return np.clip(img, 0, 1)


def wallpaper(rng, n):
    """Striped or polka-dot wallpaper in two soft colours."""
    a = pick(rng, n, WALL_COLOURS)
    b = pick(rng, n, OBJECT_COLOURS) * 0.4 + a * 0.6
    period = uniform(rng, n, 6, 12)
    stripes = (np.sin(2 * np.pi * X / period) > 0.3).astype(np.float32) * np.ones_like(Y)
    gx, gy = (X % period) - period / 2, (Y % period) - period / 2
    dots = np.clip(period * 0.25 - np.hypot(gx, gy) + 0.5, 0, 1)
    pattern = np.where(flag(rng, n, 0.5) > 0, stripes, dots)
    return a + pattern[..., None] * (b - a)


BACKGROUNDS = {"room": room, "garden": garden, "sky": sky, "bricks": bricks, "wallpaper": wallpaper}
INDOOR = ("room", "room", "bricks", "wallpaper")
OUTDOOR = ("garden", "garden", "sky")
ANYWHERE = ("room", "garden", "sky", "bricks", "wallpaper")
