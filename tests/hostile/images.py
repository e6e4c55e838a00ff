"""Hostile pictures, zips of pictures and model files, built in memory as an attacker would.

Each builder returns the files to upload as ``[(file name, bytes)]``: one zip for the sidebar's zip
uploader, one or more photos for Predict's photo uploader, one .npz for Predict's model uploader
(``UPLOADER`` says which). ``CASES`` maps a case's name to its builder and ``EXPECTED`` to the
message key the upload is refused with (None: accepted, see the builder), so UI and browser
tests can iterate over them.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile

import numpy as np
from PIL import Image

WIDTH, HEIGHT = 6400, 6250
"""40,000,000 pixels: the largest picture images.MAX_IMAGE_PIXELS lets through."""

# A lossless WebP (VP8L) of one 16 × 16 colour. VP8L codes a single colour in zero bits a pixel, so
# this 38-byte stream decodes to whatever size its header states.
_SOLID_VP8L = bytes.fromhex("524946461e000000574542505650384c110000002f0fc003000750e42ad4a3ff8188e87f0000")


def encode(img: Image.Image, fmt: str, **options) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **options)
    return buf.getvalue()


def png(colour=(200, 120, 40), size=(40, 30)) -> bytes:
    return encode(Image.new("RGB", size, colour), "PNG")


def webp_declaring(width: int = WIDTH, height: int = HEIGHT) -> bytes:
    """38 bytes that decode to width × height pixels of one colour (at most 16,384 a side)."""
    data = bytearray(_SOLID_VP8L)
    bits = int.from_bytes(data[21:25], "little") & ~((1 << 28) - 1)  # (keeps alpha and version)
    data[21:25] = (bits | (width - 1) | (height - 1) << 14).to_bytes(4, "little")
    return bytes(data)


def zip_of(entries: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _two_classes() -> dict[str, bytes]:
    """A small valid zip's entries: cats/ and dogs/, three PNGs each."""
    entries = {f"cats/c{i}.png": png((200, 120 + i, 40)) for i in range(3)}
    entries.update({f"dogs/d{i}.png": png((40, 90, 200 - i)) for i in range(3)})
    return entries


def _patch_headers(data: bytes, entry: str, offsets: tuple[int, int], value: bytes) -> bytes:
    """``value`` written into ``entry``'s local header (at offsets[0]) and its central directory
    record (at offsets[1]), as a hand-edited zip would have it."""
    out = bytearray(data)
    name = entry.encode()
    local = out.index(b"PK\x03\x04")
    while out[local + 30:local + 30 + len(name)] != name:
        local = out.index(b"PK\x03\x04", local + 4)
    central = out.index(b"PK\x01\x02")
    while out[central + 46:central + 46 + len(name)] != name:
        central = out.index(b"PK\x01\x02", central + 4)
    out[local + offsets[0]:local + offsets[0] + len(value)] = value
    out[central + offsets[1]:central + offsets[1] + len(value)] = value
    return bytes(out)


# ---- zips (the sidebar's zip uploader) ------------------------------------------------------------


@functools.cache
def zip_of_bombs() -> list[tuple[str, bytes]]:
    """1,000 WebPs of 38 bytes, each declaring 40,000,000 pixels, in two class folders: about
    140 KB of zip whose images, each decoded in full one after another, kept a core busy."""
    bomb = webp_declaring()
    entries = {f"{'cats' if i % 2 else 'dogs'}/{i:04d}.webp": bomb for i in range(1000)}
    return [("bombs.zip", zip_of(entries))]


@functools.cache
def zip_bad_crc() -> list[tuple[str, bytes]]:
    """A stored (uncompressed) entry with one byte changed after its CRC-32 was written."""
    entries = _two_classes()
    data = bytearray(zip_of(entries, zipfile.ZIP_STORED))
    at = data.index(entries["cats/c1.png"]) + len(entries["cats/c1.png"]) // 2
    data[at] ^= 0xFF
    return [("bad_crc.zip", bytes(data))]


@functools.cache
def zip_encrypted() -> list[tuple[str, bytes]]:
    """An entry flagged as encrypted (general-purpose flag bit 0): zipfile asks for a password."""
    data = zip_of(_two_classes())
    return [("encrypted.zip", _patch_headers(data, "cats/c0.png", (6, 8), struct.pack("<H", 1)))]


@functools.cache
def zip_unknown_method() -> list[tuple[str, bytes]]:
    """An entry compressed by method 99 (AES), which zipfile does not implement."""
    data = zip_of(_two_classes())
    return [("aes.zip", _patch_headers(data, "dogs/d2.png", (8, 10), struct.pack("<H", 99)))]


@functools.cache
def zip_bad_deflate() -> list[tuple[str, bytes]]:
    """An entry whose deflate stream is garbage of the right length (zlib's own error)."""
    entries = _two_classes()
    data = bytearray(zip_of(entries))
    start = data.index(b"cats/c2.png") + len("cats/c2.png")  # its data follows its local header's name
    data[start:start + 16] = b"\xff" * 16
    return [("bad_deflate.zip", bytes(data))]


