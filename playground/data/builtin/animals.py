"""What every drawn animal shares: the fur coat, whiskers, and the two poses (portrait, sitting).

A pose places the animal and draws its body; the head it is given draws the
species (``cats``, ``other_animals``) in the head's frame, radius about 1.
"""

import numpy as np

from playground.data.builtin.canvas import S, capsule, ellipse, fill, image_frame, line_width
from playground.data.builtin.palette import COAT_COLOURS, DARK, WHITE, luma, mix, pick, shade
from playground.data.builtin.random_draws import contrast, flag, smooth_noise, uniform


def coat(rng, f, n, stripes=0.0, patches=0.0, spots=0.0):
    """Fur colour at every pixel, (n, S, S, 3), and the base colour (n, 1, 1, 3).

    Each image is solid, striped (tabby), patched (calico-like, on a white
    base) or spotted with the given probabilities.
    """
    base = pick(rng, n, COAT_COLOURS)
    is_patched = flag(rng, n, patches)
    base = mix(base, pick(rng, n, COAT_COLOURS[3:5], 0.02), is_patched[..., None])
    fur = base * np.ones((1, S, S, 1), dtype=np.float32)
    # Stripes follow the frame, so they turn with the animal; the wobble keeps them from looking ruled.
    wave = np.sin(uniform(rng, n, 9, 14) * (f.v + 0.1 * np.sin(4 * f.u + uniform(rng, n, 0, 6))) + uniform(rng, n, 0, 6))
    stripe = contrast(wave, 0.2, 0.7) * flag(rng, n, stripes) * uniform(rng, n, 0.3, 0.5)
    fur *= 1 - stripe[..., None]
    for colour in (pick(rng, n, COAT_COLOURS[[0, 5, 6]]), pick(rng, n, COAT_COLOURS[[0, 5]])):
        patch = contrast(smooth_noise(rng, n, 5), 0.58, 0.66) * is_patched
        fur += patch[..., None] * (colour - fur)
    dot = contrast(smooth_noise(rng, n, 14), 0.7, 0.76) * flag(rng, n, spots)
    fur += dot[..., None] * (shade(base, 0.3) - fur)
    return fur, base


def _shoulders(img, f, fur):
    """The chest and shoulders under a portrait's head."""
    fill(img, f, ellipse(f, 0.0, 1.75, 1.3, 1.05), fur)


def whiskers(img, f, rng, n, base, x0, y0, length):
    """Three whiskers per side from the muzzle, light on dark fur and dark on light fur."""
    colour = np.where(luma(base)[..., None] < 0.45, WHITE * 0.9, DARK + 0.15)
    droop = uniform(rng, n, -0.05, 0.15)
    spread = uniform(rng, n, 0.15, 0.25)
    r = line_width(f, 0.012)
    for side in (-1.0, 1.0):
        for k in (-1.0, 0.0, 1.0):
            d = capsule(f, side * x0, y0 + 0.05 * k, side * (x0 + length), y0 + droop + spread * k, r)
            fill(img, f, d, colour, 0.85)


def portrait(img, rng, n, head, coat_odds, jitter):
    """Head-and-shoulders of an animal, big in the frame, up to `jitter` px off-centre, a little tilted."""
    f = image_frame(
        uniform(rng, n, 32 - jitter, 32 + jitter),
        uniform(rng, n, 35 - jitter / 2, 35 + jitter / 2),
        uniform(rng, n, 15 - jitter / 3, 17 + jitter / 3),
        uniform(rng, n, -0.03 * jitter, 0.03 * jitter),
    )
    fur, base = coat(rng, f, n, *coat_odds)
    _shoulders(img, f, fur)
    fill(img, f, ellipse(f, 0.0, 1.3, 0.55, 0.4), WHITE * 0.95, flag(rng, n, 0.3))
    head(img, f, rng, n, fur, base)


def sitting(img, rng, n, head, coat_odds, tail_len, jitter):
    """A whole animal sitting, seen from the front, up to `jitter` px off-centre: body, legs, tail, head."""
    flip = np.where(flag(rng, n, 0.5) > 0, 1.0, -1.0).astype(np.float32)
    f = image_frame(
        uniform(rng, n, 32 - jitter, 32 + jitter),
        uniform(rng, n, 33 - jitter / 2, 33 + jitter / 2),
        uniform(rng, n, 20 - jitter / 2, 21 + jitter / 2),
        uniform(rng, n, -0.02 * jitter, 0.02 * jitter),
        flip,
    )
    fur, base = coat(rng, f, n, *coat_odds)
    fill(img, f, ellipse(f, 0.0, 0.98, 0.75, 0.1), DARK, 0.25)
    curl = uniform(rng, n, -0.2, 0.25)
    joints = [(0.4, 0.9), (0.7, 0.75), (0.85, 0.45 - curl), (0.75 + curl, 0.15 - curl)]
    tail = line_width(f, 0.075)
    for (x0, y0), (x1, y1) in list(zip(joints, joints[1:]))[:tail_len]:
        fill(img, f, capsule(f, x0, y0, x1, y1, tail), fur)
    fill(img, f, ellipse(f, 0.0, 0.4, uniform(rng, n, 0.38, 0.48), 0.55), fur)
    fill(img, f, ellipse(f, 0.0, 0.75, uniform(rng, n, 0.5, 0.6), 0.23), fur)
    fill(img, f, ellipse(f, 0.0, 0.2, 0.2, 0.3), WHITE * 0.95, flag(rng, n, 0.3))
    edge = shade(base, 0.6)
    for side in (-1.0, 1.0):
        fill(img, f, capsule(f, side * 0.14, 0.35, side * 0.14, 0.9, 0.1), edge)
        fill(img, f, capsule(f, side * 0.14, 0.35, side * 0.14, 0.9, 0.085), fur)
        fill(img, f, ellipse(f, side * 0.15, 0.92, 0.12, 0.07), fur)
    head(img, f.sub(0.0, -0.42, uniform(rng, n, 0.3, 0.36), uniform(rng, n, -0.25, 0.25)), rng, n, fur, base)
