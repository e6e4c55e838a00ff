"""Drawing primitives: coordinate frames, signed-distance shapes and the anti-aliased fill.

Every drawing works on a batch of n images (n, S, S, 3) float32 in [0, 1] at
once: a shape is a signed distance per pixel (n, S, S), negative inside, in the
units of its Frame, and ``fill`` turns it into coverage one pixel wide, so
edges are smooth, not pixel masks.
"""

from __future__ import annotations

import numpy as np

from playground import IMAGE_SIZE

S = IMAGE_SIZE
"""Side of every picture, in pixels."""
# Pixel centres, as broadcastable x (1, 1, S) and y (1, S, 1) in pixels.
X = (np.arange(S, dtype=np.float32) + 0.5)[None, None, :]
Y = (np.arange(S, dtype=np.float32) + 0.5)[None, :, None]


class Frame:
    """Local coordinates of a batch of n images.

    u, v: (n, S, S) position of every pixel centre in the frame's units
    (v points down, as image rows do); px: pixels per unit, (n, 1, 1) or scalar.
    """

    __slots__ = ("u", "v", "px")

    def __init__(self, u, v, px):
        self.u, self.v, self.px = u, v, px

    def sub(self, cx, cy, scale, angle=0.0, flip=1.0) -> Frame:
        """The frame centred at (cx, cy), `scale` units per new unit, rotated by `angle` rad."""
        x, y = self.u - cx, self.v - cy
        if np.ndim(angle) or angle:
            c, s = np.cos(angle), np.sin(angle)
            x, y = c * x + s * y, c * y - s * x
        return Frame(x * (flip / scale), y / scale, self.px * scale)

    def cover(self, d):
        """Coverage in [0, 1] of a pixel whose centre is at signed distance d (units): a 1-pixel ramp."""
        return np.clip(0.5 - d * self.px, 0.0, 1.0)


def image_frame(cx, cy, scale, angle=0.0, flip=1.0) -> Frame:
    """Frame of the image in pixels, moved to (cx, cy) px with `scale` px per unit."""
    return Frame(X, Y, np.float32(1.0)).sub(cx, cy, scale, angle, flip)


def circle(f, cx, cy, r):
    """Signed distance to a circle of radius r centred at (cx, cy), in f's units."""
    return np.hypot(f.u - cx, f.v - cy) - r


def ellipse(f, cx, cy, rx, ry, angle=0.0):
    """Signed distance to an ellipse, to first order: accurate near the outline, where anti-aliasing needs it."""
    x, y = f.u - cx, f.v - cy
    if np.ndim(angle) or angle:
        c, s = np.cos(angle), np.sin(angle)
        x, y = c * x + s * y, c * y - s * x
    x, y = x / rx, y / ry
    k = np.sqrt(x * x + y * y)
    grad = np.hypot(x / rx, y / ry)
    return (k - 1.0) * np.maximum(k, 1e-6) / np.maximum(grad, 1e-6)


def polygon(f, *points):
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


def capsule(f, x0, y0, x1, y1, r):
    """Signed distance to a segment of half-width r with round ends: limbs, tails, lines."""
    px, py = f.u - x0, f.v - y0
    bx, by = x1 - x0, y1 - y0
    h = np.clip((px * bx + py * by) / (bx * bx + by * by), 0.0, 1.0)
    return np.hypot(px - bx * h, py - by * h) - r


def box(f, cx, cy, hw, hh, r=0.0):
    """Signed distance to a rectangle of half-sizes (hw, hh) with corners rounded by r."""
    qx = np.abs(f.u - cx) - hw + r
    qy = np.abs(f.v - cy) - hh + r
    return np.hypot(np.maximum(qx, 0), np.maximum(qy, 0)) + np.minimum(np.maximum(qx, qy), 0) - r


def line_width(f, r):
    """Half-width r, widened to at least 0.4 px so thin lines (whiskers) never vanish."""
    return np.maximum(r, 0.4 / f.px)


def fill(img, f, d, colour, opacity=1.0):
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
    bounds = (slice(None), slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
    a = a[bounds]
    colour = np.broadcast_to(colour, img.shape)[bounds]
    img[bounds] += a[..., None] * (colour - img[bounds])
