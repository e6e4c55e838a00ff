"""What the server process sets up once, whichever page a visitor opens first."""

from __future__ import annotations

import functools
import logging
import os

ROOT_WARNING = (
    "The playground is running as root. Every upload is parsed by this process or its children: "
    "run it as an unprivileged user (SERVING.md, 'Run it as an unprivileged user')."
)


@functools.cache
def warn_if_root() -> bool:
    """Log ROOT_WARNING once per process when it runs as root; whether it does."""
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    if as_root:
        logging.getLogger(__name__).warning(ROOT_WARNING)
    return as_root
