"""What many tests need: the figures an AppTest run drew, and small random data to train on."""

from __future__ import annotations

import json
from collections.abc import Callable

import numpy as np

from playground.data.dataset import Dataset


def texts(elements) -> list[str]:
    """The values of AppTest elements (markdown, warnings, captions …), in page order."""
    return [e.value for e in elements]


def chart_json(at) -> list[str]:
    """The Plotly JSON of every chart the AppTest's last run drew, in page order, as Streamlit sent it."""
    return [chart.proto.spec for chart in at.get("plotly_chart")]


def chart_specs(at) -> list[dict]:
    """The figures the AppTest's last run drew, in page order, read back as dicts."""
    return [json.loads(spec) for spec in chart_json(at)]


def random_problem(n_x: int, m: int, seed: int, *, threshold: float = 0.5, w_scale: float = 1.0,
                   gaussian: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A small random problem (X, Y, w), drawn in that order from ``default_rng(seed)``: features X
    (n_x × m), uniform in [0, 1) or, with ``gaussian``, standard normal; labels Y (1 × m), 1 where a
    uniform draw exceeds ``threshold``; weights w (n_x × 1), normal with standard deviation ``w_scale``."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m)) if gaussian else rng.random((n_x, m))
    Y = (rng.random((1, m)) > threshold).astype(float)
    w = rng.standard_normal((n_x, 1)) * w_scale
    return X, Y, w


def random_pictures(m: int, shape: tuple[int, int, int], seed: int = 0, *, m_test: int = 10,
                    labels: Callable[[np.ndarray, np.random.Generator], np.ndarray] | None = None,
                    classes: tuple[str, str] = ("no", "yes"), name: str = "random") -> Dataset:
    """``m`` random pictures (uint8, ``shape`` = height × width × 3) from ``default_rng(seed)``, the
    last ``m_test`` of them the test set. ``labels(pictures, rng)`` gives each its 0 / 1 label (drawn
    after the pictures, from the same generator); without it they alternate 0, 1, 0, 1, …"""
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 256, size=(m, *shape), dtype=np.uint8)
    y = (np.arange(m) % 2 if labels is None else np.asarray(labels(x, rng))).astype(np.int64)
    n = m - m_test
    return Dataset(name, f"{name}:{m}x{'x'.join(map(str, shape))}:{seed}", x[:n], y[:n], x[n:], y[n:], classes)
