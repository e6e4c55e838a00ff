"""Figures of the Loss landscape page: cost maps with animated gradient-descent paths,
static 3D surfaces, and the counterexample's curves. Pure: arrays in, go.Figure out.

Words drawn on the figures (buttons, axis titles, hover texts) come in as a ``Words`` (English by
default); ``font_scale`` enlarges the fonts and margins the figures set themselves (presenter mode).

Animations are Plotly frames played by the browser. A frame carries only the traces that move
(the trail so far and the current point), never the cost map again, so the figure's JSON stays
small and each frame is cheap to draw.

The cost map under an animated path is a picture in the layout, not a contour trace: plotly.js
(checked in Chromium) removes contour and heatmap traces while a frame redraws only the moving
scatter traces, and a full redraw per frame makes the map flicker (blank on about one painted
frame in four). Layout pictures and scatter traces stay put.

Figures are built as plain dicts and handed to Plotly once, unvalidated
(``playground.figures.unvalidated.figure``): validating the frames' traces property by property
cost more than computing them.
The tests validate the same dicts (``go.Figure(fig.to_dict())``), so a wrong key still fails there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import plotly.graph_objects as go

from playground.figures.cost_map import colour_bar_trace, cost_map_png, map_upsample
from playground.figures.unvalidated import figure

MAX_FRAMES = 60
FRAME_MS = 120
COLOURSCALE = "Viridis"
PATH_COLOUR = "#ff4b4b"
START_COLOURS = ("#ff7f0e", "#e377c2", "#17becf")
"""One colour per start on the counterexample."""
CHORD_COLOUR = "#9467bd"
HOVER_POINTS = 26
"""Invisible hover points per axis over a cost map, to read J under the mouse."""


@dataclass(frozen=True)
class Words:
    """Every word the figures draw, in the page's language. ``{k}`` in ``minimum`` and ``run``
    is filled with the minimum's or the start's number (1, 2, …)."""

    play: str = "▶ Play"
    pause: str = "❚❚ Pause"
    iteration: str = "iteration"
    curvature: str = "smallest curvature λ_min"
    start: str = "start"
    end: str = "end"
    local_minimum: str = "local minimum"
    minimum: str = "min {k}"
    run: str = "start {k}"
    lowest: str = "lowest point of this slice"
    weight_axis: str = "weight w (log scale), b = 0"
    cost_axis: str = "cost J"
    cost_axis_log: str = "cost J (log scale)"
    chord_end: str = "end of the chord"
    chord_on_chord: str = "the chord at the midpoint"
    chord_on_curve: str = "the curve at the midpoint"


ENGLISH = Words()
SUBPLOT_TITLE_SIZE = 16
"""Plotly's own size for subplot titles (set on each title, so the layout's font does not reach it)."""


def frame_indices(num_points: int, max_frames: int = MAX_FRAMES) -> np.ndarray:
    """Indices into a path of num_points points for the animation: at most max_frames, evenly
    spread, always the first and the last."""
    if num_points < 1:
        raise ValueError(f"Expected a path of at least 1 point, got {num_points}.")
    return np.unique(np.linspace(0, num_points - 1, min(num_points, max_frames)).round().astype(int))


MARGIN_TOP, MARGIN_BOTTOM = 40, 166
"""Pixels above and below the plot area (times font_scale); the controls of an animation sit below."""
BUTTONS_BELOW_SLIDER = 50
"""Pixels from the top of the slider (its current value) down to the top of Play / Pause: the value,
the rail and its ticks. The buttons sit under the slider, not beside it, so that neither covers the
other on a phone's narrow plot."""


