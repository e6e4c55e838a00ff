"""Figures of the Predict page: what each trace holds, that the unvalidated dicts read as Plotly would
validate them, and that the core behind them has no Streamlit."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import plotly.graph_objects as go
import pytest
from numpy.testing import assert_allclose

from playground.figures.predict import (
    CAT_COLOUR,
    CLIP_PERCENTILE,
    CROP_FRAME,
    MAP_HEIGHT,
    NON_CAT_COLOUR,
    explanation_figures,
    picture_caption,
    preprocessing_pictures,
    probability_figure,
)
from tests.conftest import ROOT

RNG = np.random.default_rng(0)
INPUT = RNG.integers(0, 256, (64, 64, 3), dtype=np.uint8)


def validated(fig: go.Figure) -> go.Figure:
    """The same figure through Plotly's validation: a property plotly.js would not read raises."""
    return go.Figure(data=[trace.to_plotly_json() for trace in fig.data], layout=fig.layout.to_plotly_json())


@pytest.mark.parametrize("p, colour", [(0.697, CAT_COLOUR), (0.282, NON_CAT_COLOUR), (0.5, NON_CAT_COLOUR)])
def test_probability_bar(p, colour):
    fig = validated(probability_figure(p, ("non-cat", "cat"), threshold_label="threshold {threshold:g}"))
    [bar] = fig.data
    assert bar.x == (p,) and bar.marker.color == colour
    assert tuple(fig.layout.xaxis.range) == (0, 1)
    [line] = fig.layout.shapes
    assert line.x0 == line.x1 == 0.5
    assert {a.text for a in fig.layout.annotations} == {"← non-cat", "cat →"}  # above the bar
    assert fig.layout.xaxis.ticktext == ("0", "threshold 0.5", "1")  # under it, apart from the classes


def test_the_preprocessings_are_pictures_pixel_for_pixel():
    preview = np.zeros((120, 180, 3), dtype=np.uint8)
    squash, crop = INPUT, INPUT[::-1]
    original, big_squash, big_crop = preprocessing_pictures(preview, (30.0, 0.0, 150.0, 120.0),
                                                            {"squash": squash, "crop": crop}, zoom=4)
    # Each input pixel becomes a 4 × 4 block (a browser would blur a small picture it enlarges).
    assert big_squash.shape == (256, 256, 3) and np.array_equal(big_squash[::4, ::4], squash)
    assert np.array_equal(big_squash[3::4, 3::4], squash) and np.array_equal(big_crop[::4, ::4], crop)
    # The centre crop is framed, dashed, on a copy of the original.
    assert not preview.any()
    assert tuple(original[0, 30]) == CROP_FRAME and tuple(original[60, 30]) == CROP_FRAME
    assert tuple(original[0, 36]) == (0, 0, 0)  # a gap in the dashes
    assert not original[:, :30].any() and not original[:, 150:].any() and not original[5:115, 35:145].any()


def test_a_caption_marks_the_preprocessing_used():
    assert picture_caption("squash", (64, 64), 0.6972, True) == "✓ squash 64×64 · P\u00a0=\u00a00.697"
    assert picture_caption("centre crop", (64, 64), 1e-9, False) == "centre crop 64×64 · P < 0.001"


def test_explanation_figures_hold_the_maps():
    weights = RNG.standard_normal((64, 64))
    contributions = RNG.standard_normal((64, 64)) * 0.01
    contributions[0, 0] = 5.0  # one extreme pixel must not set the colour range
    figs = explanation_figures(INPUT, weights, contributions, ("x", "w", "w·x"))
    image, w_map, c_map = (validated(f) for f in figs)
    assert np.array_equal(np.asarray(image.data[0].z), INPUT)
    assert_allclose(np.asarray(w_map.data[0].z), weights, rtol=1e-6)
    assert_allclose(np.asarray(c_map.data[0].z), contributions, rtol=1e-6)
    top = np.percentile(np.abs(contributions), CLIP_PERCENTILE)
    [c] = c_map.data
    assert c.zmid == 0 and c.zmax == pytest.approx(top) and c.zmin == pytest.approx(-top) and c.zmax < 1.0
    assert c.showscale and not w_map.data[0].showscale
    # Blue for negative, white at 0, red for positive, as Plotly's own "RdBu_r" (plotly.js has no such name).
    assert c.colorscale == go.Heatmap(colorscale="RdBu_r").colorscale
    assert [f.layout.annotations[0].text for f in (image, w_map, c_map)] == ["x", "w", "w·x"]
    # One panel each, at no fixed width (the page's columns give it): square pixels, row 0 on top.
    for fig in (image, w_map, c_map):
        assert fig.layout.width is None and fig.layout.height == MAP_HEIGHT
        assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.autorange == "reversed"


def test_the_core_never_imports_streamlit():
    code = (
        "import sys, playground.figures.predict, playground.lessons.predict.explain, playground.data.images, "
        "playground.lessons.predict.saved_model, playground.cli; print('streamlit' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
