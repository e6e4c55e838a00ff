"""The Predict page headless (AppTest): uploads, the camera, bad files, which model answers."""

from __future__ import annotations

import io
import struct
import time
import zlib

import numpy as np
import pytest
import streamlit as st
from PIL import Image

import playground.data.images
from playground.data.images import MAX_IMAGE_BYTES, NOTES
from playground.errors import InputError
from playground.lessons.predict.saved_model import SavedModel, save_model
from playground.ui import state
from playground.ui.i18n import LANGUAGES, catalog
from playground.ui.tables import parse_markdown_table
from tests.conftest import ROOT, use_course_data
from tests.helpers import texts

N_X = 64 * 64 * 3


def jpeg(seed: int, size=(320, 240)) -> bytes:
    """A JPEG no other test uses (fresh bytes, so nothing is cached for it)."""
    arr = (np.random.default_rng(seed).random((size[1] // 8, size[0] // 8, 3)) * 255).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr).resize(size).save(buf, format="JPEG", quality=90)
    return buf.getvalue()


def constant_model(b: float = 1.0, classes=("other", "kitten")) -> SavedModel:
    """w = 0: every image gets P = σ(b), whatever it shows."""
    return SavedModel(w=np.zeros((N_X, 1)), b=b, mean=np.zeros((N_X, 1)), scale=np.ones((N_X, 1)),
                      image_shape=(64, 64, 3), classes=classes, settings={"loss": "cross_entropy"}, source="a test")


def png_claiming(width: int, height: int) -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(16))) + chunk(b"IEND", b""))


def upload(at, *files):
    """Put (name, bytes) files in the photo uploader and rerun."""
    at.file_uploader(key="predict_files").set_value([(n, d, "image/png" if n.endswith(".png") else "image/jpeg")
                                                      for n, d in files]).run()
    assert not at.exception, at.exception
    return at


def test_empty_page_says_which_model_and_what_to_do(predict_page):
    at = predict_page
    notes = " ".join(texts(at.info))
    assert "No model trained on the Train page yet, so using the course settings" in notes
    assert "The course's cat / non-cat photos" in notes and "test accuracy 70.0 %" in notes  # (as the sidebar names it)
    assert "Upload a photo or switch on the camera" in notes
    assert "x̃ᵢ = pixelᵢ / 255" in " ".join(texts(at.caption))


def test_upload_a_photo(predict_page, photos_dir):
    at = upload(predict_page, ("cat_in_iran.jpg", (photos_dir / "cat_in_iran.jpg").read_bytes()))
    assert texts(at.metric) == ["0.697"]
    assert texts(at.subheader) == ["cat_in_iran.jpg → cat"]
    assert "Decision: **cat**" in texts(at.success)
    [latex] = texts(at.latex)
    assert r"\underbrace{-0.015906}_{b} \\ &= 0.834046" in latex and r"\sigma(z) &= 0.6972" in latex
    [sum_line] = [c for c in texts(at.caption) if c.startswith("Sum of all 4,096 pixels")]
    assert "gives **+0.834046**" in sum_line and "wᵀx̃ + b: **+0.834046**" in sum_line
    assert len(at.get("plotly_chart")) == 4  # the P bar and the three maps
    # The original and both preprocessings, as pictures; the ✓ marks the one the answer used.
    captions = [c for image in at.get("image") for c in image.captions]
    assert captions == ["original (dashed: centre crop)", "✓ squash 64×64 · P\u00a0=\u00a00.697",
                        "centre crop 64×64 · P\u00a0=\u00a00.697"]
    assert not at.error


def test_standardised_pixels_are_explained_on_their_own_scale(predict_page, photos_dir):
    at = predict_page
    at.radio(key="preprocessing_choice").set_value("standardize").run()
    assert not at.exception
    upload(at, ("cat_in_iran.jpg", (photos_dir / "cat_in_iran.jpg").read_bytes()))
    captions = " ".join(texts(at.caption))
    assert "x̃ᵢ = (pixelᵢ / 255 − meanᵢ) / σᵢ" in captions and "(pixels / 255)" not in " ".join(texts(at.info))
    [line] = [c for c in texts(at.caption) if c.startswith("Sum of all 4,096 pixels")]
    total_plus_b = line.split("gives **")[1].split("**")[0]
    own = line.split("wᵀx̃ + b: **")[1].split("**")[0]
    assert total_plus_b == own and texts(at.metric) != ["0.697"]


