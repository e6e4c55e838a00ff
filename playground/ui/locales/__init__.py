"""Every text in every language, read from this folder's ``<lang>/<page>.toml`` files. No Streamlit:
the command line lists the checkpoints' questions from here too."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

from playground.errors import MESSAGES

LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT = "en"
LOCALES = Path(__file__).parent


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """All texts of one language as {"page.key": text}. Files are read once per process (read-only)."""
    # English refusals are the core's own messages (playground/errors.py), so they are said once.
    texts: dict[str, str] = {f"errors.{key}": text for key, text in MESSAGES.items()} if lang == DEFAULT else {}
    for path in sorted((LOCALES / lang).glob("*.toml")):
        with path.open("rb") as f:
            texts.update(_flat(tomllib.load(f), path.stem))
    return texts


def _flat(table: dict, prefix: str) -> dict[str, str]:
    """A TOML table's texts by dotted key: ``[checkpoint.blow_up] why`` → "train.checkpoint.blow_up.why"."""
    flat = {}
    for key, value in table.items():
        flat.update(_flat(value, f"{prefix}.{key}") if isinstance(value, dict) else {f"{prefix}.{key}": value})
    return flat
