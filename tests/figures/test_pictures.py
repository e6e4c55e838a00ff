"""Arrays as pictures: palette levels on a diverging scale, and that scale's colour bar."""

import re

import numpy as np

from playground.figures.pictures import (
    LEVELS,
    colour_bar_html,
    css_gradient,
    diverging_levels,
    diverging_palette,
)


def test_diverging_levels_follow_plotlys_scale_white_at_zero():
    levels = diverging_levels(np.array([-2.0, -1.0, 0.0, 1.0, 2.0, np.nan, np.inf, 0.5]), 1.0)
    assert levels.tolist() == [0, 0, 127, 254, 254, 127, 254, 190]  # clipped beyond the limit; NaN as 0
    palette = np.frombuffer(diverging_palette("PuOr_r"), np.uint8).reshape(-1, 3).tolist()
    scale = plotly_scale("PuOr_r")
    assert len(palette) == LEVELS
    assert palette[0] == scale[0] and palette[-1] == scale[-1] and palette[127] == scale[len(scale) // 2]


def plotly_scale(name: str) -> list[list[int]]:
    """A named Plotly scale's colours, as [r, g, b] 0–255."""
    import plotly.colors

    out = []
    for _, colour in plotly.colors.get_colorscale(name):
        rgb = plotly.colors.hex_to_rgb(colour) if colour.startswith("#") else plotly.colors.unlabel_rgb(colour)
        out.append([round(v) for v in rgb])
    return out


def test_a_colour_bar_reads_its_scale_from_minus_to_plus_the_limit():
    bar = colour_bar_html(0.0123, "RdBu_r", ".1e")
    assert re.findall(r"<span>([^<]+)</span>", bar) == ["1.2e−02", "0", "−1.2e−02"]
    assert f"background: {css_gradient('RdBu_r')}" in bar
    assert css_gradient("RdBu_r").startswith("linear-gradient(to top, rgb(5,48,97) 0%, ")

