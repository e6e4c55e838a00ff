"""The timing bars: one per implementation, each with its time and speed-up."""

import pytest

from playground.figures.speed import format_seconds, timing_figure


def test_bars_carry_times_and_speedups():
    fig = timing_figure(["loops", "numpy"], [0.5, 0.0002])
    bar = fig.data[0]
    assert list(bar.y) == ["loops", "numpy"]
    assert bar.text[0] == "500 ms" and bar.text[1] == "200 µs · 2,500 × faster"
    assert fig.layout.xaxis.type == "log"


def test_each_name_sits_above_its_bar_not_beside_it():
    """On a phone, names beside the bars took half the width and cut the times off."""
    fig = timing_figure(["Two loops (examples × features)", "numpy"], [0.5, 0.0002])
    bar = fig.data[0]
    assert fig.layout.yaxis.showticklabels is False and bar.offset == 0 and bar.width == 0.5
    names = [(a.text, a.y, a.yanchor, a.xref, a.x) for a in fig.layout.annotations]
    assert names == [("Two loops (examples × features)", "Two loops (examples × features)", "bottom", "paper", 0),
                     ("numpy", "numpy", "bottom", "paper", 0)]


def test_small_speedups_keep_a_decimal():
    assert timing_figure(["a", "b"], [3.0, 2.0]).data[0].text[1] == "2.00 s · 1.5 × faster"


@pytest.mark.parametrize("s, text", [(2.5, "2.50 s"), (0.0123, "12.3 ms"), (4.5e-5, "45 µs"), (2e-8, "20 ns")])
def test_format_seconds(s, text):
    assert format_seconds(s) == text


def test_bad_times_raise():
    with pytest.raises(ValueError, match="one time per label, got 2 labels and 1 times"):
        timing_figure(["a", "b"], [1.0])
    with pytest.raises(ValueError, match="positive finite times"):
        timing_figure(["a"], [0.0])
