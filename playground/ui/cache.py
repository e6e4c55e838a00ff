"""The core's work that several pages share, cached once per server for every visitor: datasets and
their features (cache_resource: one shared object, made read-only) and training runs (cache_data: a
copy per caller, keyed by plain values).

What only one page draws (its figures, its decoded photos) is cached beside that page's own code.
"""

from __future__ import annotations

import contextlib
import dataclasses

import streamlit as st

from playground.data.builtin import make_builtin_dataset
from playground.data.course import load_course_bytes, load_course_folder
from playground.data.dataset import Dataset
from playground.data.features import Features, make_features
from playground.data.sources import loading
from playground.data.folder import load_image_zip
from playground.errors import InputError
from playground.training import DEFAULT_SNAPSHOTS, TrainingResult, TrainingSettings, cut, prefix, train, train_many
from playground.training.dual import BLOCK
from playground.ui import state
from playground.ui.i18n import t


class _NotCached(Exception):
    """Raised by a cached function asked for a probe (_PROBE): it stores no exception, so a probe
    tells whether the cache holds a result without making one."""


_PROBE = object()


def _cached_or_made(fn, *args, spinner: str):
    """``fn(*args)``: from the cache when it holds it, else made under a spinner saying ``spinner`` in
    the visitor's language (a cached function's own spinner text is fixed, in English, when the
    module loads). ``fn`` takes a last ``_how`` argument and raises _NotCached when it is _PROBE."""
    with contextlib.suppress(_NotCached):
        return fn(*args, _PROBE)
    with st.spinner(t(spinner)):
        return fn(*args)


@st.cache_resource(max_entries=4, show_spinner=False)
def _load_dataset(source: state.Source, _payload=None, _how=None) -> Dataset:
    if _how is _PROBE:
        raise _NotCached
    with loading():
        return _load(source, _payload)


def _load(source: state.Source, payload) -> Dataset:
    if source.kind == "builtin":
        return make_builtin_dataset(source.seed)
    if source.kind == "course_folder":
        return load_course_folder(source.path)
    if payload is None:
        raise InputError("upload_gone")
    if source.kind == "course_upload":
        return load_course_bytes(*payload)
    if source.kind == "zip":
        return load_image_zip(payload, source.positive, source.seed)
    raise ValueError(f"Unknown dataset source {source.kind!r}.")


def dataset(source: state.Source | None = None) -> Dataset:
    """The dataset of ``source`` (default: the visitor's current one), loaded once per source."""
    source = source or state.get_source()
    return _cached_or_made(_load_dataset, source, state.get_payload(source), spinner="sidebar.loading_dataset")


def dataset_or_stop(message: str = "sidebar.dataset_error") -> Dataset:
    """The visitor's dataset, for a page that cannot go on without one: a dataset that cannot be
    loaded (an upload no longer in the session, say) is said on the page in the visitor's
    language (``message``, a text with an ``{error}`` field), and the page stops there."""
    try:
        return dataset()
    except ValueError as err:
        st.error(t(message, error=err))
        st.stop()


@st.cache_resource(max_entries=4, show_spinner=False)
def _features(dataset_key: str, preprocessing: str, _dataset: Dataset, _how=None) -> Features:
    if _how is _PROBE:
        raise _NotCached
    return make_features(_dataset, preprocessing)


def features(ds: Dataset | None = None, preprocessing: str | None = None) -> Features:
    """X, Y (and K) for a dataset, computed once per (dataset, preprocessing) for all visitors."""
    ds = ds or dataset()
    preprocessing = preprocessing or state.get_preprocessing()
    return _cached_or_made(_features, ds.key, preprocessing, ds, spinner="sidebar.preparing_features")


@st.cache_data(max_entries=64, show_spinner=False)
def _train(features_key: str, settings: TrainingSettings, _features: Features, test_history: bool = True,
           _trained=None) -> TrainingResult:
    if _trained is _PROBE:
        raise _NotCached
    if _trained is not None:  # trained already, in a batch (compared): stored under this run's own key
        return _trained
    return train(_features, settings, snapshots=DEFAULT_SNAPSHOTS, test_history=test_history, snapshot_weights=False)


