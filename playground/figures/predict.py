"""Figures of the Predict page: P(cat) as a bar, the pictures each preprocessing makes, the maps.

Words on the figures come in as arguments (the page translates them); the defaults are English.
One panel per figure, at no fixed width: the page lays them out in columns, which sit side by side
on a wide screen and wrap on a phone (a figure of three panels shrinks each to a stamp there).
Figures are built as plain dicts, unvalidated (playground.figures.unvalidated): the page draws
several per photo and must answer at once. The pictures of the preprocessings are arrays, shown as
images: they need no axes, and a browser lays images out without Plotly's cost.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from playground.figures.unvalidated import figure
from playground.lessons.predict.explain import probability_text

CAT_COLOUR = "#d62728"
NON_CAT_COLOUR = "#1f77b4"
DIVERGING = "RdBu_r"
"""Blue for negative (towards label 0), red for positive (towards label 1, cat), white at 0."""
# Spelled out: unvalidated figures go to plotly.js as they are, and it knows no "RdBu_r".
# (as validation spells it, once: the stops exactly as a validated figure would send them)
_DIVERGING_SCALE = [[at, colour] for at, colour in go.Heatmap(colorscale=DIVERGING).colorscale]
CLIP_PERCENTILE = 99.0
"""The colour range of a map stops at this percentile of |value|, so a few extreme pixels
do not wash out the rest (hover still shows the exact value)."""
MAP_HEIGHT = 260
"""Height of a map figure in pixels; its panel is square, as wide as the column allows up to that."""
COLOURBAR_MARGIN = 75
"""Right margin of the contribution map, for its colour bar."""
CROP_FRAME = (255, 191, 0)
"""The dashed frame of the centre crop drawn on the original (amber: seen on light and dark photos)."""


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
    bar = dict(type="bar", x=[p_cat], y=[0], orientation="h", width=0.6,
               marker=dict(color=CAT_COLOUR if is_cat else NON_CAT_COLOUR),
               hovertemplate=f"P({classes[1]}) = %{{x:.4f}}<extra></extra>")
    # The class at each end above the bar, the threshold named under it, on the axis (font sizes
    # inherited, so presenter mode enlarges them): in a narrow column, or in Korean, the three words
    # on one row ran into each other.
    words = []
    for x, anchor, name in ((0, "left", f"← {classes[0]}"), (1, "right", f"{classes[1]} →")):
        words.append(dict(x=x, y=1, xref="x", yref="paper", yanchor="bottom", xanchor=anchor, showarrow=False,
                          text=name, font=dict(color=NON_CAT_COLOUR if x == 0 else CAT_COLOUR)))
    layout = dict(
        height=100, margin=dict(l=12, r=12, t=26, b=22), showlegend=False, annotations=words,
        shapes=[dict(type="line", x0=threshold, x1=threshold, xref="x", y0=0, y1=1, yref="y domain",
                     line=dict(color="#444", width=2, dash="dash"))],
        xaxis=dict(range=[0, 1], tickvals=[0, threshold, 1], ticktext=["0", threshold_label.format(threshold=threshold), "1"],
                   fixedrange=True, showgrid=True),
        yaxis=dict(range=[-0.5, 0.5], fixedrange=True, showticklabels=False, showgrid=False, zeroline=False),
    )
    return figure([bar], layout)


def _map_layout(title: str, right: int = 5) -> dict:
    """One square-pixel panel under its title (row 0 at the top), as tall as MAP_HEIGHT allows;
    right: the right margin (a colour bar's room, the panel then kept beside it)."""
    plain = dict(showticklabels=False, showgrid=False, zeroline=False, ticks="", constrain="domain")
    return dict(
        height=MAP_HEIGHT, margin=dict(l=5, r=right, t=30, b=5), showlegend=False,
        xaxis=dict(plain, constraintoward="right" if right > 5 else "center"),
        # (a panel narrower than tall keeps to the top, under its title: the room left goes below it)
        yaxis=dict(plain, scaleanchor="x", autorange="reversed", constraintoward="top"),
        annotations=[dict(text=title, xref="x domain", yref="y domain", x=0.5, y=1.0, yanchor="bottom",
                          showarrow=False)],
    )


def input_figure(image: np.ndarray, title: str = "input x (what the model saw)") -> go.Figure:
    """The input the model saw, (H, W, 3) uint8, with each pixel's RGB on hover."""
    trace = dict(type="image", z=np.asarray(image, dtype=np.uint8),
                 hovertemplate="row %{y}, column %{x}<br>RGB %{z}<extra></extra>")
    return figure([trace], _map_layout(title))


def map_figure(values: np.ndarray, title: str, hover: str, colourbar: str | None = None) -> go.Figure:
    """(H, W) values on the diverging scale, centred on 0, clipped at CLIP_PERCENTILE of |values|;
    hover: what a pixel's value is called; colourbar: its title, or None for no colour bar."""
    top = _symmetric_range(values)
    trace = dict(type="heatmap", z=np.asarray(values, dtype=np.float32), colorscale=_DIVERGING_SCALE,
                 zmid=0, zmin=-top, zmax=top, showscale=colourbar is not None,
                 hovertemplate=f"row %{{y}}, column %{{x}}<br>{hover} = %{{z:.4f}}<extra></extra>")
    if colourbar is not None:
        trace["colorbar"] = dict(thickness=12, len=0.9, title=dict(text=colourbar, side="right"))
    return figure([trace], _map_layout(title, COLOURBAR_MARGIN if colourbar is not None else 5))


def explanation_figures(
    image: np.ndarray,
    weights: np.ndarray,
    contributions: np.ndarray,
    titles: tuple[str, str, str] = ("input x (what the model saw)", "weights w (R+G+B)", "contribution wᵢx̃ᵢ (R+G+B)"),
) -> tuple[go.Figure, go.Figure, go.Figure]:
    """Three figures, to be read left to right: the input x the model saw (H, W, 3) uint8, the
    weights w summed over channels (H, W), and the contribution map Σ_channels wᵢx̃ᵢ (H, W), with
    the colour bar. Red pushes towards label 1 (cat), blue towards label 0."""
    return (
        input_figure(image, titles[0]),
        map_figure(weights, titles[1], "Σ w (R+G+B)"),
        map_figure(contributions, titles[2], "Σ wᵢx̃ᵢ (R+G+B)", colourbar="wᵢx̃ᵢ"),
    )


def _dashed_frame(picture: np.ndarray, box: tuple[float, float, float, float], colour=CROP_FRAME,
                  width: int = 2, dash: int = 6) -> np.ndarray:
    """A copy of picture (h, w, 3) uint8 with a dashed rectangle along box (left, top, right, bottom),
    in pixels, drawn just inside it."""
    out = picture.copy()
    h, w = out.shape[:2]
    left, top = max(0, round(box[0])), max(0, round(box[1]))
    right, bottom = min(w, round(box[2])), min(h, round(box[3]))
    if right - left < 2 * width or bottom - top < 2 * width:
        return out
    xs, ys = np.arange(left, right), np.arange(top, bottom)
    on_x, on_y = xs[(xs - left) // dash % 2 == 0], ys[(ys - top) // dash % 2 == 0]
    for k in range(width):
        out[top + k, on_x] = colour
        out[bottom - 1 - k, on_x] = colour
        out[on_y, left + k] = colour
        out[on_y, right - 1 - k] = colour
    return out


def preprocessing_pictures(
    preview: np.ndarray, crop_box: tuple[float, float, float, float], inputs: dict, zoom: int = 4,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The original and what each preprocessing makes of it, as pictures to show side by side.

    preview: (h, w, 3) uint8, the original shrunk; crop_box: (left, top, right, bottom) of the
    centre crop in preview pixels, drawn on it as a dashed frame; inputs: {"squash", "crop"} →
    (H, W, 3) uint8 model inputs, enlarged `zoom` times pixel by pixel (a browser would blur them).
    """
    big = [np.repeat(np.repeat(inputs[m], zoom, axis=0), zoom, axis=1) for m in ("squash", "crop")]
    return (_dashed_frame(preview, crop_box), big[0], big[1])


def picture_caption(name: str, size: tuple[int, int], p: float, chosen: bool) -> str:
    """Under a preprocessing's picture: "✓ squash 64×64 · P = 0.697" (the ✓ marks the one used)."""
    # (no-break spaces: "P = 0.697" is not split over two lines)
    return f"{'✓ ' if chosen else ''}{name} {size[0]}×{size[1]} · P {_p_equals(p)}".replace("P = ", "P\u00a0=\u00a0")


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[k:k + 2], 16) for k in (1, 3, 5))


def framed(picture: np.ndarray, label: int, width: int = 3) -> np.ndarray:
    """A copy of picture (h, w, 3) uint8 with a frame ``width`` pixels wide over its edge, in the
    colour of its label (1: CAT_COLOUR, 0: NON_CAT_COLOUR): a gallery's pictures show their class
    without a caption each."""
    out = np.array(picture, dtype=np.uint8)
    colour = _rgb(CAT_COLOUR if label else NON_CAT_COLOUR)
    out[:width], out[-width:], out[:, :width], out[:, -width:] = colour, colour, colour, colour
    return out