def _animation_controls(labels: list[str], words: Words, plot_px: float, below_px: float,
                        font_scale: float = 1.0) -> dict:
    """Play / Pause buttons and a slider over the frames named by ``labels``, ``below_px`` pixels under
    a plot area ``plot_px`` high (room for the x axis's ticks and title); the slider's current value reads
    "iteration 40". Positions are fractions of the plot area, so they grow with it in presenter mode."""
    still = {"frame": {"duration": 0, "redraw": False}, "mode": "immediate", "transition": {"duration": 0}}
    play = {"frame": {"duration": FRAME_MS, "redraw": False}, "fromcurrent": True,
            "transition": {"duration": 0}, "mode": "immediate"}
    return dict(
        updatemenus=[dict(
            type="buttons", direction="left", x=0.0, y=-(below_px + BUTTONS_BELOW_SLIDER) / plot_px,
            xanchor="left", yanchor="top",
            pad=dict(t=0, r=10), showactive=False,
            buttons=[dict(label=words.play, method="animate", args=[None, play]),
                     dict(label=words.pause, method="animate", args=[[None], still])],
        )],
        sliders=[dict(
            active=0, x=0.0, len=1.0, y=-below_px / plot_px, xanchor="left", yanchor="top", pad=dict(t=0, b=0),
            currentvalue=dict(prefix=f"{words.iteration} ", xanchor="left",
                              font=dict(size=round(13 * font_scale), color="#31333f")),
            # One label per frame would crowd the rail; the current value above it names the frame.
            font=dict(color="rgba(0,0,0,0)"), ticklen=3,
            steps=[dict(label=lab, method="animate", args=[[lab], still]) for lab in labels],
        )],
    )


@dataclass(frozen=True, eq=False)
class ContourPanel:
    """One cost map with a path: x (nx,), y (ny,), J (ny, nx); path_x, path_y, path_J (k,),
    the path's points at the iterations the figure is given; path_lambda (k,), if given, the
    smallest curvature there (shown when the mouse is on the moving point)."""

    title: str
    x: np.ndarray
    y: np.ndarray
    J: np.ndarray
    path_x: np.ndarray
    path_y: np.ndarray
    path_J: np.ndarray
    path_lambda: np.ndarray | None = None
    mark: tuple[float, float, float] | None = None
    """(x, y, J) of a point to mark with a star: a slice's lowest point."""


def _mark(p: ContourPanel, x_title: str, y_title: str, words: Words, axes: dict) -> dict:
    """A white star at the panel's marked point, J in its hover text (never clipped: it may sit on the edge)."""
    x, y, J = p.mark
    return dict(
        type="scatter", x=[float(x)], y=[float(y)], customdata=[float(J)], mode="markers", cliponaxis=False,
        marker=dict(symbol="star", size=17, color="white", line=dict(color="black", width=1.5)),
        hovertemplate=f"{words.lowest}<br>{x_title} = %{{x:.3g}}<br>{y_title} = %{{y:.3g}}<br>"
                      f"J = %{{customdata:.4g}}<extra></extra>",
        showlegend=False, name="lowest", **axes,
    )


def _hover_grid(p: ContourPanel, x_title: str, y_title: str, axes: dict) -> dict:
    """Invisible points on a coarse sub-grid, so the mouse reads J anywhere on the map."""
    iy = np.unique(np.linspace(0, len(p.y) - 1, HOVER_POINTS).round().astype(int))
    ix = np.unique(np.linspace(0, len(p.x) - 1, HOVER_POINTS).round().astype(int))
    X, Y = np.meshgrid(p.x[ix], p.y[iy])
    return dict(
        type="scatter", x=X.ravel().astype(np.float32), y=Y.ravel().astype(np.float32), mode="markers", **axes,
        marker=dict(size=14, opacity=0), customdata=p.J[np.ix_(iy, ix)].ravel().astype(np.float32),
        hovertemplate=f"{x_title} = %{{x:.3g}}<br>{y_title} = %{{y:.3g}}<br>J = %{{customdata:.4g}}<extra></extra>",
        name="cost J",
    )


def subplot_layout(titles: list[str], spacing: float, font_scale: float) -> tuple[dict, list[dict]]:
    """One row of panels as make_subplots(rows=1, cols=n, subplot_titles=titles,
    horizontal_spacing=spacing) lays them out: the layout's axes (xaxis, yaxis, xaxis2, …, with their
    domains and the titles above them), and each panel's axis references for its traces."""
    n = len(titles)
    width = (1.0 - spacing * (n - 1)) / n
    layout: dict = {"annotations": []}
    refs = []
    for k, title in enumerate(titles):
        suffix = str(k + 1) if k else ""
        lo = k * (width + spacing)
        hi = lo + width
        layout[f"xaxis{suffix}"] = dict(anchor=f"y{suffix}", domain=[lo, hi])
        layout[f"yaxis{suffix}"] = dict(anchor=f"x{suffix}", domain=[0.0, 1.0])
        layout["annotations"].append(dict(
            text=title, x=(lo + hi) / 2, y=1.0, xref="paper", yref="paper", xanchor="center", yanchor="bottom",
            showarrow=False, font=dict(size=round(SUBPLOT_TITLE_SIZE * font_scale)),
        ))
        refs.append(dict(xaxis=f"x{suffix}", yaxis=f"y{suffix}"))
    return layout, refs


