"""Figures of the Computational graph page: the graph itself, one image's gradient, the ε curve.

The graph figure only walks the data of ``playground.lessons.graph.graph``: nodes become
boxes, parent → child pairs become arrows, a node's gradient is written on the
arrow leaving it (that is where the chain rule sends it back along). It is drawn in
pixels, in a wide or a tall layout, every box sized so its text stays inside it
at any value. Words on the figures come in as arguments (the pages translate them).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from playground.figures.pictures import (
    COLOUR_BAR_CSS,
    colour_bar_html,
    diverging_levels,
    levels_data_uri,
    png_data_uri,
)
from playground.figures.unvalidated import figure
from playground.lessons.graph.graph import Graph, fmt, revealed

LAYOUTS = ("wide", "tall")
"""wide: inputs, z, a and L left to right (a laptop or a projector); tall: the inputs beside z, then
a and L below it (a phone). The page shows the one that fits its width."""


@dataclass(frozen=True)
class Geometry:
    """One layout's sizes, in pixels at scale 1: the figure is drawn at exactly that size, so text
    (whose size Plotly keeps in pixels) and boxes (sized here) never drift apart."""

    width: int
    box_w: int
    z_w: int
    box_h: int
    row: int
    gap: int  # between the inputs and z: where dw₁, dw₂, db are written
    chain_gap: int  # between z, a and L
    node_font: int
    small_font: int
    label_font: int
    legend_font: int


GEOMETRY = {
    "wide": Geometry(width=772, box_w=124, z_w=124, box_h=58, row=72, gap=140, chain_gap=60,
                     node_font=17, small_font=12, label_font=14, legend_font=12),
    "tall": Geometry(width=326, box_w=100, z_w=104, box_h=52, row=64, gap=114, chain_gap=60,
                     node_font=16, small_font=11, label_font=13, legend_font=12),
}
PAD = 4
"""Room left around the drawing, in pixels."""
TEXT_PAD = 5
"""Least room between a text and its box's border, in pixels."""
MIN_FONT = 10
ROLE_FILL = {"data": "#dbeafe", "parameter": "#ffedd5", "constant": "#e5e7eb", "computed": "#dcfce7"}
BORDER = "#334155"
CURRENT = "#dc2626"
CURRENT_FILL = "#fef08a"
GRAD = "#b91c1c"
FONT = "Arial, sans-serif"
DEFAULT_LEGEND = (
    "<b>blue</b>: data x, y", "<b>orange</b>: parameters w, b (learned)", "<b>green</b>: computed",
    "black: forward values", "<span style='color:#b91c1c'><b>red</b></span>: backward, dL/d(·) on its arrow",
)
_TAG = re.compile(r"<[^>]+>")


def text_width(text: str, size: float, bold: bool = False) -> float:
    """An estimate of a line's width in pixels (tags dropped), on the wide side: digits are 0.56 em in
    Arial and its stand-ins (Liberation Sans, Helvetica, Roboto), most letters and spaces narrower."""
    plain = _TAG.sub("", text)
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in plain)  # Hangul: about 1 em each
    return ((len(plain) - wide) * (0.58 if bold else 0.56) + wide * 1.0) * size


def _fit(lines: list[tuple[str, bool]], size: float, room: float) -> float:
    """The largest font size up to ``size`` (not below MIN_FONT) at which every (line, bold) fits ``room``."""
    widest = max(text_width(line, 1.0, bold) for line, bold in lines)
    return max(MIN_FONT, min(size, room / widest)) if widest else size


def _wrap_sum(formula: str, size: float, room: float) -> list[str]:
    """A formula too wide for its box, broken before its " + " signs (z's sum, once b is folded in)."""
    parts = formula.split(" + ")
    lines = [parts[0]]
    for part in parts[1:]:
        if text_width(f"{lines[-1]} + {part}", size) <= room:
            lines[-1] += f" + {part}"
        else:
            lines.append(f"+ {part}")
    return lines


