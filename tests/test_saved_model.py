"""The .npz model: a round trip, and a precise refusal for every kind of bad file (no pickle, ever)."""

from __future__ import annotations

import io
import json
import time
import zipfile

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal

from playground.data.dataset import Dataset
from playground.data.features import make_features
from playground.errors import InputError
from playground.lessons.predict.saved_model import (
    MAX_IMAGE_SIDE,
    MAX_MODEL_BYTES,
    MAX_UNPACKED_BYTES,
    SavedModel,
    load_model,
    model_from_training,
    save_model,
)
from tests.hostile import images as hostile

SHAPE = (8, 8, 3)
N_X = 192


def small_model(seed: int = 0, standardised: bool = False) -> SavedModel:
    rng = np.random.default_rng(seed)
    return SavedModel(
        w=rng.standard_normal((N_X, 1)),
        b=0.25,
        mean=rng.random((N_X, 1)) if standardised else np.zeros((N_X, 1)),
        scale=rng.random((N_X, 1)) + 0.5 if standardised else np.ones((N_X, 1)),
        image_shape=SHAPE,
        classes=("non-cat", "cat"),
        settings={"loss": "cross_entropy", "learning_rate": 0.005},
        source="unit test",
    )


def npz(**arrays) -> bytes:
    """A .npz with the arrays of a valid small model, some replaced or removed (value None)."""
    good = np.load(io.BytesIO(save_model(small_model())))
    merged = {k: good[k] for k in good.files}
    for k, v in arrays.items():
        if v is None:
            merged.pop(k)
        else:
            merged[k] = v
    buf = io.BytesIO()
    np.savez(buf, **merged)
    return buf.getvalue()


def test_round_trip_keeps_every_number():
    model = small_model(standardised=True)
    back = load_model(save_model(model))
    for key in ("w", "mean", "scale"):
        assert_array_equal(getattr(back, key), getattr(model, key))
    assert back.b == model.b and back.image_shape == SHAPE and back.classes == model.classes
    assert back.settings == model.settings and back.source == "unit test"
    images = np.random.default_rng(1).integers(0, 256, (3, *SHAPE), dtype=np.uint8)
    assert_allclose(back.predict_proba(images), model.predict_proba(images))


def test_probabilities_are_sigmoid_of_the_logits():
    model = small_model(standardised=True)
    images = np.random.default_rng(2).integers(0, 256, (4, *SHAPE), dtype=np.uint8)
    X = (images.reshape(4, -1).T / 255.0 - model.mean) / model.scale
    z = (model.w.T @ X + model.b)[0]
    assert_allclose(model.logits(images), z)
    assert_allclose(model.predict_proba(images), 1 / (1 + np.exp(-z)))


def test_model_from_training_keeps_the_features_scaling():
    rng = np.random.default_rng(3)
    ds = Dataset(
        name="tiny", key="tiny",
        train_x=rng.integers(0, 256, (6, 64, 64, 3), dtype=np.uint8), train_y=np.array([0, 1] * 3),
        test_x=rng.integers(0, 256, (2, 64, 64, 3), dtype=np.uint8), test_y=np.array([0, 1]),
        classes=("non-cat", "cat"),
    )
    F = make_features(ds, "standardize")
    model = model_from_training(np.ones(F.n_x), 0.0, F, ds.classes, {"loss": "cross_entropy"}, "tiny")
    assert_allclose(model.features(ds.test_x), F.X_test)
    assert model.w.shape == (F.n_x, 1)


def test_features_refuse_other_image_sizes():
    with pytest.raises(ValueError, match=r"This model takes images of shape \(8, 8, 3\), got \(64, 64, 3\)"):
        small_model().features(np.zeros((1, 64, 64, 3), np.uint8))


# ---- refusals --------------------------------------------------------------------------------


def test_empty_file():
    with pytest.raises(ValueError, match=r"^m\.npz is empty \(0 bytes\)\.$"):
        load_model(b"", "m.npz")


def test_file_too_big():
    with pytest.raises(ValueError, match=r"model files up to 5 MiB are accepted"):
        load_model(bytes(MAX_MODEL_BYTES + 1), "m.npz")


@pytest.mark.parametrize("data", [b"not a model", b"\x89PNG\r\n\x1a\n" + bytes(50), b"PK\x03\x04broken"],
                         ids=["text", "png", "broken-zip"])
def test_not_a_npz(data):
    with pytest.raises(ValueError, match=r"^m\.npz is not a \.npz model saved by the playground\.$"):
        load_model(data, "m.npz")


def test_single_npy_array():
    buf = io.BytesIO()
    np.save(buf, np.zeros(3))
    with pytest.raises(ValueError, match=r"is a single \.npy array"):
        load_model(buf.getvalue(), "m.npz")


def test_missing_arrays():
    with pytest.raises(ValueError, match=r"lacks w, scale: expected the arrays w, b, mean, scale"):
        load_model(npz(w=None, scale=None), "m.npz")


def test_weights_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"w should be 192 floats for 8 × 8 × 3 images, got shape \(100,\)"):
        load_model(npz(w=np.zeros(100)), "m.npz")


