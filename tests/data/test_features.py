import numpy as np
import pytest
from numpy.testing import assert_allclose

from playground.data.dataset import Dataset
from playground.data.features import flatten, make_features, pixel_index
from tests.helpers import random_pictures


def _dataset():
    """Twelve random 64 × 64 pictures, labelled 0, 1, 0, 1, …: eight to train on, four to test."""
    return random_pictures(12, (64, 64, 3), m_test=4)


def test_flatten_is_the_course_reshape_and_pixel_index_finds_entries():
    ds = _dataset()
    X = flatten(ds.train_x)
    assert X.shape == (12288, 8)
    assert np.array_equal(X, ds.train_x.reshape(8, -1).T)
    for r, c, k in [(0, 0, 0), (0, 1, 2), (5, 7, 1), (63, 63, 2)]:
        assert X[pixel_index(r, c, k), 3] == ds.train_x[3, r, c, k]


def test_course_preprocessing_divides_by_255_and_precomputes_K():
    F = make_features(_dataset())
    assert F.X_train.max() <= 1 and F.Y_train.shape == (1, 8)
    assert_allclose(F.K_train, F.X_train.T @ F.X_train)
    assert F.K_test.shape == (4, 8)
    assert not F.X_train.flags.writeable and not F.K_train.flags.writeable


def test_standardisation_centres_training_features_and_transforms_new_images():
    ds = _dataset()
    F = make_features(ds, "standardize")
    assert_allclose(F.X_train.mean(axis=1), 0, atol=1e-12)
    assert_allclose(F.transform(ds.test_x), F.X_test)


def test_unknown_preprocessing_and_wrong_image_size():
    with pytest.raises(ValueError, match="Unknown preprocessing 'zscore': expected one of divide_255, standardize"):
        make_features(_dataset(), "zscore")
    F = make_features(_dataset())
    with pytest.raises(ValueError, match=r"Expected images of shape \(k, 64, 64, 3\), got \(1, 32, 32, 3\)"):
        F.transform(np.zeros((1, 32, 32, 3), np.uint8))


def test_dataset_validation_messages():
    x = np.zeros((4, 64, 64, 3), np.uint8)
    y = np.array([0, 1, 0, 1])
    with pytest.raises(ValueError, match="Expected train images of dtype uint8"):
        Dataset("d", "k", x.astype(float), y, x, y, ("a", "b"))
    with pytest.raises(ValueError, match=r"Expected train images of shape \(m, height, width, 3\), got shape \(4, 64, 64\)"):
        Dataset("d", "k", x[..., 0], y, x, y, ("a", "b"))
    with pytest.raises(ValueError, match="Expected at least one image in test images"):
        Dataset("d", "k", x, y, x[:0], y[:0], ("a", "b"))