def _margins_and_controls(labels: list[str], words: Words, height: int, below_px: float, font_scale: float) -> dict:
    """Height, margins (scaled with the fonts) and the animation's controls of a figure ``height`` high."""
    plot_px = height - MARGIN_TOP - MARGIN_BOTTOM
    margin = dict(l=10, r=10, t=round(MARGIN_TOP * font_scale), b=round(MARGIN_BOTTOM * font_scale))
    return dict(height=height, margin=margin, **_animation_controls(labels, words, plot_px, below_px, font_scale))


def contour_paths_figure(panels: list[ContourPanel], iterations: np.ndarray, x_title: str, y_title: str,
                         height: int = 556, words: Words = ENGLISH, font_scale: float = 1.0) -> go.Figure:
    """Cost maps side by side (colour bands on a log scale of J), each with its gradient-descent
    path animated over ``iterations`` (k,): Play / Pause and a slider move every panel's point together."""
    iterations = np.asarray(iterations)
    for p in panels:
        if p.J.shape != (len(p.y), len(p.x)):
            raise ValueError(f"Expected J of shape ({len(p.y)}, {len(p.x)}) for the panel {p.title!r}, got {p.J.shape}.")
        lengths = {len(p.path_x), len(p.path_y), len(p.path_J), len(iterations)}
        if p.path_lambda is not None:
            lengths.add(len(p.path_lambda))
        if len(lengths) != 1:
            raise ValueError(f"Expected {len(iterations)} path points for the panel {p.title!r}.")
    layout, refs = subplot_layout([p.title for p in panels], 0.16, font_scale)
    frames_at = frame_indices(len(iterations))
    data, moving, images = [], [], []
    for k, (p, axes) in enumerate(zip(panels, refs)):
        suffix = str(k + 1) if k else ""
        images.append(dict(
            source=cost_map_png(p.J, upsample=map_upsample(p.J.shape)), xref=axes["xaxis"], yref=axes["yaxis"], x=float(p.x[0]), y=float(p.y[-1]),
            sizex=float(p.x[-1] - p.x[0]), sizey=float(p.y[-1] - p.y[0]), xanchor="left", yanchor="top",
            sizing="stretch", layer="below",
        ))
        data.append(colour_bar_trace(p.J, layout[f"xaxis{suffix}"]["domain"][1] + 0.005, axes))
        data.append(_hover_grid(p, x_title, y_title, axes))
        data.append(dict(
            type="scatter", x=p.path_x, y=p.path_y, mode="lines", line=dict(color="white", width=1.5, dash="dot"),
            hoverinfo="skip", showlegend=False, name="whole run", **axes,
        ))
        if p.mark is not None:
            data.append(_mark(p, x_title, y_title, words, axes))
        moving += [len(data), len(data) + 1]
        data.append(_trail(p, frames_at[:1]) | axes)
        data.append(_point(p, frames_at[0], iterations, words=words) | axes)
        layout[f"xaxis{suffix}"].update(title=dict(text=x_title), range=[float(p.x[0]), float(p.x[-1])],
                                        showgrid=False, zeroline=False)
        layout[f"yaxis{suffix}"].update(range=[float(p.y[0]), float(p.y[-1])], showgrid=False, zeroline=False)
    # The second panel's y title would sit on the first panel's colour bar; one title serves both.
    layout["yaxis"]["title"] = dict(text=y_title)
    labels = [str(int(iterations[i])) for i in frames_at]
    # Each frame's trail is the first j + 1 of the same points: round them once, slice per frame.
    shown = [(_values(p.path_x[frames_at]), _values(p.path_y[frames_at])) for p in panels]
    frames = []
    for j, i in enumerate(frames_at):
        moved = []
        for p, (xs, ys) in zip(panels, shown):
            moved += [dict(type="scatter", x=xs[:j + 1], y=ys[:j + 1]), _point(p, i, iterations, False, words)]
        frames.append(dict(name=labels[j], data=moved, traces=moving))
    # The x axis (ticks and title) needs 56 px under the plot area.
    layout.update(**_margins_and_controls(labels, words, height, 56, font_scale), showlegend=False, images=images,
                  hovermode="closest")
    return figure(data, layout, frames)


