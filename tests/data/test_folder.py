"""Folders and zips of class subfolders: loading, the split, and every refusal."""

import io
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from playground.data import folder, images
from playground.data.folder import load_image_folder, load_image_zip, zip_classes
from playground.data.images import DATASET_SIDE, load_model_input
from playground.data.sources import load_dataset_path
from playground.errors import InputError
from tests.hostile import images as hostile


def _png(colour, size=(40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, "PNG")
    return buf.getvalue()


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _class_zip(n=5):
    entries = {f"cats/c{i}.png": _png((200, 120 + i, 40)) for i in range(n)}
    entries.update({f"dogs/d{i}.png": _png((40, 90, 200 - i)) for i in range(n)})
    entries["dogs/.DS_Store"] = b"junk"
    entries["__MACOSX/cats/._c0.png"] = b"junk"
    return _zip(entries)


def test_zip_of_two_classes_loads_and_splits_by_seed():
    data = _class_zip()
    assert zip_classes(data) == ["cats", "dogs"]
    ds = load_image_zip(data, "cats", seed=1)
    assert ds.train_x.shape[1:] == (64, 64, 3)
    assert ds.m_train + ds.m_test == 10 and ds.m_test == 2  # one per class held out
    assert set(ds.test_y.tolist()) == {0, 1}
    assert ds.classes == ("dogs", "cats")
    # cats are orange: label 1 where red is high
    assert np.all((ds.train_x[:, 0, 0, 0] > 150) == (ds.train_y == 1))
    again = load_image_zip(data, "cats", seed=1)
    assert np.array_equal(again.train_x, ds.train_x)
    other = load_image_zip(data, "cats", seed=2)
    assert other.key != ds.key


def test_folder_loads_like_the_zip(tmp_path):
    for cls, colour in (("cat", (220, 140, 60)), ("other", (30, 60, 200))):
        (tmp_path / cls).mkdir()
        for i in range(4):
            (tmp_path / cls / f"{i}.png").write_bytes(_png(colour))
    ds = load_image_folder(tmp_path, "cat")
    assert ds.m_train == 6 and ds.m_test == 2
    guessed = load_dataset_path(tmp_path)  # "cat" is recognised as the positive class
    assert guessed.classes == ("other", "cat")


@pytest.mark.parametrize(
    "entries, message",
    [
        ({"../evil.png": _png("red"), "a/x.png": _png("red")}, r"The zip entry '../evil.png' points outside its folder; refused"),
        ({"/etc/x.png": _png("red")}, "points outside its folder"),
        ({"loose.png": _png("red")}, r"'loose.png' is not inside a class folder: expected class/image.jpg"),
        ({"cats/a.png": _png("red"), "cats/b.png": _png("red")}, r"at least two classes; found 1 \(cats\)"),
        ({"cats/a.png": b"not an image at all", "dogs/b.png": _png("blue")}, "cats/a.png is not an image Pillow can read"),
        ({"cats/a.png": _png("red"), "dogs/b.png": _png("blue")}, "Too few images to hold any out for testing"),
    ],
)
def test_bad_zip_is_refused_with_a_precise_message(entries, message):
    with pytest.raises(ValueError, match=message):
        load_image_zip(_zip(entries), "cats")


def test_not_a_zip():
    with pytest.raises(ValueError, match=r"The upload is not a readable \.zip file"):
        zip_classes(b"PK? no")


def test_unknown_positive_class():
    with pytest.raises(ValueError, match=r"No class 'birds': the classes are cats, dogs"):
        load_image_zip(_class_zip(), "birds")


def test_limits_on_count_and_bytes(monkeypatch):
    import playground.data.folder as folder

    monkeypatch.setattr(folder, "MAX_IMAGES", 7)
    with pytest.raises(ValueError, match=r"The zip holds 10 images; at most 7 are accepted"):
        load_image_zip(_class_zip(), "cats")
    monkeypatch.setattr(folder, "MAX_IMAGES", 3000)
    monkeypatch.setattr(folder, "MAX_TOTAL_BYTES", 100)
    with pytest.raises(ValueError, match=r"MiB of images; at most 0 MiB are accepted"):
        load_image_zip(_class_zip(), "cats")


def test_dataset_path_errors(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        load_dataset_path(tmp_path / "nope")
    with pytest.raises(ValueError, match="holds neither the course's"):
        load_dataset_path(tmp_path)
    f = tmp_path / "x.txt"
    f.write_text("hi")
    with pytest.raises(ValueError, match="is a file but not a .zip"):
        load_dataset_path(f)
    z = tmp_path / "pets.zip"
    z.write_bytes(_class_zip())
    assert load_dataset_path(z).classes == ("dogs", "cats")  # a folder called cats is the cat class
    renamed = {f"{'kitties' if i < 3 else 'dogs'}/{i}.png": _png((i * 30, 0, 0)) for i in range(6)}
    z.write_bytes(_zip(renamed))
    with pytest.raises(ValueError, match="has the classes dogs, kitties: say which one is 'cat'"):
        load_dataset_path(z)
    assert load_dataset_path(z, "kitties").classes == ("dogs", "kitties")


# ---- hostile zips: refused with their message, before any image is decoded ------------------------

ZIP_CASES = [name for name, where in hostile.UPLOADER.items() if where == "zip"]
MESSAGES = {
    "zip_of_bombs": r"^Decoding the zip's images would cost 40,000\.0 megapixels; at most 48 megapixels are decoded per upload\.$",
    "zip_bad_crc": r"^The zip entry 'cats/c1\.png' could not be read \(BadZipFile: Bad CRC-32 for file 'cats/c1\.png'\)\.$",
    "zip_encrypted": r"^The zip entry 'cats/c0\.png' could not be read \(RuntimeError: File 'cats/c0\.png' is encrypted",
    "zip_unknown_method": r"^The zip entry 'dogs/d2\.png' could not be read \(NotImplementedError: That compression method",
    "zip_bad_deflate": r"^The zip entry 'cats/c2\.png' could not be read \(zlib\.error: Error -3 while decompressing",
    "zip_no_images": r"^The zip needs one subfolder per class, at least two classes; found 0 \(–\)\.$",
    "zip_one_empty_class": r"^The zip needs one subfolder per class, at least two classes; found 1 \(cats\)\.$",
}


@pytest.fixture
def no_decoding(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("an image was decoded")

    monkeypatch.setattr(folder, "load_model_input", refuse)


@pytest.mark.parametrize("case", ZIP_CASES)
def test_hostile_zips_are_refused_quickly_with_their_message(case, no_decoding):
    (_, data), = hostile.CASES[case]()
    start = time.process_time()
    with pytest.raises(InputError, match=MESSAGES[case]) as refusal:
        zip_classes(data)  # (what the sidebar calls first: the directory's own refusals come from here)
        load_image_zip(data, "cats")
    assert refusal.value.key == hostile.EXPECTED[case]
    assert time.process_time() - start < 1


def test_a_zip_without_two_classes_is_refused_by_zip_classes_and_by_path(tmp_path):
    for case in ("zip_no_images", "zip_one_empty_class"):
        (_, data), = hostile.CASES[case]()
        with pytest.raises(InputError, match=MESSAGES[case]):
            zip_classes(data)
        (tmp_path / f"{case}.zip").write_bytes(data)
        with pytest.raises(InputError, match=MESSAGES[case]):
            load_dataset_path(tmp_path / f"{case}.zip")


def test_the_budget_is_the_sum_over_all_images(monkeypatch, no_decoding):
    data = _class_zip()
    costs = [images.decode_cost(d, n, DATASET_SIDE) for n, d in _zip_entries(data)]
    monkeypatch.setattr(images, "MAX_UPLOAD_PIXELS", sum(costs) - 1)
    with pytest.raises(InputError, match=r"^Decoding the zip's images would cost 0\.0 megapixels"):
        load_image_zip(data, "cats")


def _zip_entries(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(n, zf.read(n)) for n in zf.namelist() if n.endswith(".png") and "__MACOSX" not in n]


def test_large_photos_in_a_zip_are_reduced_while_decoding():
    rng = np.random.default_rng(0)
    photos = {}
    for i in range(6):
        buf = io.BytesIO()
        Image.fromarray(rng.integers(0, 256, (600, 800, 3), dtype=np.uint8)).save(buf, "JPEG", quality=90)
        photos[f"{'cats' if i % 2 else 'dogs'}/{i}.jpg"] = buf.getvalue()
    ds = load_image_zip(_zip(photos), "cats")
    expected = {load_model_input(d, n, min_side=DATASET_SIDE).tobytes() for n, d in photos.items()}  # ½ scale
    assert {x.tobytes() for x in np.concatenate([ds.train_x, ds.test_x])} == expected


def test_a_folder_has_the_same_budget_and_says_which_file_it_cannot_read(tmp_path, monkeypatch):
    for cls in ("cat", "other"):
        (tmp_path / cls).mkdir()
        for i in range(3):
            (tmp_path / cls / f"{i}.png").write_bytes(_png((40 * i, 90, 200)))
    monkeypatch.setattr(images, "MAX_UPLOAD_PIXELS", 1000)
    with pytest.raises(InputError, match=rf"^Decoding the images in {tmp_path} would cost 0\.0 megapixels; at most 0 megapixels"):
        load_image_folder(tmp_path, "cat")
    monkeypatch.undo()
    bad = tmp_path / "cat" / "1.png"
    read_bytes = Path.read_bytes

    def unreadable(self):
        if self == bad:
            raise PermissionError(13, "Permission denied")
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", unreadable)
    with pytest.raises(InputError, match=rf"^{bad} could not be read \(Permission denied\)\.$"):
        load_image_folder(tmp_path, "cat")