def graph_layout(graph: Graph, layout: str = "wide", scale: float = 1.0) -> dict[str, tuple[float, float]]:
    """Centre (x, y) of every node in pixels, y downwards (the figure's own axes).

    The inputs of z are stacked in the graph's order in the first column, z is a tall box beside
    them (each input's arrow runs straight into it). wide: a and L follow z to the right, y sits
    under L; tall: a and L follow z downwards, y sits beside L. Every arrow is horizontal or vertical.
    """
    if layout not in GEOMETRY:
        raise ValueError(f"Unknown graph layout {layout!r}: expected one of {', '.join(GEOMETRY)}.")
    g = _scaled(GEOMETRY[layout], scale)
    z = graph.node("z")
    inputs = [n.name for n in graph.nodes if n.name in z.parents]  # the graph's order: x₁, w₁, x₂, …
    x_in = PAD + g.box_w / 2
    x_z = PAD + g.box_w + g.gap + g.z_w / 2
    first = PAD + g.box_h / 2
    pos = {name: (x_in, first + k * g.row) for k, name in enumerate(inputs)}
    last = first + (len(inputs) - 1) * g.row
    if layout == "wide":
        mid = (first + last) / 2
        x_a = x_z + g.z_w / 2 + g.chain_gap + g.box_w / 2
        x_l = x_a + g.box_w + g.chain_gap
        pos |= {"z": (x_z, mid), "a": (x_a, mid), "L": (x_l, mid), "y": (x_l, mid + g.box_h + g.chain_gap)}
    else:
        y_a = last + g.box_h + g.chain_gap
        y_l = y_a + g.box_h + g.chain_gap
        pos |= {"z": (x_z, (first + last) / 2), "a": (x_z, y_a), "L": (x_z, y_l), "y": (x_in, y_l)}
    return pos


def _scaled(g: Geometry, scale: float) -> Geometry:
    return Geometry(**{k: round(v * scale) for k, v in vars(g).items()})


def graph_width(layout: str = "wide", scale: float = 1.0) -> int:
    """The figure's width in pixels: a page shows this layout only where it has that much room."""
    return _scaled(GEOMETRY[layout], scale).width


def _boxes(graph: Graph, pos: dict, g: Geometry) -> dict[str, tuple[float, float, float, float]]:
    """(left, top, right, bottom) of every node's box; z is as tall as the stack of its inputs."""
    boxes = {}
    for node in graph.nodes:
        x, y = pos[node.name]
        w = g.z_w if x == pos["z"][0] else g.box_w  # a and L under z (tall) are as wide as z
        boxes[node.name] = (x - w / 2, y - g.box_h / 2, x + w / 2, y + g.box_h / 2)
    rows = [pos[p][1] for p in graph.node("z").parents]
    left, _, right, _ = boxes["z"]
    boxes["z"] = (left, min(rows) - g.box_h / 2, right, max(rows) + g.box_h / 2)
    return boxes


def _node_text(node, shown: bool, g: Geometry, box: tuple) -> tuple[str, float]:
    """The node's words, fitted to its box: "a = 0.525" on one line if it fits, else the value on a
    line of its own; the forward rule below, smaller (a long sum broken before its + signs)."""
    value = fmt(node.value) if shown else "?"
    colour = "#111827" if shown else "#9ca3af"
    room_w = box[2] - box[0] - 2 * TEXT_PAD
    head = [(f"<b>{node.label}</b> = <span style='color:{colour}'>{value}</span>", False)]
    if text_width(f"{node.label} =", g.node_font, True) + text_width(f" {value}", g.node_font) > room_w:
        head = [(f"<b>{node.label}</b> =", True), (f"<span style='color:{colour}'>{value}</span>", False)]
    size = _fit(head, g.node_font, room_w)
    formula = []
    if node.forward:
        rule = node.forward if len(node.forward) <= 18 else f"{node.label}(a, y)"
        formula = _wrap_sum(rule, g.small_font, room_w)
    small = _fit([(f, False) for f in formula], g.small_font, room_w) if formula else g.small_font
    # Rows of text must fit the box's height too (z is tall; the others hold at most three rows).
    room_h = box[3] - box[1] - 2 * TEXT_PAD
    height = 1.25 * (size * len(head) + small * len(formula))
    if height > room_h:
        shrink = room_h / height
        size, small = size * shrink, small * shrink
    text = "<br>".join(line for line, _ in head)
    if formula:
        text += "".join(f"<br><span style='font-size:{small:.1f}px;color:#475569'>{f}</span>" for f in formula)
    return text, size


def _legend_lines(items, size: float, room: float) -> list[str]:
    lines = [items[0]]
    for item in items[1:]:
        if text_width(f"{lines[-1]} · {item}", size) <= room:
            lines[-1] += f" · {item}"
        else:
            lines.append(item)
    return lines


