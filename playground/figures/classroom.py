"""Figures of the Class page: one checkpoint's answers (first try against final) and the class's runs.

Pure builders: counts and values in, a Plotly Figure out; no Streamlit. The live view redraws every
figure every two seconds, so they are built from plain dicts without Plotly's validation
(playground.figures.unvalidated); the tests validate them. Every word comes in
``words`` (the page passes ``t("classroom.fig_<name>")`` for each name of :data:`WORDS`). What students
typed (an answer, a nickname) is drawn as text: Plotly reads ``<b>``, ``<br>`` and ``<a>`` in labels
and hover texts, so the builders escape it.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go

from playground.figures.unvalidated import figure

WORDS: tuple[str, ...] = (
    "first", "final", "students", "rate", "test", "diverged", "anonymous", "more", "hover_run", "hover_same",
)
"""The names of the words the builders take (``words[name]``); locales hold them as ``classroom.fig_<name>``."""

FIRST_COLOR, FINAL_COLOR = "#93c5fd", "#1d4ed8"
RIGHT_FIRST_COLOR, RIGHT_FINAL_COLOR = "#86efac", "#15803d"
OTHER_FIRST_COLOR, OTHER_FINAL_COLOR = "#e5e7eb", "#9ca3af"
"""Revealed, the right answers turn green and the others grey: the eye goes to the right bars."""
GRID_COLOR = "#e5e7eb"
LOSS_COLORS = {"cross_entropy": "#1d4ed8", "mse": "#ea580c"}
EXTRA_COLORS = ("#7c3aed", "#0f766e", "#be123c")
RIGHT_MARK = "✓ "
FONT_SIZE = 15
"""Read from the back of a classroom: above Plotly's 12."""
MAX_BARS = 10
"""Answer groups drawn at most; past them the least given are summed into one "other" bar (numbers
typed by a class of 200 may all differ)."""
LABEL_WIDTH, MAX_LABEL = 18, 60
"""Characters of an answer's label per line, and in all (past it: "…")."""
MAX_NAMES = 6
"""Nicknames one point's hover lists (a point may stand for many identical runs)."""
NO_ACCURACY = 0.0
"""Where a run without a test accuracy (it diverged to non-finite numbers) is drawn."""


# ---------------------------------------------------------------- a checkpoint's answers


@dataclass(frozen=True)
class AnswerBars:
    """The groups one checkpoint's bars show, in order: ``answers[i]`` (None: the "other" group, the
    answers past MAX_BARS summed) was the first try of ``first[i]`` students and the final answer of
    ``final[i]``."""

    answers: tuple[str | None, ...]
    first: tuple[int, ...]
    final: tuple[int, ...]


