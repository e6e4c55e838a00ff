"""Image bytes → RGB array → the 64 × 64 model input. Every Pillow call lives here.

Decoding never writes to disk and refuses, with a ValueError that says why:
empty files, files over MAX_IMAGE_BYTES, images over MAX_IMAGE_PIXELS
(Pillow's decompression-bomb guard), truncated or corrupt data, and
non-images. It accepts what browsers send: EXIF-rotated JPEGs, RGBA
(composited on white), palette, grayscale, CMYK and 16-bit images, and
animations (first frame).
"""

from __future__ import annotations

import io
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from playground import IMAGE_SIZE

MAX_IMAGE_BYTES = 20 * 1024 * 1024
"""Largest image file accepted, in bytes (20 MiB)."""
MAX_IMAGE_PIXELS = 40_000_000
"""Largest image accepted, in pixels (width × height), about a 7,300 × 5,500 photo."""
PREPROCESS_MODES = ("squash", "crop")
"""squash: resize the whole picture to 64 × 64 (the course); crop: centre square, then resize."""
ACCEPTED_TYPES = ("png", "jpg", "jpeg", "webp", "bmp", "gif")


def decode_image(data: bytes, name: str = "the file") -> np.ndarray:
    """Bytes of an image file → RGB uint8 array of shape (H, W, 3)."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ValueError(f"Expected the bytes of an image for {name}, got {type(data).__name__}.")
    size = len(data)
    if size == 0:
        raise ValueError(f"{name} is empty (0 bytes).")
    if size > MAX_IMAGE_BYTES:
        raise ValueError(
            f"{name} is {size / 2**20:.1f} MiB; images up to {MAX_IMAGE_BYTES / 2**20:.0f} MiB are accepted."
        )
    try:
        with warnings.catch_warnings():
            # Pillow warns, then raises, past its own bomb limits: ours is checked before decoding.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(bytes(data)))
            w, h = img.size
            if w * h > MAX_IMAGE_PIXELS:
                raise ValueError(
                    f"{name} is {w} × {h} = {w * h:,} pixels; images up to {MAX_IMAGE_PIXELS:,} pixels are accepted."
                )
            if getattr(img, "n_frames", 1) > 1:
                img.seek(0)
            img.load()
            img = ImageOps.exif_transpose(img)
            return _to_rgb(img)
    except UnidentifiedImageError:
        raise ValueError(f"{name} is not an image Pillow can read (PNG, JPEG, WebP, BMP or GIF).") from None
    except Image.DecompressionBombError:
        raise ValueError(f"{name} has too many pixels to decode safely.") from None
    except (OSError, SyntaxError, EOFError) as err:
        raise ValueError(f"{name} is truncated or corrupt ({err}).") from None


def _to_rgb(img: Image.Image) -> np.ndarray:
    """Any Pillow mode → RGB uint8 (H, W, 3); transparency composited on white."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16- or 32-bit grey: scale the full range down to 8 bits instead of clipping.
        arr = np.asarray(img, dtype=np.float64)
        top = 65535.0 if img.mode.startswith("I;16") or arr.max() > 255 else 255.0
        grey = np.clip(arr / top * 255.0 + 0.5, 0, 255).astype(np.uint8)
        return np.repeat(grey[:, :, None], 3, axis=2)
    if img.mode == "P" and "transparency" in img.info or img.mode in ("LA", "PA", "La"):
        img = img.convert("RGBA")
    if img.mode in ("RGBA", "RGBa"):
        white = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, img.convert("RGBA"))
    return np.asarray(img.convert("RGB"), dtype=np.uint8).copy()


def to_model_input(rgb: np.ndarray, mode: str = "squash", size: int = IMAGE_SIZE) -> np.ndarray:
    """RGB (H, W, 3) uint8 → (size, size, 3) uint8, bicubic.

    "squash" stretches the whole picture (the course's way); "crop" keeps the
    aspect ratio by taking the centred square first.
    """
    if mode not in PREPROCESS_MODES:
        raise ValueError(f"Unknown preprocessing {mode!r}: expected one of {', '.join(PREPROCESS_MODES)}.")
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"Expected an RGB uint8 array (H, W, 3), got shape {rgb.shape} and dtype {rgb.dtype}.")
    img = Image.fromarray(rgb)
    if mode == "crop":
        h, w = rgb.shape[:2]
        side = min(h, w)
        top, left = (h - side) // 2, (w - side) // 2
        img = img.crop((left, top, left + side, top + side))
    return np.asarray(img.resize((size, size), Image.Resampling.BICUBIC), dtype=np.uint8)


def load_model_input(data: bytes, name: str = "the file", mode: str = "squash") -> np.ndarray:
    """Bytes → the (64, 64, 3) uint8 picture the model sees."""
    return to_model_input(decode_image(data, name), mode)
