"""Shared fixtures: where the course's data lives, and AppTest for the pages."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
COURSE_DIR = SHARED_DATA / "catvnoncat"
PHOTOS_DIR = SHARED_DATA / "photos"


def pytest_configure(config):
    # Numerics must be warning-free: any RuntimeWarning (overflow in exp, log(0)) fails a test.
    config.addinivalue_line("filterwarnings", "error")
    config.addinivalue_line("markers", "browser: drives the real app in headless Chromium")


@pytest.fixture(scope="session")
def course_dir() -> Path:
    """The course's .h5 pair (../shared/data/catvnoncat): CI has it beside the clone."""
    if not (COURSE_DIR / "train_catvnoncat.h5").is_file():
        pytest.fail(f"The course's data is missing at {COURSE_DIR}: ../shared must sit beside the project.")
    return COURSE_DIR


@pytest.fixture(scope="module")
def course_dataset(course_dir):
    """The course's pair as a Dataset (209 training and 50 test photos), once per test module."""
    from playground.data.course import load_course_folder

    return load_course_folder(course_dir)


@pytest.fixture(scope="module")
def course_features(course_dataset):
    """X, Y and K of the course's pair, once per test module."""
    from playground.data.features import make_features

    return make_features(course_dataset)


@pytest.fixture(scope="module")
def course_model(course_dataset, course_features):
    """The course's model (cross-entropy, α = 0.005, 2,000 iterations from w = 0, b = 0) as the Train
    page hands it on: a SavedModel, once per test module."""
    from playground.lessons.predict.saved_model import model_from_training
    from playground.training import TrainingSettings, train

    result = train(course_features, TrainingSettings())
    return model_from_training(result.w, result.b, course_features, course_dataset.classes, {}, course_dataset.name)


@pytest.fixture
def unlimited(monkeypatch):
    """Learning rates past MAX_LEARNING_RATE allowed (1.7e308: logits non-finite in one step)."""
    from playground.training import settings

    monkeypatch.setattr(settings, "MAX_LEARNING_RATE", float("inf"))


@pytest.fixture(scope="session")
def photos_dir() -> Path:
    if not PHOTOS_DIR.is_dir():
        pytest.fail(f"The course's photos are missing at {PHOTOS_DIR}.")
    return PHOTOS_DIR


@pytest.fixture
def app_test(monkeypatch, course_dir):
    """Factory: an AppTest of app.py on ``page`` (a file under playground/ui/pages), run once.

    The course's pair is offered through $PLAYGROUND_DATA, as a teacher would set it.
    """
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PLAYGROUND_DATA", str(course_dir))

    def make(page: str | None = None, query: dict | None = None, timeout: float = 60):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
        for k, v in (query or {}).items():
            at.query_params[k] = v
        at.run()
        assert not at.exception, at.exception
        if page:
            at.switch_page(f"playground/ui/pages/{page}")
            at.run()
            assert not at.exception, at.exception
        return at

    return make


def use_course_data(at):
    """Pick the course's photos in the sidebar of a running AppTest and rerun."""
    at.radio(key="dataset_kind").set_value("course_folder").run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def no_cached_training():
    """Training's caches emptied first: a test that counts what trains does not depend on the tests
    that ran before it (st.cache_data is per process)."""
    import playground.ui.cache as cache

    cache._train.clear()
    cache._train_kept.clear()
    cache._train_long.clear()


class TrainingCalls(list):
    """(name, settings, kwargs) of every call to cache.train ("train": one TrainingSettings) and
    cache.train_many ("train_many": a list of them), in order; ``features``: the last call's."""

    features = None


@pytest.fixture
def training_calls(monkeypatch, no_cached_training) -> TrainingCalls:
    """What the pages train (really trained, through spies on cache.train and cache.train_many), with
    training's caches emptied first."""
    import playground.ui.cache as cache

    calls = TrainingCalls()
    for name in ("train", "train_many"):
        def spy(features, settings, *args, _name=name, _real=getattr(cache, name), **kwargs):
            calls.append((_name, settings, kwargs))
            calls.features = features
            return _real(features, settings, *args, **kwargs)

        monkeypatch.setattr(cache, name, spy)
    return calls
