"""The only place that caches core work for the pages.

cache_resource (one shared object, made read-only) for datasets and features;
cache_data (a copy per caller) for training results, keyed by plain values.
"""

from __future__ import annotations

import dataclasses

import streamlit as st

from playground.data.builtin import make_builtin_dataset
from playground.data.course import load_course_bytes, load_course_folder
from playground.data.dataset import Dataset
from playground.data.features import Features, make_features
from playground.data.folder import load_image_zip
from playground.training import DEFAULT_SNAPSHOTS, TrainingResult, TrainingSettings, prefix, train, train_many
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


def training(F: Features, settings: TrainingSettings, snapshots: int = DEFAULT_SNAPSHOTS, test_history: bool = True,
             snapshot_weights: bool = True) -> TrainingResult:
    """A training run, cached per (features, settings, what is recorded); see ``train`` for the options."""
    return _train(F.key, settings, snapshots, F, test_history, snapshot_weights)


@st.cache_data(max_entries=16, show_spinner=False)
def _train_long(features_key: str, settings: tuple[TrainingSettings, ...],
                _features: Features) -> list[TrainingResult]:
    return train_many(_features, settings, snapshots=0)


def curves(F: Features, settings: list[TrainingSettings], horizon: int) -> list[TrainingResult]:
    """Runs of ``settings`` (rates compared side by side), each cut (training.prefix) from one run of
    ``horizon`` iterations, or of its own count if that is more: trained once per (features, settings
    but their counts), so a new iteration count below ``horizon`` trains nothing. No parameters,
    snapshots or confusion; the histories, the final numbers and the outcome are those of the runs."""
    if not settings:  # (the Compare tab closed: not even a cache look-up)
        return []
    long = tuple(dataclasses.replace(s, num_iterations=max(horizon, s.num_iterations)) for s in settings)
    return [prefix(run, s.num_iterations) for run, s in zip(_train_long(F.key, long, F), settings)]
