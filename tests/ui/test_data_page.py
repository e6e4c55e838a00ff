"""The Data page in AppTest: greeting, dataset chooser, gallery, and 'a picture is a vector'."""

import pytest

from playground.ui.tables import parse_markdown_table
from tests.conftest import use_course_data


def test_data_page_on_the_built_in_drawings(app_test):
    at = app_test()
    assert "one-neuron network" in at.title[0].value
    # Nothing before the greeting: a bare string in the page would be drawn by Streamlit's "magic".
    assert at.markdown[0].value.startswith("This playground trains")
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


# ---------------------------------------------------------------- a new user's findings (2026-12-06)

def _chart(at, key: str) -> dict:
    """The figure of the chart drawn with ``key`` (Streamlit puts the key in the element's id)."""
    import json

    [chart] = [c for c in at.get("plotly_chart") if key in c.proto.id]
    return json.loads(chart.proto.spec)


def test_standardised_scaling_shows_its_own_formula_and_numbers(app_test):
    from playground.data.features import make_features

    at = use_course_data(app_test())
    at.radio(key="preprocessing_choice").set_value("standardize").run()
    at.slider(key="vector_image").set_value(7).run()
    assert not at.exception
    ds = _course_dataset()
    F = make_features(ds, "standardize")
    j, pick = 0, 7  # pixel (0, 0), R, of training image 7
    value = int(ds.train_x[pick, 0, 0, 0])
    mean, std = 255 * F.mean[j, 0], 255 * F.scale[j, 0]
    text = " ".join(m.value for m in at.markdown)
    assert f"x₀⁽⁷⁾ = ({value} − {mean:.2f}) / {std:.2f} = **{F.X_train[j, pick]:.4f}**" in text
    assert f"{value} / 255" not in text and "/ 255`" not in text
    assert "`X = (X - mu) / sigma`" in text
    # (pixel − mean) / std with the numbers shown gives the value shown, to its last digit but one.
    assert abs((value - round(mean, 2)) / round(std, 2) - F.X_train[j, pick]) < 5e-4
    [entries] = [m.value for m in at.markdown if m.value.startswith("| j |")]
    header, rows = parse_markdown_table(entries)
    assert header[3:] == ["μ_j", "σ_j", "x_j = (pixel − μ_j) / σ_j"]
    assert rows[0][2:] == [str(value), f"{mean:.2f}", f"{std:.2f}", f"{F.X_train[0, pick]:.4f}"]
    # Back to the course's scaling: its own formula again.
    at.radio(key="preprocessing_choice").set_value("divide_255").run()
    text = " ".join(m.value for m in at.markdown)
    assert f"x₀⁽⁷⁾ = {value} / 255 = **{value / 255:.4f}**" in text and "/ 255`" in text


def _course_dataset():
    from playground.data.course import load_course_folder
    from tests.conftest import COURSE_DIR

    return load_course_folder(COURSE_DIR)


def test_each_channel_runs_from_black_to_its_full_colour_with_a_colour_bar(app_test):
    spec = _chart(app_test(), "channels")
    heatmaps = [d for d in spec["data"] if d["type"] == "heatmap"]
    assert len(heatmaps) == 3
    for trace, full in zip(heatmaps, ("rgb(255,0,0)", "rgb(0,255,0)", "rgb(0,0,255)")):
        assert trace["colorscale"][0] == [0.0, "rgb(0,0,0)"] and trace["colorscale"][-1] == [1.0, full]
        assert (trace["zmin"], trace["zmax"]) == (0, 255) and trace.get("reversescale") is not True
        assert trace.get("showscale", True) is not False and trace["colorbar"]["tickvals"] == [0, 128, 255]
    # One bar under each channel's own panel.
    centres = [h["colorbar"]["x"] for h in heatmaps]
    domains = [spec["layout"][f"xaxis{k}"]["domain"] for k in (2, 3, 4)]
    assert all(lo < c < hi for c, (lo, hi) in zip(centres, domains))


@pytest.mark.parametrize("key, label, top", [("pix_row", "row r", 63), ("pix_col", "column c", 63)])
def test_an_out_of_range_pixel_is_clamped_and_said(app_test, key, label, top):
    at = app_test()
    at.number_input(key=key).set_value(99).run()
    assert not at.exception
    [warning] = [w.value for w in at.warning]
    assert warning == f"{label} = 99 is outside 0–{top}: using the nearest allowed value, {top}."
    assert at.number_input(key=key).value == top
    text = " ".join(m.value for m in at.markdown)
    where = "(63 · 64 + 0)" if key == "pix_row" else "(0 · 64 + 63)"
    assert where in text
    # Said once: the next run shows the clamped value without the message.
    at.run()
    assert not at.warning
    at.number_input(key=key).set_value(-4).run()
    assert at.number_input(key=key).value == 0 and "-4 is outside 0–63" in at.warning[0].value


@pytest.mark.parametrize("course", [False, True])
def test_the_class_bars_have_room_for_their_labels_and_the_legend_is_off_them(app_test, course):
    at = app_test()
    if course:
        at = use_course_data(at)
    spec = _chart(at, "balance")
    bars = spec["data"]
    tallest = max(max(b["y"]) for b in bars)
    for b in bars:
        assert b["textposition"] == "outside" and b["textangle"] == 0 and b["cliponaxis"] is False
        assert b["constraintext"] == "none"
        # Every label says its whole count.
        assert [t.split("<br>")[0] for t in b["text"]] == [str(c) for c in b["y"]]
    assert spec["layout"]["yaxis"]["range"][1] >= 1.3 * tallest
    legend = spec["layout"]["legend"]
    assert legend["y"] >= 1 and legend["yanchor"] == "bottom"  # above the plot area, never on a bar
    if course:
        assert bars[0]["y"] == [137, 72] and bars[0]["text"][0] == "137<br>66 %"


def test_the_korean_class_chart_and_texts(app_test):
    at = app_test(query={"lang": "ko"})
    spec = _chart(at, "balance")
    assert spec["data"][0]["x"] == ["고양이 아님 (y = 0)", "고양이 (y = 1)"]
    text = " ".join(m.value for m in at.markdown)
    assert "특성 벡터 **x**가 됩니다. 그 길이: n_x = 64 · 64 · 3 = **12,288**." in text
    assert any("같은 답 “고양이” 하나만 내도" in c.value for c in at.caption)


def test_no_korean_particle_follows_a_filled_in_value():
    """은/는, 이/가, 을/를, 와/과, (으)로, (이)라고 change with the word before them: after a number or a
    name filled in at run time one of each pair is wrong ("2,568,192은")."""
    import re

    from playground.ui.i18n import catalog

    particle = re.compile(r"\}(?:\*\*|\*|”|’)?[은는이가을를와과으로라]")
    ko = catalog("ko")
    wrong = {k: v for k, v in ko.items()
             if (k.split(".")[0] in ("data", "landscape", "classes") or ".checkpoint." in k) and particle.search(v)}
    assert not wrong
