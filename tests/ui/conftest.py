"""Fixtures the page tests share."""

import pytest

from tests.conftest import use_course_data


@pytest.fixture
def predict_page(app_test):
    """The Predict page on the course's data, with the fallback (course settings) model."""
    return use_course_data(app_test("predict.py"))
