"""The contribution map: its sum plus b is z, pixel by pixel it is wᵢx̃ᵢ; the course's photos get the
course's probabilities."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from playground.course.activations import sigmoid
from playground.data.features import pixel_index
from playground.data.images import load_model_input
from playground.lessons.predict.explain import (
    THRESHOLD,
    explain,
    input_scale,
    is_standardised,
    probability_latex,
    probability_text,
    weights_map,
)
from playground.lessons.predict.saved_model import SavedModel
from tests.course_reference import REFERENCE_PHOTOS


def random_model(standardised: bool, seed: int = 0, shape=(64, 64, 3)) -> SavedModel:
    rng = np.random.default_rng(seed)
    n_x = int(np.prod(shape))
    return SavedModel(
        w=rng.standard_normal((n_x, 1)) * 0.01,
        b=-0.3,
        mean=rng.random((n_x, 1)) if standardised else np.zeros((n_x, 1)),
        scale=rng.random((n_x, 1)) + 0.2 if standardised else np.ones((n_x, 1)),
        image_shape=shape,
        classes=("dog", "cat"),
        settings={},
    )


@pytest.mark.parametrize("standardised", [False, True])
def test_map_sum_plus_bias_is_the_logit(standardised):
    model = random_model(standardised)
    image = np.random.default_rng(1).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    e = explain(model, image)
    assert e.contributions.shape == (64, 64)
    assert_allclose(e.total + e.b, e.z, rtol=0, atol=1e-10)
    assert_allclose(e.z, model.logits(image[None])[0], rtol=1e-12)
    assert_allclose(e.pushing_for + e.pushing_against, e.total, atol=1e-10)
    assert e.pushing_for > 0 > e.pushing_against


def test_each_pixel_is_the_sum_of_its_three_terms():
    model = random_model(standardised=True, seed=2)
    image = np.random.default_rng(3).integers(0, 256, (64, 64, 3), dtype=np.uint8)
    e = explain(model, image)
    r, c = 17, 42
    expected = 0.0
    for k in range(3):
        j = pixel_index(r, c, k)
        x_tilde = (image[r, c, k] / 255.0 - model.mean[j, 0]) / model.scale[j, 0]
        assert_allclose(e.x[r, c, k], x_tilde)
        expected += model.w[j, 0] * x_tilde
    assert_allclose(e.contributions[r, c], expected)


def test_probability_and_decision():
    model = random_model(standardised=False)
    dark, bright = np.zeros((64, 64, 3), np.uint8), np.full((64, 64, 3), 255, np.uint8)
    for image in (dark, bright):
        e = explain(model, image)
        assert_allclose(e.p_cat, sigmoid(e.z))
        assert e.label == int(e.p_cat > THRESHOLD)
        assert e.decision == ("cat" if e.label else "dog")
    e = explain(model, dark)
    # A black image is x̃ = 0 everywhere with pixel / 255: nothing contributes, z = b.
    assert np.all(e.contributions == 0) and e.z == model.b and e.decision == "dog"


def test_non_square_models():
    model = random_model(standardised=False, shape=(16, 24, 3))
    image = np.random.default_rng(4).integers(0, 256, (16, 24, 3), dtype=np.uint8)
    e = explain(model, image)
    assert e.contributions.shape == (16, 24) and weights_map(model).shape == (16, 24)
    assert_allclose(e.total + e.b, e.z, atol=1e-10)


def test_explain_refuses_the_wrong_input():
    with pytest.raises(ValueError, match=r"This model takes uint8 images of shape \(64, 64, 3\), got shape \(32, 32, 3\)"):
        explain(random_model(False), np.zeros((32, 32, 3), np.uint8))
    with pytest.raises(ValueError, match=r"got shape \(64, 64, 3\) and dtype float64"):
        explain(random_model(False), np.zeros((64, 64, 3)))


def test_weights_map_sums_the_channels():
    model = random_model(False)
    j = pixel_index(3, 5, 0)
    assert_allclose(weights_map(model)[3, 5], model.w[j:j + 3, 0].sum())


def test_the_scale_is_named():
    assert not is_standardised(random_model(False))
    assert "pixelᵢ / 255, the course's scaling" in input_scale(random_model(False))
    assert is_standardised(random_model(True))
    assert "standardised" in input_scale(random_model(True))


def test_probabilities_are_never_shown_as_certain():
    assert [probability_text(p) for p in (0.697, 0.0004, 0.9996, 0.001, 0.0)] == [
        "0.697", "< 0.001", "> 0.999", "0.001", "< 0.001"]
    assert probability_latex(0.6972) == "= 0.6972"
    assert probability_latex(2.5e-5) == r"\approx 2.5 \times 10^{-5}"
    assert probability_latex(1 - 3e-7) == r"\approx 1 - 3.0 \times 10^{-7}"
    assert probability_latex(float(sigmoid(-800.0))) == r"\approx 0"
    assert probability_latex(float(sigmoid(40.0))) == r"\approx 1"
    assert probability_text(float("nan")) == "–"


def test_course_photos_get_the_course_probabilities(course_model, photos_dir):
    for name, (p, label) in REFERENCE_PHOTOS.items():
        e = explain(course_model, load_model_input((photos_dir / name).read_bytes(), name))
        assert abs(e.p_cat - p) <= 0.01, (name, e.p_cat)
        assert e.decision == label
        assert_allclose(e.total + e.b, e.z, atol=1e-10)
