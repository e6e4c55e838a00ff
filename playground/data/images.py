"""Image bytes → RGB array → the 64 × 64 model input. Every Pillow call lives here.

Decoding never writes to disk and refuses, with a ValueError that says why:
empty files, files over MAX_IMAGE_BYTES, images over MAX_IMAGE_PIXELS and JPEGs
of more than MAX_JPEG_SCANS scans (checked from the header, before any pixel is
decoded; Pillow's own decompression-bomb guard backs it up), truncated or corrupt
data, and anything that is not a PNG, JPEG, WebP, BMP or GIF whatever its name says.
It accepts what browsers and phones send: EXIF-rotated JPEGs, RGBA
(composited on white), palette, grayscale, CMYK and 16-bit images, and
animations (first frame).

The images of one upload (a Predict upload, a zip, a folder) share one budget,
MAX_UPLOAD_PIXELS, counted from their headers before any is decoded (decode_cost,
within_budget). Large pictures are reduced while decoding rather than after: a JPEG
at a reduced DCT scale (Image.draft), any other format by an integer box reduce
(Image.reduce), both keeping at least ``min_side`` pixels a side for the bicubic
resize that follows.
"""

from __future__ import annotations

import base64
import io
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, UnidentifiedImageError

# Registers exactly the decoders of PILLOW_FORMATS (Image.open(formats=…) needs them loaded).
from PIL import BmpImagePlugin, GifImagePlugin, JpegImagePlugin, PngImagePlugin, WebPImagePlugin  # noqa: F401, I001

from playground import IMAGE_SIZE
from playground.errors import InputError

MAX_IMAGE_BYTES = 20 * 1024 * 1024
"""Largest image file accepted, in bytes (20 MiB)."""
MAX_IMAGE_PIXELS = 40_000_000
"""Largest image accepted, in pixels (width × height), about a 7,300 × 5,500 photo."""
MAX_UPLOAD_PIXELS = 48_000_000
"""What decoding the images of one upload (a Predict upload's photos, a zip, a folder) may cost
together, in pixels as decode_cost counts them from the headers before any is decoded: one picture
of MAX_IMAGE_PIXELS and a few small ones, a dozen 12-megapixel phone JPEGs, or 600 pictures of
80,000 pixels. At most about a second of one core (BENCHMARKS.md), so that one visitor's upload
does not stall a class's server."""
MAX_JPEG_SCANS = 32
"""Most scans (SOS markers) a JPEG may hold. Every scan of a progressive JPEG passes over all the
picture's blocks, so a small file of thousands of repeated scans costs thousands of passes;
encoders write about ten."""
KEEP_SIDE = 1024
"""A photo to show and classify is reduced while decoding only down to this many pixels a side
(at least 4× the largest model input, saved_model.MAX_IMAGE_SIDE): its model input is then that
of a full decode, and the PREVIEW_SIZE preview stays sharp."""
DATASET_SIDE = 4 * IMAGE_SIZE
"""The images of a zip or folder only become 64 × 64 inputs and are never shown: they are reduced
while decoding down to 4× that a side (Pillow's thumbnail keeps 2×)."""
PREPROCESS_MODES = ("squash", "crop")
"""squash: resize the whole picture to 64 × 64 (the course); crop: centre square, then resize."""
ACCEPTED_TYPES = ("png", "jpg", "jpeg", "webp", "bmp", "gif")
PILLOW_FORMATS = ("PNG", "JPEG", "WEBP", "BMP", "GIF")
"""The decoders Pillow may use. Others (EPS, which runs Ghostscript; TIFF; PSD …) are
never tried, so a file's name cannot steer us into them. (The JPEG decoder also opens MPO, the
multi-picture JPEG many phones write.)"""
PREVIEW_SIZE = 480
"""Longest side of the copy of the original kept for display."""

_SIXTEEN_BIT = ("I;16", "I;16B", "I;16L", "I;16N", "I")
_MODE_NAMES = {"L": "grayscale", "LA": "grayscale", "La": "grayscale", "1": "bilevel",
               "P": "palette", "PA": "palette", "CMYK": "cmyk", "YCbCr": "ycbcr"}
_WITH_ALPHA = ("LA", "La", "PA", "RGBA", "RGBa")
# EXIF orientation → the turn that makes the picture upright (as ImageOps.exif_transpose); the
# standard defines only 1–8, and 1 is upright already.
_TURNS = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
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
    """A decoded file. rgb: (H, W, 3) uint8, upright (EXIF applied), possibly reduced while decoding
    (at least ``min_side`` a side, see open_image); format: Pillow's name for it (JPEG, PNG …);
    size: (width, height) of the full-size upright picture; notes: what was done to reach RGB, as
    (code, value) pairs (see NOTES; pages word them in the visitor's language)."""

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


