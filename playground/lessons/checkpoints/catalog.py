"""Every checkpoint of the lesson: its id, page and kind, in the lesson's order.

The texts of checkpoint ``<page>.<name>`` live in ``ui/locales/<lang>/<page>.toml`` under
``[checkpoint.<name>]``: ``question``, ``why`` (two or three sentences), ``look`` (where on the
page the answer shows), an optional ``hint`` (said after a first wrong try) and
``option_<option>`` for worded choices. How each answer is computed is in this package's module
of the page (``data``, ``train``, …).
"""

from __future__ import annotations

from dataclasses import dataclass

from playground.lessons.checkpoints.kinds import KINDS

PAGES = ("data", "train", "landscape", "graph", "speed", "predict")


@dataclass(frozen=True)
class Checkpoint:
    page: str
    name: str
    kind: str

    def __post_init__(self):
        if self.page not in PAGES or self.kind not in KINDS or not self.name.isidentifier():
            raise ValueError(f"Not a checkpoint: {self!r}")

    @property
    def id(self) -> str:
        """The id links and tests use: ``train.blow_up``."""
        return f"{self.page}.{self.name}"

    def text_key(self, part: str) -> str:
        """The locale key of one of its texts: ``train.checkpoint.blow_up.question``."""
        return f"{self.page}.checkpoint.{self.name}.{part}"
