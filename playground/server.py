"""What the server process sets up once, whichever page a visitor opens first: one BLAS thread, a
frozen start-up heap, and a warning when it runs as root."""

from __future__ import annotations

import ctypes
import functools
import gc
import glob
import logging
import os

import numpy as np

ROOT_WARNING = (
    "The playground is running as root. Every upload is parsed by this process or its children: "
    "run it as an unprivileged user (SERVING.md, 'Run it as an unprivileged user')."
)


def set_up() -> None:
    """Everything below, once per process (app.py calls it on every run; the work is done once)."""
    use_one_blas_thread()
    freeze_startup_heap()
    warn_if_root()


@functools.cache
def openblas_threads():
    """(get, set) of the process's OpenBLAS thread count, through NumPy's bundled OpenBLAS; None where
    NumPy was built otherwise."""
    folder = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")
    for path in glob.glob(os.path.join(folder, "libscipy_openblas*.so*")):
        try:
            lib = ctypes.CDLL(path)
            return lib.scipy_openblas_get_num_threads64_, lib.scipy_openblas_set_num_threads64_
        except (OSError, AttributeError):
            continue
    return None


def use_one_blas_thread() -> bool:
    """Hold OpenBLAS to one thread for the whole process; whether that could be set.

    Two cores shared by many visitors: a two-thread BLAS call would wait for the busy core
    (BENCHMARKS.md measures how much longer reruns took).
    """
    funcs = openblas_threads()
    if funcs is not None:
        funcs[1](1)
    return funcs is not None


@functools.cache
def freeze_startup_heap() -> None:
    """Move every object alive now (Streamlit's, NumPy's, Plotly's modules) out of the cycle
    collector's reach, once per process.

    A full collection walks all of them, landing at random in a rerun and pushing it past its
    budget. Frozen objects are still freed by reference counting; only cyclic garbage alive at this
    moment would stay. Only the young generations are collected first: a full collection here found
    nothing and delayed a fresh server's first page (see BENCHMARKS.md).
    """
    gc.collect(1)
    gc.freeze()


@functools.cache
def warn_if_root() -> bool:
    """Log ROOT_WARNING once per process when it runs as root; whether it does."""
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if as_root:
        logging.getLogger(__name__).warning(ROOT_WARNING)
    return as_root
