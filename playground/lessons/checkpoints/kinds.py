"""What a checkpoint asks, and whether an answer is right. Pure Python.

A page asks a checkpoint (see ``catalog``) by computing its Question from what the
page shows at that moment: the right answer comes from the core, never from the text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

KINDS = ("choice", "number", "target")


@dataclass(frozen=True)
class Choice:
    """One right option among ``options`` (ids, in the order shown).

    literal: the options are shown as they are (a shape, a number); otherwise each is worded
    by the page's text ``<page>.checkpoint.<name>.option_<option>``.
    """

    options: tuple[str, ...]
    right: str
    literal: bool = False

    def __post_init__(self):
        if self.right not in self.options or len(set(self.options)) != len(self.options) or len(self.options) < 2:
            raise ValueError(f"A choice needs two distinct options or more, one of them {self.right!r}: {self.options!r}")

    def is_right(self, answer) -> bool:
        return answer == self.right


@dataclass(frozen=True)
class Number:
    """A number, right within ``tolerance`` (absolute) of ``right``; ``digits`` after the point when shown."""

    right: float
    tolerance: float = 0.0
    digits: int = 0

    def __post_init__(self):
        if not (math.isfinite(self.right) and math.isfinite(self.tolerance) and self.tolerance >= 0):
            raise ValueError(f"A number question needs a finite answer and tolerance: {self.right!r} ± {self.tolerance!r}")

    def is_right(self, answer) -> bool:
        try:
            value = float(answer)
        except (TypeError, ValueError):
            return False
        # (a hair of slack: 0.1 + 0.2 typed is 0.30000000000000004)
        return math.isfinite(value) and abs(value - self.right) <= self.tolerance + 1e-9 * max(1.0, abs(self.right))

    def shown(self) -> str:
        """As the page writes it: 0.693, 1930 (no thousands separator: an index reads as one number)."""
        return f"{self.right:.{self.digits}f}"


@dataclass(frozen=True)
class Target:
    """A goal reached with the page's own controls: ``met`` by the run on the page right now.

    best: settings (names the page knows) that meet it, for "show me"; ``fields`` words them.
    """

    met: bool
    best: Mapping = field(default_factory=dict)

    def is_right(self, answer=None) -> bool:
        return self.met


@dataclass(frozen=True)
class Question:
    """A checkpoint as asked now: the answer, the ``{fields}`` its texts are filled with, and
    ``show``: what "show me" sets on the page (names the page knows → values) to run the example."""

    answer: Choice | Number | Target
    fields: Mapping = field(default_factory=dict)
    show: Mapping = field(default_factory=dict)

    @property
    def asked(self) -> tuple:
        """What makes two askings the same question: its options and right answer (a target's goal).
        An answer given to another question (another dataset, other settings) does not carry over."""
        a = self.answer
        if isinstance(a, Choice):
            return ("choice", a.options, a.right)
        if isinstance(a, Number):
            return ("number", a.right, a.tolerance)
        return ("target", tuple(sorted((k, str(v)) for k, v in a.best.items())))

    @property
    def kind(self) -> str:
        return {Choice: "choice", Number: "number", Target: "target"}[type(self.answer)]

    def is_right(self, answer) -> bool:
        return self.answer.is_right(answer)
