"""Shared layout for figures that show pictures side by side."""

from __future__ import annotations

import plotly.graph_objects as go


def image_panel_axes(fig: go.Figure, columns: int, toward: str = "middle") -> None:
    """Make each of the first ``columns`` subplots of row 1 a picture: square pixels,
    row 0 at the top, no ticks or grid lines. A panel taller than its picture keeps the picture at
    ``toward`` ("top", "middle" or "bottom")."""
    for c in range(1, columns + 1):
        fig.update_xaxes(showticklabels=False, ticks="", showgrid=False, row=1, col=c, constrain="domain")
        fig.update_yaxes(showticklabels=False, ticks="", showgrid=False, autorange="reversed",
                         scaleanchor=f"x{c if c > 1 else ''}", row=1, col=c, constrain="domain",
                         constraintoward=toward)