@functools.cache
def zip_no_images() -> list[tuple[str, bytes]]:
    """A zip of text files only: no class folder holds an image."""
    return [("notes.zip", zip_of({"readme.txt": b"hello", "cats/notes.txt": b"not a picture"}))]


@functools.cache
def zip_one_empty_class() -> list[tuple[str, bytes]]:
    """cats/ holds two pictures; dogs/ is an empty folder: one class only."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("cats/a.png", png())
        zf.writestr("cats/b.png", png((10, 20, 30)))
        zf.mkdir("dogs")
    return [("one_class.zip", buf.getvalue())]


# ---- photos (Predict's photo uploader) ------------------------------------------------------------


@functools.cache
def twenty_webp_bombs() -> list[tuple[str, bytes]]:
    """Twenty 38-byte WebPs declaring about 40,000,000 pixels each, all different (a changed byte
    defeats a cache keyed by content)."""
    return [(f"bomb{i:02d}.webp", webp_declaring(WIDTH, HEIGHT - i)) for i in range(20)]


def _segments(jpeg: bytes) -> list[bytes]:
    """A JPEG's marker segments after SOI, each scan with its entropy-coded data."""
    out, i = [], 2
    while jpeg[i + 1] != 0xD9:
        end = i + 2 + int.from_bytes(jpeg[i + 2:i + 4], "big")
        if jpeg[i + 1] == 0xDA:  # the scan's data runs to the next marker that is not FF 00 or RSTn
            while not (jpeg[end] == 0xFF and jpeg[end + 1] not in (0x00, *range(0xD0, 0xD8))):
                end += 1
        out.append(jpeg[i:end])
        i = end
    return out


@functools.cache
def jpeg_scan_bomb() -> list[tuple[str, bytes]]:
    """A progressive 2,000 × 2,000 JPEG of one grey whose last scan (the luma AC refinement, which
    passes over every block) is repeated 3,000 times: under 70 KB, and every repeat is another
    pass over all the picture's blocks."""
    segments = _segments(encode(Image.new("RGB", (2000, 2000), (128, 128, 128)), "JPEG", quality=30, progressive=True))
    return [("scans.jpg", b"\xff\xd8" + b"".join(segments) + segments[-1] * 3000 + b"\xff\xd9")]


@functools.cache
def exif_99() -> list[tuple[str, bytes]]:
    """A 60 × 40 JPEG whose EXIF orientation is 99, which the standard does not define: it must be
    decoded as it is, with no note that it was turned."""
    exif = Image.Exif()
    exif[0x0112] = 99
    rgb = np.random.default_rng(0).integers(0, 256, (40, 60, 3), dtype=np.uint8)
    return [("orientation99.jpg", encode(Image.fromarray(rgb), "JPEG", quality=95, exif=exif.tobytes()))]


# ---- model files (Predict's model uploader) -------------------------------------------------------


@functools.cache
def model_1024() -> list[tuple[str, bytes]]:
    """A valid-looking model of about 20 KB declaring 1024 × 1024 × 3 images (float16 zeros pack
    tightly): Predict would draw its weights and each input at that size, tens of MB each run."""
    n_x = 1024 * 1024 * 3
    buf = io.BytesIO()
    np.savez_compressed(
        buf, format_version=np.array(1), w=np.zeros(n_x, np.float16), b=np.array(0.0),
        mean=np.zeros(n_x, np.float16), scale=np.ones(n_x, np.float16),
        image_shape=np.array([1024, 1024, 3], np.int64), classes=np.array(["non-cat", "cat"]),
        settings=np.array("{}"), source=np.array("hostile"),
    )
    return [("big.npz", buf.getvalue())]


CASES = {
    "zip_of_bombs": zip_of_bombs,
    "zip_bad_crc": zip_bad_crc,
    "zip_encrypted": zip_encrypted,
    "zip_unknown_method": zip_unknown_method,
    "zip_bad_deflate": zip_bad_deflate,
    "zip_no_images": zip_no_images,
    "zip_one_empty_class": zip_one_empty_class,
    "twenty_webp_bombs": twenty_webp_bombs,
    "jpeg_scan_bomb": jpeg_scan_bomb,
    "exif_99": exif_99,
    "model_1024": model_1024,
}
"""Every hostile upload, by name: ``CASES[name]()`` is [(file name, bytes)]."""

UPLOADER = {name: name.split("_")[0] if name.startswith(("zip", "model")) else "photos" for name in CASES}
"""Where each case is uploaded: "zip" (the sidebar), "photos" or "model" (Predict)."""

EXPECTED = {
    "zip_of_bombs": "zip_too_many_pixels",
    "zip_bad_crc": "zip_entry_unreadable",
    "zip_encrypted": "zip_entry_unreadable",
    "zip_unknown_method": "zip_entry_unreadable",
    "zip_bad_deflate": "zip_entry_unreadable",
    "zip_no_images": "zip_too_few_classes",
    "zip_one_empty_class": "zip_too_few_classes",
    "twenty_webp_bombs": "image_over_budget",  # all but the first
    "jpeg_scan_bomb": "image_too_many_scans",
    "exif_99": None,  # accepted as it is: no turn, no "rotated" note
    "model_1024": "model_image_too_large",
}
"""The message key each case is refused with (None: accepted)."""