def _as_number(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def answer_bars(first: Mapping[str, int], final: Mapping[str, int], order: Sequence[str] = (),
                keep: Sequence[str] = (), numeric: bool = False, limit: int = MAX_BARS) -> AnswerBars:
    """The bars of a tally (answer → students, for the first tries and for the final answers).

    ``order``: answers drawn first and always, answered or not (a choice's options, in the order asked);
    the others follow, the most given first (``numeric``: the numbers in increasing order). Past
    ``limit`` groups the least given go into one "other" group, except those in ``keep`` (the right
    answers, once revealed)."""
    if limit < 2:
        raise ValueError(f"Expected room for two groups or more, got limit={limit}.")
    given = {a: first.get(a, 0) + final.get(a, 0) for a in {*first, *final} if first.get(a, 0) or final.get(a, 0)}
    listed = list(dict.fromkeys(order))
    rest = sorted((a for a in given if a not in listed), key=lambda a: (-given[a], a))
    room = limit - len(listed)
    if len(rest) > room:
        kept = [a for a in rest if a in keep]
        rest = kept + [a for a in rest if a not in kept][:max(room - 1 - len(kept), 0)]
    if numeric:
        rest.sort(key=lambda a: (_as_number(a) is None, _as_number(a) or 0.0, a))
    answers: list[str | None] = listed + rest
    summed = [a for a in given if a not in answers]
    if summed:
        answers.append(None)

    def count(tally: Mapping[str, int]) -> tuple[int, ...]:
        return tuple(sum(tally.get(a, 0) for a in summed) if a is None else tally.get(a, 0) for a in answers)

    return AnswerBars(tuple(answers), count(first), count(final))


def _label(text: str) -> str:
    """A label as Plotly draws it: escaped, cut to MAX_LABEL characters, wrapped every LABEL_WIDTH."""
    text = " ".join(str(text).split())
    if len(text) > MAX_LABEL:
        text = text[:MAX_LABEL - 1] + "…"
    lines = textwrap.wrap(text, LABEL_WIDTH, break_long_words=True) or [""]
    return "<br>".join(html.escape(line) for line in lines)


def answers_figure(labels: Sequence[str], first: Sequence[int], final: Sequence[int], words: Mapping[str, str],
                   right: Sequence[bool] | None = None, height: int = 360, font_size: int = FONT_SIZE) -> go.Figure:
    """Grouped bars: per answer (``labels``, as the page words them), the students whose first try it
    was beside those whose final answer it is. ``right``: None while the answer is hidden (every
    answer drawn alike); once revealed, which answers are right (green, marked ✓; the others grey).
    The answers and the counts are drawn larger than ``font_size``: they are what a class reads."""
    n = len(labels)
    if len(first) != n or len(final) != n or (right is not None and len(right) != n):
        raise ValueError(f"Expected one count per answer, got {n} labels, {len(first)} first counts, "
                         f"{len(final)} final counts and {'no' if right is None else len(right)} right flags.")
    if any(c < 0 for c in (*first, *final)):
        raise ValueError(f"Expected counts of students (0 or more), got {list(first)} and {list(final)}.")
    ticks = [(RIGHT_MARK if right is not None and right[i] else "") + _label(labels[i]) for i in range(n)]
    x = list(range(n))  # (by position: two answers worded alike stay two bars)

    def colors(plain: str, good: str, bad: str) -> str | list[str]:
        return plain if right is None else [good if r else bad for r in right]

    def bars(counts, name, line, fill) -> dict:
        return {"type": "bar", "x": x, "y": list(counts), "name": name,
                "marker": {"color": fill, "line": {"color": line, "width": 2}},
                "text": [str(c) if c else "" for c in counts], "textposition": "outside", "cliponaxis": False,
                "textfont": {"size": font_size + 4}, "customdata": ticks,
                "hovertemplate": f"%{{customdata}}<br>{name}: %{{y}}<extra></extra>"}

    top = max((*first, *final), default=0)
    data = [bars(first, words["first"], FIRST_COLOR, colors(FIRST_COLOR, RIGHT_FIRST_COLOR, OTHER_FIRST_COLOR)),
            bars(final, words["final"], FINAL_COLOR, colors(FINAL_COLOR, RIGHT_FINAL_COLOR, OTHER_FINAL_COLOR))]
    yaxis = {"title": {"text": words["students"], "font": {"size": font_size}}, "rangemode": "tozero",
             "range": [0, max(top, 1) * 1.25], "tickformat": "d", "tickfont": {"size": font_size},
             "gridcolor": GRID_COLOR}
    if top <= 8:
        yaxis["dtick"] = 1  # (a tick per student; above, Plotly's own)
    return figure(data, {
        "xaxis": {"tickvals": x, "ticktext": ticks, "tickfont": {"size": font_size + 4}, "range": [-0.6, max(n, 1) - 0.4]},
        "yaxis": yaxis, "barmode": "group", "bargap": 0.25, "bargroupgap": 0.06, "height": height,
        "font": {"size": font_size}, "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "plot_bgcolor": "white",
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0,
                   "font": {"size": font_size}},
    })


# ---------------------------------------------------------------- the class's runs


@dataclass(frozen=True)
class RunPoint:
    """Runs sent with the same settings and the same outcome: one marker, sized by how many."""

    learning_rate: float
    iterations: int
    loss: str
    init: str
    test_accuracy: float | None
    train_accuracy: float | None
    diverged: bool
    nicknames: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.nicknames)


def _finite(value) -> float | None:
    return None if value is None or not math.isfinite(float(value)) else float(value)


def run_points(learning_rates: Sequence[float], test_accuracies: Sequence[float | None], losses: Sequence[str],
               diverged: Sequence[bool], nicknames: Sequence[str], iterations: Sequence[int], inits: Sequence[str],
               train_accuracies: Sequence[float | None] | None = None) -> tuple[RunPoint, ...]:
    """The runs (one value of each argument per run, in the order sent) as points, identical runs as
    one: a class that keeps the default settings makes one large point, not thirty on top of each other."""
    m = len(learning_rates)
    train_accuracies = [None] * m if train_accuracies is None else train_accuracies
    columns = (test_accuracies, losses, diverged, nicknames, iterations, inits, train_accuracies)
    if any(len(c) != m for c in columns):
        raise ValueError(f"Expected one value of each per run, got lengths {[m] + [len(c) for c in columns]}.")
    if any(not (math.isfinite(float(r)) and float(r) > 0) for r in learning_rates):
        raise ValueError(f"Expected positive learning rates (a log axis), got {list(learning_rates)}.")
    groups: dict[tuple, list[str]] = {}
    for k in range(m):
        test, train = _finite(test_accuracies[k]), _finite(train_accuracies[k])
        key = (float(learning_rates[k]), int(iterations[k]), str(losses[k]), str(inits[k]),
               None if test is None else round(test, 2), None if train is None else round(train, 2),
               bool(diverged[k]))
        groups.setdefault(key, []).append(str(nicknames[k]))
    return tuple(RunPoint(*key, nicknames=tuple(names)) for key, names in groups.items())


