"""Hostile uploads through the pages: each is refused in the visitor's language, the session keeps
the dataset it had, and no server file reaches the page."""

import pytest

from playground.errors import MESSAGES
from tests.hostile import h5, images

PASSWD_START = "114"  # "r" of "root:x…", as the Data page's first entries would show it


def upload_pair(at, train: bytes, test: bytes):
    at.radio(key="dataset_kind").set_value("course_upload").run()
    at.file_uploader(key="upload_train_h5").set_value(("train_catvnoncat.h5", train, "application/x-hdf5"))
    at.file_uploader(key="upload_test_h5").set_value(("test_catvnoncat.h5", test, "application/x-hdf5"))
    return at.run()


def in_use(at) -> str:
    return at.main.caption[0].value  # (every page's first line names the dataset)


def page_text(at) -> str:
    return " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.metric, *at.error, *at.warning])


@pytest.mark.parametrize("name", sorted(h5.CASES))
def test_a_hostile_h5_pair_is_refused_and_the_dataset_stays(app_test, name):
    at = app_test()
    before = in_use(at)
    upload_pair(at, *h5.CASES[name]())
    assert not at.exception, at.exception
    errors = [e.value for e in at.sidebar.error]
    assert len(errors) == 1, errors
    assert fixed_text(h5.EXPECTED[name]) in errors[0], errors[0]
    at.radio(key="dataset_kind").set_value("builtin").run()
    assert in_use(at) == before
    assert "root:x" not in page_text(at)


def test_a_refusal_is_said_in_korean(app_test):
    at = app_test(query={"lang": "ko"})
    upload_pair(at, *h5.CASES["external_absolute"]())
    assert not at.exception
    [error] = [e.value for e in at.sidebar.error]
    assert "외부" in error or "파일 밖" in error, error


def test_after_a_refusal_every_page_works_on_the_previous_dataset(app_test, monkeypatch):
    import playground.data.course as course

    at = app_test()
    upload_pair(at, *h5.CASES["vds_missing"]())
    [refusal] = [e.value for e in at.sidebar.error]
    parsed = []
    monkeypatch.setattr(course, "_parse_in_child", lambda files: parsed.append(files))
    for page in ("data", "train", "landscape", "graph", "speed", "predict"):
        at.switch_page(f"playground/ui/pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        assert not [e.value for e in at.main.error], (page, [e.value for e in at.main.error])
        # the refusal stays said while the files stay in the uploaders, and they are not parsed again
        assert [e.value for e in at.sidebar.error] == [refusal]
    assert not parsed


def fixed_text(key: str) -> str:
    """The longest part of a message's English text that no field fills."""
    return max(MESSAGES[key].replace("}", "{").split("{")[::2], key=len).strip()


@pytest.mark.parametrize("name", sorted(n for n, where in images.UPLOADER.items() if where == "zip"))
def test_a_hostile_zip_is_refused_and_the_dataset_stays(app_test, name):
    at = app_test()
    before = in_use(at)
    [(file_name, data)] = images.CASES[name]()
    at.radio(key="dataset_kind").set_value("zip").run()
    at.file_uploader(key="upload_zip").set_value((file_name, data, "application/zip")).run()
    assert not at.exception, at.exception
    [error] = [e.value for e in at.sidebar.error]
    assert fixed_text(images.EXPECTED[name]) in error, error
    at.radio(key="dataset_kind").set_value("builtin").run()
    assert in_use(at) == before


def test_twenty_pixel_bombs_on_predict_decode_within_the_budget(app_test):
    at = app_test("predict.py")
    files = images.CASES["twenty_webp_bombs"]()
    at.file_uploader(key="predict_files").set_value([(n, d, "image/webp") for n, d in files]).run()
    assert not at.exception, at.exception
    refused = [e.value for e in at.error if fixed_text("image_over_budget") in e.value]
    assert len(refused) >= len(files) - 2, [e.value for e in at.error]


@pytest.mark.parametrize("name", ["jpeg_scan_bomb", "exif_99"])
def test_a_hostile_photo_on_predict(app_test, name):
    at = app_test("predict.py")
    [(file_name, data)] = images.CASES[name]()
    at.file_uploader(key="predict_files").set_value([(file_name, data, "image/jpeg")]).run()
    assert not at.exception, at.exception
    if images.EXPECTED[name] is None:
        assert not at.error and "turned upright" not in page_text(at)
        assert at.metric, "the photo is classified"
    else:
        [error] = [e.value for e in at.error]
        assert fixed_text(images.EXPECTED[name]) in error, error


def test_a_model_declaring_huge_images_is_refused(app_test):
    at = app_test("predict.py")
    at.radio(key="predict_model_choice_2").set_value("upload").run()
    [(file_name, data)] = images.CASES["model_1024"]()
    at.file_uploader(key="predict_model_file").set_value((file_name, data, "application/octet-stream")).run()
    assert not at.exception, at.exception
    [error] = [e.value for e in at.error]
    assert fixed_text("model_image_too_large") in error, error
