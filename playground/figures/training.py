"""Figures of the Train page: cost curves, the learned w as a picture, the replay
animation, the learning-rate comparison, the confusion matrix, and which test images it got wrong.

Pure builders: a TrainingResult (or plain arrays) in, a Plotly Figure out (the confusion matrix, four
numbers, a small HTML table); no Streamlit.
Only finite values are drawn (and only positive ones on a log axis), so a run that
diverged shows its curve up to where it broke instead of a NaN plot.

Every word a figure shows comes in as an argument: ``words`` maps each name of
:data:`WORDS` to its text in the visitor's language (the Train page passes
``t("train.fig_<name>")``). A text may hold ``{fields}``: ``{x}``, ``{y}`` and ``{z}``
become Plotly's ``%{x}`` … in hover texts, the others are numbers the builder fills in.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from playground.figures.pictures import (
    COLOUR_BAR_CSS,
    colour_bar_html,
    diverging_levels,
    levels_data_uri,
    png_data_uri,
    scale_stops,
    unit,
)
from playground.figures.unvalidated import figure
from playground.training import TrainingResult
from playground.training.histories import DIVERGENCE_FACTOR

WORDS: tuple[str, ...] = (
    "train_cost", "test_cost", "iteration", "iteration_every", "hover_train", "hover_test", "hover_cost",
    "cost_axis", "cost_axis_log", "train_cost_axis", "train_cost_axis_log", "diverged_mark", "stopped_mark",
    "rate_diverged", "all_channels", "channel", "red", "green", "blue",
    "replay_none", "replay_costs", "replay_not_finite", "replay_title", "replay_w", "play", "pause",
    "slider_prefix", "tn", "fp", "fn", "tp", "predicted", "really",
)
"""The names of the words the builders take (``words[name]``); locales hold them as ``train.fig_<name>``."""

TRAIN_COLOR = "#1f77b4"
TEST_COLOR = "#ff7f0e"
DIVERGED_COLOR = "crimson"
WEIGHTS_COLORSCALE = "PuOr_r"
"""Diverging scale for w: purple < 0 (pushes toward label 0), white = 0, orange > 0 (toward label 1)."""
CHANNEL_NAMES = ("red", "green", "blue")
"""The colour channels, in order; also the names of their words."""
RATE_COLORS = (
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
)
FONT_SIZE = 14
"""Figures are read from the back of a classroom: a size above Plotly's 12."""
_F32_MAX = float(np.finfo(np.float32).max)


# ---------------------------------------------------------------- helpers


def _scale(name: str) -> list[list]:
    """A named Plotly colour scale as [[position, colour], …] (a new list each call)."""
    return [list(stop) for stop in scale_stops(name)]


def plottable(y, log_y: bool = False) -> np.ndarray:
    """float32 copy of ``y`` with what cannot be drawn set to NaN (a gap in the line):
    non-finite values, values beyond float32, and on a log axis values ≤ 0."""
    y = np.array(y, dtype=float, copy=True).reshape(-1)
    bad = ~np.isfinite(y) | (np.abs(y) > _F32_MAX)
    if log_y:
        bad |= y <= 0
    y[bad] = np.nan
    return y.astype(np.float32)