def test_several_files_give_rows_and_a_summary_table(predict_page, photos_dir):
    at = upload(predict_page,
                ("my_image.jpg", (photos_dir / "my_image.jpg").read_bytes()),
                ("my_image2.jpg", (photos_dir / "my_image2.jpg").read_bytes()),
                ("broken.png", b"\x89PNG\r\n\x1a\n not really"))
    [summary] = [m.value for m in at.markdown if m.value.startswith("| file |")]
    _, rows = parse_markdown_table(summary)
    assert [r[0] for r in rows] == ["my_image.jpg", "my_image2.jpg", "broken.png"]
    assert [r[1] for r in rows] == ["non-cat", "cat", "refused"]
    assert rows[0][2] == "███░░░░░░░ 0.282" and rows[1][2] == "█████████░ 0.891"
    assert float(rows[0][5]) == pytest.approx(0.412, abs=0.01)  # the crop
    assert texts(at.metric) == ["0.282", "0.891"]
    [error] = texts(at.error)
    assert "**broken.png** was refused: broken.png" in error


def test_switching_to_crop_changes_the_answer(predict_page, photos_dir):
    at = upload(predict_page, ("my_image.jpg", (photos_dir / "my_image.jpg").read_bytes()))
    assert texts(at.metric) == ["0.282"]
    at.radio(key="predict_preprocessing").set_value("crop").run()
    assert not at.exception
    assert texts(at.metric) == ["0.412"]


class Calls(dict):
    """How often each patched function ran, by name."""

    def wrap(self, monkeypatch, module, name):
        real = getattr(module, name)

        def counting(*args, **kwargs):
            self[name] = self.get(name, 0) + 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counting)


@pytest.fixture
def calls(monkeypatch):
    """Counts decoding, explaining, building a figure and encoding a picture."""
    import playground.figures.predict as figures
    from playground.lessons.predict import explain

    c = Calls()
    for module, name in ((playground.data.images, "prepare_image"), (playground.data.images, "to_data_uri"),
                         (explain, "explain"), (figures, "probability_figure"), (figures, "explanation_figures"),
                         (figures, "preprocessing_pictures")):
        c.wrap(monkeypatch, module, name)
    return c


def test_switching_the_preprocessing_recomputes_nothing(predict_page, calls):
    """Both preprocessings are decoded, explained and drawn once per photo and model: the radio then
    only picks which to show, back and forth."""
    at = upload(predict_page, ("a.jpg", jpeg(40)), ("b.jpg", jpeg(41, (200, 300))))
    assert calls == {"prepare_image": 2, "explain": 4, "probability_figure": 4, "explanation_figures": 4,
                     "preprocessing_pictures": 2, "to_data_uri": 6}
    squashed = texts(at.metric)
    calls.clear()
    at.radio(key="predict_preprocessing").set_value("crop").run()
    assert not at.exception
    cropped = texts(at.metric)
    assert cropped != squashed and calls == {}
    # What is shown is the crop's: its P on the metric, its mark under its picture, its P in the equation.
    captions = [c for image in at.get("image") for c in image.captions]
    assert [c for c in captions if c.startswith("✓")] == [f"✓ centre crop 64×64 · P\u00a0=\u00a0{p}" for p in cropped]
    equations = [float(latex.split(r"\sigma(z) &= ")[1].split()[0]) for latex in texts(at.latex)]
    assert [f"{p:.3f}" for p in equations] == cropped
    at.radio(key="predict_preprocessing").set_value("squash").run()
    assert texts(at.metric) == squashed and calls == {}


def test_another_model_explains_again(predict_page, calls):
    at = upload(predict_page, ("c.jpg", jpeg(42)))
    calls.clear()
    at.session_state[state.MODEL] = constant_model(b=1.0)
    at.run()
    assert not at.exception
    assert texts(at.metric) == [f"{1 / (1 + np.exp(-1.0)):.3f}"]
    assert calls == {"explain": 2, "probability_figure": 2, "explanation_figures": 2}  # not decoded again


