"""The Data page's checkpoints in AppTest: asked above what answers them, checked right and wrong,
"Show me" moving the page's own widgets, in Korean, on a projector, and on other datasets."""

import io
import json

import numpy as np
import pytest

from tests.conftest import use_course_data

PICK = "checkpoint.data.pick"


def _key(name: str, part: str) -> str:
    return f"checkpoint.data.{name}.{part}"


def _expected_shape(ds) -> str:
    """X_train's shape as NumPy prints it, from the pictures as loaded: (H·W·3, m)."""
    m, h, w, c = ds.train_x.shape
    return f"({h * w * c}, {m})"


def _expected_index(w: int, row: int, col: int, k: int) -> int:
    """Where (row, col, k) lands when pictures of width w with all-different numbers are unrolled by NumPy."""
    picture = np.arange((row + 1) * w * 3).reshape(row + 1, w, 3)
    return int(np.flatnonzero(picture.reshape(-1) == picture[row, col, k])[0])


def _answer(at, name: str, value):
    widget = at.radio(key=_key(name, "answer")) if name == "x_shape" else at.number_input(key=_key(name, "answer"))
    widget.set_value(value).run()
    at.button(key=_key(name, "check")).click().run()
    assert not at.exception, at.exception
    return at


def _markdown(at) -> list[str]:
    return [m.value for m in at.markdown]


def _matrix(at) -> dict:
    [chart] = [c for c in at.get("plotly_chart") if "matrix" in c.proto.id]
    return json.loads(chart.proto.spec)


@pytest.fixture(scope="module")
def course_shape(course_dataset):
    return _expected_shape(course_dataset)


def test_the_box_asks_the_shape_first_above_the_page_that_answers_it(app_test):
    at = app_test()
    texts = _markdown(at)
    question = next(k for k, v in enumerate(texts) if v.startswith("The training set holds"))
    assert texts[0].startswith("This playground trains") and question < next(
        k for k, v in enumerate(texts) if v.startswith("*j* ="))
    assert at.button_group(key=PICK).value == "x_shape"
    # The question comes before the metrics and figures in the page (the box is the first container after
    # the greeting): its radio is the first in the main area.
    assert at.main.radio[0].key == _key("x_shape", "answer")


def test_the_shape_right_then_show_me_frames_the_last_column(app_test, course_shape):
    at = use_course_data(app_test())
    options = at.radio(key=_key("x_shape", "answer")).options
    assert course_shape == "(12288, 209)" and course_shape in options and options[0] != course_shape
    _answer(at, "x_shape", course_shape)
    assert [s.value for s in at.success] == [f"Right: {course_shape}."]
    assert any(t.startswith("Each picture is unrolled into one column x") for t in _markdown(at))
    assert any(f"X_train.shape == {course_shape}" in c.value and c.value.startswith("Where the page shows it: ")
               for c in at.caption)
    assert at.slider(key="vector_image").value == 0
    at.button(key=_key("x_shape", "show")).click().run()
    assert not at.exception
    assert at.slider(key="vector_image").value == 208
    [frame] = _matrix(at)["layout"]["shapes"]
    assert (frame["x0"], frame["x1"]) == (207.5, 208.5)
    # The answer keeps its verdict after the page moved, and can be asked again.
    assert [s.value for s in at.success] == [f"Right: {course_shape}."]
    at.button(key=_key("x_shape", "again")).click().run()
    assert not at.success and at.radio(key=_key("x_shape", "answer")).value is None


def test_the_shape_wrong_twice_shows_the_answer(app_test, course_shape):
    at = use_course_data(app_test())
    _answer(at, "x_shape", "(209, 12288)")
    [warning] = [w.value for w in at.warning]
    assert warning.startswith("Not quite.") and "which way does the course stack" in warning
    assert course_shape not in warning and not at.error
    _answer(at, "x_shape", "(209, 64, 64, 3)")
    assert [e.value for e in at.error] == [f"Not this time. The answer: {course_shape}."]
    assert not at.warning and at.button(key=_key("x_shape", "show"))


def test_the_index_right_then_show_me_sets_the_pixel_and_the_formula_shows_it(app_test, course_dataset):
    at = use_course_data(app_test())
    at.button_group(key=PICK).set_value("pixel_index").run()
    j = _expected_index(course_dataset.train_x.shape[2], 10, 3, 1)
    assert j == 1930
    assert any("row 10, column 3" in t and "green" in t for t in _markdown(at))
    _answer(at, "pixel_index", j)
    assert [s.value for s in at.success] == ["Right: 1930."]
    at.button(key=_key("pixel_index", "show")).click().run()
    assert not at.exception
    assert (at.number_input(key="pix_row").value, at.number_input(key="pix_col").value,
            at.radio(key="pix_channel").value) == (10, 3, 1)
    assert f"(10 · 64 + 3) · 3 + 1 = **{j}**" in " ".join(_markdown(at))
    assert not at.warning  # in range: no clamping note


def test_the_index_wrong_twice_shows_the_answer(app_test):
    at = use_course_data(app_test())
    at.button_group(key=PICK).set_value("pixel_index").run()
    _answer(at, "pixel_index", 1929)
    assert at.warning[0].value.startswith("Not quite.") and "1930" not in at.warning[0].value
    _answer(at, "pixel_index", (3 * 64 + 10) * 3 + 1)  # row and column swapped
    assert [e.value for e in at.error] == ["Not this time. The answer: 1930."]
    assert any("= 643 pixels of 3 numbers each" in t for t in _markdown(at))


