"""Figures of the Data page: class balance, an image's channels, X as a matrix.

Words on the figures come in as arguments (the pages translate them).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.figures.panels import image_panel_axes

CHANNELS = (("R", "rgb(255,0,0)"), ("G", "rgb(0,255,0)"), ("B", "rgb(0,0,255)"))
"""Each channel's name and the colour of its full intensity (255); 0 is black."""
HEADROOM = 1.32
"""The y axis reaches this many times the tallest bar: room for its two-line label above it."""


def class_balance_figure(
    train_y: np.ndarray, test_y: np.ndarray, class_names: tuple[str, str],
    split_names: tuple[str, str] = ("train (m = {m})", "test (m = {m})"), y_title: str = "images",
) -> go.Figure:
    """Grouped bars: images per class (labels 0/1) in the training and test sets, each labelled with
    its count and share above it; the legend above the plot, clear of the bars.
    ``class_names``: the classes' names as the page shows them (translated)."""
    fig = go.Figure()
    tallest = 1
    for name, y in zip(split_names, (train_y, test_y)):
        counts = [int(np.sum(y == 0)), int(np.sum(y == 1))]
        tallest = max(tallest, *counts)
        fig.add_bar(
            name=name.format(m=len(y)),
            x=[f"{class_names[0]} (y = 0)", f"{class_names[1]} (y = 1)"],
            y=counts,
            # Two short lines above the bar, never rotated or shrunk into it (a narrow bar cut "137" to "37").
            text=[f"{c}<br>{100 * c / max(len(y), 1):.0f} %" for c in counts],
            textposition="outside", textangle=0, constraintext="none", cliponaxis=False,
        )
    fig.update_layout(barmode="group", height=300, margin=dict(l=10, r=10, t=40, b=10), yaxis_title=y_title,
                      yaxis_range=[0, tallest * HEADROOM],
                      legend=dict(orientation="h", x=0, xanchor="left", y=1.02, yanchor="bottom"))
    return fig


def channels_figure(
    image: np.ndarray, titles: tuple[str, str, str, str] = ("the picture", "R channel", "G channel", "B channel")
) -> go.Figure:
    """An RGB image (H, W, 3) uint8 beside its three channels, each from black (0) to its full colour
    (255), with a colour bar of 0–255 under each."""
    fig = make_subplots(rows=1, cols=4, subplot_titles=titles, horizontal_spacing=0.03)
    fig.add_trace(go.Image(z=image, hovertemplate="row %{y}, column %{x}<br>RGB %{z}<extra></extra>"), 1, 1)
    for k, (name, full) in enumerate(CHANNELS):
        lo, hi = fig.layout[f"xaxis{k + 2}"].domain
        fig.add_trace(
            go.Heatmap(
                z=image[:, :, k], colorscale=[[0.0, "rgb(0,0,0)"], [1.0, full]], zmin=0, zmax=255,
                colorbar=dict(orientation="h", x=(lo + hi) / 2, xanchor="center", y=-0.03, yanchor="top",
                              len=hi - lo, thickness=10, tickvals=[0, 128, 255], outlinewidth=0),
                hovertemplate=f"row %{{y}}, column %{{x}}<br>{name} = %{{z}}<extra></extra>",
            ),
            1, k + 2,
        )
    # The pictures stand on their colour bars when the panels are taller than wide (a phone).
    image_panel_axes(fig, 4, toward="bottom")
    fig.update_layout(height=275, margin=dict(l=5, r=5, t=30, b=50))
    return fig


def matrix_figure(
    X: np.ndarray, rows: int = 48, highlight: int | None = None,
    x_title: str = "example i (column), 0 … {last}", y_title: str = "feature j (row), first {rows} of {n_x:,}",
) -> go.Figure:
    """The first ``rows`` features of X (n_x, m) as a heatmap: one column per example."""
    part = X[:rows]
    fig = go.Figure(
        go.Heatmap(
            z=part, colorscale="Greys", reversescale=True, showscale=False,
            zmin=min(0.0, float(part.min())), zmax=max(1.0, float(part.max())),
            hovertemplate="x<sub>%{y}</sub><sup>(%{x})</sup> = %{z:.3f}<extra></extra>",
        )
    )
    if highlight is not None:
        fig.add_shape(type="rect", x0=highlight - 0.5, x1=highlight + 0.5, y0=-0.5, y1=rows - 0.5,
                      line=dict(color="crimson", width=2))
    fig.update_layout(height=300, margin=dict(l=10, r=10, t=10, b=10),
                      xaxis_title=x_title.format(last=X.shape[1] - 1),
                      yaxis_title=y_title.format(rows=rows, n_x=X.shape[0]))
    fig.update_yaxes(autorange="reversed")
    return fig