def test_every_bad_file_shows_its_error_and_the_page_keeps_working(predict_page):
    bad = {
        "empty.png": (b"", "empty.png is empty (0 bytes)"),
        "notes.jpg": (b"just some text, honestly", "notes.jpg is not an image Pillow can read"),
        "cut.jpg": (jpeg(7)[:600], "cut.jpg is truncated or corrupt"),
        "bomb.png": (png_claiming(9000, 9000), "bomb.png is 9,000 × 9,000 = 81,000,000 pixels; images up to 40,000,000"),
        "huge.png": (b"\x89PNG" + bytes(MAX_IMAGE_BYTES), "huge.png is 20.0 MiB; images up to 20 MiB are accepted"),
    }
    at = upload(predict_page, *[(name, data) for name, (data, _) in bad.items()])
    errors = texts(at.error)
    assert len(errors) == len(bad)
    for error, (name, (_, message)) in zip(errors, bad.items()):
        assert f"**{name}** was refused: {message}" in error
    assert not at.metric
    upload(at, ("fine.jpg", jpeg(8)))
    assert len(at.metric) == 1 and not at.error


def test_a_refusal_is_said_in_the_visitors_language(app_test):
    """The core refuses in English with a key (playground/errors.py); the page says it in Korean. The
    decoder's refusal is cached as the error itself, so the next English visitor reads English."""
    ko = catalog("ko")
    files = [("notes.jpg", b"some text, not a picture"), ("empty.png", b"")]
    at = upload(use_course_data(app_test("predict.py", query={"lang": "ko"})), *files)
    assert texts(at.error) == [
        ko["predict.refused"].format(name="notes.jpg", error=ko["errors.image_unreadable"].format(name="notes.jpg")),
        ko["predict.refused"].format(name="empty.png", error=ko["errors.image_empty"].format(name="empty.png")),
    ]
    assert "파일은 Pillow가 읽을 수 있는 이미지" in at.error[0].value
    at = upload(use_course_data(app_test("predict.py")), *files)
    assert texts(at.error) == ["**notes.jpg** was refused: notes.jpg is not an image Pillow can read (PNG, JPEG, "
                               "WebP, BMP or GIF).", "**empty.png** was refused: empty.png is empty (0 bytes)."]


def test_camera_shot(predict_page):
    at = predict_page
    at.toggle(key="predict_camera_on").set_value(True).run()
    assert not at.exception
    at.camera_input(key="predict_camera").set_value(("shot.jpg", jpeg(9, (640, 480)), "image/jpeg")).run()
    assert not at.exception
    assert len(at.metric) == 1
    assert texts(at.subheader)[0].startswith("camera shot → ")
    assert any(c.startswith("JPEG, 640 × 480 pixels") for c in texts(at.caption))


def test_a_camera_shot_counts_among_the_files_when_too_many(predict_page):
    """The shot and twenty files: twenty are classified (the shot first), and the page says one was skipped."""
    from playground.ui.pages.predict import MAX_FILES

    at = predict_page
    at.toggle(key="predict_camera_on").set_value(True).run()
    at.camera_input(key="predict_camera").set_value(("shot.jpg", jpeg(30), "image/jpeg")).run()
    upload(at, *((f"p{k}.jpg", jpeg(31 + k, (64, 64))) for k in range(MAX_FILES)))
    assert len(at.metric) == MAX_FILES
    assert any(w.value.startswith(f"{MAX_FILES + 1} files: the first {MAX_FILES}") for w in at.warning)


def test_the_trained_models_dataset_is_named_in_the_visitors_language(app_test):
    at = app_test("predict.py", query={"lang": "ko"})
    at.session_state[state.MODEL] = constant_model(b=1.0)
    at.session_state[state.MODEL_INFO] = {"dataset": state.Source("builtin", seed=3), "settings": {}}
    upload(at, ("anything.jpg", jpeg(10)))
    note = " ".join(texts(at.info))
    assert "(데이터셋: **내장 그림 (시드 3)**)" in note and "Built-in" not in note


