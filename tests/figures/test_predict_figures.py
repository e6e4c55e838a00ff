"""Figures of the Predict page: what each trace holds, and that the core behind them has no Streamlit."""

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
    NON_CAT_COLOUR,
    explanation_figure,
    preprocessing_figure,
    probability_figure,
)
from tests.conftest import ROOT

RNG = np.random.default_rng(0)
INPUT = RNG.integers(0, 256, (64, 64, 3), dtype=np.uint8)


@pytest.mark.parametrize("p, colour", [(0.697, CAT_COLOUR), (0.282, NON_CAT_COLOUR), (0.5, NON_CAT_COLOUR)])
def test_probability_bar(p, colour):
    fig = probability_figure(p, ("non-cat", "cat"), threshold_label="threshold {threshold:g}")
    assert isinstance(fig, go.Figure)
    [bar] = fig.data
    assert bar.x == (p,) and bar.marker.color == colour
    assert tuple(fig.layout.xaxis.range) == (0, 1)
    [line] = fig.layout.shapes
    assert line.x0 == line.x1 == 0.5
    texts = {a.text for a in fig.layout.annotations}
    assert {"threshold 0.5", "← non-cat", "cat →"} <= texts


def test_preprocessing_figure_shows_the_original_and_both_inputs():
    preview = RNG.integers(0, 256, (120, 180, 3), dtype=np.uint8)
    squash, crop = INPUT, INPUT[::-1]
    fig = preprocessing_figure(preview, (30.0, 0.0, 150.0, 120.0), {"squash": squash, "crop": crop},
                               {"squash": 0.6972, "crop": 0.41}, "crop")
    original, s, c = fig.data
    assert original.source.startswith("data:image/jpeg;base64,")
    assert np.array_equal(np.asarray(s.z), squash) and np.array_equal(np.asarray(c.z), crop)
    [box] = fig.layout.shapes
    assert (box.x0, box.x1, box.y0, box.y1) == (29.5, 149.5, -0.5, 119.5)
    titles = [a.text for a in fig.layout.annotations]
    assert "squash 64×64<br>P = 0.697" in titles
    assert "<b>✓ centre crop 64×64</b><br><b>P = 0.410</b>" in titles
    # The original is 1.5 panels wide: width = height of a panel × (1.5 + 1 + 1 + gaps) + margins.
    assert 650 < fig.layout.width < 750


def test_explanation_figure_holds_the_maps():
    weights = RNG.standard_normal((64, 64))
    contributions = RNG.standard_normal((64, 64)) * 0.01
    contributions[0, 0] = 5.0  # one extreme pixel must not set the colour range
    fig = explanation_figure(INPUT, weights, contributions, ("x", "w", "w·x"))
    image, w_map, c_map = fig.data
    assert np.array_equal(np.asarray(image.z), INPUT)
    assert_allclose(np.asarray(w_map.z), weights, rtol=1e-6)
    assert_allclose(np.asarray(c_map.z), contributions, rtol=1e-6)
    top = np.percentile(np.abs(contributions), CLIP_PERCENTILE)
    assert c_map.zmid == 0 and c_map.zmax == pytest.approx(top) and c_map.zmin == pytest.approx(-top)
    assert c_map.zmax < 1.0
    assert [a.text for a in fig.layout.annotations] == ["x", "w", "w·x"]
    # Each panel keeps square pixels on its own axes.
    assert fig.layout.yaxis3.scaleanchor == "x3" and fig.layout.yaxis.autorange == "reversed"


def test_the_core_never_imports_streamlit():
    code = (
        "import sys, playground.figures.predict, playground.lessons.predict.explain, playground.data.images, "
        "playground.lessons.predict.saved_model, playground.cli; print('streamlit' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