def computational_graph_figure(
    graph: Graph, step: int | None = None, legend: tuple[str, ...] = DEFAULT_LEGEND,
    hover_words: tuple[str, str, str] = ("forward", "value", "backward"), layout: str = "wide",
    scale: float = 1.0,
) -> go.Figure:
    """The graph with the forward values and gradients revealed after ``step`` steps (None: all).

    Drawn at a fixed size in pixels (``graph_width``; ``scale`` enlarges it for a projector), in the
    ``layout`` of LAYOUTS. The current step's node (forward) or arrow (backward) is drawn in red on yellow.
    """
    steps = graph.steps()
    values, grads, current = revealed(graph, len(steps) if step is None else step)
    g = _scaled(GEOMETRY[layout] if layout in GEOMETRY else GEOMETRY["wide"], scale)
    pos = graph_layout(graph, layout, scale)
    box = _boxes(graph, pos, g)
    # Collected and set in one update_layout: one add_annotation call per label re-validates
    # the whole layout, which made this figure several times slower to build.
    annotations, arrows, shapes = [], [], []

    for node in graph.nodes:
        is_current = current is not None and current.phase == "forward" and current.node == node.name
        left, top, right, bottom = box[node.name]
        shapes.append(dict(
            type="rect", x0=left, x1=right, y0=top, y1=bottom, xref="x", yref="y",
            fillcolor=CURRENT_FILL if is_current else ROLE_FILL[node.role],
            line=dict(color=CURRENT if is_current else BORDER, width=4 if is_current else 1.5), layer="below",
        ))
        text, size = _node_text(node, node.name in values, g, box[node.name])
        annotations.append(dict(
            x=(left + right) / 2, y=pos[node.name][1], xref="x", yref="y", text=text, showarrow=False,
            font=dict(size=round(size, 1), color="#111827", family=FONT),
        ))

    for parent, child in graph.edges():
        px, py = pos[parent]
        pb, cb = box[parent], box[child]
        if pb[2] <= cb[0]:  # left to right, at the parent's row
            tail, head = (pb[2], py), (cb[0], py)
        elif pb[3] <= cb[1]:  # downwards
            tail, head = (px, pb[3]), (px, cb[1])
        else:  # upwards (y under L)
            tail, head = (px, pb[1]), (px, cb[3])
        is_current = current is not None and current.phase == "backward" and current.node == parent
        arrows.append(dict(
            x=head[0], y=head[1], ax=tail[0], ay=tail[1], xref="x", yref="y", axref="x", ayref="y", text="",
            showarrow=True, arrowhead=2, arrowsize=1.2, arrowwidth=4 if is_current else 1.8,
            arrowcolor=CURRENT if is_current else "#64748b",
        ))
        node = graph.node(parent)
        if node.grad is None or parent not in grads:
            continue
        lines = [(f"<b>{node.grad_name} = {fmt(node.grad)}</b>", True), (f"= {node.backward}", False)]
        if not node.parents:
            # An input's arrow: written in the gap, just above the arrow.
            room = g.gap - 2 * TEXT_PAD
            place = dict(x=(tail[0] + head[0]) / 2, y=tail[1] - 3, yanchor="bottom")
        elif layout == "wide" and parent == "z":
            # Above a's box, starting right of z (z is as tall as the stack: nothing may cross it).
            room = g.box_w + g.chain_gap - TEXT_PAD
            place = dict(x=pb[2] + TEXT_PAD, xanchor="left", y=cb[1] - 4, yanchor="bottom")
        elif layout == "wide":
            room = g.box_w + g.chain_gap + g.box_w / 2
            place = dict(x=pb[2] + TEXT_PAD, xanchor="left", y=cb[1] - 4, yanchor="bottom")
        else:
            # tall: left of the downward arrow, between the two boxes.
            room = px - TEXT_PAD - PAD
            place = dict(x=px - TEXT_PAD, xanchor="right", y=(tail[1] + head[1]) / 2, yanchor="middle")
        size = _fit(lines, g.label_font, room)
        annotations.append(dict(
            xref="x", yref="y", showarrow=False, **place,
            text=f"{lines[0][0]}<br><span style='font-size:{size * g.small_font / g.label_font:.1f}px'>"
                 f"{lines[1][0]}</span>",
            font=dict(size=round(size, 1), color=GRAD, family=FONT),
            bgcolor=CURRENT_FILL if is_current else "rgba(255,255,255,0.92)",
            bordercolor=CURRENT if is_current else "rgba(0,0,0,0)", borderwidth=2, borderpad=2,
        ))

    # Invisible markers carry the hover text: each node's forward and backward rule in full.
    hover = []
    w_forward, w_value, w_backward = hover_words
    for node in graph.nodes:
        text = f"<b>{node.label}</b>"
        if node.forward:
            text += f"<br>{w_forward}: {node.label} = {node.forward}"
        text += f"<br>{w_value}: {fmt(node.value) if node.name in values else '?'}"
        if node.grad is not None and node.grad_name != "dL":
            text += f"<br>{w_backward}: {node.grad_name} = {node.backward}"
            if node.name in grads:
                text += f" = {fmt(node.grad)}"
        hover.append(text)
    markers = dict(
        type="scatter", x=[pos[n.name][0] for n in graph.nodes], y=[pos[n.name][1] for n in graph.nodes],
        mode="markers", marker=dict(size=40, opacity=0), hovertext=hover, hoverinfo="text",
        customdata=[n.name for n in graph.nodes], showlegend=False,
    )

    bottom = max(b[3] for b in box.values()) + PAD
    items = tuple(legend) if not isinstance(legend, str) else (legend,)
    lines = _legend_lines(items, g.legend_font, g.width - 2 * PAD)
    line_h = round(g.legend_font * 1.35)
    annotations.append(dict(
        x=g.width / 2, y=bottom + 6, xref="x", yref="y", yanchor="top", text="<br>".join(lines), showarrow=False,
        font=dict(size=g.legend_font, color="#334155", family=FONT),
    ))
    height = round(bottom + 6 + line_h * len(lines) + 8)
    # Plain dicts, unvalidated: the page builds this figure twice (both layouts) on every rerun.
    return figure([markers], dict(
        width=g.width, height=height, autosize=False, margin=dict(l=0, r=0, t=0, b=0),
        plot_bgcolor="white", paper_bgcolor="white", hoverlabel=dict(font_size=15), dragmode=False,
        annotations=arrows + annotations, shapes=shapes,
        xaxis=dict(visible=False, range=[0, g.width], fixedrange=True),
        yaxis=dict(visible=False, range=[height, 0], fixedrange=True),
    ))