def _percent(value: float | None, missing: str) -> str:
    return missing if value is None else f"{value:.2f}".rstrip("0").rstrip(".") + " %"


def _hover(p: RunPoint, words: Mapping[str, str], init_names: Mapping[str, str]) -> str:
    names = [html.escape(n) if n else words["anonymous"] for n in p.nicknames[:MAX_NAMES]]
    people = ", ".join(names) + (" " + words["more"].format(n=p.count - MAX_NAMES) if p.count > MAX_NAMES else "")
    run = words["hover_run"].format(
        rate=f"{p.learning_rate:g}", iterations=f"{p.iterations:,}", init=html.escape(init_names.get(p.init, p.init)),
        test=_percent(p.test_accuracy, words["diverged"]), train=_percent(p.train_accuracy, "–"))
    same = words["hover_same"].format(n=p.count) + "<br>" if p.count > 1 else ""
    return f"<b>{people}</b><br>{same}{run}"


def _rate_text(rate: float) -> str:
    """0.0001, not 1e-04: as the Train page's slider writes α."""
    return np.format_float_positional(rate, trim="-")


def runs_figure(points: Sequence[RunPoint], words: Mapping[str, str], loss_names: Mapping[str, str],
                init_names: Mapping[str, str] | None = None, rates: Sequence[float] = (), height: int = 440,
                font_size: int = FONT_SIZE) -> go.Figure:
    """The class's runs: α on a log axis against the test accuracy (%), one colour per loss (in the
    order of ``loss_names``), a run that diverged as ✕ (at NO_ACCURACY when it has no accuracy), a
    point's size growing with the runs it stands for; its hover lists who sent it and its settings.
    The α axis spans ``rates`` (the slider's, so that it does not jump as runs arrive) and every run,
    ticked at every power of ten."""
    init_names = init_names or {}
    order = list(loss_names) + sorted({p.loss for p in points} - set(loss_names))
    size = 13 * font_size / FONT_SIZE  # (a marker grows with the text in presenter mode)
    traces = []
    for k, loss in enumerate(order):
        color = LOSS_COLORS.get(loss, EXTRA_COLORS[k % len(EXTRA_COLORS)])
        name = html.escape(loss_names.get(loss, loss))
        for broke in (False, True):
            mine = [p for p in points if p.loss == loss and p.diverged == broke]
            if not mine:
                continue
            traces.append({
                "type": "scatter", "mode": "markers", "name": f"{name} · {words['diverged']}" if broke else name,
                "x": [p.learning_rate for p in mine],
                "y": [NO_ACCURACY if p.test_accuracy is None else p.test_accuracy for p in mine],
                "marker": {"color": color, "symbol": "x" if broke else "circle", "opacity": 0.85,
                           "size": [size * (1 + 0.4 * math.sqrt(p.count - 1)) for p in mine],
                           "line": {"color": color if broke else "white", "width": 1}},
                "hovertext": [_hover(p, words, init_names) for p in mine], "hoverinfo": "text",
            })
    spanned = [float(r) for r in rates if r > 0] + [p.learning_rate for p in points]
    lo, hi = (math.log10(min(spanned)) - 0.25, math.log10(max(spanned)) + 0.25) if spanned else (-4.25, 0.25)
    decades = [10.0 ** e for e in range(math.ceil(lo), math.floor(hi) + 1)]
    return figure(traces, {
        "xaxis": {"type": "log", "title": {"text": words["rate"], "font": {"size": font_size}}, "range": [lo, hi],
                  "tickvals": decades, "ticktext": [_rate_text(d) for d in decades], "gridcolor": GRID_COLOR,
                  "tickfont": {"size": font_size}},
        "yaxis": {"title": {"text": words["test"], "font": {"size": font_size}}, "range": [-5, 105], "dtick": 25,
                  "zeroline": False, "gridcolor": GRID_COLOR, "tickfont": {"size": font_size}},
        "height": height, "font": {"size": font_size}, "plot_bgcolor": "white", "showlegend": True,
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10}, "hoverlabel": {"font": {"size": font_size}},
        "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0,
                   "font": {"size": font_size}},
    })
