"""The animals that are not cats (label 0): dogs, teddy bears, rabbits, owls and birds.

Same coats and poses as the cats, so only the shapes of head and body tell them apart.
"""

import numpy as np

from playground.data.builtin.animals import coat, portrait, sitting, whiskers
from playground.data.builtin.canvas import capsule, circle, ellipse, fill, image_frame, line_width, polygon
from playground.data.builtin.palette import (
    BARK,
    COAT_COLOURS,
    DARK,
    IRIS_COLOURS,
    OBJECT_COLOURS,
    PINK,
    WHITE,
    mix,
    pick,
    shade,
)
from playground.data.builtin.random_draws import flag, uniform

OTHER_JITTER = 8.0
"""How far (px) dogs, bears and rabbits stray from the centre."""


def _dog_head(img, f, rng, n, fur, base):
    """A dog's head of radius ≈ 1: floppy ears, round eyes, a long snout, big black nose."""
    ear = shade(base, uniform(rng, n, 0.55, 1.0))
    fill(img, f, ellipse(f, 0.0, 0.0, uniform(rng, n, 0.82, 0.95), uniform(rng, n, 0.92, 1.05)), fur)
    tilt = uniform(rng, n, 0.15, 0.5)
    for side in (-1.0, 1.0):
        fill(img, f, ellipse(f, side * 0.85, 0.05, uniform(rng, n, 0.24, 0.34), 0.68, side * tilt), ear)
    for side in (-1.0, 1.0):
        fill(img, f, circle(f, side * 0.34, -0.18, 0.14), DARK + 0.2)
        fill(img, f, circle(f, side * 0.34, -0.18, 0.09), DARK)
        fill(img, f, circle(f, side * 0.34 + 0.04, -0.22, 0.035), WHITE)
    snout = mix(base, pick(rng, n, COAT_COLOURS[3:5], 0.02), uniform(rng, n, 0.1, 0.8)[..., None])
    fill(img, f, ellipse(f, 0.0, 0.45, uniform(rng, n, 0.4, 0.5), uniform(rng, n, 0.32, 0.4)), snout)
    fill(img, f, ellipse(f, 0.0, 0.27, uniform(rng, n, 0.15, 0.21), 0.12), DARK)
    fill(img, f, circle(f, -0.05, 0.23, 0.035), WHITE, 0.7)
    line, r = shade(base, 0.3), line_width(f, 0.02)
    fill(img, f, ellipse(f, 0.0, 0.68, 0.11, 0.14), PINK, flag(rng, n, 0.5))
    fill(img, f, capsule(f, 0.0, 0.38, 0.0, 0.55, r), line)
    for side in (-1.0, 1.0):
        fill(img, f, capsule(f, 0.0, 0.55, side * 0.2, 0.6, r), line)


def _bear_head(img, f, rng, n, fur, base):
    """A teddy bear's head: round ears on top, button eyes, a pale muzzle."""
    light = mix(base, WHITE, 0.4)
    for side in (-1.0, 1.0):
        fill(img, f, circle(f, side * 0.72, -0.72, 0.32), fur)
        fill(img, f, circle(f, side * 0.72, -0.72, 0.17), light)
    fill(img, f, ellipse(f, 0.0, 0.0, 1.0, 0.9), fur)
    fill(img, f, ellipse(f, 0.0, 0.38, 0.38, 0.3), light)
    for side in (-1.0, 1.0):
        fill(img, f, circle(f, side * 0.38, -0.15, 0.1), DARK)
    fill(img, f, ellipse(f, 0.0, 0.27, 0.13, 0.09), DARK)
    fill(img, f, capsule(f, 0.0, 0.3, 0.0, 0.48, line_width(f, 0.02)), DARK)


def _rabbit_head(img, f, rng, n, fur, base):
    """A rabbit's head: long upright ears, side-set round eyes, small nose, whiskers."""
    lean = uniform(rng, n, -0.25, 0.25)
    for side in (-1.0, 1.0):
        angle = side * uniform(rng, n, 0.0, 0.3) + lean
        fill(img, f, ellipse(f, side * 0.35, -1.35, 0.24, 0.8, angle), fur)
        fill(img, f, ellipse(f, side * 0.35, -1.3, 0.12, 0.6, angle), PINK, 0.6)
    fill(img, f, ellipse(f, 0.0, 0.0, 0.85, 0.8), fur)
    for side in (-1.0, 1.0):
        fill(img, f, circle(f, side * 0.42, -0.12, 0.12), DARK)
        fill(img, f, circle(f, side * 0.42 + 0.04, -0.16, 0.035), WHITE)
        fill(img, f, ellipse(f, side * 0.1, 0.35, 0.14, 0.11), mix(base, WHITE, 0.5), 0.7)
    fill(img, f, ellipse(f, 0.0, 0.24, 0.08, 0.06), PINK)
    whiskers(img, f, rng, n, base, 0.22, 0.33, uniform(rng, n, 0.6, 0.9))


