"""Figures of the Loops vs vectors page. Words come in as arguments (the pages translate them)."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

COLOURS = ("#dc2626", "#f59e0b", "#2563eb", "#16a34a")


def format_seconds(s: float) -> str:
    """A duration as a person reads it: three significant digits, in s, ms, µs or ns."""
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.3g} ms"
    if s >= 1e-6:
        return f"{s * 1e6:.3g} µs"
    return f"{s * 1e9:.3g} ns"


def timing_figure(
    labels, seconds, reference: int = 0, x_title: str = "seconds per run (log scale)",
    speedup_text: str = "{factor} × faster", height: int | None = None,
) -> go.Figure:
    """Horizontal bars of ``seconds`` (one per label, slowest first as given) on a log axis,
    each annotated with its time and its speed-up over ``labels[reference]``."""
    seconds = np.asarray(seconds, dtype=float)
    if len(labels) != len(seconds) or len(seconds) == 0:
        raise ValueError(f"Expected one time per label, got {len(labels)} labels and {len(seconds)} times.")
    if not (np.isfinite(seconds).all() and (seconds > 0).all()):
        raise ValueError(f"Expected positive finite times, got {seconds.tolist()}.")
    ref = seconds[reference]
    texts = []
    for k, s in enumerate(seconds):
        text = format_seconds(s)
        if k != reference:
            text += " · " + speedup_text.format(factor=f"{ref / s:,.0f}" if ref / s >= 10 else f"{ref / s:.1f}")
        texts.append(text)
    fig = go.Figure(go.Bar(
        x=seconds, y=list(labels), orientation="h", text=texts, textposition="outside", width=0.5, offset=0.0,
        marker_color=[COLOURS[k % len(COLOURS)] for k in range(len(seconds))],
        textfont=dict(size=15), cliponaxis=False,
        hovertemplate="%{y}: %{x:.3e} s<extra></extra>",
    ))
    lo, hi = np.log10(seconds.min()) - 0.5, np.log10(seconds.max()) + 1.3  # room for the text
    fig.update_xaxes(type="log", title=x_title, range=[lo, hi], exponentformat="power", dtick=1)
    # Each name above its bar (the bars sit below their category's line: offset 0), not beside it: on a
    # phone the names would take half the width. Annotations, not inside tick labels, which would
    # hide the x axis's labels under them.
    fig.update_yaxes(autorange="reversed", showticklabels=False, ticks="")
    fig.update_layout(height=height or 90 + 70 * len(seconds), margin=dict(l=10, r=10, t=10, b=10),
                      showlegend=False, annotations=[
                          dict(text=label, x=0, xref="paper", xanchor="left", y=label, yref="y", yanchor="bottom",
                               showarrow=False, font=dict(size=14)) for label in labels])
    return fig
