"""The built-in dataset: deterministic drawings in the course's format, as hard as the course's photos."""

import time

import numpy as np
import pytest

from playground.course.model import accuracy, initialize_with_zeros, optimize, predict
from playground.data.builtin import SHIPPED, draw_builtin_dataset, make_builtin_dataset, read_shipped


@pytest.fixture(scope="module")
def seed0():
    return make_builtin_dataset(0)


def _course_accuracies(ds, num_iterations=2000, learning_rate=0.005):
    """(train %, test %) of the course's recipe: pixels / 255, w = 0, b = 0, batch gradient descent."""
    X = ds.train_x.reshape(ds.m_train, -1).T / 255.0
    X_test = ds.test_x.reshape(ds.m_test, -1).T / 255.0
    Y, Y_test = ds.train_y[None, :], ds.test_y[None, :]
    w, b = initialize_with_zeros(X.shape[0])
    params, _, _ = optimize(w, b, X, Y, num_iterations, learning_rate)
    w, b = params["w"], params["b"]
    return accuracy(predict(w, b, X), Y), accuracy(predict(w, b, X_test), Y_test)


def test_the_same_seed_gives_the_same_bytes(seed0):
    again = make_builtin_dataset(0)
    for part in ("train_x", "train_y", "test_x", "test_y"):
        assert getattr(again, part).tobytes() == getattr(seed0, part).tobytes(), part
    assert again.key == seed0.key == "builtin:0"


def test_the_shipped_seed_0_is_exactly_what_the_drawing_code_gives(seed0):
    # The app reads assets/builtin_seed0.npz instead of drawing; if the drawing code changes, this
    # fails until `python -m playground.data.builtin` writes the file anew.
    drawn = draw_builtin_dataset(0)
    assert SHIPPED.is_file() and seed0.key == drawn.key and seed0.name == drawn.name
    for part in ("train_x", "train_y", "test_x", "test_y"):
        shipped, fresh = getattr(seed0, part), getattr(drawn, part)
        assert shipped.dtype == fresh.dtype and shipped.tobytes() == fresh.tobytes(), part
    assert not seed0.train_x.flags.writeable  # shared between visitors: read-only like a drawn one


def test_a_missing_or_broken_shipped_file_means_drawing(tmp_path):
    assert read_shipped(tmp_path / "absent.npz") is None
    (tmp_path / "broken.npz").write_bytes(b"PK\x03\x04 not a zip")
    assert read_shipped(tmp_path / "broken.npz") is None
    np.savez(tmp_path / "short.npz", train_x=np.zeros((3, 64, 64, 3), np.uint8))  # parts missing
    assert read_shipped(tmp_path / "short.npz") is None
    np.savez(tmp_path / "wrong.npz", train_x=np.zeros((3, 64, 64, 3), np.float64), train_y=np.zeros(3, np.int64),
             test_x=np.zeros((1, 64, 64, 3), np.uint8), test_y=np.zeros(1, np.int64))  # not uint8
    assert read_shipped(tmp_path / "wrong.npz") is None


def test_another_seed_gives_other_pictures(seed0):
    other = make_builtin_dataset(1)
    assert other.key == "builtin:1" and "seed 1" in other.name
    assert not np.array_equal(other.train_x, seed0.train_x)
    assert not np.array_equal(other.test_x, seed0.test_x)


def test_format_and_class_balance_are_the_courses(seed0):
    assert seed0.train_x.shape == (209, 64, 64, 3) and seed0.train_x.dtype == np.uint8
    assert seed0.test_x.shape == (50, 64, 64, 3) and seed0.test_x.dtype == np.uint8
    assert seed0.train_y.shape == (209,) and seed0.train_y.dtype == np.int64
    assert seed0.test_y.shape == (50,) and seed0.test_y.dtype == np.int64
    assert set(np.unique(seed0.train_y)) == set(np.unique(seed0.test_y)) == {0, 1}
    assert (int(seed0.train_y.sum()), int(seed0.test_y.sum())) == (72, 33)
    assert seed0.classes == ("non-cat", "cat")
    assert seed0.name == "Built-in drawings (seed 0)"


def test_labels_are_shuffled_not_sorted(seed0):
    # A cat block followed by a non-cat block would make any prefix (a mini-batch, a preview) one-class.
    for y in (seed0.train_y, seed0.test_y):
        assert np.count_nonzero(np.diff(y)) > len(y) // 4


def test_every_picture_has_detail_and_none_repeats(seed0):
    x = np.concatenate([seed0.train_x, seed0.test_x])
    assert x.reshape(len(x), -1).std(axis=1).min() > 10  # no blank or flat images
    assert len({img.tobytes() for img in x}) == len(x)
    assert x.min() < 30 and x.max() > 225  # the full range is used, as in photos


def test_cats_and_non_cats_have_similar_mean_colours(seed0):
    # Otherwise the task is solved by the average colour, not by anything cat-shaped.
    x = np.concatenate([seed0.train_x, seed0.test_x]).astype(float)
    y = np.concatenate([seed0.train_y, seed0.test_y])
    cat_rgb = x[y == 1].mean(axis=(0, 1, 2))
    non_cat_rgb = x[y == 0].mean(axis=(0, 1, 2))
    assert np.all(np.abs(cat_rgb - non_cat_rgb) < 25), (cat_rgb, non_cat_rgb)


def test_the_courses_settings_overfit_as_on_the_course_photos(seed0):
    # A few seconds: 2000 iterations of gradient descent on 12288 × 209 pixels.
    train_acc, test_acc = _course_accuracies(seed0)
    assert train_acc >= 95, train_acc
    assert 65 <= test_acc <= 90, test_acc


if __name__ == "__main__":
    # Generation time and the course's accuracies for a few seeds: the figures quoted in the docs.
    draw_builtin_dataset(0)  # the first call also pays for imports and NumPy's warm-up
    for seed in range(5):
        start = time.perf_counter()
        ds = draw_builtin_dataset(seed)
        seconds = time.perf_counter() - start
        train_acc, test_acc = _course_accuracies(ds)
        print(f"seed {seed}: generated in {seconds:.3f} s, train {train_acc:.1f} %, test {test_acc:.1f} %")
