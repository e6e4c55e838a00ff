"""Image bytes → RGB array → the 64 × 64 model input. Every Pillow call lives here.

Decoding never writes to disk and refuses, with a ValueError that says why:
empty files, files over MAX_IMAGE_BYTES, images over MAX_IMAGE_PIXELS
(checked from the header, before any pixel is decoded; Pillow's own
decompression-bomb guard backs it up), truncated or corrupt data, and
anything that is not a PNG, JPEG, WebP, BMP or GIF whatever its name says.
It accepts what browsers and phones send: EXIF-rotated JPEGs, RGBA
(composited on white), palette, grayscale, CMYK and 16-bit images, and
animations (first frame).
"""

from __future__ import annotations

import base64
import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

# Registers exactly the decoders of PILLOW_FORMATS (Image.open(formats=…) needs them loaded).
from PIL import BmpImagePlugin, GifImagePlugin, JpegImagePlugin, PngImagePlugin, WebPImagePlugin  # noqa: F401, I001

from playground import IMAGE_SIZE
from playground.errors import InputError

MAX_IMAGE_BYTES = 20 * 1024 * 1024
"""Largest image file accepted, in bytes (20 MiB)."""
MAX_IMAGE_PIXELS = 40_000_000
"""Largest image accepted, in pixels (width × height), about a 7,300 × 5,500 photo."""
PREPROCESS_MODES = ("squash", "crop")
"""squash: resize the whole picture to 64 × 64 (the course); crop: centre square, then resize."""
ACCEPTED_TYPES = ("png", "jpg", "jpeg", "webp", "bmp", "gif")
PILLOW_FORMATS = ("PNG", "JPEG", "WEBP", "BMP", "GIF")
"""The decoders Pillow may use. Others (EPS, which runs Ghostscript; TIFF; PSD …) are
never tried, so a file's name cannot steer us into them. (The JPEG decoder also opens MPO, the
multi-picture JPEG many phones write.)"""
DRAFT_ABOVE = 2048
"""JPEGs wider or taller than this decode at a reduced DCT scale (½, ¼ …) that keeps at least
DRAFT_ABOVE / 2 pixels a side: 4–16× faster for phone photos, and still far above 64 × 64."""
PREVIEW_SIZE = 480
"""Longest side of the copy of the original kept for display."""

_SIXTEEN_BIT = ("I;16", "I;16B", "I;16L", "I;16N", "I")
_MODE_NAMES = {"L": "grayscale", "LA": "grayscale", "La": "grayscale", "1": "bilevel",
               "P": "palette", "PA": "palette", "CMYK": "cmyk", "YCbCr": "ycbcr"}
NOTES = {
    "rotated": "turned upright (EXIF orientation {value})",
    "animated": "animated: its first frame",
    "grayscale": "grayscale converted to RGB",
    "bilevel": "black-and-white converted to RGB",
    "palette": "palette colours converted to RGB",
    "cmyk": "CMYK converted to RGB",
    "ycbcr": "YCbCr converted to RGB",
    "sixteen_bit": "16-bit grayscale scaled to 8-bit RGB",
    "transparent": "transparent parts put on white",
}
"""What decoding may do to reach RGB, in English: code → text ({value}: the EXIF orientation)."""


def describe_notes(notes) -> list[str]:
    """(code, value) notes → English sentences."""
    return [NOTES[code].format(value=value) for code, value in notes]


@dataclass(frozen=True, eq=False)
class DecodedImage:
    """A decoded file. rgb: (H, W, 3) uint8, upright (EXIF applied), possibly decoded at a reduced
    scale (see DRAFT_ABOVE); format: Pillow's name for it (JPEG, PNG …); size: (width, height) of
    the full-size upright picture; notes: what was done to reach RGB, as (code, value) pairs
    (see NOTES; pages word them in the visitor's language)."""

    rgb: np.ndarray
    format: str
    size: tuple[int, int]
    notes: tuple[tuple[str, int | None], ...]


@dataclass(frozen=True, eq=False)
class PreparedImage:
    """What the Predict page needs of one file, small enough to cache.

    preview: (h, w, 3) uint8, the original shrunk to at most PREVIEW_SIZE a side;
    inputs: mode → (H, W, 3) uint8 model input, for every mode of PREPROCESS_MODES;
    crop_box: (left, top, right, bottom) of the centre crop, in preview pixels;
    size: (width, height) of the original after EXIF rotation.
    """

    name: str
    format: str
    size: tuple[int, int]
    notes: tuple[tuple[str, int | None], ...]
    preview: np.ndarray
    inputs: dict
    crop_box: tuple[float, float, float, float]