def test_both_checkpoints_in_korean(app_test):
    at = app_test(query={"lang": "ko"})
    assert any(t.startswith("훈련 세트에는 64 × 64 × 3개의 숫자로 된 그림이 209장") for t in _markdown(at))
    _answer(at, "x_shape", "(64, 64, 3)")
    assert at.warning[0].value.startswith("아직 아닙니다.") and "어느 방향으로 쌓을까요" in at.warning[0].value
    _answer(at, "x_shape", "(209, 12288)")
    assert [e.value for e in at.error] == ["이번에는 틀렸습니다. 답: (12288, 209)."]
    assert any(t.startswith("그림마다 n_x = 64 · 64 · 3 = 12,288개의") for t in _markdown(at))
    assert any(c.value.startswith("페이지에서 답이 보이는 곳: “열을 쌓기: X와 Y”") for c in at.caption)
    at.button_group(key=PICK).set_value("pixel_index").run()
    assert any("행 10, 열 3 픽셀의 초록 값(k = 1)" in t for t in _markdown(at))
    _answer(at, "pixel_index", 1930)
    assert [s.value for s in at.success] == ["정답: 1930."]
    assert any("j = (10 · 64 + 3) · 3 + 1 = 1930." in t for t in _markdown(at))
    assert at.button(key=_key("pixel_index", "show")).label == "보여 주기"


@pytest.mark.parametrize("name, letter, answer", [("x_shape", "C", "(12288, 209)"), ("pixel_index", None, "1930")])
def test_presenting_the_reveal_button_shows_the_answer(app_test, name, letter, answer):
    at = app_test(query={"present": "1"})
    at.button_group(key=PICK).set_value(name).run()
    assert _key(name, "answer") not in {w.key for w in [*at.radio, *at.number_input]}
    texts = _markdown(at)
    assert any(t.startswith("### ") for t in texts) and not at.info
    if letter:
        [options] = [t for t in texts if t.startswith("- **A** · ")]
        assert f"- **{letter}** · {answer}" in options.splitlines()
    at.button(key=_key(name, "reveal")).click().run()
    assert not at.exception
    shown = f"{letter} · {answer}" if letter else answer
    assert [i.value for i in at.info] == [f"The answer: {shown}."]
    assert at.button(key=_key(name, "show"))


def _h5(split: str, x: np.ndarray, y: np.ndarray) -> bytes:
    import h5py

    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        f.create_dataset(f"{split}_set_x", data=x)
        f.create_dataset(f"{split}_set_y", data=y)
        f.create_dataset("list_classes", data=np.array([b"non-cat", b"cat"]))
    return buf.getvalue()


def test_the_built_in_drawings_and_smaller_pictures_give_their_own_answers(app_test, course_shape):
    from playground.data.builtin import read_shipped

    # The built-in drawings: their own pictures' shape (the same sizes as the course's, by design).
    at = app_test()
    builtin = read_shipped()
    assert "Built-in" in at.header[0].value
    _answer(at, "x_shape", _expected_shape(builtin))
    assert [s.value for s in at.success] == [f"Right: {_expected_shape(builtin)}."]
    # A course-format pair of 12 + 4 pictures of 8 × 6: every answer changes, and row 10 is pulled inside.
    rng = np.random.default_rng(1)
    x = rng.integers(0, 256, size=(16, 8, 6, 3), dtype=np.uint8)
    y = np.arange(16) % 2
    at.radio(key="dataset_kind").set_value("course_upload").run()
    at.file_uploader(key="upload_train_h5").set_value(("train_catvnoncat.h5", _h5("train", x[:12], y[:12]),
                                                       "application/x-hdf5"))
    at.file_uploader(key="upload_test_h5").set_value(("test_catvnoncat.h5", _h5("test", x[12:], y[12:]),
                                                      "application/x-hdf5"))
    at.run()
    assert not at.exception and [m.value for m in at.metric][:3] == ["12", "4", "8 × 6 × 3"]
    # Another dataset asks another question: the earlier answer does not carry over.
    assert not at.success
    options = at.radio(key=_key("x_shape", "answer")).options
    assert course_shape not in options and {"(144, 12)", "(12, 144)", "(12, 8, 6, 3)", "(8, 6, 3)"} == set(options)
    _answer(at, "x_shape", "(144, 12)")
    assert [s.value for s in at.success] == ["Right: (144, 12)."]
    at.button_group(key=PICK).set_value("pixel_index").run()
    assert any("8 × 6 picture" in t and "row 7, column 3" in t for t in _markdown(at))
    j = _expected_index(6, 7, 3, 1)
    _answer(at, "pixel_index", 1930)
    _answer(at, "pixel_index", 1929)
    assert [e.value for e in at.error] == [f"Not this time. The answer: {j}."]
    at.button(key=_key("pixel_index", "show")).click().run()
    assert f"(7 · 6 + 3) · 3 + 1 = **{j}**" in " ".join(_markdown(at)) and not at.warning
