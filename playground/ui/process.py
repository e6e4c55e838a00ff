"""Once per server process: keep Python's cycle collector off the objects that live for ever."""

from __future__ import annotations

import functools
import gc


@functools.cache
def freeze_startup_heap() -> None:
    """Move every object alive now (Streamlit's, NumPy's, Plotly's modules: ~80,000) out of the
    cycle collector's reach, once per process.

    A full collection walks all of them, landing at random in a rerun and pushing it past its
    budget. Frozen objects are still freed by reference counting; only cyclic garbage alive at this
    moment would stay. Only the young generations are collected first: a full collection here found
    nothing and delayed a fresh server's first page (see BENCHMARKS.md).
    """
    gc.collect(1)
    gc.freeze()
