"""A cost map as a picture: log J in flat Viridis bands with light edges (a PNG for a figure's layout),
and the colour bar that labels it in J. Pure: arrays in, a data URI or a Plotly trace dict out."""

from __future__ import annotations

import base64
import functools
import io

import numpy as np
from PIL import Image
from plotly.colors import hex_to_rgb, sequential

LOG_FLOOR = 1e-12
"""Costs below this are drawn at it: the log colour scale can't show 0."""
LEVELS = 24
"""Colour bands of a cost map, like a filled contour plot's levels."""
UPSAMPLE = 4
"""A map's picture has this many pixels per grid step (bilinear in log J), so band edges are smooth."""
MAP_PIXELS = 320
"""About this many pixels across a map's picture (it is drawn about 400 px wide): an 81-point grid
gets UPSAMPLE = 4 pixels a step, a 101-point grid 3 (a third fewer pixels to colour and compress)."""


def nice_ticks(lo: float, hi: float) -> list[float]:
    """Values 1, 2, 5 × 10ᵏ between lo and hi (both > 0), and the ends: colour-bar ticks for a log scale."""
    ticks = [lo]
    for k in range(int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi))) + 1):
        for f in (1, 2, 5):
            v = f * 10.0**k
            if lo * 1.15 < v < hi / 1.15:
                ticks.append(v)
    return ticks + [hi]


_VIRIDIS = np.array([hex_to_rgb(c) for c in sequential.Viridis], dtype=float)
"""The Viridis scale's stops as RGB rows (k, 3), spread evenly over [0, 1]."""
_VIRIDIS_AT = np.linspace(0.0, 1.0, len(_VIRIDIS))


def viridis(t: np.ndarray) -> np.ndarray:
    """Colours of the Viridis scale at t ∈ [0, 1] (any shape) → uint8 RGB, shape + (3,)."""
    return np.stack([np.interp(t, _VIRIDIS_AT, _VIRIDIS[:, k]) for k in range(3)], axis=-1).round().astype(np.uint8)


def bilinear(A: np.ndarray, k: int) -> np.ndarray:
    """Bilinear refinement of A (ny, nx) with k − 1 new samples between neighbours: ((ny−1)k+1, (nx−1)k+1)."""
    def weights(n):
        pos = np.linspace(0, n - 1, (n - 1) * k + 1)
        i0 = np.minimum(pos.astype(int), n - 2)
        return i0, pos - i0
    (y0, fy), (x0, fx) = weights(A.shape[0]), weights(A.shape[1])
    rows = A[y0] * (1 - fy)[:, None] + A[y0 + 1] * fy[:, None]
    return rows[:, x0] * (1 - fx) + rows[:, x0 + 1] * fx


def map_upsample(shape: tuple[int, int]) -> int:
    """Pixels per grid step for a map of grid ``shape`` (ny, nx): about MAP_PIXELS across."""
    return max(1, round(MAP_PIXELS / (max(shape) - 1)))


def log_range(J: np.ndarray) -> tuple[float, float]:
    L = np.log10(np.maximum(J, LOG_FLOOR))
    lo, hi = float(L.min()), float(L.max())
    return lo, (hi if hi > lo else lo + 1e-9)


def cost_map_png(J: np.ndarray, levels: int = LEVELS, upsample: int = UPSAMPLE) -> str:
    """J (ny, nx) as a banded picture, colour = log J in ``levels`` Viridis bands with light edges:
    a PNG data URI whose first row is the highest y (pictures are drawn top down).

    Remembered per grid (its bytes): a map does not depend on the learning rate, so moving it
    redraws only the paths."""
    J = np.asarray(J, dtype=float)
    if J.ndim != 2 or min(J.shape) < 2:
        raise ValueError(f"Expected a cost grid of shape (ny, nx) with ny, nx ≥ 2, got {J.shape}.")
    return _cost_map_png(J.tobytes(), J.shape, levels, upsample)


@functools.lru_cache(maxsize=32)
def _cost_map_png(raw: bytes, shape: tuple[int, int], levels: int, upsample: int) -> str:
    J = np.frombuffer(raw, dtype=float).reshape(shape)
    lo, hi = log_range(J)
    L = bilinear(np.log10(np.maximum(J, LOG_FLOOR)), upsample)
    band = np.clip(((L - lo) / (hi - lo) * levels).astype(int), 0, levels - 1)
    edge = np.zeros(band.shape, dtype=bool)
    edge[1:] |= band[1:] != band[:-1]
    edge[:, 1:] |= band[:, 1:] != band[:, :-1]
    # A pixel's colour is one of 2 × levels (its band, lightened on an edge): an indexed (palette)
    # PNG of those indices shows the same pixels as the RGB one, several times faster and in about
    # half the bytes.
    picture = Image.fromarray(np.ascontiguousarray((band + levels * edge).astype(np.uint8)[::-1]))
    picture = picture.convert("P")  # (an 8-bit grey picture becomes indexed with the identity palette)
    picture.putpalette(band_palette(levels).ravel().tolist())
    buf = io.BytesIO()
    picture.save(buf, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


@functools.lru_cache(maxsize=4)
def band_palette(levels: int) -> np.ndarray:
    """(2 · levels, 3) uint8: each band's Viridis colour, then the same lightened (band edges)."""
    base = viridis((np.arange(levels) + 0.5) / levels)
    light = (0.7 * base.astype(float) + 0.3 * 255).round().astype(np.uint8)
    palette = np.concatenate([base, light])
    palette.flags.writeable = False
    return palette


@functools.lru_cache(maxsize=4)
def _banded_stops(levels: int) -> tuple[tuple[float, str], ...]:
    stops = []
    for b in range(levels):
        colour = "rgb({},{},{})".format(*viridis(np.array((b + 0.5) / levels)).tolist())
        stops += [(b / levels, colour), ((b + 1) / levels, colour)]
    return tuple(stops)


def banded_scale(levels: int = LEVELS) -> list:
    """A Plotly colour scale in ``levels`` flat bands, matching ``cost_map_png`` (a new list each call)."""
    return [list(stop) for stop in _banded_stops(levels)]


def colour_bar_trace(J: np.ndarray, x: float, axes: dict) -> dict:
    """A colour bar of J on the log scale of the map, labelled in J, carried by an empty scatter trace."""
    lo, hi = log_range(J)
    ticks = [v for v in nice_ticks(10**lo, 10**hi)] if hi - lo > 0.005 else [10**lo]
    return dict(
        type="scatter", x=[None, None], y=[None, None], mode="markers", hoverinfo="skip", name="colour bar", **axes,
        marker=dict(color=[lo, hi], cmin=lo, cmax=hi, colorscale=banded_scale(), showscale=True,
                    colorbar=dict(title=dict(text="J", side="top"), x=x, len=0.9, thickness=12,
                                  tickvals=np.log10(ticks).tolist(), ticktext=[f"{v:.3g}" for v in ticks])),
    )