def test_weights_of_the_wrong_dtype():
    with pytest.raises(ValueError, match=r"w should be 192 floats .* dtype int64"):
        load_model(npz(w=np.zeros(N_X, dtype=np.int64)), "m.npz")


@pytest.mark.parametrize("shape", [[8, 8, 4], [8, 8], [0, 8, 3], [8, -1, 3]])
def test_bad_input_size(shape):
    with pytest.raises(ValueError, match=r"image_shape should be \(height, width, 3\)"):
        load_model(npz(image_shape=np.array(shape)), "m.npz")


@pytest.mark.parametrize("shape", [[257, 8, 3], [8, 2048, 3], [2**62, 2**62, 3]])
def test_images_larger_than_the_bound_are_refused_before_the_weights_are_read(shape):
    with pytest.raises(InputError, match=rf"^m\.npz: expected image_shape of at most {MAX_IMAGE_SIDE} × {MAX_IMAGE_SIDE} "
                                         rf"pixels, got {shape[0]:,} × {shape[1]:,}\.$"):
        load_model(npz(image_shape=np.array(shape)), "m.npz")


def test_a_20_kb_model_declaring_1024_by_1024_images_is_refused_quickly():
    (name, data), = hostile.model_1024()
    assert len(data) < 25_000
    start = time.process_time()
    with pytest.raises(InputError) as refusal:
        load_model(data, name)
    assert refusal.value.key == hostile.EXPECTED["model_1024"] == "model_image_too_large"
    assert str(refusal.value) == "big.npz: expected image_shape of at most 256 × 256 pixels, got 1,024 × 1,024."
    assert time.process_time() - start < 0.5


def test_the_largest_images_a_model_may_take():
    n_x = MAX_IMAGE_SIDE * MAX_IMAGE_SIDE * 3
    model = load_model(npz(image_shape=np.array([MAX_IMAGE_SIDE, MAX_IMAGE_SIDE, 3]), w=np.zeros(n_x),
                           mean=np.zeros(n_x), scale=np.ones(n_x)), "m.npz")
    assert model.image_shape == (MAX_IMAGE_SIDE, MAX_IMAGE_SIDE, 3) and model.n_x == n_x


def test_non_finite_values():
    w = np.zeros(N_X)
    w[5] = np.nan
    with pytest.raises(ValueError, match=r"w holds non-finite values"):
        load_model(npz(w=w), "m.npz")
    with pytest.raises(ValueError, match=r"b should be one finite float"):
        load_model(npz(b=np.array(np.inf)), "m.npz")


def test_finite_weights_that_overflow_z_are_refused():
    w = np.zeros(N_X)
    w[:6], w[6:12] = 1e308, -1e308  # finite, but z = inf − inf = NaN for a white image
    with pytest.raises(InputError, match=r"m.npz: its weights are so large that z = wᵀx \+ b overflows") as info:
        load_model(npz(w=w), "m.npz")
    assert info.value.key == "model_overflows"
    model = load_model(npz(w=np.full(N_X, 1e3)), "m.npz")  # large, but every z finite
    assert np.isfinite(model.logit_bound) and np.isfinite(model.logits(np.full((1, *model.image_shape), 255, np.uint8))).all()


def test_zero_scale():
    with pytest.raises(ValueError, match=r"scale holds zeros"):
        load_model(npz(scale=np.zeros(N_X)), "m.npz")


def test_bad_classes_and_settings():
    with pytest.raises(ValueError, match=r"classes should be two names"):
        load_model(npz(classes=np.array(["a", "b", "c"])), "m.npz")
    with pytest.raises(ValueError, match=r"settings is not a JSON object"):
        load_model(npz(settings=np.array("[1, 2")), "m.npz")
    with pytest.raises(ValueError, match=r"settings is not a JSON object"):
        load_model(npz(settings=np.array(json.dumps([1, 2]))), "m.npz")


def test_pickled_objects_are_refused_without_unpickling():
    with pytest.raises(ValueError, match=r"the array settings holds Python objects, which would need pickle; refused"):
        load_model(npz(settings=np.array([{"evil": True}], dtype=object)), "m.npz")


def test_newer_format_version():
    with pytest.raises(ValueError, match=r"has format version 99; this playground reads version 1"):
        load_model(npz(format_version=np.array(99)), "m.npz")


def test_zip_bomb_is_refused_from_the_headers():
    """A member whose header claims 8 GB: refused before NumPy allocates anything."""
    header = np.lib.format.header_data_from_array_1_0(np.zeros(1))
    header["shape"] = (10**9,)
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, header)
    good = zipfile.ZipFile(io.BytesIO(save_model(small_model())))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in good.namelist():
            zf.writestr(name, buf.getvalue() + bytes(64) if name == "w.npy" else good.read(name))
    assert len(out.getvalue()) < 10_000
    with pytest.raises(ValueError, match=rf"unpacks to 7,629 MiB; models up to {MAX_UNPACKED_BYTES // 2**20} MiB are accepted"):
        load_model(out.getvalue(), "m.npz")