GRADIENT_CSS = COLOUR_BAR_CSS + """
.dw-panels { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: 0.75rem 1.25rem;
  margin: 0.25rem 0 1rem 0; }
.dw-panels figure { margin: 0; }
.dw-panels figcaption { font-size: 0.875rem; color: #4b5563; margin-bottom: 0.3rem; }
.dw-panels .pic { display: flex; gap: 0.4rem; }
.dw-panels img { display: block; flex: none; width: calc(100% - 4.6rem); max-width: 16rem; height: auto;
  image-rendering: pixelated; }
"""
"""Rem units, and panels that wrap: three side by side on a laptop, one under another on a phone."""
DW_COLORSCALE = "RdBu_r"
"""Red for a positive gradient (the step w := w − α dw lowers those weights), blue for a negative one."""


def gradient_image_html(
    image: np.ndarray, dw_example: np.ndarray, dw: np.ndarray,
    titles: tuple[str, str, str] = ("x⁽ⁱ⁾: the picture", "dw⁽ⁱ⁾ = x⁽ⁱ⁾ dz⁽ⁱ⁾ (this example)",
                                    "dw = (1/m) Σᵢ dw⁽ⁱ⁾ (all m examples)"),
) -> str:
    """The picture (H, W, 3) uint8 beside two gradients of w (n_x,), as HTML with its style.

    Each gradient is summed over the three colour channels of a pixel and drawn as a picture on a
    diverging scale centred on 0 (DW_COLORSCALE), from -max|·| to +max|·|, with its colour bar.
    Pictures in HTML rather than a chart of three panels: they wrap on a narrow screen.
    """
    h, w_, _ = image.shape
    esc = html.escape
    cells = [f'<div class="pic"><img src="{png_data_uri(image)}" alt="{esc(titles[0])}"></div>']
    for g, title in ((dw_example, titles[1]), (dw, titles[2])):
        grid = np.asarray(g, dtype=float).reshape(h, w_, 3).sum(axis=2)
        top = float(np.abs(grid[np.isfinite(grid)]).max(initial=0.0)) or 1.0
        levels = levels_data_uri(diverging_levels(grid, top), DW_COLORSCALE)
        cells.append(f'<div class="pic"><img src="{levels}" alt="{esc(title)}">'
                     f'{colour_bar_html(top, DW_COLORSCALE, ".1e")}</div>')
    panels = "".join(f"<figure><figcaption>{esc(title)}</figcaption>{cell}</figure>" for title, cell in zip(titles, cells))
    return f'<style>{GRADIENT_CSS}</style><div class="dw-panels">{panels}</div>'