def cost_series(costs, final_cost: float | None = None, every: int = 1,
                total: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """x = 0 … T and the cost there: costs[i] before update i·every (a history recorded every
    ``every`` iterations), then the cost at the final parameters at x = T (``total``, default the
    history's end; when the final cost is known and finite)."""
    y = np.asarray(costs, dtype=float).reshape(-1)
    x = np.arange(len(y)) * every
    if final_cost is not None and math.isfinite(final_cost):
        y = np.append(y, final_cost)
        x = np.append(x, len(x) * every if total is None else total)
    return x, y


def _tick_label(value: float) -> str:
    """A tick's full value as people write it: 0.2, 1, 1,000, and 1e-05 past four decimals."""
    if 1e-4 <= value < 1e6:
        return f"{value:,.4f}".rstrip("0").rstrip(".")
    return f"{value:.0e}"


def log_ticks(values: Sequence[np.ndarray], most: int = 8) -> dict:
    """Tick values and labels for a log axis over the positive finite ``values``, written in full.

    Plotly labels its own ticks between powers of ten with a bare digit ("2" for 0.2), which reads
    as a cost of 2. Here: 1-2-3-5, 1-2-5 or 1 … 9 in each decade, the first that gives 3 to ``most``
    ticks; past that, powers of ten (every other one …); on a range too narrow for any of them,
    Plotly's own ticks with full labels (tickformat).
    """
    finite = np.concatenate([np.asarray(v, dtype=float)[np.isfinite(v)] for v in values] or [np.empty(0)])
    finite = finite[finite > 0]
    if finite.size == 0:
        return {}
    lo, hi = math.log10(float(finite.min())), math.log10(float(finite.max()))
    pad = max(0.05 * (hi - lo), 0.01)  # about what Plotly's autorange adds around the data
    lo, hi = lo - pad, hi + pad
    decades = range(math.floor(lo), math.ceil(hi) + 1)

    def within(mantissas, every=1) -> list[float]:
        # Parsed from text, so 0.3 is 0.3 and not 3 × 0.1 = 0.30000000000000004.
        return [float(f"{m}e{e}") for e in decades if e % every == 0 for m in mantissas
                if lo <= e + math.log10(m) <= hi]

    fine = [within((1, 2, 3, 5)), within((1, 2, 5)), within(range(1, 10))]
    wide = [within((1,), k) for k in range(1, len(decades) + 1)]
    ticks = next((c for c in fine if 3 <= len(c) <= most), None) or next((c for c in wide if 2 <= len(c) <= most), None)
    if ticks is None:
        return {"tickformat": "~g"}
    return {"tickmode": "array", "tickvals": ticks, "ticktext": [_tick_label(v) for v in ticks]}


def cost_range(values: Sequence[np.ndarray], log_y: bool) -> list[float] | None:
    """A fixed y range covering every drawable value (for animations, whose axes must not jump)."""
    finite = np.concatenate([v[np.isfinite(v)] for v in values] or [np.empty(0)])
    if log_y:
        finite = finite[finite > 0]
    if finite.size == 0:
        return None
    lo, hi = float(finite.min()), float(finite.max())
    if log_y:
        lo, hi = math.log10(lo), math.log10(hi)
        pad = max(0.05 * (hi - lo), 0.05)
        return [lo - pad, hi + pad]
    return [min(0.0, lo), hi * 1.05 if hi > 0 else 1.0]


def weights_grid(w, image_shape) -> np.ndarray:
    """w (n_x, 1) or (n_x,) back to the picture it weighs: (H, W, 3), w[(r·W + c)·3 + k] at [r, c, k]."""
    return np.asarray(w, dtype=float).reshape(tuple(image_shape))


def weights_limit(*ws) -> float:
    """A symmetric colour limit for w: the 99.5th percentile of |w| over all finite entries
    (a few extreme weights would otherwise wash the picture out); 1 when w is all zeros."""
    values = np.concatenate([np.abs(np.asarray(w, dtype=float).reshape(-1)) for w in ws])
    values = values[np.isfinite(values)]
    if values.size == 0:
        return 1.0
    limit = float(np.percentile(values, 99.5))
    if limit <= 0:
        limit = float(values.max())
    return limit if limit > 0 else 1.0


def weights_rgb(w, image_shape, limit: float | None = None) -> np.ndarray:
    """w as one uint8 RGB picture: each channel 128 + 127·w/limit, clipped.

    Grey is w = 0; a bright channel means a positive weight there (that colour in that
    place pushes toward label 1), a dark one a negative weight. Non-finite w shows grey.
    """
    grid = weights_grid(w, image_shape)
    limit = weights_limit(grid) if limit is None else limit
    return np.round(128 + 127 * unit(grid, limit)).astype(np.uint8)


def format_rate(rate: float) -> str:
    return np.format_float_positional(float(rate), trim="-")


def hover(words: Mapping[str, str], name: str, **values) -> str:
    """A hover template from a word with {x}, {y}, {z}: Plotly's %{x} … in their places."""
    tokens = {"x": "%{x}", "y": "%{y:.5g}", "z": "%{z}"}
    return words[name].format(**{**tokens, **values})


_TYPED = {"int8": "i1", "uint8": "u1", "int16": "i2", "uint16": "u2", "int32": "i4", "uint32": "u4",
          "float32": "f4", "float64": "f8"}


def typed_array(values) -> dict:
    """An array as Plotly's typed-array spec {"dtype", "bdata" (base64), "shape"}: what Plotly itself
    sends for a NumPy array, made once here, so the figure's validation and every rerun's JSON take
    it as it is instead of copying and encoding it again (most of all for an animation's frames)."""
    a = np.asarray(values)
    if a.dtype.kind in "iu" and a.dtype.itemsize > 2:
        # As Plotly does: the smallest integer type that holds the values (iterations fit 16 bits).
        fits16 = a.size == 0 or (a.min() >= -32768 and a.max() <= 32767)
        a = a.astype(np.int16 if fits16 else np.int32)
    a = np.ascontiguousarray(a)
    spec = {"dtype": _TYPED[str(a.dtype)], "bdata": base64.b64encode(a.tobytes()).decode("ascii")}
    if a.ndim > 1:
        spec["shape"] = ", ".join(map(str, a.shape))
    return spec


# ---------------------------------------------------------------- cost curves


def every_series(x: np.ndarray, y: np.ndarray, every: int, total: int) -> tuple[np.ndarray, np.ndarray]:
    """The points of a cost_series at iterations 0, every, 2·every, … and at the end (``total``):
    the cost as the course records it (every 100 iterations), with where the run ended."""
    if every <= 1 or x.size == 0:
        return x, y
    keep = (x % every == 0) | (x == total)
    return x[keep], y[keep]


def title_layout(title: str | None, font_size: int) -> dict:
    """The title at the top left and the legend in a row under it, both above the plot: the legend
    beside the title covered it on a narrow chart (a phone, presenter mode)."""
    title_px, legend_px = font_size + 4, round(font_size * 1.8)
    return dict(
        margin=dict(l=10, r=10, t=(title_px + legend_px + 22) if title else legend_px + 12, b=10),
        title=dict(text=title or "", x=0, xanchor="left", xref="paper", y=1, yref="container", yanchor="top",
                   pad=dict(t=8), font=dict(size=title_px)),
        legend=dict(orientation="h", x=0, xanchor="left", y=1, yanchor="bottom"),
    )


def cost_figure(result: TrainingResult, words: Mapping[str, str], log_y: bool = False, height: int = 420,
                font_size: int = FONT_SIZE, title: str | None = None, every: int = 1) -> go.Figure:
    """Train and test cost, with the point where a run diverged or broke marked.

    every=1 draws them at every iteration; every=100 at iterations 0, 100, 200, … and at the end, as
    the course records the cost, which leaves out the zigzags of the first steps. The train curve is
    drawn over the test curve (zorder): it is the one gradient descent lowers.

    Built as one dict (no update_* calls): it is redrawn on every new setting.
    """
    T = result.settings.num_iterations
    x, y = every_series(*cost_series(result.costs, result.final_cost), every, T)
    xt, yt = every_series(*cost_series(result.test_costs, result.final_test_cost, result.test_every, len(result.costs)),
                          every, T)
    y, yt = plottable(y, log_y), plottable(yt, log_y)

    def mode(n: int) -> str:
        return "markers" if n <= 1 else "lines+markers" if every > 1 else "lines"

    data = [
        dict(type="scatter", x=typed_array(x), y=typed_array(y), name=words["train_cost"], zorder=1,
             mode=mode(len(x)), line=dict(color=TRAIN_COLOR, width=2.5), marker=dict(size=6),
             hovertemplate=hover(words, "hover_train") + "<extra></extra>"),
        dict(type="scatter", x=typed_array(xt), y=typed_array(yt), name=words["test_cost"],
             mode=mode(len(xt)), line=dict(color=TEST_COLOR, width=2, dash="dot"), marker=dict(size=5),
             hovertemplate=hover(words, "hover_test") + "<extra></extra>"),
    ]
    shapes, notes = [], []

    def mark(at: int, text: str, dash: str, top: bool) -> None:
        shapes.append(dict(type="line", x0=at, x1=at, y0=0, y1=1, xref="x", yref="paper",
                           line=dict(color=DIVERGED_COLOR, dash=dash, width=1.5)))
        notes.append(dict(x=at, y=1 if top else 0, xref="x", yref="paper", text=text, showarrow=False,
                          xanchor="left", yanchor="top" if top else "bottom", font=dict(color=DIVERGED_COLOR)))

    if result.diverged_at is not None:
        d = int(result.diverged_at)
        mark(d, " " + words["diverged_mark"].format(factor=f"{DIVERGENCE_FACTOR:g}", iteration=d), "dash", True)
    if result.stopped_early:
        last = len(result.costs) - 1
        mark(last, " " + words["stopped_mark"].format(iteration=last), "solid", False)
    layout = dict(
        height=height, font=dict(size=font_size), hovermode="x unified", **title_layout(title, font_size),
        **({"shapes": shapes, "annotations": notes} if shapes else {}),
        xaxis=dict(title=dict(text=words["iteration_every"].format(every=every) if every > 1 else words["iteration"]),
                   range=[0, max(T, 1)]),
        yaxis=dict(title=dict(text=words["cost_axis_log" if log_y else "cost_axis"]), type="log" if log_y else "linear",
                   **(log_ticks([y, yt]) if log_y else {})),
    )
    return figure(data, layout)


def lr_comparison_figure(results: Mapping[float, TrainingResult], words: Mapping[str, str], log_y: bool = False,
                         every: int = 1, height: int = 420, font_size: int = FONT_SIZE) -> go.Figure:
    """The training cost for several learning rates, overlaid.

    every=1 draws the cost at every iteration; every=100 draws it only at iterations
    0, 100, 200, … as the course records it, which with the course's data, 1,500 iterations
    and α = 0.01 / 0.001 / 0.0001 is the course's figure.

    Built as one dict (no add_* / update_* calls): it is redrawn whenever the rates change.
    """
    data, drawn = [], []
    T = 1
    for k, (rate, result) in enumerate(sorted(results.items(), key=lambda kv: -kv[0])):
        color = RATE_COLORS[k % len(RATE_COLORS)]
        if every > 1:
            x = np.arange(0, len(result.costs), every)
            y = np.asarray(result.costs, dtype=float)[x]
        else:
            x, y = cost_series(result.costs, result.final_cost)
        T = max(T, result.settings.num_iterations)
        name = f"α = {format_rate(rate)}"
        drawn.append(plottable(y, log_y))
        data.append(dict(
            type="scatter", x=typed_array(x), y=typed_array(drawn[-1]), name=name,
            mode="lines" if len(x) > 1 and every == 1 else "lines+markers", line=dict(color=color, width=2.5),
            hovertemplate=f"{name}<br>{hover(words, 'hover_cost')}<extra></extra>",
        ))
        if result.diverged_at is not None:
            d = int(result.diverged_at)
            yd = plottable(np.asarray(result.costs, dtype=float)[d:d + 1], log_y)
            if np.isfinite(yd).all():
                data.append(dict(
                    type="scatter", x=[d], y=yd, mode="markers", showlegend=False,
                    marker=dict(symbol="x", size=12, color=color, line=dict(width=2)),
                    hovertemplate=words["rate_diverged"].format(name=name, factor=f"{DIVERGENCE_FACTOR:g}", iteration=d)
                    + "<extra></extra>",
                ))
    layout = dict(
        height=height, margin=dict(l=10, r=10, t=30, b=10), font=dict(size=font_size),
        legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
        xaxis=dict(title=dict(text=words["iteration_every"].format(every=every) if every > 1 else words["iteration"]),
                   range=[0, T]),
        yaxis=dict(title=dict(text=words["train_cost_axis_log" if log_y else "train_cost_axis"]),
                   type="log" if log_y else "linear", **(log_ticks(drawn) if log_y else {})),
    )
    return figure(data, layout)


# ---------------------------------------------------------------- the weights


WEIGHTS_CSS = COLOUR_BAR_CSS + """
.weights { max-width: 30rem; margin: 0 auto 0.5rem auto; }
.weights .title { font-weight: 600; font-size: 1.1rem; margin: 0 0 0.25rem 0; }
.weights .body { display: flex; gap: 0.75rem; }
.weights .panels { flex: 1; display: grid; grid-template-columns: 1fr 1fr; gap: 0.4rem 0.75rem; }
.weights figure { margin: 0; }
.weights figcaption { text-align: center; font-size: 0.875rem; color: #4b5563; }
.weights img { display: block; width: 100%; height: auto; image-rendering: pixelated; }
.weights .cbar { padding: 1.4rem 0 0.2rem 0; }
"""
"""Rem units: presenter mode enlarges the root font, and the panels with it."""


def weights_html(w, image_shape, words: Mapping[str, str], title: str | None = None) -> str:
    """The learned w reshaped to the picture it weighs, read two ways, as HTML with its style: 2 × 2
    panels, top left w as one RGB picture (:func:`weights_rgb`, grey = 0), then one per colour channel
    on a shared diverging scale (:func:`diverging_levels`: purple < 0 < orange, white = 0), beside that
    scale's colour bar from -limit (bottom) to +limit (top).

    Pictures in HTML rather than a chart, because they are redrawn on every new setting and a browser
    shows four small PNGs at a fraction of a chart's cost. No hover: a picture holds colours, not w.
    """
    esc = html.escape
    grid = weights_grid(w, image_shape)
    limit = weights_limit(grid)
    titles = [words["all_channels"]] + [words["channel"].format(name=words[name]) for name in CHANNEL_NAMES]
    sources = [png_data_uri(weights_rgb(grid, image_shape, limit))]
    sources += [levels_data_uri(diverging_levels(grid[:, :, k], limit), WEIGHTS_COLORSCALE) for k in range(3)]
    panels = "".join(f'<figure><figcaption>{esc(text)}</figcaption><img src="{src}" alt="{esc(text)}"></figure>'
                     for text, src in zip(titles, sources))
    bar = colour_bar_html(limit, WEIGHTS_COLORSCALE)
    head = f'<p class="title">{esc(title)}</p>' if title else ""
    return (f'<style>{WEIGHTS_CSS}</style><div class="weights">{head}'
            f'<div class="body"><div class="panels">{panels}</div>{bar}</div></div>')


# ---------------------------------------------------------------- test-set results

CONFUSION_CSS = """
table.confusion { border-collapse: separate; border-spacing: 0.3rem; margin: 0.25rem 0 1rem -0.3rem; }
table.confusion th { font-weight: normal; color: #4b5563; text-align: center; padding: 0.2rem 0.4rem; border: none; }
table.confusion th b { color: #111827; }
table.confusion td { text-align: center; padding: 0.5rem 0.6rem; border: none; border-radius: 0.5rem;
  min-width: 6.5rem; line-height: 1.25; }
table.confusion td b { font-size: 1.75rem; }
table.confusion td.right { background: #dbeafe; }
table.confusion td.wrong { background: #fee2e2; }
"""
"""Rem units: presenter mode enlarges the root font, and the table with it."""


def confusion_html(confusion: Mapping[str, int], classes: Sequence[str], words: Mapping[str, str]) -> str:
    """The test set's 2 × 2 counts ({"tn", "fp", "fn", "tp"}) as an HTML table with its style: a row per
    true class, a column per predicted one, each count large over its name, right answers blue and
    mistakes red. A table rather than a chart: four numbers, redrawn on every new setting."""
    esc = html.escape
    head = "".join(f'<th scope="col">{esc(words["predicted"])}<br><b>{esc(c)}</b></th>' for c in classes)
    rows = []
    for really, names in zip(classes, (("tn", "fp"), ("fn", "tp"))):
        cells = "".join(
            f'<td class="{"right" if name in ("tn", "tp") else "wrong"}"><b>{int(confusion.get(name, 0))}</b>'
            f'<br>{esc(words[name])}</td>' for name in names)
        rows.append(f'<tr><th scope="row">{esc(words["really"])}<br><b>{esc(really)}</b></th>{cells}</tr>')
    return (f'<style>{CONFUSION_CSS}</style><table class="confusion"><thead><tr><td></td>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def find_mistakes(p_cat, y) -> np.ndarray:
    """Indices where (P(cat) > 0.5) disagrees with the label, the most confident mistakes first."""
    p = np.asarray(p_cat, dtype=float).reshape(-1)
    y = np.asarray(y).reshape(-1)
    wrong = np.flatnonzero((p > 0.5) != (y == 1))
    return wrong[np.argsort(-np.abs(p[wrong] - 0.5), kind="stable")]
