"""Decoding what browsers send: every conversion, every refusal (with its message), never the disk."""

from __future__ import annotations

import base64
import builtins
import io
import os
import struct
import tempfile
import time
import zlib

import numpy as np
import pytest
from numpy.testing import assert_array_equal
from PIL import Image, ImageFile, WebPImagePlugin

from playground.data import images
from playground.data.images import (
    KEEP_SIDE,
    MAX_IMAGE_BYTES,
    MAX_JPEG_SCANS,
    MAX_UPLOAD_PIXELS,
    PREVIEW_SIZE,
    crop_box,
    decode_cost,
    decode_image,
    describe_notes,
    load_model_input,
    open_image,
    prepare_image,
    to_data_uri,
    to_model_input,
    within_budget,
)
from playground.errors import InputError
from tests.hostile import images as hostile

RNG = np.random.default_rng(0)
NOISE = (RNG.random((40, 60, 3)) * 255).astype(np.uint8)


def encode(img: Image.Image, fmt: str, **options) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **options)
    return buf.getvalue()


def solid(colour, size=(60, 40), mode="RGB") -> Image.Image:
    return Image.new(mode, size, colour)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width × height pixels and holds almost none: a decompression bomb's header."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


# ---- what is accepted, and what it becomes ----------------------------------------------------


def test_plain_formats_decode_exactly():
    img = Image.fromarray(NOISE)
    for fmt in ("PNG", "BMP"):
        assert_array_equal(decode_image(encode(img, fmt), f"x.{fmt.lower()}"), NOISE)
    assert_array_equal(decode_image(encode(img, "WEBP", lossless=True), "x.webp"), NOISE)
    jpeg = decode_image(encode(img, "JPEG", quality=95), "x.jpg")
    assert jpeg.shape == (40, 60, 3) and jpeg.dtype == np.uint8


def test_exif_orientation_is_applied():
    img = Image.fromarray(NOISE)
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display"
    plain = decode_image(encode(img, "JPEG", quality=95), "plain.jpg")
    turned = open_image(encode(img, "JPEG", quality=95, exif=exif.tobytes()), "turned.jpg")
    assert turned.rgb.shape == (60, 40, 3)
    assert_array_equal(turned.rgb, np.rot90(plain, k=-1))
    assert turned.size == (40, 60)
    assert ("rotated", 6) in turned.notes
    assert "turned upright (EXIF orientation 6)" in describe_notes(turned.notes)


@pytest.mark.parametrize("value", [0, 9, 99, 65535])
def test_exif_orientations_outside_2_to_8_turn_nothing(value):
    exif = Image.Exif()
    exif[0x0112] = value
    out = open_image(encode(Image.fromarray(NOISE), "JPEG", quality=95, exif=exif.tobytes()), "odd.jpg")
    assert out.rgb.shape == (40, 60, 3) and out.size == (60, 40) and out.notes == ()


def test_the_hostile_exif_99_photo_is_taken_as_it_is():
    (name, data), = hostile.exif_99()
    prepared = prepare_image(data, name)
    assert prepared.size == (60, 40) and prepared.notes == () and prepared.preview.shape == (40, 60, 3)


def test_rgba_is_composited_on_white():
    rgba = np.zeros((4, 4, 4), np.uint8)
    rgba[:, :2] = (255, 0, 0, 255)  # opaque red
    rgba[:, 2] = (255, 0, 0, 128)  # half-transparent red
    rgba[:, 3] = (0, 0, 0, 0)  # fully transparent black
    out = open_image(encode(Image.fromarray(rgba, "RGBA"), "PNG"), "a.png")
    assert_array_equal(out.rgb[0, 0], (255, 0, 0))
    np.testing.assert_allclose(out.rgb[0, 2], (255, 127, 127), atol=1)
    assert_array_equal(out.rgb[0, 3], (255, 255, 255))
    assert ("transparent", None) in out.notes


