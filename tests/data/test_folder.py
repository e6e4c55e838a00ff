"""Folders and zips of class subfolders: loading, the split, and every refusal."""

import io
import zipfile

import numpy as np
import pytest
from PIL import Image

from playground.data.folder import load_image_folder, load_image_zip, zip_classes
from playground.data.sources import load_dataset_path


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