def _values(a) -> list[float]:
    """A short array as a list of floats at 6 significant digits: frames repeat their points
    (each trail grows by one), and short decimals keep the figure's JSON small."""
    return [float(f"{v:.6g}") for v in np.asarray(a, dtype=float)]


def _trail(p: ContourPanel, upto: np.ndarray) -> dict:
    """The path through the frames shown so far (≤ MAX_FRAMES points), styled. Frames carry only
    its x and y: Plotly keeps the trace's style, so frames stay small."""
    data = dict(type="scatter", x=_values(p.path_x[upto]), y=_values(p.path_y[upto]))
    return data | dict(mode="lines+markers", line=dict(color=PATH_COLOUR, width=2.5),
                       marker=dict(size=4, color=PATH_COLOUR), hoverinfo="skip", name="path")


def _point(p: ContourPanel, i: int, iterations: np.ndarray, styled: bool = True, words: Words = ENGLISH):
    """Where gradient descent is at iteration iterations[i] (its J, and λ_min if the panel has it)."""
    info = [int(iterations[i]), float(p.path_J[i])]
    if p.path_lambda is not None:
        info.append(float(p.path_lambda[i]))
    data = dict(type="scatter", x=_values([p.path_x[i]]), y=_values([p.path_y[i]]), customdata=[info])
    if not styled:
        return data
    hover = f"{words.iteration} %{{customdata[0]}}<br>J = %{{customdata[1]:.4g}}"
    if p.path_lambda is not None:
        hover += f"<br>{words.curvature} = %{{customdata[2]:.3g}}"
    return data | dict(
        mode="markers", marker=dict(size=14, color=PATH_COLOUR, line=dict(color="white", width=2)),
        hovertemplate=hover + "<extra></extra>", name="now",
    )


SURFACE_POINTS = 41
"""Grid points per axis of a 3-D surface at most: the figure sent to the browser is a fraction of the
full grid's, and the 2-D map beside it keeps the full grid."""
SURFACE_TEXT = "#31333f"
LABEL_OFFSET = (36, -28)
"""Pixels from the start (to the left) and the end (to the right) to their words, up."""


def _thinned(n: int, points: int = SURFACE_POINTS) -> np.ndarray:
    """Indices of at most ``points`` grid lines out of n, evenly spread, the first and the last kept."""
    return np.unique(np.linspace(0, n - 1, min(n, points)).round().astype(int))