def test_palette_grey_and_bilevel_become_rgb():
    img = Image.fromarray(NOISE)
    pal = img.convert("P")
    assert_array_equal(decode_image(encode(pal, "PNG")), np.asarray(pal.convert("RGB")))
    grey = img.convert("L")
    out = decode_image(encode(grey, "PNG"))
    assert_array_equal(out, np.repeat(np.asarray(grey)[:, :, None], 3, axis=2))
    bw = decode_image(encode(img.convert("1"), "PNG"))
    assert set(np.unique(bw)) <= {0, 255}


def test_palette_transparency_is_white():
    pal = Image.fromarray(NOISE).convert("P")
    index = int(np.asarray(pal)[0, 0])
    out = decode_image(encode(pal, "PNG", transparency=index))
    assert_array_equal(out[0, 0], (255, 255, 255))


def test_cmyk_jpeg_becomes_rgb():
    out = open_image(encode(solid((255, 0, 0, 0), mode="CMYK"), "JPEG", quality=95), "cmyk.jpg")
    np.testing.assert_allclose(out.rgb[20, 30], (0, 255, 255), atol=3)  # pure cyan
    assert describe_notes(out.notes) == ["CMYK converted to RGB"]


def test_sixteen_bit_grey_is_scaled_not_clipped():
    grey16 = np.array([[0, 32768, 65535]], dtype=np.uint16)
    out = decode_image(encode(Image.fromarray(grey16), "PNG"), "deep.png")
    assert_array_equal(out[0], [[0, 0, 0], [128, 128, 128], [255, 255, 255]])


@pytest.mark.parametrize("fmt, options", [("GIF", {}), ("WEBP", {"lossless": True}), ("PNG", {})])
def test_animations_give_their_first_frame(fmt, options):
    first, second = solid((255, 0, 0)), solid((0, 0, 255))
    data = encode(first, fmt, save_all=True, append_images=[second], **options)
    out = open_image(data, f"anim.{fmt.lower()}")
    np.testing.assert_allclose(out.rgb[10, 10], (255, 0, 0), atol=2)
    assert out.notes[0] == ("animated", None if fmt == "GIF" else 2)


def test_big_jpegs_decode_at_a_reduced_scale_with_the_same_model_input():
    h, w = 2100, 2600
    smooth = np.empty((h, w, 3), np.uint8)
    smooth[..., 0] = (np.arange(w) * 255 // w)[None, :]
    smooth[..., 1] = (np.arange(h) * 255 // h)[:, None]
    smooth[..., 2] = 128
    data = encode(Image.fromarray(smooth), "JPEG", quality=90)
    out = open_image(data, "big.jpg")
    assert out.rgb.shape == (1050, 1300, 3)  # half scale: the smallest that keeps KEEP_SIDE a side
    assert out.size == (w, h) and h // 2 >= KEEP_SIDE
    full = np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))
    diff = to_model_input(out.rgb).astype(int) - to_model_input(full).astype(int)
    assert np.abs(diff).max() <= 2


# ---- what is refused, and what it says -----------------------------------------------------------


def test_empty_file():
    with pytest.raises(ValueError, match=r"^photo\.jpg is empty \(0 bytes\)\.$"):
        decode_image(b"", "photo.jpg")


def test_file_over_the_size_limit():
    with pytest.raises(ValueError, match=r"huge\.png is 20\.0 MiB; images up to 20 MiB are accepted"):
        decode_image(b"\x89PNG" + bytes(MAX_IMAGE_BYTES), "huge.png")


def test_image_over_the_pixel_limit_is_refused_from_its_header():
    with pytest.raises(ValueError, match=r"bomb\.png is 8,000 × 6,000 = 48,000,000 pixels; images up to 40,000,000 pixels are accepted"):
        decode_image(png_header_only(8000, 6000), "bomb.png")