def check_image_bytes(size: int, name: str = "the file") -> None:
    """Refuse an empty file or one over MAX_IMAGE_BYTES from its length alone (nothing read)."""
    if size == 0:
        raise InputError("image_empty", name=name)
    if size > MAX_IMAGE_BYTES:
        raise InputError("image_too_big", name=name, mib=size / 2**20, limit_mib=MAX_IMAGE_BYTES / 2**20)


_SIGNATURES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"BM")


def _has_image_signature(data: bytes) -> bool:
    """Whether the first bytes are those of one of PILLOW_FORMATS (WebP: RIFF….WEBP)."""
    return data.startswith(_SIGNATURES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _open(data: bytes, name: str) -> Image.Image:
    """Read the header only: Pillow decodes pixels lazily, on load()."""
    try:
        with warnings.catch_warnings():
            # Pillow warns past its own limit (89 M pixels) before refusing at twice that;
            # ours is lower and is checked right after, so its warning adds nothing.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(data), formats=PILLOW_FORMATS)
    except Image.DecompressionBombError:
        raise InputError("image_too_many_pixels_over", name=name, pixels=2 * Image.MAX_IMAGE_PIXELS,
                         limit=MAX_IMAGE_PIXELS) from None
    except UnidentifiedImageError:
        if _has_image_signature(data):
            raise InputError("image_header_corrupt", name=name) from None
        raise InputError("image_unreadable", name=name) from None
    except Exception as err:  # noqa: BLE001 — damaged headers raise many types; all mean "corrupt"
        raise InputError("image_corrupt", name=name, detail=f"{type(err).__name__}: {err}") from None


def open_image(data: bytes, name: str = "the file") -> DecodedImage:
    """Bytes of an image file → DecodedImage, or a ValueError that names the file and the problem."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ValueError(f"Expected the bytes of an image for {name}, got {type(data).__name__}.")
    data = bytes(data)
    check_image_bytes(len(data), name)
    img = _open(data, name)
    w, h = img.size
    if w * h > MAX_IMAGE_PIXELS:
        raise InputError("image_too_many_pixels", name=name, width=w, height=h, pixels=w * h, limit=MAX_IMAGE_PIXELS)
    if w == 0 or h == 0:
        raise InputError("image_no_pixels", name=name, width=w, height=h)
    fmt = img.format or "?"
    notes = []
    try:
        if getattr(img, "is_animated", False):
            # Counting a GIF's frames means reading them all; other formats state the count.
            notes.append(("animated", None if fmt == "GIF" else int(img.n_frames)))
            img.seek(0)
        if fmt in ("JPEG", "MPO") and max(w, h) > DRAFT_ABOVE:
            img.draft("RGB", (DRAFT_ABOVE // 2, DRAFT_ABOVE // 2))
        img.load()
        orientation = img.getexif().get(0x0112, 1)
        if orientation not in (None, 1):
            img = ImageOps.exif_transpose(img)
            notes.append(("rotated", int(orientation)))
            if orientation in (5, 6, 7, 8):  # a quarter turn: width and height trade places
                w, h = h, w
        rgb = _to_rgb(img, notes)
    except Exception as err:  # noqa: BLE001 — a decoder meeting bad data raises OSError, SyntaxError, ValueError …
        raise InputError("image_corrupt", name=name, detail=f"{type(err).__name__}: {err}") from None
    return DecodedImage(rgb=rgb, format=fmt, size=(w, h), notes=tuple(notes))


def decode_image(data: bytes, name: str = "the file") -> np.ndarray:
    """Bytes of an image file → RGB uint8 array of shape (H, W, 3)."""
    return open_image(data, name).rgb


def _to_rgb(img: Image.Image, notes: list | None = None) -> np.ndarray:
    """Any Pillow mode → RGB uint8 (H, W, 3); transparency composited on white.
    Appends to ``notes`` what the conversion did, as (code, value) pairs of NOTES."""
    notes = notes if notes is not None else []
    mode = img.mode
    if mode in _SIXTEEN_BIT:
        # 16- or 32-bit grey: scale the full range down to 8 bits instead of clipping.
        arr = np.asarray(img, dtype=np.float64)
        top = 65535.0 if mode.startswith("I;16") or arr.max() > 255 else 255.0
        grey = np.clip(arr / top * 255.0 + 0.5, 0, 255).astype(np.uint8)
        notes.append(("sixteen_bit", None))
        return np.repeat(grey[:, :, None], 3, axis=2)
    if mode in _MODE_NAMES:
        notes.append((_MODE_NAMES[mode], None))
    if "transparency" in img.info and mode in ("P", "L", "RGB") or mode in ("LA", "PA", "La"):
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "RGBa"):
        img = img.convert("RGBA")
        if np.asarray(img.getchannel("A")).min() < 255:
            notes.append(("transparent", None))
        img = Image.alpha_composite(Image.new("RGBA", img.size, (255, 255, 255, 255)), img)
    return np.asarray(img.convert("RGB"), dtype=np.uint8).copy()


def _target(size: int | tuple[int, int]) -> tuple[int, int]:
    """size → (height, width)."""
    return (size, size) if isinstance(size, (int, np.integer)) else (int(size[0]), int(size[1]))


def crop_box(height: int, width: int, size: int | tuple[int, int] = IMAGE_SIZE) -> tuple[int, int, int, int]:
    """(left, top, right, bottom) of the largest centred region with the target's aspect ratio."""
    th, tw = _target(size)
    if width * th > height * tw:  # wider than the target: trim left and right
        cw, ch = max(1, round(height * tw / th)), height
    else:
        cw, ch = width, max(1, round(width * th / tw))
    left, top = (width - cw) // 2, (height - ch) // 2
    return left, top, left + cw, top + ch


def to_model_input(rgb: np.ndarray, mode: str = "squash", size: int | tuple[int, int] = IMAGE_SIZE) -> np.ndarray:
    """RGB (H, W, 3) uint8 → (h, w, 3) uint8 with (h, w) = size (an int means square), bicubic.

    "squash" stretches the whole picture (the course's way); "crop" keeps the
    aspect ratio by taking the centred region of the target's shape first.
    """
    if mode not in PREPROCESS_MODES:
        raise ValueError(f"Unknown preprocessing {mode!r}: expected one of {', '.join(PREPROCESS_MODES)}.")
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"Expected an RGB uint8 array (H, W, 3), got shape {rgb.shape} and dtype {rgb.dtype}.")
    th, tw = _target(size)
    img = Image.fromarray(rgb)
    if mode == "crop":
        img = img.crop(crop_box(rgb.shape[0], rgb.shape[1], (th, tw)))
    return np.asarray(img.resize((tw, th), Image.Resampling.BICUBIC), dtype=np.uint8)


