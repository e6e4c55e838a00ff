"""What a training run depends on besides the data, and where it starts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.course.losses import get_loss
from playground.course.model import initialize_random, initialize_with_zeros
from playground.data.features import Features

INITS = ("zeros", "random")
METHODS = ("auto", "plain", "dual")
MAX_ITERATIONS = 100_000
MAX_LEARNING_RATE = 1e6
CHUNK = 100


@dataclass(frozen=True)
class TrainingSettings:
    """What a training run depends on besides the data; plain values, usable as a cache key."""

    loss: str = "cross_entropy"
    learning_rate: float = 0.005
    num_iterations: int = 2000
    init: str = "zeros"
    seed: int = 0

    def __post_init__(self):
        get_loss(self.loss)
        lr = self.learning_rate
        if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not 0 < lr <= MAX_LEARNING_RATE:
            raise ValueError(f"Expected a learning rate above 0 and at most {MAX_LEARNING_RATE:g}, got {lr!r}.")
        n = self.num_iterations
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 0 <= n <= MAX_ITERATIONS:
            raise ValueError(
                f"Expected a whole number of iterations from 0 to {MAX_ITERATIONS:,}, got {n!r}."
            )
        if self.init not in INITS:
            raise ValueError(f"Unknown initialisation {self.init!r}: expected one of {', '.join(INITS)}.")


def initial_parameters(features: Features, settings: TrainingSettings) -> tuple[np.ndarray, float]:
    if settings.init == "zeros":
        return initialize_with_zeros(features.n_x)
    return initialize_random(features.n_x, settings.seed)
