"""Plotly figures built from plain dicts, without Plotly's property-by-property validation.

Validation costs time for every trace (most of all for the hundreds of traces of an animation's
frames), paid again on every rerun that draws a new figure. The builders write what plotly.js
reads, so nothing is lost: the tests build every figure once more with validation and compare.
"""

from __future__ import annotations

import plotly.graph_objects as go


def figure(data: list[dict], layout: dict, frames: list[dict] | None = None) -> go.Figure:
    """A go.Figure of plain dicts (traces, layout, frames), taken as they are.

    ``_validate=False`` is how plotly.io builds its own templates. Plotly's frames validator takes
    no such flag, so the frames are attached as unvalidated Frame objects: ``to_dict()`` (what
    st.plotly_chart sends) and ``go.Figure(fig)`` read them like any others; read them through
    ``to_dict()["frames"]`` (``fig.frames[i].data`` is not built).
    Validation would also spell named colour scales out, and plotly.js knows "Blues" but not
    "PuOr_r": builders pass such scales spelled out.
    """
    fig = go.Figure(data=data, layout=layout, _validate=False)
    if frames:
        fig._frame_objs = tuple(go.Frame(f, _validate=False) for f in frames)
    return fig