def surface_figure(x: np.ndarray, y: np.ndarray, J: np.ndarray, path_x: np.ndarray, path_y: np.ndarray,
                   path_J: np.ndarray, x_title: str, y_title: str, title: str = "", height: int = 400,
                   words: Words = ENGLISH, font_scale: float = 1.0) -> go.Figure:
    """A static 3D surface J (ny, nx) over x (nx,), y (ny,) with the whole path drawn on it
    (no frames: software WebGL redraws a 3D scene too slowly to animate it). The surface is drawn
    on at most SURFACE_POINTS grid lines per axis; the path keeps every point."""
    if J.shape != (len(y), len(x)):
        raise ValueError(f"Expected J of shape ({len(y)}, {len(x)}), got {J.shape}.")
    lift = 0.01 * float(np.ptp(J) or 1.0)
    iy, ix = _thinned(len(y)), _thinned(len(x))
    path_x, path_y, path_J = (np.asarray(a, dtype=float) for a in (path_x, path_y, path_J))
    data = [
        dict(type="surface", x=np.asarray(x, dtype=float)[ix], y=np.asarray(y, dtype=float)[iy],
             z=J[np.ix_(iy, ix)].astype(np.float32), colorscale=COLOURSCALE, showscale=False, opacity=0.92,
             hovertemplate=f"{x_title} = %{{x:.3g}}<br>{y_title} = %{{y:.3g}}<br>J = %{{z:.4g}}<extra></extra>",
             contours=dict(z=dict(show=True, usecolormap=True, project=dict(z=True), width=1))),
        dict(type="scatter3d", x=path_x, y=path_y, z=path_J + lift, mode="lines",
             line=dict(color=PATH_COLOUR, width=6), hoverinfo="skip", name="path"),
        dict(type="scatter3d", x=[float(path_x[0]), float(path_x[-1])], y=[float(path_y[0]), float(path_y[-1])],
             z=[float(path_J[0] + lift), float(path_J[-1] + lift)], mode="markers", text=[words.start, words.end],
             marker=dict(size=5, color=["white", PATH_COLOUR], line=dict(color="black", width=1)),
             hovertemplate="%{text}: J = %{z:.4g}<extra></extra>", name="start / end"),
    ]
    # The words as the scene's annotations, drawn over the WebGL picture (text in the scene is hidden
    # wherever the surface covers it): "start" up-left, "end" up-right, apart even where the run barely moved.
    dx, dy = LABEL_OFFSET
    labels = [dict(x=float(path_x[k]), y=float(path_y[k]), z=float(path_J[k] + lift), text=text, ax=side * dx, ay=dy,
                   showarrow=True, arrowhead=0, arrowwidth=1, arrowcolor=SURFACE_TEXT,
                   font=dict(color=SURFACE_TEXT, size=round(13 * font_scale)),
                   bgcolor="rgba(255,255,255,0.75)", borderpad=1)
              for k, text, side in ((0, words.start, -1), (-1, words.end, 1))]
    # Room around the scene for the top tick label of J (at 0 px it was cut in half).
    top = round(30 * font_scale) if title else round(20 * font_scale)
    layout = dict(
        title=dict(text=title, x=0.02, font=dict(size=round(14 * font_scale))), height=height, showlegend=False,
        margin=dict(l=round(10 * font_scale), r=round(10 * font_scale), t=top, b=0),
        scene=dict(xaxis=dict(title=dict(text=x_title)), yaxis=dict(title=dict(text=y_title)),
                   zaxis=dict(title=dict(text="J")), annotations=labels,
                   camera=dict(eye=dict(x=-1.45, y=-1.55, z=0.85), center=dict(x=0, y=0, z=-0.28)),
                   aspectmode="manual", aspectratio=dict(x=1, y=1, z=0.65)),
    )
    return figure(data, layout)


@dataclass(frozen=True, eq=False)
class CurvePanel:
    """One loss along the weight: w (n,) and J (n,); its local minima minima_w, minima_J (k,);
    runs: one (w (T+1,), J (T+1,)) pair per start."""

    title: str
    w: np.ndarray
    J: np.ndarray
    minima_w: np.ndarray
    minima_J: np.ndarray
    runs: list = field(default_factory=list)
    log_y: bool = False


def counterexample_figure(panels: list[CurvePanel], height: int = 496, words: Words = ENGLISH,
                          font_scale: float = 1.0, chords: Sequence | None = None) -> go.Figure:
    """J against w on a log axis, one panel per loss, local minima marked, and the descents from
    every start animated together (every run has the same number of iterations). ``chords``: one per
    panel, drawn on it (see :func:`_chord_traces`), or None."""
    lengths = {len(w) for p in panels for w, _ in p.runs}
    if len(lengths) != 1:
        raise ValueError(f"Expected runs of one common length, got lengths {sorted(lengths)}.")
    num_points = lengths.pop()
    frames_at = frame_indices(num_points)
    layout, refs = subplot_layout([p.title for p in panels], 0.1, font_scale)
    data, moving = [], []
    for k, (p, axes) in enumerate(zip(panels, refs)):
        suffix = str(k + 1) if k else ""
        data.append(dict(type="scatter", x=np.asarray(p.w), y=np.asarray(p.J), mode="lines",
                         line=dict(color="#444", width=2), name="J(w)", **axes,
                         hovertemplate="w = %{x:.3g}<br>J = %{y:.5g}<extra></extra>"))
        data.append(dict(
            type="scatter", x=np.asarray(p.minima_w), y=np.asarray(p.minima_J), mode="markers+text", **axes,
            text=[words.minimum.format(k=i + 1) for i in range(len(p.minima_w))],
            textposition="bottom center", marker=dict(symbol="triangle-up", size=13, color="#2ca02c"),
            hovertemplate=f"{words.local_minimum}<br>w = %{{x:.3g}}<br>J = %{{y:.5g}}<extra></extra>",
            name="local minima",
        ))
        for r, (w, J) in enumerate(p.runs):
            moving.append(len(data))
            data.append(_run_trail(w, J, frames_at[:1], START_COLOURS[r % len(START_COLOURS)], r, words=words)
                        | axes)
        moving.append(len(data))
        data.append(_run_points(p, frames_at[0]) | axes)
        layout[f"xaxis{suffix}"].update(type="log", title=dict(text=words.weight_axis), exponentformat="power")
        layout[f"yaxis{suffix}"].update(title=dict(text=words.cost_axis_log if p.log_y else words.cost_axis),
                                        type="log" if p.log_y else "linear")
    labels = [str(int(i)) for i in frames_at]
    # Each frame's trails are the first j + 1 of the same points: round them once, slice per frame.
    shown = [[(_values(np.asarray(w)[frames_at]), _values(np.asarray(J)[frames_at])) for w, J in p.runs]
             for p in panels]
    frames = []
    for j, i in enumerate(frames_at):
        moved = []
        for p, runs in zip(panels, shown):
            moved += [dict(type="scatter", x=xs[:j + 1], y=ys[:j + 1]) for xs, ys in runs]
            moved.append(_run_points(p, i, False))
        frames.append(dict(name=labels[j], data=moved, traces=moving))
    # The log axis's powers of ten are taller than plain ticks: 62 px under the plot area.
    layout.update(**_margins_and_controls(labels, words, height, 62, font_scale), showlegend=False)
    for chord, axes in zip(chords or (), refs):
        data += _chord_traces(chord, axes, words)  # (after the animated traces, which frames name by index)
    return figure(data, layout, frames)


