"""The only place that caches core work for the pages.

cache_resource (one shared object, made read-only) for datasets and features;
cache_data (a copy per caller) for training results, keyed by plain values.
"""

from __future__ import annotations

import streamlit as st

from playground.data.builtin import make_builtin_dataset
from playground.data.course import load_course_bytes, load_course_folder
from playground.data.dataset import Dataset
from playground.data.features import Features, make_features
from playground.data.folder import load_image_zip
from playground.training import TrainingResult, TrainingSettings, train, train_many
from playground.ui import state


@st.cache_resource(max_entries=4, show_spinner="Loading the dataset…")
def _load_dataset(source: state.Source, _payload=None) -> Dataset:
    if source.kind == "builtin":
        return make_builtin_dataset(source.seed)
    if source.kind == "course_folder":
        return load_course_folder(source.path)
    if _payload is None:
        raise ValueError("This upload is no longer in your session: please upload it again.")
    if source.kind == "course_upload":
        return load_course_bytes(*_payload)
    if source.kind == "zip":
        return load_image_zip(_payload, source.positive, source.seed)
    raise ValueError(f"Unknown dataset source {source.kind!r}.")


def dataset(source: state.Source | None = None) -> Dataset:
    """The dataset of ``source`` (default: the visitor's current one), loaded once per source."""
    source = source or state.get_source()
    return _load_dataset(source, state.get_payload(source))


@st.cache_resource(max_entries=4, show_spinner="Preparing X and Y…")
def _features(dataset_key: str, preprocessing: str, _dataset: Dataset) -> Features:
    return make_features(_dataset, preprocessing)


def features(ds: Dataset | None = None, preprocessing: str | None = None) -> Features:
    """X, Y (and K) for a dataset, computed once per (dataset, preprocessing) for all visitors."""
    ds = ds or dataset()
    preprocessing = preprocessing or state.get_preprocessing()
    return _features(ds.key, preprocessing, ds)


@st.cache_data(max_entries=64, show_spinner=False)
def _train(features_key: str, settings: TrainingSettings, snapshots: int, _features: Features,
           test_history: bool = True, snapshot_weights: bool = True) -> TrainingResult:
    return train(_features, settings, snapshots=snapshots, test_history=test_history,
                 snapshot_weights=snapshot_weights)


def training(F: Features, settings: TrainingSettings, snapshots: int = 41, test_history: bool = True,
             snapshot_weights: bool = True) -> TrainingResult:
    """A training run, cached per (features, settings, what is recorded); see ``train`` for the options."""
    return _train(F.key, settings, snapshots, F, test_history, snapshot_weights)


@st.cache_data(max_entries=32, show_spinner=False)
def _train_many(features_key: str, settings: tuple[TrainingSettings, ...], snapshots: int, test_history: bool,
                _features: Features) -> list[TrainingResult]:
    return train_many(_features, settings, snapshots=snapshots, test_history=test_history)


def trainings(F: Features, settings: list[TrainingSettings] | tuple[TrainingSettings, ...],
              snapshots: int = 41, test_history: bool = True) -> list[TrainingResult]:
    """Several training runs at once (the rates side by side), cached per (features, all settings, what is
    recorded)."""
    return _train_many(F.key, tuple(settings), snapshots, test_history, F)


@st.cache_data(max_entries=32, show_spinner=False)
def _train_beside(features_key: str, settings: TrainingSettings, others: tuple[TrainingSettings, ...],
                  snapshots: int, snapshot_weights: bool, _features: Features) -> list[TrainingResult]:
    return train_many(_features, (settings, *others), snapshots=snapshots, snapshot_weights=snapshot_weights,
                      lead=True)


def training_beside(F: Features, settings: TrainingSettings, others, snapshots: int = 41,
                    snapshot_weights: bool = True) -> tuple[TrainingResult, list[TrainingResult]]:
    """A training run and, in the same loop, runs of ``others`` (the same settings at other rates)
    recorded without snapshots or test history: (the run, the others in order). The run is the one
    ``training`` gives, bit for bit (``train_many(lead=True)``); cached per (features, all settings)."""
    runs = _train_beside(F.key, settings, tuple(others), snapshots, snapshot_weights, F)
    return runs[0], runs[1:]