def dog_portrait(img, rng, n):
    """A dog's head and shoulders, anywhere near the middle."""
    portrait(img, rng, n, _dog_head, (0.1, 0.15, 0.15), OTHER_JITTER)


def dog_sitting(img, rng, n):
    """A whole dog sitting, with a short tail."""
    sitting(img, rng, n, _dog_head, (0.1, 0.15, 0.15), 2, OTHER_JITTER)


def teddy_bear(img, rng, n):
    """A teddy bear's head and shoulders, in a plain coat."""
    portrait(img, rng, n, _bear_head, (0.0, 0.0, 0.0), OTHER_JITTER)


def rabbit(img, rng, n):
    """A whole rabbit sitting, without a tail."""
    sitting(img, rng, n, _rabbit_head, (0.0, 0.2, 0.0), 0, OTHER_JITTER)


def owl(img, rng, n):
    """An owl on a branch: egg-shaped body, ear tufts, facial discs, big round eyes."""
    f = image_frame(uniform(rng, n, 24, 40), uniform(rng, n, 28, 38), uniform(rng, n, 14, 21), uniform(rng, n, -0.15, 0.15))
    fur, base = coat(rng, f, n, 0.5, 0.0, 0.3)
    fill(img, f, capsule(f, -1.8, 1.1, 1.8, 1.0, uniform(rng, n, 0.1, 0.16)), BARK)
    tuft = uniform(rng, n, 0.2, 0.5)
    for side in (-1.0, 1.0):
        fill(img, f, polygon(f, (side * 0.7, -0.5), (side * 0.75, -1.0 - tuft), (side * 0.25, -0.75)), fur)
    fill(img, f, ellipse(f, 0.0, 0.1, 0.78, 1.0), fur)
    wing = shade(base, 0.7)
    for side in (-1.0, 1.0):
        fill(img, f, ellipse(f, side * 0.62, 0.3, 0.25, 0.6, side * 0.2), wing)
        fill(img, f, circle(f, side * 0.3, -0.3, 0.32), mix(base, WHITE, 0.5))
    iris = pick(rng, n, IRIS_COLOURS[[1, 2]], 0.05)
    for side in (-1.0, 1.0):
        fill(img, f, circle(f, side * 0.3, -0.3, 0.2), iris)
        fill(img, f, circle(f, side * 0.3, -0.3, 0.1), DARK)
        fill(img, f, circle(f, side * 0.3 + 0.05, -0.35, 0.04), WHITE)
    fill(img, f, polygon(f, (-0.08, -0.12), (0.08, -0.12), (0.0, 0.1)), pick(rng, n, COAT_COLOURS[[4, 7]]))
    for side in (-1.0, 1.0):
        fill(img, f, capsule(f, side * 0.2, 1.0, side * 0.2, 1.12, 0.06), IRIS_COLOURS[2])


def bird(img, rng, n):
    """A small bird in profile: round body, head, beak, wing and tail, on a branch or in the air."""
    flip = np.where(flag(rng, n, 0.5) > 0, 1.0, -1.0).astype(np.float32)
    f = image_frame(uniform(rng, n, 22, 42), uniform(rng, n, 24, 40), uniform(rng, n, 13, 20), uniform(rng, n, -0.3, 0.3), flip)
    fur, base = coat(rng, f, n, 0.2, 0.0, 0.2)
    perched = flag(rng, n, 0.6)
    fill(img, f, capsule(f, -1.8, 0.55, 1.8, 0.6, 0.1), BARK, perched)
    for x in (-0.05, 0.15):
        fill(img, f, capsule(f, x, 0.3, x, 0.55, line_width(f, 0.03)), DARK + 0.2, perched)
    fill(img, f, polygon(f, (-0.5, -0.05), (-1.25, -0.3), (-1.15, 0.2)), shade(base, 0.8))
    fill(img, f, ellipse(f, 0.0, 0.0, 0.7, 0.45, -0.2), fur)
    fill(img, f, ellipse(f, 0.2, 0.15, 0.45, 0.25), pick(rng, n, OBJECT_COLOURS), 0.8)
    fill(img, f, circle(f, 0.6, -0.4, 0.32), fur)
    fill(img, f, polygon(f, (0.82, -0.5), (1.18, -0.4), (0.82, -0.3)), pick(rng, n, COAT_COLOURS[[0, 4, 5]]))
    fill(img, f, circle(f, 0.68, -0.47, 0.07), DARK)
    fill(img, f, ellipse(f, -0.15, -0.05, 0.5, 0.24, -0.3), shade(base, 0.65))
