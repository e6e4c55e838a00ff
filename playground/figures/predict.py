"""Figures of the Predict page: P(cat) as a bar, squash vs crop, the contribution map.

Words on the figures come in as arguments (the page translates them); the defaults are English.
Panels are laid out by hand (axis domains) rather than with make_subplots,
which is slow to build: the page draws several per photo and must answer at once.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground.data.images import to_data_uri
from playground.lessons.predict.explain import probability_text

CAT_COLOUR = "#d62728"
NON_CAT_COLOUR = "#1f77b4"
DIVERGING = "RdBu_r"
"""Blue for negative (towards label 0), red for positive (towards label 1, cat), white at 0."""
CLIP_PERCENTILE = 99.0
"""The colour range of a map stops at this percentile of |value|, so a few extreme pixels
do not wash out the rest (hover still shows the exact value)."""


def _panels(fig: go.Figure, widths: list[float], gap: float = 0.04) -> list[tuple[str, str]]:
    """Side-by-side square-pixel panels: set the axes' domains; return (xaxis, yaxis) trace refs.
    widths are in units of the panels' common height; gap too."""
    total = sum(widths) + gap * (len(widths) - 1)
    refs, left = [], 0.0
    for k, width in enumerate(widths):
        suffix = "" if k == 0 else str(k + 1)
        right = left + width / total
        fig.layout[f"xaxis{suffix}"] = dict(
            domain=[left, min(right, 1.0)], showticklabels=False, showgrid=False, zeroline=False,
            ticks="", constrain="domain",
        )
        fig.layout[f"yaxis{suffix}"] = dict(
            showticklabels=False, showgrid=False, zeroline=False, ticks="", scaleanchor=f"x{suffix}",
            constrain="domain", autorange="reversed",
        )
        refs.append((f"x{suffix}", f"y{suffix}"))
        left = right + gap / total
    return refs


def _fit_width(fig: go.Figure, widths: list[float], gap: float, height: int, margin: dict) -> None:
    """Set the height, margins and the width at which the panels fill the figure without gaps
    (st.plotly_chart(width="content") then shrinks it, never stretches it, to the column)."""
    unit = height - margin["t"] - margin["b"]
    total = sum(widths) + gap * (len(widths) - 1)
    fig.update_layout(height=height, margin=margin, width=round(unit * total + margin["l"] + margin["r"]))


def _title(fig: go.Figure, ref: tuple[str, str], text: str, bold: bool = False) -> None:
    """A panel title above the panel (annotations follow the axis domain); <br> breaks lines."""
    fig.add_annotation(
        text="<br>".join(f"<b>{line}</b>" for line in text.split("<br>")) if bold else text, xref=f"{ref[0]} domain", yref=f"{ref[1]} domain",
        x=0.5, y=1.0, yanchor="bottom", showarrow=False,
    )


def _p_equals(p: float) -> str:
    """"= 0.697", or "< 0.001" for a probability that would round to 0."""
    text = probability_text(p)
    return text if text[0] in "<>" else f"= {text}"


def _symmetric_range(values: np.ndarray) -> float:
    """Half-width of a colour range centred on 0 that holds CLIP_PERCENTILE % of |values|."""
    top = float(np.percentile(np.abs(values), CLIP_PERCENTILE)) if values.size else 0.0
    return top if top > 0 else 1.0


def probability_figure(
    p_cat: float, classes: tuple[str, str] = ("non-cat", "cat"), threshold: float = 0.5,
    threshold_label: str = "threshold {threshold:g}",
) -> go.Figure:
    """One horizontal bar from 0 to P(classes[1]) on a 0–1 axis, with the decision threshold dashed."""
    is_cat = p_cat > threshold
    fig = go.Figure(
        go.Bar(
            x=[p_cat], y=[0], orientation="h", width=0.6, marker_color=CAT_COLOUR if is_cat else NON_CAT_COLOUR,
            hovertemplate=f"P({classes[1]}) = %{{x:.4f}}<extra></extra>",
        )
    )
    fig.add_vline(x=threshold, line=dict(color="#444", width=2, dash="dash"))
    # One row of words above the bar (font sizes inherited, so presenter mode enlarges them):
    # the class at each end and the threshold in the middle.
    fig.add_annotation(x=threshold, y=1, yref="paper", yanchor="bottom", showarrow=False,
                       text=threshold_label.format(threshold=threshold), font=dict(color="#444"))
    for x, anchor, name in ((0, "left", f"← {classes[0]}"), (1, "right", f"{classes[1]} →")):
        fig.add_annotation(x=x, y=1, yref="paper", yanchor="bottom", xanchor=anchor, showarrow=False,
                           text=name, font=dict(color=NON_CAT_COLOUR if x == 0 else CAT_COLOUR))
    fig.update_layout(
        height=100, margin=dict(l=12, r=12, t=26, b=22), showlegend=False,
        xaxis=dict(range=[0, 1], tickvals=[0, 0.25, 0.5, 0.75, 1], ticktext=["0", "", "0.5", "", "1"],
                   fixedrange=True, showgrid=True),
        yaxis=dict(range=[-0.5, 0.5], fixedrange=True, showticklabels=False, showgrid=False, zeroline=False),
    )
    return fig


