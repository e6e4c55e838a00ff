"""Figures of the Computational graph page: the graph itself, one image's gradient, the ε curve.

The graph figure only walks the data of ``playground.lessons.graph.graph``: nodes become
boxes, parent → child pairs become arrows, a node's gradient is written on the
arrow leaving it (that is where the chain rule sends it back along). Words on
the figures come in as arguments (the pages translate them).
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from playground.figures.panels import image_panel_axes
from playground.lessons.graph.graph import Graph, fmt, revealed

COLUMN_X = (0.0, 2.55, 4.7, 6.6)
"""x of each column's centre, in data units (a box is BOX_W wide): the first gap is wider,
it carries the labels dw₁, dw₂, db of the arrows that fan into z."""
BOX_W, BOX_H = 1.05, 0.62
ROLE_FILL = {"data": "#dbeafe", "parameter": "#ffedd5", "constant": "#e5e7eb", "computed": "#dcfce7"}
BORDER = "#334155"
CURRENT = "#dc2626"
CURRENT_FILL = "#fef08a"
GRAD = "#b91c1c"
FONT = "Arial, sans-serif"
DEFAULT_LEGEND = (
    "<b>blue</b>: data x, y · <b>orange</b>: parameters w, b (learned) · <b>green</b>: computed<br>"
    "black: forward values · <span style='color:#b91c1c'><b>red</b></span>: backward, dL/d(·) on its arrow"
)


def graph_layout(graph: Graph) -> dict[str, tuple[float, float]]:
    """Centre (x, y) of every node, in data units.

    Columns by depth: a computed node sits one column right of its deepest parent; an
    input sits one column left of the node that uses it (so y sits beside a, next to L).
    Inputs of the first column are stacked top to bottom in the graph's order; a computed
    node is level with its computed parents (the main chain stays straight), another
    input sits below the node it feeds.
    """
    depth: dict[str, int] = {}
    for n in graph.nodes:
        depth[n.name] = 1 + max((depth[p] for p in n.parents), default=-1)
    for n in graph.nodes:
        if not n.parents:
            depth[n.name] = min(depth[c] for c in graph.consumers(n.name)) - 1
    first = [n.name for n in graph.nodes if not n.parents and depth[n.name] == 0]
    row = {name: (len(first) - 1) / 2 - k for k, name in enumerate(first)}
    for n in graph.nodes:
        if n.parents:
            inner = [p for p in n.parents if graph.node(p).parents] or [p for p in n.parents if p in row]
            row[n.name] = float(np.mean([row[p] for p in inner]))
    for n in graph.nodes:
        if n.name not in row:
            row[n.name] = row[graph.consumers(n.name)[0]] - 1.4
    return {name: (COLUMN_X[depth[name]], row[name]) for name in depth}


def _extent(graph: Graph, pos: dict, name: str) -> tuple[float, float]:
    """Lowest and highest y of a node's box. A node fed only by inputs (z) is as tall as
    their stack, so their arrows run straight into it and each keeps room for its label."""
    node = graph.node(name)
    y, half = pos[name][1], BOX_H / 2
    if len(node.parents) > 1 and all(not graph.node(p).parents for p in node.parents):
        rows = [pos[p][1] for p in node.parents]
        return min(rows) - half, max(rows) + half
    return y - half, y + half


def _node_text(node, shown: bool) -> str:
    value = fmt(node.value) if shown else "?"
    colour = "#111827" if shown else "#9ca3af"
    text = f"<b>{node.label}</b> = <span style='color:{colour}'>{value}</span>"
    if node.forward:
        formula = node.forward if len(node.forward) <= 18 else f"{node.label}(a, y)"
        text += f"<br><span style='font-size:13px;color:#475569'>{formula}</span>"
    return text


def computational_graph_figure(
    graph: Graph, step: int | None = None, height: int = 540, legend: str = DEFAULT_LEGEND,
    hover_words: tuple[str, str, str] = ("forward", "value", "backward"),
) -> go.Figure:
    """The graph with the forward values and gradients revealed after ``step`` steps (None: all).

    The current step's node (forward) or arrow (backward) is drawn in red on yellow.
    """
    steps = graph.steps()
    values, grads, current = revealed(graph, len(steps) if step is None else step)
    pos = graph_layout(graph)
    fig = go.Figure()
    # Collected and set in one update_layout: one add_annotation call per label re-validates
    # the whole layout, which made this figure several times slower to build.
    annotations, shapes = [], []
    hw, hh = BOX_W / 2, BOX_H / 2

    extent = {n.name: _extent(graph, pos, n.name) for n in graph.nodes}
    for parent, child in graph.edges():
        (x0, y0), (x1, y1) = pos[parent], pos[child]
        low, high = extent[child]
        siblings = graph.node(child).parents
        if low <= y0 <= high:
            y_end = y0  # the child is tall enough: the arrow runs straight
        else:
            # Several arrows into one box arrive spread along its left side, in their parents' order.
            k = siblings.index(parent)
            y_end = y1 + (0.75 * hh * (1 - 2 * k / (len(siblings) - 1)) if len(siblings) > 1 else 0.0)
        is_current = current is not None and current.phase == "backward" and current.node == parent
        annotations.append(dict(
            x=x1 - hw, y=y_end, ax=x0 + hw, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="",
            showarrow=True, arrowhead=2, arrowsize=1.2, arrowwidth=4 if is_current else 1.8,
            arrowcolor=CURRENT if is_current else "#64748b",
        ))
        node = graph.node(parent)
        if node.grad is None or parent not in grads:
            continue
        label = (f"<b>{node.grad_name} = {fmt(node.grad)}</b>"
                 f"<br><span style='font-size:13px'>= {node.backward}</span>")
        if node.parents:
            # On the main chain the arrow is short: write above the boxes, not on the arrow.
            lx, ly, anchor = (x0 + x1) / 2, max(y0, y1) + hh + 0.08, "bottom"
        else:
            lx, ly, anchor = (x0 + x1) / 2, y0 + 0.05, "bottom"
        annotations.append(dict(
            x=lx, y=ly, xref="x", yref="y", text=label, showarrow=False, yanchor=anchor,
            font=dict(size=16, color=GRAD, family=FONT),
            bgcolor=CURRENT_FILL if is_current else "rgba(255,255,255,0.92)",
            bordercolor=CURRENT if is_current else "rgba(0,0,0,0)", borderwidth=2, borderpad=3,
        ))

    for node in graph.nodes:
        x, y = pos[node.name]
        is_current = current is not None and current.phase == "forward" and current.node == node.name
        low, high = extent[node.name]
        shapes.append(dict(
            type="rect", x0=x - hw, x1=x + hw, y0=low, y1=high, xref="x", yref="y",
            fillcolor=CURRENT_FILL if is_current else ROLE_FILL[node.role],
            line=dict(color=CURRENT if is_current else BORDER, width=4 if is_current else 1.5),
            layer="below",
        ))
        annotations.append(dict(
            x=x, y=y, xref="x", yref="y", text=_node_text(node, node.name in values), showarrow=False,
            font=dict(size=20, color="#111827", family=FONT),
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
    fig.add_trace(go.Scatter(
        x=[pos[n.name][0] for n in graph.nodes], y=[pos[n.name][1] for n in graph.nodes],
        mode="markers", marker=dict(size=40, opacity=0), hovertext=hover, hoverinfo="text",
        customdata=[n.name for n in graph.nodes], showlegend=False,
    ))

    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    annotations.append(dict(
        x=0.5, y=0, xref="paper", yref="paper", yanchor="top", yshift=-4, text=legend, showarrow=False,
        font=dict(size=13, color="#334155", family=FONT),
    ))
    fig.update_xaxes(visible=False, range=[min(xs) - hw - 0.15, max(xs) + hw + 0.15], fixedrange=True)
    fig.update_yaxes(visible=False, range=[min(ys) - hh - 0.2, max(ys) + hh + 0.55], fixedrange=True)
    fig.update_layout(
        height=height, margin=dict(l=5, r=5, t=5, b=48), plot_bgcolor="white", paper_bgcolor="white",
        hoverlabel=dict(font_size=15), dragmode=False, annotations=annotations, shapes=shapes,
    )
    return fig


def gradient_image_figure(
    image: np.ndarray, dw_example: np.ndarray, dw: np.ndarray,
    titles: tuple[str, str, str] = ("x⁽ⁱ⁾: the picture", "dw⁽ⁱ⁾ = x⁽ⁱ⁾ dz⁽ⁱ⁾ (this example)",
                                    "dw = (1/m) Σᵢ dw⁽ⁱ⁾ (all m examples)"),
) -> go.Figure:
    """The picture (H, W, 3) uint8 beside two gradients of w (n_x,) drawn as images.

    Each gradient is summed over the three colour channels of a pixel and drawn on a
    diverging scale centred on 0 (red: the step w := w − α dw lowers those weights).
    """
    h, w_, _ = image.shape
    fig = make_subplots(rows=1, cols=3, subplot_titles=titles, horizontal_spacing=0.06)
    fig.add_trace(go.Image(z=image, hovertemplate="row %{y}, column %{x}<extra></extra>"), 1, 1)
    for col, g in ((2, dw_example), (3, dw)):
        grid = np.asarray(g, dtype=float).reshape(h, w_, 3).sum(axis=2)
        top = float(np.abs(grid).max()) or 1.0
        fig.add_trace(go.Heatmap(
            z=grid, colorscale="RdBu", reversescale=True, zmin=-top, zmax=top,
            colorbar=dict(len=0.9, thickness=10, x=0.63 if col == 2 else 1.0, tickformat=".1e"),
            hovertemplate="row %{y}, column %{x}<br>sum over R, G, B: %{z:.3e}<extra></extra>",
        ), 1, col)
    image_panel_axes(fig, 3)
    fig.update_layout(height=300, margin=dict(l=5, r=5, t=40, b=5))
    return fig


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
