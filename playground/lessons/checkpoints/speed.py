"""The Loops vs vectors page's checkpoints: how much faster np.dot is than a loop, and which of the
four training steps wins. Both answers are measured on the server, never written down.

A measurement costs up to a second, so the page times only once an answer is wanted (an option
picked, the answer revealed) and keeps that measurement for the session; until then it asks with
``None``: the question and its options can be shown, and nothing measured is said.
"""

from __future__ import annotations

import math

from playground.figures.speed import format_seconds
from playground.lessons.checkpoints.catalog import Checkpoint
from playground.lessons.checkpoints.kinds import Choice, Question
from playground.lessons.speed import DOT_LENGTH, IMPLEMENTATIONS, DotRace, Race

CHECKPOINTS = (
    Checkpoint("speed", "dot_faster", "choice"),
    Checkpoint("speed", "winner", "choice"),
)

FACTORS = (1, 10, 100, 1_000, 10_000)
"""The speed-ups offered, a factor of ten apart: each measurement is within a factor of √10 of one."""
FACTOR_OPTIONS = tuple(f"x{f}" for f in FACTORS)


def nearest_factor(speedup: float) -> int:
    """The factor of FACTORS nearest to ``speedup`` on a log scale (a tie goes to the smaller)."""
    if not (math.isfinite(speedup) and speedup > 0):
        raise ValueError(f"Expected a positive, finite speed-up, got {speedup!r}.")
    return min(FACTORS, key=lambda f: abs(math.log10(speedup / f)))


def dot_faster(dot: DotRace | None) -> Question:
    """How many times faster np.dot is than the loop, to the nearest of FACTORS, measured by ``dot``.

    ``dot`` None: nothing timed yet; the right option (the first) only stands in, and the page
    measures before it draws a Check button for a picked answer.
    """
    length = DOT_LENGTH if dot is None else dot.length
    fields = {"n": f"{length:,}"}
    if dot is None:
        return Question(Choice(FACTOR_OPTIONS, FACTOR_OPTIONS[0]), fields=fields, show={"race": "dot"})
    right = f"x{nearest_factor(dot.speedup)}"
    fields |= {"loop": format_seconds(dot.loop_seconds), "numpy": format_seconds(dot.numpy_seconds),
               "speedup": f"{dot.speedup:,.0f}", "per_element": f"{dot.loop_seconds / dot.length * 1e9:,.0f}"}
    return Question(Choice(FACTOR_OPTIONS, right), fields=fields, show={"race": "dot"})


def fastest(race: Race) -> tuple[str, str]:
    """(the fastest implementation, the runner-up) of ``race``, by their measured seconds per step."""
    first, second = sorted(IMPLEMENTATIONS, key=race.seconds.__getitem__)[:2]
    return first, second


def winner(race: Race | None, m: int, n: int) -> Question:
    """Which of IMPLEMENTATIONS takes the least time per step with m examples and n features, as
    ``race`` (timed at those sizes) measured it. ``race`` None: not timed yet (see ``dot_faster``).

    fields: the sizes, and the work each way does (multiply-adds of one step): the loops' m·n pairs
    through the interpreter, the vectorized 2·n·m (wᵀX, then X dZᵀ), the dual m·m (K α).
    """
    fields = {"m": f"{m:,}", "n": f"{n:,}", "pairs": f"{m * n:,}", "vector_work": f"{2 * n * m:,}",
              "dual_work": f"{m * m:,}"}
    show = {"m": m, "n": n}
    if race is None:
        return Question(Choice(IMPLEMENTATIONS, IMPLEMENTATIONS[0]), fields=fields, show=show)
    if (race.m, race.n) != (m, n):
        raise ValueError(f"Expected a race of m = {m}, n = {n}, got m = {race.m}, n = {race.n}.")
    first, second = fastest(race)
    fields |= {"winner_time": format_seconds(race.seconds[first]), "second_time": format_seconds(race.seconds[second]),
               "ratio": f"{race.seconds[second] / race.seconds[first]:,.1f}",
               "loops_time": format_seconds(race.seconds["two_loops"])}
    return Question(Choice(IMPLEMENTATIONS, first), fields=fields, show=show)