def _jpeg_scans(data: bytes) -> int:
    """SOS markers from the main picture's first scan to the end of the file.

    The markers before the first scan are walked as libjpeg walks them (bytes up to the next FF
    skipped, segments stepped over by their lengths: an EXIF thumbnail holds a scan of its own).
    After it, FF DA cannot occur inside entropy-coded data, so counting it over-counts only what an
    MPO's further pictures or a crafted comment add: towards refusing.
    """
    i = 2
    while (i := data.find(b"\xff", i)) >= 0 and i + 1 < len(data):
        marker = data[i + 1]
        if marker == 0xDA:
            return data.count(b"\xff\xda", i)
        if marker in (0x00, 0xFF):  # a stuffed zero or a fill byte: not a marker yet
            i += 1
        elif marker == 0x01 or 0xD0 <= marker <= 0xD9:  # markers without a length
            i += 2
        else:
            i += 2 + int.from_bytes(data[i + 2:i + 4], "big")
    return 0


def _checked(data, name: str) -> tuple[Image.Image, int]:
    """The opened header and the JPEG's scans (0 for other formats), after every refusal that
    needs no pixel: not bytes, empty, too big, not an image, too many pixels or scans."""
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
    scans = _jpeg_scans(data) if img.format in ("JPEG", "MPO") else 0
    if scans > MAX_JPEG_SCANS:
        raise InputError("image_too_many_scans", name=name, scans=scans, limit=MAX_JPEG_SCANS)
    return img, scans


def _draft(img: Image.Image, min_side: int | None) -> None:
    """Have a JPEG decode at the smallest DCT scale (½, ¼, ⅛) keeping ``min_side`` pixels a side."""
    if min_side and img.format in ("JPEG", "MPO") and min(img.size) // min_side >= 2:
        img.draft("RGB", (min_side, min_side))


def decode_cost(data: bytes, name: str = "the file", min_side: int | None = KEEP_SIDE) -> int:
    """What ``open_image(data, name, min_side)`` will cost, in pixels, from the header alone.

    The pixels the decoder makes: a one-scan JPEG's at the DCT scale Image.draft picks, every other
    picture's in full (a progressive JPEG keeps all its coefficients at full size; other formats are
    box-reduced only after decoding). Plus what reading the file costs, in pixels of the same work:
    half a pixel a byte, three a byte of lossy WebP (its arithmetic decoder is the slowest per
    byte), and for a JPEG a sixteenth of its full size (it reads every 8 × 8 block whatever the scale).
    Raises the InputError open_image would raise for what the header shows: empty, over
    MAX_IMAGE_BYTES, not an image, over MAX_IMAGE_PIXELS or MAX_JPEG_SCANS.
    """
    img, scans = _checked(data, name)
    with img:
        w, h = img.size
        lossy_webp = img.format == "WEBP" and bytes(data[12:16]) != b"VP8L"
        cost = 3 * len(data) if lossy_webp else len(data) // 2
        if img.format in ("JPEG", "MPO"):
            cost += w * h // 16
            if scans <= 1:
                _draft(img, min_side)
        return cost + img.size[0] * img.size[1]


def within_budget(items, min_side: int | None = KEEP_SIDE) -> list[InputError | None]:
    """Which files of one upload may be decoded, from their headers alone, in order.

    items: (name, bytes) pairs in the order they will be decoded (the camera's shot first, say).
    Returns one entry per item: None when the file may go on to prepare_image, else the InputError
    to show for it: what its header already says (as open_image would), or "image_over_budget" when
    its decode_cost would take the upload's total past MAX_UPLOAD_PIXELS. A refused file costs
    nothing, so a smaller one after it may still fit. Headers only (no pixel decoded): call it on
    every rerun before any cache, so that a cached photo counts too and the answer never changes.
    """
    verdicts: list[InputError | None] = []
    total = 0
    for name, data in items:
        try:
            cost = decode_cost(data, name, min_side)
        except InputError as err:
            verdicts.append(err)
            continue
        if total + cost > MAX_UPLOAD_PIXELS:
            verdicts.append(InputError("image_over_budget", name=name, megapixels=cost / 1e6,
                                       total=(total + cost) / 1e6, limit=MAX_UPLOAD_PIXELS / 1e6))
            continue
        total += cost
        verdicts.append(None)
    return verdicts