def test_image_over_pillows_own_bomb_limit():
    with pytest.raises(ValueError, match=r"bomb\.png is over [\d,]+ pixels; images up to 40,000,000 pixels are accepted"):
        decode_image(png_header_only(20000, 20000), "bomb.png")


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_file(fmt):
    data = encode(Image.fromarray(NOISE), fmt)
    with pytest.raises(ValueError, match=r"^cut\.img is truncated or corrupt \("):
        decode_image(data[: len(data) // 2], "cut.img")


def test_corrupt_file():
    data = bytearray(encode(Image.fromarray(NOISE), "PNG"))
    data[100:140] = bytes(40)  # inside the compressed pixel data
    with pytest.raises(ValueError, match=r"^broken\.png is truncated or corrupt \("):
        decode_image(bytes(data), "broken.png")


def test_truncated_header():
    data = encode(Image.fromarray(NOISE).convert("P"), "GIF")
    with pytest.raises(ValueError, match=r"^short\.gif starts like an image but its header is truncated or corrupt\.$"):
        decode_image(data[:20], "short.gif")


@pytest.mark.parametrize(
    "data",
    [b"<!doctype html><html><body>not a cat</body></html>", b"%PDF-1.7\n" + bytes(100), encode(Image.fromarray(NOISE), "TIFF")],
    ids=["html", "pdf", "tiff"],
)
def test_non_image_with_an_image_name(data):
    with pytest.raises(ValueError, match=r"^cat\.jpg is not an image Pillow can read \(PNG, JPEG, WebP, BMP or GIF\)\.$"):
        decode_image(data, "cat.jpg")


def test_not_bytes():
    with pytest.raises(ValueError, match=r"Expected the bytes of an image for x\.png, got str"):
        decode_image("x.png", "x.png")


def test_decoding_never_touches_the_disk(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError(f"decoding tried the file system: {args[:1]}")

    samples = {
        "a.jpg": encode(Image.fromarray(NOISE), "JPEG"),
        "b.png": encode(Image.fromarray(NOISE).convert("RGBA"), "PNG"),
        "c.gif": encode(Image.fromarray(NOISE).convert("P"), "GIF", save_all=True, append_images=[solid(0)]),
        "d.webp": encode(Image.fromarray(NOISE), "WEBP"),
        "e.bmp": encode(Image.fromarray(NOISE), "BMP"),
        "f.jpg": encode(solid((0, 0, 0, 0), mode="CMYK"), "JPEG"),
    }
    for target, name in ((builtins, "open"), (io, "open"), (os, "open"), (tempfile, "mkstemp"),
                         (tempfile, "mkdtemp"), (tempfile, "NamedTemporaryFile"), (tempfile, "TemporaryFile")):
        monkeypatch.setattr(target, name, refuse)
    for name, data in samples.items():
        prepared = prepare_image(data, name)
        assert prepared.inputs["squash"].shape == (64, 64, 3)
    with pytest.raises(ValueError, match="truncated or corrupt"):
        decode_image(samples["a.jpg"][:300], "cut.jpg")


# ---- to the model's input ----------------------------------------------------------------------


def _three_bands(width=300, height=100) -> np.ndarray:
    """Red | green | blue vertical thirds."""
    rgb = np.zeros((height, width, 3), np.uint8)
    third = width // 3
    rgb[:, :third, 0] = 255
    rgb[:, third:2 * third, 1] = 255
    rgb[:, 2 * third:, 2] = 255
    return rgb


def test_squash_keeps_everything_and_crop_keeps_the_centre():
    rgb = _three_bands()
    squash = to_model_input(rgb, "squash")
    crop = to_model_input(rgb, "crop")
    assert squash.shape == crop.shape == (64, 64, 3)
    assert squash[32, 2, 0] == 255 and squash[32, 61, 2] == 255
    assert_array_equal(crop[:, 4:60], np.broadcast_to([0, 255, 0], (64, 56, 3)))


def test_crop_box_follows_the_target_shape():
    assert crop_box(100, 300) == (100, 0, 200, 100)
    assert crop_box(300, 100) == (0, 100, 100, 200)
    assert crop_box(100, 300, (32, 48)) == (75, 0, 225, 100)
    assert to_model_input(_three_bands(), "crop", (32, 48)).shape == (32, 48, 3)


def test_to_model_input_refuses_bad_arguments():
    with pytest.raises(ValueError, match="Unknown preprocessing 'stretch': expected one of squash, crop"):
        to_model_input(NOISE, "stretch")
    with pytest.raises(ValueError, match=r"Expected an RGB uint8 array \(H, W, 3\), got shape \(40, 60\)"):
        to_model_input(NOISE[:, :, 0])


def test_load_model_input_and_prepare_agree():
    data = encode(Image.fromarray(_three_bands(600, 200)), "PNG")
    prepared = prepare_image(data, "bands.png")
    assert_array_equal(prepared.inputs["squash"], load_model_input(data, "bands.png"))
    assert_array_equal(prepared.inputs["crop"], load_model_input(data, "bands.png", "crop"))
    assert prepared.size == (600, 200) and prepared.format == "PNG"
    assert max(prepared.preview.shape[:2]) == PREVIEW_SIZE
    scale = PREVIEW_SIZE / 600
    np.testing.assert_allclose(prepared.crop_box, np.array([200, 0, 400, 200]) * scale)


def test_data_uri_round_trips():
    uri = to_data_uri(NOISE)
    assert uri.startswith("data:image/png;base64,")
    assert_array_equal(decode_image(base64.b64decode(uri.split(",", 1)[1])), NOISE)


# ---- reduced while decoding ------------------------------------------------------------------------


def _smooth(width: int, height: int) -> np.ndarray:
    """A gradient: red across, green down (what a resize keeps well, so reductions can be compared)."""
    rgb = np.empty((height, width, 3), np.uint8)
    rgb[..., 0] = (np.arange(width) * 255 // width)[None, :]
    rgb[..., 1] = (np.arange(height) * 255 // height)[:, None]
    rgb[..., 2] = 128
    return rgb


def test_a_large_png_is_box_reduced_with_the_same_model_input():
    h, w = 2100, 2600
    data = encode(Image.fromarray(_smooth(w, h)), "PNG")
    out = open_image(data, "big.png")
    assert out.rgb.shape == (1050, 1300, 3) and out.size == (w, h)  # reduced by 2: KEEP_SIDE a side still
    full = decode_image(data, "big.png", min_side=None)
    assert full.shape == (h, w, 3)
    for mode in ("squash", "crop"):  # (the reduce moves a 64 × 64 input by at most one level)
        assert np.abs(to_model_input(out.rgb, mode).astype(int) - to_model_input(full, mode)).max() <= 1


@pytest.mark.parametrize("fmt, options", [("PNG", {}), ("WEBP", {"lossless": True}), ("GIF", {}), ("BMP", {}),
                                          ("JPEG", {"quality": 95})])
def test_every_format_is_reduced_to_min_side_and_keeps_its_look(fmt, options):
    rgb = _smooth(520, 420)
    out = open_image(encode(Image.fromarray(rgb), fmt, **options), f"x.{fmt.lower()}", min_side=100)
    assert min(out.rgb.shape[:2]) >= 100 and out.rgb.shape[:2] == (105, 130) and out.size == (520, 420)
    tolerance = 24 if fmt == "GIF" else 6  # (GIF: a 256-colour palette)
    assert np.abs(to_model_input(out.rgb).astype(int) - to_model_input(rgb)).mean() < tolerance / 4
    assert np.abs(to_model_input(out.rgb).astype(int) - to_model_input(rgb)).max() <= tolerance


def test_a_large_transparent_picture_is_put_on_white_then_reduced():
    rgba = np.zeros((400, 600, 4), np.uint8)
    rgba[:, :300] = (255, 0, 0, 255)  # opaque red | fully transparent
    out = open_image(encode(Image.fromarray(rgba, "RGBA"), "PNG"), "half.png", min_side=100)
    assert out.rgb.shape == (100, 150, 3) and ("transparent", None) in out.notes
    assert_array_equal(out.rgb[:, :75], np.broadcast_to([255, 0, 0], (100, 75, 3)))
    assert_array_equal(out.rgb[:, 75:], np.broadcast_to([255, 255, 255], (100, 75, 3)))


def test_a_large_sixteen_bit_picture_is_reduced_then_scaled():
    grey16 = np.full((400, 600), 32768, np.uint16)
    grey16[:, 300:] = 65535
    out = open_image(encode(Image.fromarray(grey16), "PNG"), "deep.png", min_side=100)
    assert out.rgb.shape == (100, 150, 3) and out.notes == (("sixteen_bit", None),)
    assert set(np.unique(out.rgb[:, :75])) == {128} and set(np.unique(out.rgb[:, 75:])) == {255}


def test_a_palette_picture_is_converted_before_it_is_reduced():
    pal = Image.fromarray(_smooth(600, 400)).convert("P")
    out = open_image(encode(pal, "PNG"), "pal.png", min_side=100)
    expected = np.asarray(pal.convert("RGB").reduce(4))
    assert out.rgb.shape == (100, 150, 3) and np.abs(out.rgb.astype(int) - expected).max() <= 1


def test_a_turned_jpeg_is_drafted_then_turned():
    exif = Image.Exif()
    exif[0x0112] = 6
    data = encode(Image.fromarray(_smooth(600, 400)), "JPEG", quality=95, exif=exif.tobytes())
    out = open_image(data, "turned.jpg", min_side=100)
    assert out.rgb.shape == (150, 100, 3) and out.size == (400, 600)  # ¼ scale, then a quarter turn
    assert out.rgb[0, -1, 0] < 20 and out.rgb[-1, -1, 0] > 230  # red grew along the width: now downwards


def test_the_course_photos_are_decoded_in_full(photos_dir):
    # None is larger than 2 × KEEP_SIDE a side: their inputs, and so their probabilities, are unchanged.
    for path in sorted(photos_dir.iterdir()):
        data = path.read_bytes()
        prepared = prepare_image(data, path.name)
        assert_array_equal(prepared.inputs["squash"], load_model_input(data, path.name, min_side=None))
        assert_array_equal(prepared.inputs["crop"], load_model_input(data, path.name, "crop", min_side=None))


# ---- one budget per upload, counted from the headers -----------------------------------------------


@pytest.fixture
def no_decoding(monkeypatch):
    """Any pixel decoded fails the test: what is refused must be refused from the header alone."""
    def refuse(self, *args, **kwargs):
        raise AssertionError(f"the pixels of a {self.format} were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)
    monkeypatch.setattr(WebPImagePlugin.WebPImageFile, "load", refuse)


def test_decode_cost_counts_the_pixels_decoded_and_the_bytes_read():
    rgb = _smooth(520, 420)
    full = 520 * 420
    jpeg = encode(Image.fromarray(rgb), "JPEG", quality=90)
    for side, (w, h) in ((100, (130, 105)), (200, (260, 210)), (None, (520, 420))):  # ¼, ½, full scale
        assert decode_cost(jpeg, "x.jpg", side) == w * h + len(jpeg) // 2 + full // 16
        assert open_image(jpeg, "x.jpg", side).rgb.shape == (h, w, 3)
    progressive = encode(Image.fromarray(rgb), "JPEG", quality=90, progressive=True)
    assert decode_cost(progressive, "x.jpg", 100) == full + len(progressive) // 2 + full // 16
    png = encode(Image.fromarray(rgb), "PNG")
    assert decode_cost(png, "x.png", 100) == decode_cost(png, "x.png", None) == full + len(png) // 2
    lossy = encode(Image.fromarray(rgb), "WEBP", quality=90)
    assert decode_cost(lossy, "x.webp") == full + 3 * len(lossy)
    lossless = encode(Image.fromarray(rgb), "WEBP", lossless=True)
    assert decode_cost(lossless, "x.webp") == full + len(lossless) // 2


def test_decode_cost_refuses_what_open_image_refuses_from_the_header(no_decoding):
    with pytest.raises(InputError, match="is empty"):
        decode_cost(b"", "e.png")
    with pytest.raises(InputError, match="48,000,000 pixels"):
        decode_cost(png_header_only(8000, 6000), "bomb.png")
    with pytest.raises(InputError, match="is not an image Pillow can read"):
        decode_cost(b"%PDF-1.7\n" + bytes(100), "cat.jpg")


def test_twenty_tiny_webps_declaring_40_megapixels_each_share_one_budget(no_decoding):
    files = hostile.twenty_webp_bombs()
    assert all(len(data) < 50 for _, data in files)
    start = time.process_time()
    verdicts = within_budget(files)
    assert time.process_time() - start < 0.5
    costs = [decode_cost(data, name) for name, data in files]
    assert verdicts[0] is None and costs[0] <= MAX_UPLOAD_PIXELS
    assert all(isinstance(v, InputError) and v.key == "image_over_budget" for v in verdicts[1:])
    total = (sum(costs[:2])) / 1e6
    assert str(verdicts[1]) == (f"bomb01.webp skipped: decoding it costs {costs[1] / 1e6:,.1f} megapixels, which would "
                                f"bring this upload to {total:,.1f}; at most 48 megapixels are decoded per upload.")
    assert 79 < total < 81


def test_a_bomb_within_the_budget_is_decoded_and_reduced():
    name, data = hostile.twenty_webp_bombs()[0]
    prepared = prepare_image(data, name)  # (most of what one upload may take)
    assert prepared.size == (6400, 6250) and prepared.preview.shape == (469, 480, 3)
    assert prepared.inputs["squash"].shape == (64, 64, 3)


def test_within_budget_keeps_header_refusals_and_lets_a_smaller_file_fit(monkeypatch):
    big = encode(Image.fromarray(_smooth(300, 200)), "PNG")
    small = encode(Image.fromarray(NOISE), "PNG")
    monkeypatch.setattr(images, "MAX_UPLOAD_PIXELS", decode_cost(big) + decode_cost(small))
    verdicts = within_budget([("a.png", big), ("e.png", b""), ("b.png", big), ("c.png", small), ("d.png", small)])
    assert verdicts[0] is None and verdicts[3] is None
    assert [v.key for v in (verdicts[1], verdicts[2], verdicts[4])] == ["image_empty", "image_over_budget", "image_over_budget"]
    assert within_budget([]) == []


def test_a_jpeg_of_thousands_of_scans_is_refused_from_its_header(no_decoding):
    (name, data), = hostile.jpeg_scan_bomb()
    assert len(data) < 100_000
    for call in (decode_cost, open_image, prepare_image):
        with pytest.raises(InputError, match=rf"^scans\.jpg is a JPEG of 3,010 scans; JPEGs of up to {MAX_JPEG_SCANS} "
                                             r"scans are accepted\.$"):
            call(data, name)


def test_junk_before_a_marker_does_not_hide_the_scans(no_decoding):
    # libjpeg skips bytes up to the next FF (with a warning), so the count must too.
    (name, data), = hostile.jpeg_scan_bomb()
    after_app0 = 4 + int.from_bytes(data[4:6], "big")
    with pytest.raises(InputError, match="is a JPEG of 3,010 scans"):
        decode_cost(data[:after_app0] + b"junk\x00\xff\x00" + data[after_app0:], name)


def test_scans_are_counted_from_the_main_picture():
    # A comment before the first scan may hold FF DA (so may an EXIF thumbnail): it is stepped over.
    plain = encode(Image.fromarray(NOISE), "JPEG", comment=b"\xff\xda" * 50)
    progressive = encode(Image.fromarray(NOISE), "JPEG", progressive=True)
    assert images._jpeg_scans(plain) == 1 and 2 < images._jpeg_scans(progressive) <= 12
    assert decode_image(plain, "c.jpg").shape == (40, 60, 3)
