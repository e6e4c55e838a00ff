"""The Data page in AppTest: greeting, dataset chooser, gallery, and 'a picture is a vector'."""

from tests.conftest import use_course_data


def test_data_page_on_the_built_in_drawings(app_test):
    at = app_test()
    assert "one-neuron network" in at.title[0].value
    assert [m.value for m in at.metric] == ["209", "50", "64 × 64 × 3", "12,288"]
    gallery = at.get("image")[0].proto.imgs
    assert len(gallery) == 24 and gallery[0].caption == "#0 · cat"
    assert len(at.get("plotly_chart")) == 3
    assert any("X_train.shape == (12288, 209)" in x.value for x in at.text)
    # The first entries of x as a Markdown table: j, (r, c, k), pixel, pixel / 255 (picture #0 by default).
    [entries] = [m.value for m in at.markdown if m.value.startswith("| j |")]
    rows = entries.splitlines()
    assert len(rows) == 2 + 12 and rows[2].startswith("| 0 | (0, 0, R) | ")
    pixel, scaled = rows[2].split(" | ")[2:4]
    assert scaled.rstrip(" |") == f"{int(pixel) / 255:.4f}"


def test_switching_to_the_course_data_and_picking_a_pixel(app_test):
    at = use_course_data(app_test())
    assert "course's cat / non-cat photos" in at.header[0].value
    at.slider(key="vector_image").set_value(7).run()
    at.number_input(key="pix_row").set_value(2).run()
    at.number_input(key="pix_col").set_value(5).run()
    at.radio(key="pix_channel").set_value(1).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "(2 · 64 + 5) · 3 + 1 = **400**" in text
    assert "x₄₀₀⁽⁷⁾ = " in text and "<sub>" not in text and len(at.latex) == 0


def test_standardising_keeps_the_page_working(app_test):
    at = app_test()
    at.radio(key="preprocessing_choice").set_value("standardize").run()
    assert not at.exception
    assert len(at.get("plotly_chart")) == 3


def test_bad_zip_upload_shows_a_friendly_error_and_keeps_the_dataset(app_test):
    at = app_test()
    at.radio(key="dataset_kind").set_value("zip").run()
    at.file_uploader(key="upload_zip").set_value(("pets.zip", b"not a zip", "application/zip")).run()
    assert not at.exception
    assert "not a readable .zip file" in at.sidebar.error[0].value
    assert "Built-in" in at.header[0].value


def test_a_bad_zip_is_explained_in_korean(app_test):
    at = app_test(query={"lang": "ko"})
    at.radio(key="dataset_kind").set_value("zip").run()
    at.file_uploader(key="upload_zip").set_value(("pets.zip", b"not a zip", "application/zip")).run()
    assert not at.exception
    assert at.sidebar.error[0].value == "이 zip 파일은 쓸 수 없습니다: 올린 파일은 읽을 수 있는 .zip 파일이 아닙니다."


def test_good_zip_upload_becomes_the_dataset(app_test):
    from tests.data.test_folder import _class_zip

    at = app_test()
    at.radio(key="dataset_kind").set_value("zip").run()
    at.file_uploader(key="upload_zip").set_value(("pets.zip", _class_zip(), "application/zip")).run()
    at.selectbox(key="zip_positive").set_value("cats").run()
    assert not at.exception
    assert "Your images" in at.header[0].value
    assert [m.value for m in at.metric][:2] == ["8", "2"]
