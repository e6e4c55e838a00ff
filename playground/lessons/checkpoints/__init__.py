"""Predict-then-run checkpoints: a page asks before it shows. Pure Python.

``catalog`` names every checkpoint; ``kinds`` says what a question is and whether an answer is
right; one module per page (``data``, ``train``, …) computes its questions' answers from what the
page shows at that moment.
"""

from playground.lessons.checkpoints import data, graph, landscape, predict, speed, train
from playground.lessons.checkpoints.catalog import PAGES, Checkpoint
from playground.lessons.checkpoints.kinds import KINDS, Choice, Number, Question, Target

CHECKPOINTS: tuple[Checkpoint, ...] = (*data.CHECKPOINTS, *train.CHECKPOINTS, *landscape.CHECKPOINTS,
                                       *graph.CHECKPOINTS, *speed.CHECKPOINTS, *predict.CHECKPOINTS)
BY_ID = {c.id: c for c in CHECKPOINTS}


def on_page(page: str) -> tuple[Checkpoint, ...]:
    """The page's checkpoints, in the order it asks them."""
    return tuple(c for c in CHECKPOINTS if c.page == page)


__all__ = ["BY_ID", "CHECKPOINTS", "KINDS", "PAGES", "Checkpoint", "Choice", "Number", "Question", "Target", "on_page"]
