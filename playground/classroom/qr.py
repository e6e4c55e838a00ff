"""The join link as a QR code, for a projector or a printed sheet: students scan it instead of typing.

Pure (segno), no Streamlit: text in, SVG text or PNG bytes out.
"""

from __future__ import annotations

import io

import segno

BORDER = 4
"""The quiet zone around the code, in modules: the QR standard's four, which phone cameras need to
find a code on a busy slide."""
ERROR_LEVEL = "m"
"""Error correction M (15 % of the code may be lost): a projector's glare or a head in the way."""
MAX_URL = 1000
"""Characters of a link encoded. A join link is short (the app's address and ?class=CODE); a longer
one would make a code too dense to scan from the back of a room."""
DARK, LIGHT = "#111827", "#ffffff"


def qr_code(url: str) -> segno.QRCode:
    """The QR code of ``url`` (the smallest version that holds it at ERROR_LEVEL, never Micro QR)."""
    if not isinstance(url, str) or not url.strip():
        raise ValueError(f"Expected a link to encode, got {url!r}.")
    if len(url) > MAX_URL:
        raise ValueError(f"Expected a link of at most {MAX_URL:,} characters, got {len(url):,}.")
    return segno.make(url, error=ERROR_LEVEL, micro=False, boost_error=False)


def qr_svg(url: str, dark: str = DARK, light: str = LIGHT) -> str:
    """The code as an SVG document without a fixed size (a viewBox of one unit per module, quiet zone
    included), so that it stays sharp at whatever width the page draws it."""
    out = io.BytesIO()
    qr_code(url).save(out, kind="svg", border=BORDER, dark=dark, light=light, xmldecl=False, svgns=True,
                      omitsize=True, svgclass=None, lineclass=None)
    return out.getvalue().decode("ascii")


def qr_png(url: str, scale: int = 10, dark: str = DARK, light: str = LIGHT) -> bytes:
    """The code as PNG bytes, ``scale`` pixels a module (a side of (version·4 + 17 + 2·BORDER)·scale)."""
    if not isinstance(scale, int) or not 1 <= scale <= 64:
        raise ValueError(f"Expected a scale of 1 to 64 pixels a module, got {scale!r}.")
    out = io.BytesIO()
    qr_code(url).save(out, kind="png", scale=scale, border=BORDER, dark=dark, light=light)
    return out.getvalue()


def modules(url: str) -> tuple[tuple[bool, ...], ...]:
    """The code's modules, row by row, True for dark (no quiet zone): what a scanner reads."""
    return tuple(tuple(bool(m) for m in row) for row in qr_code(url).matrix)