def test_the_model_from_session_state_is_the_one_used(predict_page):
    at = predict_page
    at.session_state[state.MODEL] = constant_model(b=1.0)
    at.session_state[state.MODEL_INFO] = {"dataset": "my cats", "settings": {"learning_rate": 0.01},
                                          "train_accuracy": 97.5, "test_accuracy": 72.0}
    at.run()
    assert not at.exception
    upload(at, ("anything.jpg", jpeg(10)))
    assert at.radio(key="predict_model_choice_3").value == "session"
    note = " ".join(texts(at.info))
    assert "the model you trained on the Train page on **my cats**" in note and "test accuracy 72.0 %" in note
    assert texts(at.metric) == [f"{1 / (1 + np.exp(-1.0)):.3f}"]  # σ(1) = 0.731, not the course model's answer
    assert texts(at.subheader) == ["anything.jpg → kitten"]


def test_an_uploaded_model_file_is_used_and_a_bad_one_refused(predict_page):
    at = upload(predict_page, ("anything.jpg", jpeg(11)))
    course_answer = texts(at.metric)
    at.radio(key="predict_model_choice_2").set_value("upload").run()
    at.file_uploader(key="predict_model_file").set_value(
        ("mine.npz", save_model(constant_model(b=-2.0)), "application/octet-stream")).run()
    assert not at.exception
    assert texts(at.metric) == [f"{1 / (1 + np.exp(2.0)):.3f}"]
    assert "Using the uploaded model **mine.npz** (a test)" in " ".join(texts(at.info))

    arrays = dict(np.load(io.BytesIO(save_model(constant_model()))).items())
    arrays["image_shape"] = np.array([32, 32, 3])  # the weights are for 64 × 64 images
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    at.file_uploader(key="predict_model_file").set_value(("wrong.npz", buf.getvalue(), "application/octet-stream")).run()
    assert not at.exception
    [error] = texts(at.error)
    assert "That model file cannot be used: wrong.npz: w should be 3072 floats for 32 × 32 × 3 images" in error
    assert texts(at.metric) == course_answer  # back on the course model, and it says so
    assert "No usable model file yet, so using the course settings" in " ".join(texts(at.info))


def test_a_model_of_another_input_size_gets_inputs_of_that_size(predict_page):
    n_x = 32 * 48 * 3
    small = SavedModel(w=np.zeros((n_x, 1)), b=0.5, mean=np.zeros((n_x, 1)), scale=np.ones((n_x, 1)),
                       image_shape=(32, 48, 3), classes=("non-cat", "cat"), settings={}, source="small")
    at = upload(predict_page, ("anything.jpg", jpeg(13)))
    at.radio(key="predict_model_choice_2").set_value("upload").run()
    at.file_uploader(key="predict_model_file").set_value(("small.npz", save_model(small), "application/octet-stream")).run()
    assert not at.exception
    assert any(c.startswith("Inputs are 32 × 48 × 3 = 4,608 numbers") for c in texts(at.caption))
    assert texts(at.metric) == [f"{1 / (1 + np.exp(-0.5)):.3f}"]
    assert any(c.startswith("Sum of all 1,536 pixels of the map") for c in texts(at.caption))


def test_no_usable_dataset_is_said_not_raised(predict_page, monkeypatch):
    def lost(*args, **kwargs):
        raise InputError("upload_gone")

    monkeypatch.setattr("playground.ui.cache.dataset", lost)
    predict_page.run()
    assert not predict_page.exception
    [error] = texts(predict_page.error)
    assert "The current dataset cannot train the course model: This upload is no longer in your session" in error


