"""Figures of the Data page: class balance, an image's channels, X as a matrix.

Words on the figures come in as arguments (the pages translate them).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.figures.panels import image_panel_axes

CHANNELS = (("R", "Reds"), ("G", "Greens"), ("B", "Blues"))


def class_balance_figure(
    train_y: np.ndarray, test_y: np.ndarray, classes: tuple[str, str],
    split_names: tuple[str, str] = ("train (m = {m})", "test (m = {m})"), y_title: str = "images",
) -> go.Figure:
    """Grouped bars: images per class (labels 0/1) in the training and test sets."""
    fig = go.Figure()
    for name, y in zip(split_names, (train_y, test_y)):
        counts = [int(np.sum(y == 0)), int(np.sum(y == 1))]
        fig.add_bar(
            name=name.format(m=len(y)),
            x=[f"{classes[0]} (y = 0)", f"{classes[1]} (y = 1)"],
            y=counts,
            text=[f"{c} · {100 * c / max(len(y), 1):.0f} %" for c in counts],
            textposition="auto",
        )
    fig.update_layout(barmode="group", height=280, margin=dict(l=10, r=10, t=30, b=10), yaxis_title=y_title,
                      legend=dict(orientation="h", y=1.15))
    return fig


def channels_figure(
    image: np.ndarray, titles: tuple[str, str, str, str] = ("the picture", "R channel", "G channel", "B channel")
) -> go.Figure:
    """An RGB image (H, W, 3) uint8 beside its three channels as heatmaps of 0–255."""
    fig = make_subplots(rows=1, cols=4, subplot_titles=titles, horizontal_spacing=0.03)
    fig.add_trace(go.Image(z=image, hovertemplate="row %{y}, column %{x}<br>RGB %{z}<extra></extra>"), 1, 1)
    for k, (name, scale) in enumerate(CHANNELS):
        fig.add_trace(
            go.Heatmap(
                z=image[:, :, k], colorscale=scale, zmin=0, zmax=255, showscale=False,
                hovertemplate=f"row %{{y}}, column %{{x}}<br>{name} = %{{z}}<extra></extra>",
            ),
            1, k + 2,
        )
    image_panel_axes(fig, 4)
    fig.update_layout(height=260, margin=dict(l=5, r=5, t=30, b=5))
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
