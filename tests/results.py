"""Comparing training results in tests."""

from __future__ import annotations

import dataclasses

import numpy as np


def identical(a, b) -> list[str]:
    """The fields (but the timing) in which two runs differ at all."""
    differ = []
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if f.name == "seconds":
            continue
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            same = x is None and y is None or (x is not None and y is not None and np.array_equal(x, y, equal_nan=True))
        else:
            same = x == y or (isinstance(x, float) and np.isnan(x) and np.isnan(y))
        if not same:
            differ.append(f.name)
    return differ


def assert_same_runs(here, there) -> None:
    """Two lists of runs, the same number of them, each pair identical in every field (but the timing)."""
    assert len(here) == len(there), (len(here), len(there))
    for a, b in zip(here, there):
        assert identical(a, b) == []