def preprocessing_figure(
    preview: np.ndarray,
    crop_box: tuple[float, float, float, float],
    inputs: dict,
    probabilities: dict,
    chosen: str,
    titles: tuple[str, str, str] = ("original (dashed: centre crop)", "squash", "centre crop"),
) -> go.Figure:
    """The original beside what each preprocessing makes of it.

    preview: (h, w, 3) uint8, the original shrunk; crop_box: (left, top, right, bottom) of
    the centre crop in preview pixels, drawn as a dashed frame; inputs: {"squash", "crop"} →
    (H, W, 3) uint8 model inputs; probabilities: the same keys → P(cat); chosen: the one used;
    titles: of the original, the squashed and the cropped panels.
    """
    h, w = preview.shape[:2]
    H, W = inputs["squash"].shape[:2]
    fig = go.Figure()
    widths = [w / h, 1.0, 1.0]
    refs = _panels(fig, widths, gap=0.05)
    fig.add_trace(go.Image(source=to_data_uri(preview, "JPEG"), x0=0, y0=0, dx=1, dy=1,
                           xaxis=refs[0][0], yaxis=refs[0][1], hoverinfo="skip"))
    fig.layout.xaxis.range = [-0.5, w - 0.5]
    fig.layout.yaxis.range = [h - 0.5, -0.5]
    left, top, right, bottom = crop_box
    fig.add_shape(type="rect", xref=refs[0][0], yref=refs[0][1], x0=left - 0.5, x1=right - 0.5,
                  y0=top - 0.5, y1=bottom - 0.5, line=dict(color="#ffbf00", width=2, dash="dash"))
    _title(fig, refs[0], titles[0].replace(" (", "<br>("))
    names = {"squash": titles[1], "crop": titles[2]}
    for ref, mode in zip(refs[1:], ("squash", "crop")):
        fig.add_trace(go.Image(
            z=inputs[mode], xaxis=ref[0], yaxis=ref[1],
            hovertemplate="row %{y}, column %{x}<br>RGB %{z}<extra>" + names[mode] + "</extra>",
        ))
        used = mode == chosen
        mark = "✓ " if used else ""
        # Two short lines: the 64 px panels are narrow, and translated names are long.
        _title(fig, ref, f"{mark}{names[mode]} {H}×{W}<br>P {_p_equals(probabilities[mode])}", bold=used)
    _fit_width(fig, widths, 0.05, 254, dict(l=5, r=5, t=48, b=5))
    fig.update_layout(showlegend=False)
    return fig


def explanation_figure(
    image: np.ndarray,
    weights: np.ndarray,
    contributions: np.ndarray,
    titles: tuple[str, str, str] = ("input x (what the model saw)", "weights w (R+G+B)", "contribution wᵢx̃ᵢ (R+G+B)"),
) -> go.Figure:
    """Three panels, left to right: the input x the model saw (H, W, 3) uint8, the weights w
    summed over channels (H, W), and the contribution map Σ_channels wᵢx̃ᵢ (H, W).
    Red pushes towards label 1 (cat), blue towards label 0."""
    fig = go.Figure()
    refs = _panels(fig, [1.0, 1.0, 1.0], gap=0.08)
    fig.add_trace(go.Image(z=image, xaxis=refs[0][0], yaxis=refs[0][1],
                           hovertemplate="row %{y}, column %{x}<br>RGB %{z}<extra></extra>"))
    _title(fig, refs[0], titles[0])
    w_top = _symmetric_range(weights)
    fig.add_trace(go.Heatmap(
        z=weights.astype(np.float32), xaxis=refs[1][0], yaxis=refs[1][1], colorscale=DIVERGING,
        zmid=0, zmin=-w_top, zmax=w_top, showscale=False,
        hovertemplate="row %{y}, column %{x}<br>Σ w (R+G+B) = %{z:.4f}<extra></extra>",
    ))
    _title(fig, refs[1], titles[1])
    c_top = _symmetric_range(contributions)
    fig.add_trace(go.Heatmap(
        z=contributions.astype(np.float32), xaxis=refs[2][0], yaxis=refs[2][1], colorscale=DIVERGING,
        zmid=0, zmin=-c_top, zmax=c_top,
        colorbar=dict(thickness=12, len=0.9, title=dict(text="wᵢx̃ᵢ", side="right")),
        hovertemplate="row %{y}, column %{x}<br>Σ wᵢx̃ᵢ (R+G+B) = %{z:.4f}<extra></extra>",
    ))
    _title(fig, refs[2], titles[2])
    _fit_width(fig, [1.0, 1.0, 1.0], 0.08, 290, dict(l=5, r=75, t=28, b=5))
    fig.update_layout(showlegend=False)
    return fig