def test_an_unrelated_rerun_does_not_decode_again(predict_page, monkeypatch):
    calls = []
    real = playground.data.images.prepare_image

    def counting(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(playground.data.images, "prepare_image", counting)
    at = upload(predict_page, ("once.jpg", jpeg(12)))
    assert calls == ["once.jpg"]
    at.radio(key="predict_preprocessing").set_value("crop").run()
    at.toggle(key="predict_camera_on").set_value(True).run()
    assert not at.exception and len(at.metric) == 1
    assert calls == ["once.jpg"]


def test_presenter_can_hide_the_controls(app_test, photos_dir):
    at = use_course_data(app_test("predict.py", query={"hide": "model,preprocessing,camera"}))
    assert [r.key for r in at.radio if r.key.startswith("predict")] == []
    assert [w.key for w in at.toggle if w.key == "predict_camera_on"] == []
    upload(at, ("my_image.jpg", (photos_dir / "my_image.jpg").read_bytes()))
    assert texts(at.metric) == ["0.282"]  # the course settings, squashed


def test_korean_page(monkeypatch, course_dir):
    """One run in Korean, straight on the Predict page (AppTest cannot rerun a Korean session yet: the
    sidebar's radios translate inside format_func, which AppTest calls outside the run, in English)."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PLAYGROUND_DATA", str(course_dir))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "ko"
    at.switch_page("playground/ui/pages/predict.py")
    at.run()
    assert not at.exception, at.exception
    ko = catalog("ko")
    assert texts(at.title) == [ko["predict.title"]]
    assert at.radio(key="predict_preprocessing").options == [ko["predict.prep_squash"], ko["predict.prep_crop"]]
    assert any(i.startswith("학습 페이지에서 학습한 모델이 아직 없어서") for i in texts(at.info))


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_key_built_at_run_time_exists(lang):
    """Keys made from codes (decoding notes, radio options) escape the literal-key check of test_i18n."""
    texts_ = catalog(lang)
    built = [f"predict.note_{code}" for code in NOTES] + [f"predict.model_{c}" for c in ("session", "course", "upload")]
    built += [f"predict.prep_{m}" for m in ("squash", "crop")]
    assert [k for k in built if k not in texts_] == []


def test_benchmark_upload_to_answer(app_test, photos_dir):
    """Prints the server time from upload to answer (no timing assertion: machines differ)."""
    photo = (photos_dir / "cat_in_iran.jpg").read_bytes()
    at = use_course_data(app_test("predict.py"))
    figures = {}
    # Warm: the fallback model is cached (it trained when the page opened); the photo is new bytes.
    for label, data in (("warm model, new photo", photo + b"\0"), ("warm model, same photo again", photo + b"\0")):
        at.file_uploader(key="predict_files").set_value(("cat.jpg", data, "image/jpeg"))
        t = time.perf_counter()
        at.run()
        figures[label] = time.perf_counter() - t
        assert not at.exception and texts(at.metric) == ["0.697"]
        at.file_uploader(key="predict_files").set_value(None).run()
    # Cold: every cache emptied, so the run after the upload loads the data, builds X, trains and decodes.
    st.cache_data.clear()
    st.cache_resource.clear()
    at.file_uploader(key="predict_files").set_value(("cat.jpg", photo + b"\1", "image/jpeg"))
    t = time.perf_counter()
    at.run()
    figures["cold: data, features, training, decoding"] = time.perf_counter() - t
    assert not at.exception and texts(at.metric) == ["0.697"]
    print()
    for label, seconds in figures.items():
        print(f"upload → answer, {label}: {seconds * 1000:.0f} ms")


def test_benchmark_switching_the_preprocessing(app_test, photos_dir):
    """Prints the server time of a rerun that switches squash ↔ crop with the five course photos."""
    at = use_course_data(app_test("predict.py"))
    photos = sorted(photos_dir.glob("*.jpg"))
    at.file_uploader(key="predict_files").set_value([(p.name, p.read_bytes(), "image/jpeg") for p in photos]).run()
    assert not at.exception and len(at.metric) == len(photos) == 5
    seconds = []
    for mode in ("crop", "squash") * 5:
        at.radio(key="predict_preprocessing").set_value(mode)
        t = time.perf_counter()
        at.run()
        seconds.append(time.perf_counter() - t)
        assert not at.exception
    seconds.sort()
    print(f"\nsquash ↔ crop, five photos: median {seconds[len(seconds) // 2] * 1000:.0f} ms, "
          f"fastest {seconds[0] * 1000:.0f} ms, slowest {seconds[-1] * 1000:.0f} ms")
