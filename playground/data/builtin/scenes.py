"""Pictures with no subject in the middle (label 0): a landscape and a city street, edge to edge."""

import numpy as np

from playground.data.builtin.backgrounds import sky
from playground.data.builtin.canvas import X, Y, box, circle, fill, image_frame
from playground.data.builtin.palette import ASPHALT, HILL_COLOURS, OBJECT_COLOURS, SUN, mix, pick, shade
from playground.data.builtin.random_draws import smooth_noise, uniform


def landscape(img, rng, n):
    """A landscape: sky, sun, two ranges of hills or mountains, the near one greener."""
    img[:] = sky(rng, n)
    sun = image_frame(uniform(rng, n, 8, 56), uniform(rng, n, 6, 20), 1.0)
    fill(img, sun, circle(sun, 0.0, 0.0, uniform(rng, n, 3, 7)), SUN)
    f = image_frame(np.float32(0), np.float32(0), np.float32(1))
    for depth, lo, hi in ((0.75, 18, 36), (1.0, 30, 50)):
        height = uniform(rng, n, lo, hi)
        wave = height + 6 * np.sin(X * uniform(rng, n, 0.05, 0.15) + uniform(rng, n, 0, 6)) + 4 * (smooth_noise(rng, n, 3) - 0.5)
        colour = shade(pick(rng, n, HILL_COLOURS, 0.05), depth)
        fill(img, f, wave - f.v, colour)


def city(img, rng, n):
    """A street of buildings of different heights with rows of windows."""
    f = image_frame(np.float32(0), np.float32(0), np.float32(1))
    for k in range(5):
        x0, x1 = k * 13 - 2 + uniform(rng, n, -3, 3), (k + 1) * 13 + uniform(rng, n, -2, 4)
        top = uniform(rng, n, 8, 40)
        wall = pick(rng, n, OBJECT_COLOURS)
        windows = (np.sin(X * 1.3 + k) > 0.2) & (np.sin(Y * 1.1) > 0.2) & (Y > top + 3)
        building = box(f, (x0 + x1) / 2, (top + 70) / 2, (x1 - x0) / 2, (70 - top) / 2)
        fill(img, f, building, mix(wall, shade(wall, 0.45), windows[..., None] * 0.9))
    fill(img, f, 58 - f.v, ASPHALT)