def load_model_input(
    data: bytes, name: str = "the file", mode: str = "squash", size: int | tuple[int, int] = IMAGE_SIZE
) -> np.ndarray:
    """Bytes → the (64, 64, 3) uint8 picture the model sees (or (h, w, 3) for another ``size``)."""
    return to_model_input(decode_image(data, name), mode, size)


def prepare_image(data: bytes, name: str = "the file", size: int | tuple[int, int] = IMAGE_SIZE) -> PreparedImage:
    """Bytes → a PreparedImage: both model inputs (squash and crop), a preview, what was done."""
    decoded = open_image(data, name)
    rgb = decoded.rgb
    h, w = rgb.shape[:2]
    inputs = {mode: to_model_input(rgb, mode, size) for mode in PREPROCESS_MODES}
    preview = Image.fromarray(rgb)
    preview.thumbnail((PREVIEW_SIZE, PREVIEW_SIZE), Image.Resampling.BICUBIC)
    f = preview.width / w
    left, top, right, bottom = crop_box(h, w, size)
    return PreparedImage(
        name=name,
        format=decoded.format,
        size=decoded.size,
        notes=decoded.notes,
        preview=np.asarray(preview, dtype=np.uint8),
        inputs=inputs,
        crop_box=(left * f, top * f, right * f, bottom * f),
    )


def to_data_uri(rgb: np.ndarray, fmt: str = "PNG") -> str:
    """RGB (H, W, 3) uint8 → a data: URI (PNG or JPEG) a browser or a Plotly image can show."""
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format=fmt, **({"quality": 88} if fmt == "JPEG" else {}))
    mime = "jpeg" if fmt == "JPEG" else fmt.lower()
    return f"data:image/{mime};base64,{base64.b64encode(buf.getvalue()).decode('ascii')}"
