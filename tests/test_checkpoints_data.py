"""The Data page's checkpoints, computed from the dataset in use: the course's, and smaller ones."""

import numpy as np
import pytest

from playground.data.dataset import Dataset
from playground.lessons.checkpoints import BY_ID, on_page
from playground.lessons.checkpoints import data as asked
from playground.ui.locales import LANGUAGES, catalog


def _dataset(m: int, h: int, w: int) -> Dataset:
    """m training pictures of h × w (both classes), 2 test pictures."""
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, size=(m, h, w, 3), dtype=np.uint8)
    y = np.arange(m) % 2
    return Dataset("tiny", f"tiny-{m}-{h}-{w}", x, y, x[:2].copy(), y[:2].copy(), ("non-cat", "cat"))


def test_the_data_page_asks_the_shape_then_the_index():
    assert [c.id for c in on_page("data")] == ["data.x_shape", "data.pixel_index"]
    assert BY_ID["data.x_shape"].kind == "choice" and BY_ID["data.pixel_index"].kind == "number"


def test_the_shape_of_x_on_the_course_data_is_n_x_by_m(course_dataset, course_features):
    q = asked.x_shape(course_dataset)
    # Independently: what the model trains on, and the course's published numbers.
    assert course_features.X_train.shape == (12288, 209)
    assert q.answer.right == "(12288, 209)" and q.answer.literal
    assert set(q.answer.options) == {"(12288, 209)", "(209, 12288)", "(209, 64, 64, 3)", "(64, 64, 3)"}
    assert q.answer.options[0] != q.answer.right  # the order does not give it away
    assert [o for o in q.answer.options if q.is_right(o)] == ["(12288, 209)"]
    assert q.fields["shape"] == "(12288, 209)" and q.fields["m"] == "209" and q.fields["n_x"] == "12,288"
    assert q.show == {"image": 208}  # the last column of X, framed


@pytest.mark.parametrize("m, h, w", [(12, 8, 6), (5, 2, 3)])
def test_the_shape_follows_the_dataset_in_use(m, h, w):
    ds = _dataset(m, h, w)
    q = asked.x_shape(ds)
    expected = ds.train_x.reshape(m, -1).T.shape  # the course's own line: X = x.reshape(m, -1).T
    assert q.answer.right == f"({expected[0]}, {expected[1]})" == f"({h * w * 3}, {m})"
    assert f"({m}, {h}, {w}, 3)" in q.answer.options and f"({h}, {w}, 3)" in q.answer.options
    assert q.show == {"image": m - 1}


def test_a_square_x_is_offered_once():
    q = asked.x_shape(_dataset(3, 1, 1))  # n_x = 3 = m: (n_x, m) and (m, n_x) read the same
    assert q.answer.right == "(3, 3)" and q.answer.options.count("(3, 3)") == 1 and len(q.answer.options) == 3


def _where(image_shape, row, col, k) -> int:
    """Where pixel (row, col, k) lands when a picture with all-different numbers is unrolled as the course
    unrolls it (NumPy's reshape), found by its value."""
    picture = np.arange(np.prod(image_shape)).reshape(image_shape)
    return int(np.flatnonzero(picture.reshape(-1) == picture[row, col, k])[0])


def test_the_index_of_row_10_column_3_green_on_64_by_64():
    q = asked.pixel_index((64, 64, 3))
    assert q.answer.right == _where((64, 64, 3), 10, 3, 1) == 1930
    assert q.is_right(1930) and q.is_right(1930.0) and not q.is_right(1929) and not q.is_right(1931)
    assert not q.is_right(_where((64, 64, 3), 3, 10, 1))  # row and column swapped
    assert q.show == {"row": 10, "col": 3, "channel": 1}
    assert q.answer.shown() == "1930"


@pytest.mark.parametrize("shape, pixel", [((8, 6, 3), (7, 3, 1)), ((20, 2, 3), (10, 1, 1)), ((1, 1, 3), (0, 0, 1))])
def test_the_pixel_asked_fits_a_smaller_picture_and_its_index_uses_the_width(shape, pixel):
    q = asked.pixel_index(shape)
    assert (q.show["row"], q.show["col"], q.show["channel"]) == pixel
    assert q.answer.right == _where(shape, *pixel)
    assert q.fields["w"] == shape[1] and q.fields["j"] == q.answer.right


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("image_shape", [(64, 64, 3), (8, 6, 3)])
def test_every_text_fills_with_the_questions_fields(lang, image_shape):
    texts = catalog(lang)
    ds = _dataset(7, *image_shape[:2])
    for name, q in (("x_shape", asked.x_shape(ds)), ("pixel_index", asked.pixel_index(image_shape))):
        parts = [k for k in texts if k.startswith(f"data.checkpoint.{name}.")]
        assert len(parts) == 4  # question, hint, why, look
        for key in parts:
            filled = texts[key].format(**q.fields)
            assert "{" not in filled, key
        assert str(q.fields["h"]) in texts[f"data.checkpoint.{name}.question"].format(**q.fields)
