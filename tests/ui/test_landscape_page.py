"""The Loss landscape page in AppTest: every view on every dataset, animated figures, numbers beside them."""

import json

import pytest

from tests.conftest import use_course_data

PAGE = "landscape.py"


def _specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _assert_animated(spec: dict, frames: int) -> None:
    assert len(spec["frames"]) == frames
    labels = [b["label"] for menu in spec["layout"]["updatemenus"] for b in menu["buttons"]]
    assert labels == ["▶ Play", "❚❚ Pause"]
    assert len(spec["layout"]["sliders"][0]["steps"]) == frames
    # Frames move the path only: the maps (layout pictures) are never sent again.
    assert {t["type"] for f in spec["frames"] for t in f["data"]} == {"scatter"}


def _table(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("| |"))


def _show(at, view: str):
    at.radio(key="landscape_view").set_value(view).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture
def page(app_test):
    return app_test(PAGE)


def test_exact_view_shows_both_costs_animated_with_numbers(page):
    at = page
    assert at.title[0].value == "Loss landscape: MSE vs cross-entropy"
    specs = _specs(at)
    assert len(specs[0]["layout"]["images"]) == 2
    _assert_animated(specs[0], frames=60)
    assert [s["data"][0]["type"] for s in specs[1:]] == ["surface", "surface"]
    assert all("frames" not in s or not s["frames"] for s in specs[1:])
    rows = {line.split("|")[1].strip(): line.split("|")[2:4] for line in _table(at).splitlines()[2:]}
    mse, ce = (v.strip() for v in rows["grid points with negative curvature (a Hessian eigenvalue < 0)"])
    assert ce == "0 of 6,561" and mse != ce and not mse.startswith("0 of")
    mse, ce = (v.strip() for v in rows["smallest Hessian eigenvalue λ_min at the start"])
    assert mse.startswith("-") and not ce.startswith("-")
    assert not at.error


def test_the_start_moves_both_paths(page):
    at = page
    at.slider(key="ls_w0").set_value(2.0).run()
    at.slider(key="ls_b0").set_value(-3.0).run()
    at.select_slider(key="ls_iters").set_value(50).run()
    assert not at.exception
    spec = _specs(at)[0]
    first = spec["frames"][0]["data"]
    assert [first[1]["x"][0], first[1]["y"][0]] == [2.0, -3.0]
    assert [first[3]["x"][0], first[3]["y"][0]] == [2.0, -3.0]
    assert spec["frames"][-1]["name"] == "50"


def test_slice_view_on_the_built_in_drawings_and_the_course_data(page):
    at = _show(page, "slice")
    specs = _specs(at)
    assert len(specs) == 3
    _assert_animated(specs[0], frames=41)
    assert "0 of 19,998" in _table(at)
    at = use_course_data(at)
    assert "course" in at.markdown[1].value.lower()
    specs = _specs(at)
    _assert_animated(specs[0], frames=41)
    table = _table(at)
    row = next(line for line in table.splitlines() if line.startswith("| midpoint-convexity"))
    mse, ce = (v.strip() for v in row.split("|")[2:4])
    assert ce == "0 of 19,998" and not mse.startswith("0 of")
    assert not at.error
    # Views 1 and 3 use their own tiny datasets: they render whatever the sidebar holds.
    for view, frames in (("exact", 60), ("counter", 60)):
        _assert_animated(_specs(_show(at, view))[0], frames)


def test_slice_view_with_random_directions_and_other_settings(page):
    at = _show(page, "slice")
    at.radio(key="ls_real_dirs").set_value("random").run()
    at.number_input(key="ls_real_seed").set_value(7).run()
    at.select_slider(key="ls_real_iters").set_value(500).run()
    at.radio(key="ls_real_init").set_value("random").run()
    assert not at.exception
    _assert_animated(_specs(at)[0], frames=41)
    assert "share of the path in the plane" in _table(at)
    assert not at.error


def test_counterexample_view_counts_minima_and_where_each_start_ends(page):
    at = _show(page, "counter")
    assert [m.value for m in at.metric] == ["3", "374 of 901", "1", "0 of 901"]
    spec = _specs(at)[0]
    _assert_animated(spec, frames=60)
    assert spec["layout"]["xaxis"]["type"] == "log"
    mse, ce = (df.value for df in at.dataframe)
    assert list(mse["ends in"]) == ["min 1", "min 2", "min 3"]
    assert list(ce["ends in"]) == ["min 1", "min 1", "min 1"]
    assert any("Auer, Herbster & Warmuth (1996)" in m.value for m in at.markdown)


def test_counterexample_starts_in_one_valley_end_together(page):
    at = _show(page, "counter")
    for i, u in enumerate((-6.0, -5.0, -4.0)):
        at.slider(key=f"ls_cx_start{i}").set_value(u).run()
    assert not at.exception
    mse, _ = (df.value for df in at.dataframe)
    assert list(mse["ends in"]) == ["min 1", "min 1", "min 1"]


def test_a_slice_that_cannot_be_drawn_is_said_on_the_page(page, monkeypatch):
    import playground.slices

    def refuse(*args, **kwargs):
        raise ValueError("The training path does not span two directions.")

    monkeypatch.setattr(playground.slices, "slice_landscape", refuse)
    at = _show(page, "slice")
    at.radio(key="ls_real_dirs").set_value("random").run()
    at.number_input(key="ls_real_seed").set_value(4242).run()
    assert not at.exception
    assert "This slice can't be drawn: The training path does not span two directions." in at.error[0].value