def error_vs_epsilon_figure(
    epsilons, errors, epsilon: float | None = None, good: float = 1e-7, wrong: float = 1e-5,
    labels: dict | None = None,
) -> go.Figure:
    """Relative error of the gradient check against ε, both on log axes.

    Bands mark the verdicts (below ``good``: right; above ``wrong``: wrong); the
    current ε is a vertical line. Left of the dip rounding dominates, right of it truncation.
    """
    lab = {
        "x": "ε (step of the finite difference)", "y": "relative error ‖g_num − g‖ / (‖g_num‖ + ‖g‖)",
        "good": "right (< 1e-7)", "wrong": "wrong (> 1e-5)", "rounding": "rounding error ∝ 1/ε",
        "truncation": "truncation error ∝ ε²", "current": "your ε", "curve": "this model",
    } | (labels or {})
    eps = np.asarray(epsilons, dtype=float)
    err = np.maximum(np.asarray(errors, dtype=float), 1e-17)  # an exact 0 has no place on a log axis
    lo, hi = float(eps.min()) / 2, float(eps.max()) * 2
    bottom, top = min(1e-13, float(err.min()) / 3), max(1.0, float(err.max()) * 3)
    # The layout is written out as plain dicts in one Figure(...) call: add_hrect / add_vline /
    # add_annotation each re-validate the whole layout, on every rerun.
    # Shapes take data values on log axes, annotations log10 values (shapes' own annotations
    # land wrongly there): the labels are placed by hand.
    band = dict(type="rect", xref="x domain", x0=0, x1=1, yref="y", opacity=0.5, line=dict(width=0), layer="below")
    shapes = [band | dict(y0=bottom, y1=good, fillcolor="#bbf7d0"), band | dict(y0=wrong, y1=top, fillcolor="#fecaca")]
    annotations = [
        dict(x=0.99, xref="paper", xanchor="right", y=float(np.log10(y)), text=text, showarrow=False, yanchor=anchor,
             font=dict(size=13, color="#166534" if y == good else "#991b1b"))
        for text, y, anchor in ((lab["good"], good, "top"), (lab["wrong"], wrong, "bottom"))
    ]
    best = int(np.argmin(err))
    if best > 0:
        annotations.append(dict(x=float(np.log10(eps[0])), y=float(np.log10(err[0])), text=lab["rounding"],
                                showarrow=False, xanchor="left", yshift=16, font=dict(size=13)))
    if best < len(eps) - 1:
        annotations.append(dict(x=float(np.log10(eps[-1])), y=float(np.log10(err[-1])), text=lab["truncation"],
                                showarrow=False, xanchor="right", yshift=16, font=dict(size=13)))
    if epsilon is not None:
        shapes.append(dict(type="line", xref="x", x0=epsilon, x1=epsilon, yref="y domain", y0=0, y1=1,
                           line=dict(color=CURRENT, width=2, dash="dash")))
        annotations.append(dict(x=float(np.log10(epsilon)), y=1, yref="paper", yanchor="bottom", showarrow=False,
                                text=f"{lab['current']} = {epsilon:.0e}", font=dict(size=13, color=CURRENT)))
    curve = go.Scatter(x=eps, y=err, mode="lines+markers", name=lab["curve"], line=dict(width=3, color="#1d4ed8"),
                       marker=dict(size=8), hovertemplate="ε = %{x:.0e}<br>error = %{y:.2e}<extra></extra>")
    return go.Figure(data=[curve], layout=dict(
        shapes=shapes, annotations=annotations, height=360, margin=dict(l=10, r=10, t=30, b=10), showlegend=False,
        xaxis=dict(type="log", title=lab["x"], range=[np.log10(lo), np.log10(hi)], exponentformat="power"),
        yaxis=dict(type="log", title=lab["y"], range=[np.log10(bottom), np.log10(top)], exponentformat="power"),
    ))