def open_image(data: bytes, name: str = "the file", min_side: int | None = KEEP_SIDE) -> DecodedImage:
    """Bytes of an image file → DecodedImage, or a ValueError that names the file and the problem.

    ``min_side``: a picture larger than needed is reduced while decoding, down to no fewer than
    this many pixels a side (a JPEG by its DCT scale, other formats by an integer box reduce);
    None decodes at full size.
    """
    img, _ = _checked(data, name)
    w, h = img.size
    fmt = img.format or "?"
    notes = []
    try:
        if getattr(img, "is_animated", False):
            # Counting a GIF's frames means reading them all; other formats state the count.
            notes.append(("animated", None if fmt == "GIF" else int(img.n_frames)))
            img.seek(0)
        _draft(img, min_side)
        img.load()
        orientation = img.getexif().get(0x0112, 1)
        # Only the orientations 2–8 turn anything; other values (a broken or crafted tag) are ignored.
        turn = _TURNS.get(orientation) if isinstance(orientation, int) else None
        if turn is not None:
            notes.append(("rotated", orientation))
            if orientation in (5, 6, 7, 8):  # a quarter turn: width and height trade places
                w, h = h, w
        upright = _to_rgb(img, notes, min_side)
        if turn is not None:
            upright = upright.transpose(turn)
        rgb = np.array(upright, dtype=np.uint8)
    except Exception as err:  # noqa: BLE001 — a decoder meeting bad data raises OSError, SyntaxError, ValueError …
        raise InputError("image_corrupt", name=name, detail=f"{type(err).__name__}: {err}") from None
    finally:
        img.close()
    return DecodedImage(rgb=rgb, format=fmt, size=(w, h), notes=tuple(notes))


def decode_image(data: bytes, name: str = "the file", min_side: int | None = KEEP_SIDE) -> np.ndarray:
    """Bytes of an image file → RGB uint8 array of shape (H, W, 3), reduced as by open_image."""
    return open_image(data, name, min_side).rgb


def _reduce(img: Image.Image, min_side: int | None) -> Image.Image:
    """Box-average ``img`` by the largest integer factor that keeps ``min_side`` pixels a side."""
    factor = min(img.size) // min_side if min_side else 1
    return img.reduce(factor) if factor >= 2 else img


def _to_rgb(img: Image.Image, notes: list, min_side: int | None = None) -> Image.Image:
    """Any Pillow mode → an RGB image reduced to ``min_side`` (see _reduce), transparency composited
    on white. Appends to ``notes`` what the conversion did, as (code, value) pairs of NOTES.

    What averaging would get wrong (palette indices, bilevel pixels) is converted before the reduce;
    the rest after it, on fewer pixels."""
    mode = img.mode
    if mode in _SIXTEEN_BIT:
        # 16- or 32-bit grey: scale the full range down to 8 bits instead of clipping.
        wide = img if mode == "I" else img.convert("I")
        top = 65535.0 if mode.startswith("I;16") or wide.getextrema()[1] > 255 else 255.0
        arr = np.asarray(_reduce(wide, min_side), dtype=np.float64)
        grey = np.clip(arr / top * 255.0 + 0.5, 0, 255).astype(np.uint8)
        notes.append(("sixteen_bit", None))
        return Image.fromarray(grey).convert("RGB")
    if mode in _MODE_NAMES:
        notes.append((_MODE_NAMES[mode], None))
    if "transparency" in img.info and mode in ("P", "L", "RGB") or mode in _WITH_ALPHA:
        if img.mode != "RGBA":
            img = img.convert("RGBA")
        if img.getchannel("A").getextrema()[0] < 255:
            notes.append(("transparent", None))
        # On white first (one pass, the same pixels as alpha_composite): the reduce then averages
        # three bands instead of converting four to premultiplied alpha and back.
        white = Image.new("RGB", img.size, (255, 255, 255))
        white.paste(img, mask=img)
        return _reduce(white, min_side)
    if mode == "1":
        img = img.convert("L")
    elif mode not in ("L", "RGB"):
        img = img.convert("RGB")
    img = _reduce(img, min_side)
    return img if img.mode == "RGB" else img.convert("RGB")


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
    data: bytes, name: str = "the file", mode: str = "squash", size: int | tuple[int, int] = IMAGE_SIZE,
    min_side: int | None = KEEP_SIDE,
) -> np.ndarray:
    """Bytes → the (64, 64, 3) uint8 picture the model sees (or (h, w, 3) for another ``size``).
    ``min_side`` as for open_image: the default gives the input prepare_image gives."""
    return to_model_input(open_image(data, name, min_side).rgb, mode, size)


def prepare_image(data: bytes, name: str = "the file", size: int | tuple[int, int] = IMAGE_SIZE) -> PreparedImage:
    """Bytes → a PreparedImage: both model inputs (squash and crop), a preview, what was done.
    Decodes what decode_cost(data, name) counts."""
    decoded = open_image(data, name, KEEP_SIDE)
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