def training(F: Features, settings: TrainingSettings, test_history: bool = True, _trained=None) -> TrainingResult:
    """A training run (``train``), cached per (features, settings, whether the test history is
    recorded). Its DEFAULT_SNAPSHOTS snapshots are in dual form only (snapshot_w None): a page that
    draws them builds the weights with ``training.snapshot_weights``."""
    # Dual form: k × m numbers to cache, not k × n_x, and one cache entry for every page that asks
    # for the same run.
    return _train(F.key, settings, F, test_history, _trained)


def cached_training(F: Features, settings: TrainingSettings, **options) -> TrainingResult | None:
    """``training(F, settings, **options)`` if the cache holds it, else None: nothing is trained."""
    try:
        return training(F, settings, **options, _trained=_PROBE)
    except _NotCached:
        return None


def trainings(F: Features, settings_list: list[TrainingSettings], test_history: bool = True) -> list[TrainingResult]:
    """``training(F, s, test_history)`` for each settings, in order. Those the cache lacks are trained
    in one batch (``train_many``: its first row bit for bit the run alone, the others to the rounding at
    worst) and stored each under its own key."""
    # One batch: runs from one start share one loop, both losses included.
    runs = [cached_training(F, s, test_history=test_history) for s in settings_list]
    missing = [k for k, run in enumerate(runs) if run is None]
    if missing:
        trained = train_many(F, [settings_list[k] for k in missing], snapshots=DEFAULT_SNAPSHOTS,
                             test_history=test_history, snapshot_weights=False)
        for k, run in zip(missing, trained):
            runs[k] = training(F, settings_list[k], test_history, _trained=run)
    return runs


@st.cache_data(max_entries=64, show_spinner=False)
def _train_kept(features_key: str, settings: TrainingSettings, every: int, _features: Features,
                _trained=None) -> TrainingResult:
    if _trained is _PROBE:
        raise _NotCached
    if _trained is not None:  # trained already, as a row of a batch (compared, run): stored under its own key
        return _trained
    return train(_features, settings, snapshots=0, snapshot_weights=False, keep_every=every)


def _kept(settings: TrainingSettings, count: int) -> TrainingSettings:
    return dataclasses.replace(settings, num_iterations=count)


def run(F: Features, settings: TrainingSettings, horizons: tuple[int, ...], every: int,
        rates: tuple[float, ...] = ()) -> TrainingResult:
    """The run of ``settings`` whole (w, snapshots in dual form, confusion: ``training.cut``), cut from
    one run to the first of ``horizons`` that reaches its count (or a cached run to a longer one) that
    kept its parameters every ``every`` iterations, cached for every visitor. Its numbers are the run
    alone's (its test costs to their rounding); its snapshots are kept parameters (multiples of
    ``every``). When that run trains, the neighbours of its rate among ``rates`` (the next one up, the
    one below, the second one up) that no cached run serves train with it, as rows of its batch, and
    are cached under their own keys. A count that is no multiple of ``every`` or beyond the horizons,
    or features without K (the plain path): ``training(F, settings)``.
    """
    # One run per (features, loss, start, rate) serves every count of the slider, however it moves
    # and whoever moves it; a cut costs one product of α with X (BENCHMARKS.md has the figure).
    # The neighbours: a lone run's product is taken BLOCK rows wide anyway (zero rows below it), so
    # the slider's next moves ride in rows computed regardless; each row is its run alone, bit for bit
    # where BLAS computes every column of a block alike (OpenBLAS here: tests/test_training.py checks).
    n = settings.num_iterations
    reach = sorted(h for h in horizons if h >= n)
    if F.K_train is None or n % every or not reach:
        return training(F, settings)
    for h in reach:
        with contextlib.suppress(_NotCached):
            return cut(F, _train_kept(F.key, _kept(settings, h), every, F, _PROBE), n)
    horizon = reach[0]
    rows = [_kept(settings, horizon)]
    if settings.learning_rate in rates:
        i = rates.index(settings.learning_rate)
        for j in (i + 1, i - 1, i + 2):
            near = dataclasses.replace(settings, learning_rate=rates[j]) if 0 <= j < len(rates) else None
            if near is not None and len(rows) < BLOCK and not _has_run(F, near, horizons, every):
                rows.append(_kept(near, horizon))
    if len(rows) == 1:
        return cut(F, _train_kept(F.key, rows[0], every, F), n)
    trained = train_many(F, rows, snapshots=0, snapshot_weights=False, keep_every=every)
    for row, result in zip(rows, trained):
        _train_kept(F.key, row, every, F, _trained=result)
    return cut(F, trained[0], n)