def _chord_traces(c, axes: dict, words: Words) -> list[dict]:
    """A chord on one panel: dashed between its two ends, and at the midpoint its height and the
    curve's, joined. ``c`` has .line() → (w, J) along the chord, and w1, J1, w2, J2, w_mid, chord_mid,
    J_mid. On a log axis the straight chord looks bent: it is straight in w."""
    hover = "%{text}<br>w = %{x:.3g}<br>J = %{y:.5g}<extra></extra>"
    w, J = c.line()
    return [
        dict(type="scatter", x=w, y=J, mode="lines", line={"color": CHORD_COLOUR, "width": 2, "dash": "dash"},
             hoverinfo="skip", name="chord", showlegend=False, **axes),
        dict(type="scatter", x=[c.w1, c.w2], y=[c.J1, c.J2], mode="markers", text=[words.chord_end] * 2,
             marker={"color": CHORD_COLOUR, "size": 10}, hovertemplate=hover, name="chord ends", showlegend=False,
             **axes),
        dict(type="scatter", x=[c.w_mid, c.w_mid], y=[c.chord_mid, c.J_mid], mode="lines+markers",
             text=[words.chord_on_chord, words.chord_on_curve], line={"color": CHORD_COLOUR, "width": 2, "dash": "dot"},
             marker={"color": CHORD_COLOUR, "size": 12, "symbol": ["circle-open", "diamond"]},
             hovertemplate=hover, name="chord midpoint", showlegend=False, **axes),
    ]


def _run_trail(w, J, upto, colour, r, words: Words = ENGLISH) -> dict:
    """One start's descent through the frames shown so far, styled (frames carry its x and y only)."""
    data = dict(type="scatter", x=_values(np.asarray(w)[upto]), y=_values(np.asarray(J)[upto]))
    return data | dict(mode="lines+markers", line=dict(color=colour, width=2), marker=dict(size=4, color=colour),
                       hovertemplate=f"{words.run.format(k=r + 1)}<br>w = %{{x:.3g}}<br>J = %{{y:.5g}}<extra></extra>",
                       name=f"run {r + 1}")


def _run_points(p: CurvePanel, i: int, styled: bool = True):
    """Every run's current point at frame index i, coloured by start."""
    data = dict(type="scatter", x=_values([np.asarray(w)[i] for w, _ in p.runs]),
                y=_values([np.asarray(J)[i] for _, J in p.runs]))
    if not styled:
        return data
    return data | dict(
        mode="markers",
        marker=dict(size=14, color=[START_COLOURS[r % len(START_COLOURS)] for r in range(len(p.runs))],
                    line=dict(color="black", width=1.5)),
        hovertemplate="w = %{x:.3g}<br>J = %{y:.5g}<extra></extra>", name="now",
    )
