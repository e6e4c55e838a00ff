"""The Computational graph page's checkpoints: dz for the graph on the page, and which planted bug
a gradient check's table gives away."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from playground.lessons.checkpoints.catalog import Checkpoint
from playground.lessons.checkpoints.kinds import Choice, Number, Question
from playground.lessons.graph.gradcheck import BUGS, GradientCheck
from playground.lessons.graph.graph import Graph, fmt

CHECKPOINTS = (
    Checkpoint("graph", "dz", "number"),
    Checkpoint("graph", "gradcheck_bug", "choice"),
)

DZ_TOLERANCE = 0.01
"""dz by hand: σ of a small z to two decimals is enough."""
ASK_ORDER = ("db_without_y", "no_mean", "sign", "other_loss")
"""The planted bugs the table question asks about, the first whose rows tell it apart from every other
bug: the subtlest first (only the b row is off), so the question says why b is in the sample."""
SHOWN_DIGITS = 2
"""Digits after the point of the rows the question quotes (3 significant digits): what a student reads."""


def dz(graph: Graph) -> Question:
    """dz = dL/dz at the z node of ``graph`` (the page's inputs and loss), and the step of the page's
    step-through that reveals it."""
    z, a = graph.node("z"), graph.node("a")
    steps = graph.steps()
    at = next(k for k, s in enumerate(steps, start=1) if s.phase == "backward" and s.node == "z")
    b = graph.node("w0" if graph.constant_feature else "b").value
    inputs = {name: fmt(graph.node(name).value) for name in ("x1", "x2", "w1", "w2")}
    return Question(
        Number(round(float(z.grad), 6), tolerance=DZ_TOLERANCE, digits=3),
        fields={**inputs, "b": fmt(b), "y": fmt(graph.y), "loss": graph.output.forward, "rule": z.simplified,
                "z": fmt(z.value), "a": fmt(a.value), "dz": fmt(z.grad), "step": at, "total": len(steps)},
        show={"step": at},
    )


def _sci(x: float) -> str:
    # As the page's table writes numbers: a typographic minus.
    return f"{x:.{SHOWN_DIGITS}e}".replace("-", "−")


def _rows(check: GradientCheck) -> tuple[int, ...]:
    """The rows the question quotes: the table's first two (w) and its last (b)."""
    return (0, 1, len(check.analytic) - 1)


def _shown(check: GradientCheck) -> tuple[str, ...]:
    return tuple(_sci(check.analytic[r]) for r in _rows(check))


def _ratio(g: float, g_num: float) -> str:
    return fmt(g / g_num) if g_num != 0 else "∞"


def gradcheck_bug(checks: Mapping[str, GradientCheck], order=ASK_ORDER) -> Question:
    """Which planted bug gave this check's table: ``checks`` maps every bug of BUGS (and "none") to its
    gradient check on the page's model and loss, all at one ε on one sample. The bug asked is the
    first of ``order`` whose quoted rows, as shown, no other backward pass gives."""
    if set(checks) != set(BUGS):
        raise ValueError(f"Expected a check for every planted bug ({', '.join(BUGS)}), got {', '.join(checks)}.")
    first = next(iter(checks.values()))
    if any(c.epsilon != first.epsilon or not np.array_equal(c.coordinates, first.coordinates)
           for c in checks.values()):
        raise ValueError("Expected the checks of every bug at one ε on one sample of coordinates.")
    shown = {name: _shown(c) for name, c in checks.items()}
    asked = next((name for name in order
                  if sum(rows == shown[name] for rows in shown.values()) == 1), None)
    if asked is None:
        raise ValueError(f"No planted bug of {', '.join(order)} shows in the check's first rows: they read alike.")
    check = checks[asked]
    names = [f"w[{j}]" for j in check.coordinates] + ["b"]
    rows = " · ".join(f"{names[r]}: {_sci(check.numeric[r])} → {_sci(check.analytic[r])}" for r in _rows(check))
    ratios = ", ".join(_ratio(check.analytic[r], check.numeric[r]) for r in _rows(check))
    return Question(
        Choice(tuple(BUGS), asked),
        fields={"epsilon": f"{check.epsilon:.0e}", "error": f"{check.relative_error:.2e}", "rows": rows,
                "ratios": ratios, "k": len(check.coordinates)},
        show={"bug": asked, "epsilon": check.epsilon},
    )
