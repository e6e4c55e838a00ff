"""The Train page's replay: w as a picture beside the cost curves filling in, one Plotly frame per
snapshot. Pure: a TrainingResult in, a Plotly Figure out; words as in playground.figures.training."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import plotly.graph_objects as go

from playground.figures.training import (
    FONT_SIZE,
    TEST_COLOR,
    TRAIN_COLOR,
    cost_range,
    cost_series,
    hover,
    log_ticks,
    plottable,
    typed_array,
    weights_limit,
    weights_rgb,
)
from playground.figures.unvalidated import figure
from playground.training import TrainingResult


TOP, BOTTOM = 70, 130
"""Pixels above the plot area (the title, the legend) and below it (the axis, the slider, Play / Pause)."""


def replay_figure(result: TrainingResult, image_shape, words: Mapping[str, str], log_y: bool = False,
                  max_points: int = 300, height: int = 556, frame_ms: int = 150,
                  font_size: int = FONT_SIZE) -> go.Figure:
    """Training replayed: w as an RGB picture beside the cost curves filling in,
    one Plotly frame per snapshot, with Play / Pause and a slider over iterations.

    ``result`` needs snapshot weights and a test history recorded every iteration (test_every=1);
    ``image_shape`` is w's picture shape; each frame's curves hold at most ``max_points`` points
    (always the snapshot iterations); ``frame_ms`` is a frame's duration when playing. The colour
    scale is the same in every frame, so the picture brightens as the weights grow.
    """
    # Frames carry only what changes: the picture (uint8 RGB, 12 KB before base64), the curves up to
    # that iteration and the current point (about 0.9 MB of JSON for 41 frames of a 64 × 64 × 3 w).
    # The picture is given as numbers, not as a PNG ``source``: Plotly loads a source asynchronously
    # and the picture blinks between frames. Built as one dict, its arrays already typed arrays
    # (typed_array), the two panels' axes written out (what make_subplots would make): validating and
    # sending the frames' NumPy arrays otherwise costs more than the training.
    x, y = cost_series(result.costs, result.final_cost)
    if result.test_every != 1:
        raise ValueError("The replay draws the test cost at every iteration: train the run with test_every=1.")
    _, yt = cost_series(result.test_costs, result.final_test_cost)
    n = len(x)
    snaps = [int(s) for s in result.snapshot_iterations if 0 <= s < max(n, 1)]
    if not snaps:
        snaps = [0]
    keep = np.unique(np.concatenate([
        np.linspace(0, max(n - 1, 0), min(max_points, max(n, 1))).round().astype(int),
        np.array(snaps, dtype=int),
    ]))
    keep = keep[keep < n] if n else keep[:0]
    xs, ys, yts = x[keep], plottable(y[keep], log_y), plottable(yt[keep], log_y)
    y_full, yt_full = plottable(y, log_y), plottable(yt, log_y)
    k_snaps = min(len(snaps), len(result.snapshot_w))
    limit = weights_limit(*result.snapshot_w[:k_snaps])
    # Every snapshot's picture in one call: the snapshots as a stack of pictures.
    # Each picture encoded once; frames past the last snapshot (or all, with none) repeat the last one.
    encoded = [typed_array(a) for a in weights_rgb(result.snapshot_w[:k_snaps], (k_snaps, *tuple(image_shape)), limit)] \
        if k_snaps else [typed_array(np.full(tuple(image_shape), 128, np.uint8))]
    images = [encoded[min(k, len(encoded) - 1)] for k in range(len(snaps))]

    def title(s: int) -> str:
        if n == 0:
            return words["replay_none"]
        i = min(s, n - 1)
        j, jt = y[i], yt[i]
        if math.isfinite(j) and math.isfinite(jt):
            part = words["replay_costs"].format(train=f"{j:.4f}", test=f"{jt:.4f}")
        else:
            part = words["replay_not_finite"]
        return words["replay_title"].format(iteration=s, total=max(n - 1, 0), costs=part)

    def frame_data(k: int) -> list[dict]:
        s = snaps[k]
        upto = int(np.searchsorted(xs, s, side="right"))  # xs is sorted: the points up to s
        i = min(s, n - 1)
        return [
            dict(type="image", z=images[k]),
            dict(type="scatter", x=typed_array(xs[:upto]), y=typed_array(ys[:upto])),
            dict(type="scatter", x=typed_array(xs[:upto]), y=typed_array(yts[:upto])),
            dict(type="scatter", x=[s, s] if n else [],
                 y=typed_array(np.array([y_full[i], yt_full[i]], dtype=np.float32)) if n else []),
        ]

    first = frame_data(0)
    data = [
        dict(first[0], hoverinfo="skip", name="w", xaxis="x", yaxis="y"),
        dict(first[1], mode="lines", name=words["train_cost"], line=dict(color=TRAIN_COLOR, width=2.5),
             hovertemplate=hover(words, "hover_train") + "<extra></extra>", xaxis="x2", yaxis="y2"),
        dict(first[2], mode="lines", name=words["test_cost"], line=dict(color=TEST_COLOR, width=2, dash="dot"),
             hovertemplate=hover(words, "hover_test") + "<extra></extra>", xaxis="x2", yaxis="y2"),
        dict(first[3], mode="markers", showlegend=False, hoverinfo="skip", xaxis="x2", yaxis="y2",
             marker=dict(size=10, color=[TRAIN_COLOR, TEST_COLOR], line=dict(color="white", width=1.5))),
    ]
    frames = [
        dict(name=str(s), data=frame_data(k) if k else first, traces=[0, 1, 2, 3],
             layout=dict(title=dict(text=title(s))))
        for k, s in enumerate(snaps)
    ]
    play = dict(frame=dict(duration=frame_ms, redraw=True), transition=dict(duration=0), fromcurrent=True, mode="immediate")
    pause = dict(frame=dict(duration=0, redraw=False), transition=dict(duration=0), mode="immediate")
    # Two panels side by side, as make_subplots(cols=2, column_widths=[0.36, 0.64], horizontal_spacing=0.08).
    left, right = [0.0, 0.3312], [0.4112, 1.0]
    hidden = dict(showticklabels=False, showgrid=False, zeroline=False, ticks="", constrain="domain")
    y_range = cost_range([y_full, yt_full], log_y)
    layout = dict(
        height=height, margin=dict(l=10, r=10, t=TOP, b=BOTTOM), font=dict(size=font_size),
        title=dict(text=title(snaps[0]), x=0, y=0.98, yanchor="top", font=dict(size=font_size + 2)),
        legend=dict(orientation="h", yanchor="bottom", y=1.01, xanchor="right", x=1),
        xaxis=dict(hidden, anchor="y", domain=left),
        yaxis=dict(hidden, anchor="x", domain=[0.0, 1.0], scaleanchor="x", autorange="reversed"),
        xaxis2=dict(anchor="y2", domain=right, title=dict(text=words["iteration"]), range=[0, max(n - 1, 1)]),
        yaxis2=dict(anchor="x2", domain=[0.0, 1.0], type="log" if log_y else "linear",
                    **({"range": y_range} if y_range else {}), **(log_ticks([y_full, yt_full]) if log_y else {})),
        annotations=[
            dict(text=text, x=sum(domain) / 2, y=1.0, xref="paper", yref="paper", xanchor="center",
                 yanchor="bottom", showarrow=False, font=dict(size=16))
            for text, domain in ((words["replay_w"], left), (words["cost_axis"], right))
        ],
        # The buttons under the slider, not beside it, so that neither covers the other on a phone.
        updatemenus=[dict(
            type="buttons", direction="left", showactive=False, xanchor="left", yanchor="top",
            x=0, y=-0.14 - 50 * font_size / FONT_SIZE / (height - TOP - BOTTOM),  # (the slider grows with its font)
            pad=dict(t=0, r=10),
            buttons=[
                dict(label=words["play"], method="animate", args=[None, play]),
                dict(label=words["pause"], method="animate", args=[[None], pause]),
            ],
        )],
        sliders=[dict(
            active=0, x=0, len=1.0, y=-0.14, yanchor="top", pad=dict(t=0, b=0),
            currentvalue=dict(prefix=words["slider_prefix"], font=dict(size=font_size, color="#31333F")),
            # One step per snapshot; their labels would crowd the track, so only the current one shows.
            font=dict(color="rgba(0,0,0,0)"), ticklen=4, minorticklen=0,
            steps=[
                dict(label=f"{s:,}", method="animate",
                     args=[[str(s)], dict(frame=dict(duration=0, redraw=True), transition=dict(duration=0), mode="immediate")])
                for s in snaps
            ],
        )],
    )
    return figure(data, layout, frames)