def _has_run(F: Features, settings: TrainingSettings, horizons: tuple[int, ...], every: int) -> bool:
    """Whether ``run(F, settings, horizons, every)`` would train nothing."""
    n = settings.num_iterations
    reach = [h for h in horizons if h >= n]
    if F.K_train is None or n % every or not reach:
        return cached_training(F, settings) is not None
    for h in reach:
        with contextlib.suppress(_NotCached):
            _train_kept(F.key, _kept(settings, h), every, F, _PROBE)
            return True
    return False


@st.cache_data(max_entries=16, show_spinner=False)
def _train_long(features_key: str, settings: tuple[TrainingSettings, ...], every: int, _features: Features,
                _lead: TrainingSettings | None) -> list[TrainingResult]:
    if _lead is _PROBE:
        raise _NotCached
    leads = [_lead] if _lead is not None else []
    # The lead (the main run to the horizon) is recorded as ``run`` records it and stored under its own key.
    runs = train_many(_features, [*leads, *settings], snapshots=0, snapshot_weights=False,
                      test_every=[1] * len(leads) + [every] * len(settings),
                      keep_every=[every] * len(leads) + [0] * len(settings))
    if leads:
        _train_kept(features_key, _lead, every, _features, _trained=runs[0])
    return runs[len(leads):]


def compared(F: Features, main: TrainingSettings, others: list[TrainingSettings], horizon: int, every: int,
             longer: tuple[int, ...] = (), rates: tuple[float, ...] = ()) -> tuple[TrainingResult, list[TrainingResult]]:
    """(The main run ``run(F, main, (horizon, *longer), every, rates)``, the runs of ``others``: rates
    compared side by side.)

    Each of ``others`` is cut (``training.prefix``) to its count from one run of ``horizon`` iterations
    (raised to the main count) that records its test numbers every ``every`` iterations (counts must
    be multiples of ``every``), or from a cached run of one of the ``longer`` horizons, the longest
    first. They carry histories, final numbers and outcome only: no parameters, snapshots or confusion.
    """
    # Cut from one run, the rates train once per (features, their settings but their counts): a count below
    # a horizon already trained (by any visitor) trains nothing, however the slider came there. When
    # they train and the main run is not cached, its run to the horizon rides along as their batch's
    # first row (one product for all: a new loss with the Compare tab open trains every run in one
    # loop) and is stored as ``run`` stores it; a batch's first row is its run alone, bit for bit, so
    # the main run is the same whichever way it came (and whether the tab is open or closed).
    horizons = (max(horizon, main.num_iterations), *longer)
    if not others:  # (the Compare tab closed, or only the main rate: not even a cache look-up)
        return run(F, main, horizons, every, rates), []

    def to(count: int) -> tuple[TrainingSettings, ...]:
        return tuple(dataclasses.replace(s, num_iterations=count) for s in others)

    horizon = horizons[0]
    runs = None
    for h in sorted((h for h in longer if h > horizon), reverse=True):
        with contextlib.suppress(_NotCached):
            runs = _train_long(F.key, to(h), every, F, _PROBE)
            break
    if runs is None:
        lead = (None if _has_run(F, main, horizons, every) or F.K_train is None or main.num_iterations % every
                else _kept(main, horizon))
        runs = _train_long(F.key, to(horizon), every, F, lead)
    return run(F, main, horizons, every, rates), [prefix(r, s.num_iterations) for r, s in zip(runs, others)]


def every_rate(F: Features, settings: TrainingSettings, rates: tuple[float, ...], horizon: int, every: int
               ) -> list[TrainingResult]:
    """One run per rate from ``settings``' start and loss, to ``horizon`` iterations, its test numbers
    every ``every`` (histories and final numbers only), cached for every visitor."""
    return _train_long(F.key, tuple(dataclasses.replace(settings, learning_rate=rate, num_iterations=horizon)
                                    for rate in rates), every, F, None)
