"""Arrays as pictures for HTML: PNG bytes and data: URIs, values on a diverging colour scale as a
palette PNG, and that scale's colour bar. Pure: arrays in, bytes or HTML text out.

A picture is what a browser draws fastest: a page redrawn on every new setting shows its images and
colour bars in HTML rather than as heat maps of a chart.
"""

from __future__ import annotations

import base64
import functools
import io

import numpy as np
import plotly.colors
from PIL import Image


@functools.lru_cache(maxsize=8)
def scale_stops(name: str) -> tuple[tuple[float, str], ...]:
    """A named Plotly colour scale as (position, colour) pairs."""
    return tuple((float(at), colour) for at, colour in plotly.colors.get_colorscale(name))


def unit(values, limit: float) -> np.ndarray:
    """values / limit clipped to [-1, 1]; NaN as 0, ±inf as ±1 (a diverged run still draws)."""
    with np.errstate(invalid="ignore", over="ignore"):
        return np.clip(np.nan_to_num(np.asarray(values, dtype=float) / limit, nan=0.0, posinf=1.0, neginf=-1.0), -1, 1)


LEVELS = 255
"""Levels of a diverging scale in a picture: 0 is -limit, 127 is 0, 254 is +limit."""


def diverging_levels(values, limit: float) -> np.ndarray:
    """values (any shape) → uint8 levels 0 … 254 of the diverging scale over [-limit, limit]
    (:func:`diverging_palette` colours them); non-finite values take the level of 0."""
    return np.round((unit(values, limit) + 1) * (LEVELS - 1) / 2).astype(np.uint8)


@functools.lru_cache(maxsize=4)
def diverging_palette(scale: str) -> bytes:
    """The LEVELS colours of Plotly's ``scale`` from its low end to its high end, as a PNG palette
    (r, g, b bytes), so that a colour bar of that scale reads the picture."""
    stops = scale_stops(scale)
    at = np.array([position for position, _ in stops])
    colours = np.array([_rgb(colour) for _, colour in stops], dtype=float)  # (stops, 3)
    position = np.linspace(0.0, 1.0, LEVELS)
    rgb = np.stack([np.interp(position, at, colours[:, k]) for k in range(3)], axis=-1)
    return np.round(rgb).astype(np.uint8).tobytes()


def levels_data_uri(levels: np.ndarray, scale: str) -> str:
    """uint8 (H, W) levels → a data: URI of a palette PNG on ``scale``."""
    image = Image.fromarray(np.ascontiguousarray(levels, dtype=np.uint8), "P")
    image.putpalette(diverging_palette(scale))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return _data_uri(buf.getvalue())


def css_gradient(scale: str, direction: str = "to top") -> str:
    """Plotly's ``scale`` as a CSS linear-gradient, its low end first (at the bottom, ``to top``)."""
    stops = ", ".join(f"{colour} {100 * at:g}%" for at, colour in scale_stops(scale))
    return f"linear-gradient({direction}, {stops})"


def _rgb(colour: str) -> tuple[float, float, float]:
    """A Plotly colour, "#rrggbb" or "rgb(r, g, b)", as three numbers 0–255."""
    if colour.startswith("#"):
        return plotly.colors.hex_to_rgb(colour)
    return plotly.colors.unlabel_rgb(colour)


def png_bytes(rgb: np.ndarray) -> bytes:
    """uint8 (H, W, 3) → PNG bytes."""
    buf = io.BytesIO()
    Image.fromarray(np.ascontiguousarray(rgb, dtype=np.uint8), "RGB").save(buf, format="PNG")
    return buf.getvalue()


def png_data_uri(rgb: np.ndarray) -> str:
    """uint8 (H, W, 3) → a data: URI of a PNG: a 64 × 64 picture of w is a third of its numbers' bytes."""
    return _data_uri(png_bytes(rgb))


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


COLOUR_BAR_CSS = """
.cbar { display: flex; gap: 0.3rem; font-size: 0.8rem; color: #374151; }
.cbar .scale { width: 0.75rem; border: 1px solid #d1d5db; }
.cbar .ticks { display: flex; flex-direction: column; justify-content: space-between; }
"""
"""The style of colour_bar_html: rem units, so presenter mode enlarges it."""


def signed(x: float, spec: str = ".2g") -> str:
    """A number as a colour bar's tick shows it, with a true minus sign."""
    return format(x, spec).replace("-", "\u2212")


def colour_bar_html(limit: float, scale: str, spec: str = ".2g") -> str:
    """A vertical colour bar of ``scale`` from -limit (bottom) to +limit (top), ticks at both ends and
    at 0, as HTML (style: COLOUR_BAR_CSS)."""
    ticks = "".join(f"<span>{tick}</span>" for tick in (signed(limit, spec), "0", signed(-limit, spec)))
    return (f'<div class="cbar" role="img" aria-label="{signed(-limit, spec)} … {signed(limit, spec)}">'
            f'<div class="scale" style="background: {css_gradient(scale)}"></div><div class="ticks">{ticks}</div></div>')
