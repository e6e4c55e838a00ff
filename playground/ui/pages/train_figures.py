"""The Train page's figures, cached: each depends only on plain values (features key, settings,
options, language), so one object serves every visitor of the server."""

from __future__ import annotations

import dataclasses

import streamlit as st

from playground.figures import training as figs
from playground.figures.pictures import png_bytes
from playground.figures.replay import replay_figure
from playground.training import TrainingResult, TrainingSettings, snapshot_weights
from playground.ui.i18n import t


@st.cache_resource(max_entries=32, show_spinner=False)
def cost_fig(features_key: str, settings: TrainingSettings, log_y: bool, every: int, scale: float, lang: str,
             _words: dict, _title: str, _result: TrainingResult):
    return figs.cost_figure(_result, _words, log_y=log_y, every=every, title=_title, **size(440, scale))


@st.cache_resource(max_entries=32, show_spinner=False)
def weights_html(features_key: str, settings: TrainingSettings, image_shape: tuple, lang: str,
                 _words: dict, _title: str, _result: TrainingResult) -> str:
    return figs.weights_html(_result.w, image_shape, _words, title=_title)


@st.cache_resource(max_entries=16, show_spinner=False)  # (the page says it, in the visitor's language)
def replay_fig(features_key: str, settings: TrainingSettings, log_y: bool, image_shape: tuple, scale: float,
               lang: str, _words: dict, _result: TrainingResult, _features):
    # Cached runs keep their snapshots as α (cache.training): their weights are built here, for the replay only.
    result = dataclasses.replace(_result, snapshot_w=snapshot_weights(_features, _result))
    return replay_figure(result, image_shape, _words, log_y=log_y, **size(556, scale))


def figure_words() -> dict[str, str]:
    """The words the figure builders ask for (figs.WORDS), in the visitor's language."""
    return {name: t(f"train.fig_{name}") for name in figs.WORDS}


def size(height: int, scale: float) -> dict:
    """Figure height and font size, enlarged in presenter mode (scale > 1)."""
    return {"height": round(height * scale), "font_size": round(figs.FONT_SIZE * scale)}


@st.cache_resource(max_entries=8, show_spinner=False)
def test_image_pngs(dataset_key: str, _images) -> list[bytes]:
    """The test images as PNG files, encoded once per dataset: st.image serves each under a URL of its
    content, so a rerun sends the URLs and the browser keeps the pictures it has."""
    return [png_bytes(image) for image in _images]
