"""Join codes read aloud, teacher keys that cannot be guessed, nicknames that are only text."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

from playground.errors import InputError

CODE_LETTERS = "AFHJKLMNQRSUWXY"
"""Letters that do not sound alike when read aloud (no B/C/D/E/G/P/T/V/Z, which rhyme), nor look
alike on a projector (no I/O, which pass for 1/0)."""
CODE_LENGTH = 5
KEY_BYTES = 24
"""A teacher key's randomness: 192 bits, as URL-safe text."""
MAX_NICKNAME = 24
"""Characters in a nickname, after cleaning."""
MAX_NICKNAME_INPUT = 256
"""Characters looked at before cleaning: a 10 KB nickname is refused, not cleaned."""


def new_code() -> str:
    """A join code: CODE_LENGTH letters of CODE_LETTERS (15⁵ = 759,375 of them)."""
    return "".join(secrets.choice(CODE_LETTERS) for _ in range(CODE_LENGTH))


def normal_code(text: str) -> str:
    """A code as typed ("ahk-qr", " AHKQR ") in its stored form, or "" when it cannot be one."""
    code = "".join(ch for ch in str(text).upper() if not ch.isspace() and ch != "-")
    return code if len(code) == CODE_LENGTH and all(ch in CODE_LETTERS for ch in code) else ""


def new_key() -> str:
    """A teacher key: KEY_BYTES random bytes as URL-safe text (32 characters), never starting with "-"
    (``class results CODE --key -K…`` would read it as an option: one key in 64 did)."""
    while (key := secrets.token_urlsafe(KEY_BYTES)).startswith("-"):
        pass
    return key


def key_hash(key: str) -> str:
    """What the store keeps of a key: its SHA-256, so a copy of the database holds no key."""
    return hashlib.sha256(str(key).encode("utf-8", "replace")).hexdigest()


def key_matches(key: str | None, stored_hash: str) -> bool:
    return key is not None and hmac.compare_digest(key_hash(key), stored_hash)


def clean_nickname(text: str | None) -> str:
    """A nickname as shown: NFC, control and format characters dropped, spaces collapsed; "" for none.

    Raises InputError ``class_nickname_too_long`` past MAX_NICKNAME characters. HTML stays text:
    the page shows it escaped."""
    if text is None:
        return ""
    text = str(text)
    if len(text) > MAX_NICKNAME_INPUT:
        raise InputError("class_nickname_too_long", limit=MAX_NICKNAME)
    text = unicodedata.normalize("NFC", text)
    kept = "".join(" " if ch.isspace() else ch for ch in text if ch.isspace() or unicodedata.category(ch)[0] != "C")
    name = " ".join(kept.split())
    if len(name) > MAX_NICKNAME:
        raise InputError("class_nickname_too_long", limit=MAX_NICKNAME)
    return name
