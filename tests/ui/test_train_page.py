"""The Train page: its URL parameters and words (pure), then the page itself in AppTest,
in English and in Korean."""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import statistics
import time

import numpy as np
import pytest

from playground.lessons.predict.saved_model import SavedModel, load_model, save_model
from playground.training import TrainingResult, TrainingSettings
from playground.ui import state
from playground.ui.i18n import catalog
from playground.ui.pages import train_params as tp
from playground.ui.pages import train_text as tt
from playground.ui.tables import parse_markdown_table
from tests.conftest import use_course_data
from tests.course_reference import LEARNING_RATE_TABLE
from tests.helpers import chart_json, chart_specs

PAGE = "train.py"


def _speaker(lang: str):
    """``t`` for the pure functions, in one language (the page passes i18n.t)."""
    def t(key: str, **values) -> str:
        text = catalog(lang)[key]
        return text.format(**values) if values else text
    return t


EN, KO = _speaker("en"), _speaker("ko")


# ---------------------------------------------------------------- URL parameters (pure)


def test_no_parameters_means_the_defaults_and_no_notice():
    params, notices = tp.parse_query({}, EN)
    assert params == tp.DEFAULTS and notices == []
    assert params.settings() == TrainingSettings()


def test_parameters_round_trip_through_the_url():
    params = tp.TrainParams(loss="mse", learning_rate=2e-5, num_iterations=1500, init="random", seed=42,
                            log_scale=True, compare=(0.1, 0.001), every=1, data="course")
    query = tp.to_query(params)
    assert query["lr"] == "0.00002" and query["compare"] == "0.1,0.001" and query["seed"] == "42"
    assert query["data"] == "course"  # written for the sidebar to read back (tests/ui/test_sidebar.py)
    assert tp.parse_query(query, EN) == (dataclasses.replace(params, data=None), [])
    assert "seed" not in tp.to_query(tp.DEFAULTS)  # only said when it is used


def test_the_compared_rates_are_trained_to_the_first_horizon_that_reaches_the_slider():
    assert [tp.compare_horizon(n) for n in (0, 50, 1500, 2000, 2050, 5000)] == [2000] * 4 + [5000] * 2
    assert tp.compare_horizon(tp.MAX_ITERATIONS + 50) == tp.MAX_ITERATIONS + 50  # (never less than asked for)


def test_a_repeated_parameter_counts_its_last_value():
    params, _ = tp.parse_query({"lr": ["0.1", "0.01"]}, EN)
    assert params.learning_rate == 0.01


@pytest.mark.parametrize(
    ("query", "field", "said"),
    [
        ({"lr": "fast"}, "learning_rate", "`lr=fast` is not a number"),
        ({"lr": "0"}, "learning_rate", "not a positive number"),
        ({"lr": "50"}, "learning_rate", "outside the slider's range"),
        ({"lr": "nan"}, "learning_rate", "not a positive number"),
        ({"iters": "99999"}, "num_iterations", "from 0 to 5000"),
        ({"iters": "12.5"}, "num_iterations", "whole number"),
        ({"loss": "hinge"}, "loss", "cross_entropy, mse"),
        ({"init": "ones"}, "init", "zeros, random"),
        ({"seed": "-1"}, "seed", "from 0 to 9999"),
        ({"log": "maybe"}, "log_scale", "0 or 1"),
        ({"compare": "0.01,abc"}, "compare", "holds abc"),
        ({"compare": ",".join(map(str, tp.LEARNING_RATES[:4]))}, "compare", "names 4 rates, more than 3"),
        ({"every": "7"}, "every", "not one of 1, 100"),
    ],
)
def test_a_bad_value_falls_back_to_the_default_with_a_notice(query, field, said):
    params, notices = tp.parse_query(query, EN)
    assert getattr(params, field) == getattr(tp.DEFAULTS, field)
    assert len(notices) == 1 and said in notices[0] and "default" in notices[0]


def test_values_between_the_notches_snap_to_the_nearest_one_and_say_so():
    params, notices = tp.parse_query({"lr": "0.003", "iters": "1234"}, EN)
    assert params.learning_rate == 0.002 and params.num_iterations == 1250
    assert "nearest, 0.002" in notices[0] and "nearest, 1,250" in notices[1]
    params, notices = tp.parse_query({"lr": "1e-2"}, EN)
    assert params.learning_rate == 0.01 and notices == []


def test_the_dataset_in_a_link_is_the_sidebars_to_read():
    params, notices = tp.parse_query({"data": "mnist"}, EN)
    assert params.data is None and notices == []  # the sidebar explains a bad ?data= (tests/ui/test_sidebar.py)


def test_the_learning_rate_notches_read_well():
    labels = [tp.format_rate(r) for r in tp.LEARNING_RATES]
    assert labels[:3] == ["0.00001", "0.00002", "0.00005"] and "0.005" in labels and labels[-1] == "10"
    assert all("e" not in label for label in labels)
    assert np.all(np.diff(np.log10(tp.LEARNING_RATES)) > 0)


# ---------------------------------------------------------------- the words about a run (pure)


def _result(costs, final_cost, diverged_at=None, iterations=None, w=None) -> TrainingResult:
    costs = np.asarray(costs, dtype=float)
    n = len(costs) if iterations is None else iterations
    return TrainingResult(
        settings=TrainingSettings(learning_rate=1.0, num_iterations=n), w=np.zeros((3, 1)) if w is None else w,
        b=0.0, costs=costs, test_costs=costs, train_accuracies=np.zeros(len(costs)),
        test_accuracies=np.zeros(len(costs)), final_cost=final_cost, final_test_cost=final_cost,
        train_accuracy=50.0, test_accuracy=50.0, snapshot_iterations=np.array([0]),
        snapshot_w=np.zeros((1, 3), np.float32), snapshot_b=np.zeros(1), diverged_at=diverged_at,
    )


def test_a_smooth_run_needs_no_words():
    assert tt.run_message(_result([0.7, 0.6, 0.5], 0.45), EN) is None
    assert tt.outcome(_result([0.7, 0.6, 0.5], 0.45), EN) == "went downhill"


def test_a_run_that_overshot_and_came_back_is_told_honestly():
    message = tt.run_message(_result([0.69, 105.0, 40.0, 0.3], 0.2, diverged_at=1), EN)
    assert message.kind == "warning"
    assert "iteration 1" in message.text and "came back down" in message.text and "α = 0.1" in message.text
    assert "diverged" not in message.text.lower()


def test_a_run_that_diverged_says_from_when_and_why_a_smaller_rate_helps():
    message = tt.run_message(_result([0.69, 0.8, 9.0, 30.0], 25.0, diverged_at=3), EN)
    assert message.kind == "error"
    assert "diverged from iteration 3" in message.text and "smaller learning rate" in message.text
    assert "higher than it started" in message.text


def test_a_run_that_broke_says_where_it_stopped():
    message = tt.run_message(_result([0.69, 50.0, np.inf], float("nan"), diverged_at=1, iterations=10), EN)
    assert message.kind == "error"
    assert "stopped at iteration 2" in message.text and "up to that point" in message.text
    assert tt.outcome(_result([0.69, np.inf], float("nan"), diverged_at=1, iterations=10), EN).startswith("diverged, stopped")


def test_a_stalled_run_and_zero_iterations_are_explained():
    assert "did not go down" in tt.run_message(_result([0.125, 0.17, 0.17], 0.17), EN).text
    assert "nothing is learned" in tt.run_message(_result([], 0.69, iterations=0), EN).text


def test_the_zigzag_of_the_first_steps_is_pointed_out():
    assert tt.zigzag_note(_result([0.7, 0.6, 0.5, 0.4], 0.3), EN) is None
    note = tt.zigzag_note(_result([0.7, 0.75, 0.6, 0.65, 0.5, 0.4], 0.3), EN)
    assert "went **up** at 2 of the 5 steps, the last time at iteration 3" in note


def test_percentages_and_costs_read_well():
    assert tt.format_percent(99.043062) == "99.04 %" and tt.format_percent(70.0) == "70 %"
    assert tt.format_percent(float("nan")) == "–"
    assert tt.format_cost(0.135608, EN) == "0.1356" and tt.format_cost(2.7e-5, EN) == "2.7e-05"
    assert tt.format_cost(1051.0656, EN) == "1,051" and tt.format_cost(3e7, EN) == "3e+07"
    assert tt.format_cost(float("inf"), EN) == "not finite"
    assert tt.smaller_rate(10.0) == 1.0 and tt.smaller_rate(0.005) == 0.0005 and tt.smaller_rate(1e-5) == 1e-5
    assert not tt.model_is_usable(_result([0.7], 0.6, w=np.array([[np.nan], [0.0], [0.0]])))


# ---------------------------------------------------------------- the page (AppTest)


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _q(at, name: str) -> str | None:
    """The URL parameter as the page wrote it (the last value when repeated)."""
    value = at.query_params.get(name)
    return value[-1] if isinstance(value, list) else value


def _numbers(values) -> np.ndarray:
    """A figure's array as numbers: a list, or Plotly's typed array {"dtype", "bdata" (base64)}."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).astype(float)
    return np.array(values, dtype=float)


def _table(at) -> list[dict[str, str]]:
    """The page's Markdown table (the comparison) as rows of {header: cell}."""
    tables = [e.value for e in at.markdown if e.value.startswith("| ")]
    assert len(tables) == 1, tables
    header, rows = parse_markdown_table(tables[0])
    return [dict(zip(header, row)) for row in rows]


def _gallery(at) -> list[tuple[str, str]]:
    """The gallery of mistakes: (caption, URL) per picture, each served as a PNG file."""
    [gallery] = at.get("image")
    return [(img.caption, img.url) for img in gallery.proto.imgs]


def _texts(at, kind: str) -> str:
    return " ".join(e.value for e in getattr(at, kind))


def _confusion(at) -> str:
    """The confusion table's HTML (the results tab's), or "" when it is not on the page."""
    return next((e.proto.body for e in at.get("html") if "table class=\"confusion\"" in e.proto.body), "")


def _weights(at) -> str:
    """The learned weights' HTML (four pictures and a colour bar), or "" when it is not on the page."""
    return next((e.proto.body for e in at.get("html") if '<div class="weights">' in e.proto.body), "")


def test_the_page_trains_on_the_built_in_drawings_with_no_error(app_test):
    at = app_test(PAGE)
    assert "gradient descent" in at.title[0].value
    m = _metrics(at)
    assert set(m) == {"Train accuracy", "Test accuracy", "Train cost J", "Test cost"}
    assert m["Train accuracy"].endswith("%")
    assert len(at.get("plotly_chart")) == 1 and _weights(at).count("<img ") == 4  # cost, w
    assert re.search(r'<td class="right"><b>\d+</b><br>true negatives \(TN\)</td>', _confusion(at))
    gallery = _gallery(at)  # the test images it got wrong
    assert gallery and all(caption.startswith("P(cat) = ") and url.endswith(".png") for caption, url in gallery)
    assert _q(at, "lr") == "0.005" and _q(at, "iters") == "2000"
    assert _q(at, "data") == "builtin"


def test_the_course_data_with_the_courses_settings_gives_its_accuracies(app_test):
    at = use_course_data(app_test(PAGE))
    at.select_slider(key="train_lr").set_value(0.005)
    at.slider(key="train_iters").set_value(2000)
    at.radio(key="train_init").set_value("zeros").run()
    assert not at.exception
    m = _metrics(at)
    assert m["Train accuracy"] == "99.04 %" and m["Test accuracy"] == "70 %"
    assert m["Train cost J"] == "0.1356"
    assert "The 15 it got wrong" in _texts(at, "markdown")
    captions = [caption for caption, _ in _gallery(at)]
    assert len(captions) == 15 and captions[0] == "P(cat) = 1.00 · really non-cat"
    assert any(c.startswith("P(cat) = 0.48") for c in captions[1:])
    assert _q(at, "data") == "course"


def test_moving_either_slider_changes_the_curve_and_the_accuracies(app_test):
    at = use_course_data(app_test(PAGE))
    before_curve, before = chart_specs(at)[0], _metrics(at)
    at.select_slider(key="train_lr").set_value(0.0001).run()
    assert not at.exception
    after_curve, after = chart_specs(at)[0], _metrics(at)
    assert after_curve["data"][0]["y"] != before_curve["data"][0]["y"]
    assert after["Train accuracy"] != before["Train accuracy"] and after["Test accuracy"] != before["Test accuracy"]
    assert at.metric[0].delta  # the change since the previous setting is shown
    at.slider(key="train_iters").set_value(200).run()
    assert not at.exception
    assert chart_specs(at)[0]["layout"]["xaxis"]["range"] == [0, 200]
    assert _metrics(at)["Train accuracy"] != after["Train accuracy"]
    assert _q(at, "lr") == "0.0001" and _q(at, "iters") == "200"


def test_a_link_restores_the_settings(app_test):
    query = {"data": "course", "lr": "0.01", "iters": "1500", "loss": "mse", "init": "random", "seed": "7",
             "log": "1", "compare": "0.1,0.01", "every": "1"}
    at = app_test(PAGE, query=query)
    assert at.radio(key="dataset_kind").value == "course_folder"
    assert at.select_slider(key="train_lr").value == 0.01
    assert at.slider(key="train_iters").value == 1500
    assert at.radio(key="train_loss").value == "mse"
    assert at.radio(key="train_init").value == "random"
    assert at.number_input(key="train_seed").value == 7
    assert at.toggle(key="train_log").value is True and at.toggle(key="train_every").value is False
    assert chart_specs(at)[0]["layout"]["yaxis"]["type"] == "log"
    assert not at.warning or "link" not in _texts(at, "warning")
    for name, value in query.items():
        assert _q(at, name) == value


def test_a_link_to_the_course_data_alone_shows_the_courses_result(app_test):
    at = app_test(PAGE, query={"data": "course"})
    assert at.radio(key="dataset_kind").value == "course_folder"
    m = _metrics(at)
    assert m["Train accuracy"] == "99.04 %" and m["Test accuracy"] == "70 %"


def test_bad_values_in_the_link_fall_back_with_a_notice(app_test):
    at = app_test(PAGE, query={"lr": "fast", "iters": "99999", "loss": "hinge", "init": "ones"})
    notices = _texts(at, "warning")
    for said in ("`lr=fast`", "`iters=99999`", "`loss=hinge`", "`init=ones`"):
        assert said in notices
    assert at.select_slider(key="train_lr").value == 0.005 and at.slider(key="train_iters").value == 2000
    assert _q(at, "lr") == "0.005" and _q(at, "loss") is None  # corrected in the URL (defaults go unsaid)
    at.run()  # the notice is said once
    assert "`lr=fast`" not in _texts(at, "warning")


def test_a_diverging_rate_says_so_in_words(app_test):
    at = use_course_data(app_test(PAGE))
    at.select_slider(key="train_lr").set_value(10.0)
    at.slider(key="train_iters").set_value(500).run()
    assert not at.exception
    error = _texts(at, "error")
    assert "diverged from iteration 1" in error and "try α = 1" in error
    assert len(at.get("plotly_chart")) == 1 and _weights(at) and _confusion(at)  # cost, w; and the confusion table
    at.slider(key="train_iters").set_value(2000).run()
    warning = _texts(at, "warning")
    assert "steps overshot" in warning and "came back down" in warning
    at.toggle(key="train_log").set_value(True)
    at.toggle(key="train_every").set_value(False).run()
    assert not at.exception
    # Every cost of a run that came back down is positive and finite: drawn on a log axis, no gap.
    # (Read the numbers: the base64 of a typed array may spell "NaN" by chance.)
    y = _numbers(chart_specs(at)[0]["data"][0]["y"])
    assert y.size == 2001 and np.isfinite(y).all()


def test_mse_with_a_big_rate_says_why_the_cost_stalls(app_test):
    at = use_course_data(app_test(PAGE))
    at.radio(key="train_loss").set_value("mse")
    at.select_slider(key="train_lr").set_value(1.0).run()
    assert not at.exception
    assert "did not go down" in _texts(at, "warning") and "flat tails" in _texts(at, "warning")


def test_every_control_tab_and_extreme_runs_without_an_exception(app_test):
    for tab in ("Confusion & mistakes", "Replay", "Compare learning rates"):
        at = app_test(PAGE, query={"tab": tab})
        steps = [
            lambda: at.select_slider(key="train_lr").set_value(tp.LEARNING_RATES[0]),
            lambda: at.select_slider(key="train_lr").set_value(tp.LEARNING_RATES[-1]),
            lambda: at.slider(key="train_iters").set_value(0),
            lambda: at.slider(key="train_iters").set_value(100),
            lambda: at.radio(key="train_loss").set_value("mse"),
            lambda: at.radio(key="train_init").set_value("random"),
            lambda: at.number_input(key="train_seed").set_value(3),
            lambda: at.toggle(key="train_log").set_value(True),
            lambda: at.radio(key="preprocessing_choice").set_value("standardize"),
        ]
        for step in steps:
            step().run()
            assert not at.exception, (tab, at.exception)
        assert len(at.get("plotly_chart")) >= 1 and _weights(at)


def test_zero_iterations_explains_that_nothing_is_learned(app_test):
    at = app_test(PAGE)
    at.slider(key="train_iters").set_value(0).run()
    assert not at.exception
    assert "nothing is learned" in _texts(at, "info")


def test_the_replay_tab_animates_the_weights_and_the_cost(app_test):
    at = app_test(PAGE, query={"tab": "Replay"})
    replay = chart_json(at)[-1]
    assert len(replay) < 2_000_000
    spec = json.loads(replay)
    assert len(spec["frames"]) == 41 and spec["layout"]["updatemenus"][0]["buttons"][0]["label"] == "▶ Play"
    assert spec["layout"]["sliders"][0]["steps"][-1]["label"] == "2,000"


def test_the_comparison_reproduces_the_courses_learning_rate_table(app_test):
    at = app_test(PAGE, query={"tab": "Compare learning rates"})
    at.button(key="train_course_figure").click().run()  # course data, 1,500 iterations, 0.01 / 0.001 / 0.0001
    assert not at.exception
    assert at.radio(key="dataset_kind").value == "course_folder" and at.slider(key="train_iters").value == 1500
    rows = {float(r["learning rate α"]): r for r in _table(at)}
    for lr, (_, final_cost, train_acc, test_acc) in LEARNING_RATE_TABLE.items():
        assert rows[lr]["final cost J"] == f"{final_cost:.4f}"
        assert rows[lr]["train accuracy"] == tt.format_percent(train_acc)
        assert rows[lr]["test accuracy"] == tt.format_percent(test_acc)
    spec = chart_specs(at)[-1]
    assert [t["name"] for t in spec["data"]] == ["α = 0.01", "α = 0.001", "α = 0.0001"]
    assert at.toggle(key="train_every").value is True  # the course's view, the default: unsaid in the link
    assert _q(at, "every") is None and _q(at, "iters") == "1500" and _q(at, "data") == "course"


def _trained(calls, of=lambda s: s.num_iterations) -> list[tuple]:
    """(name, ``of`` each settings trained) of each training call (the training_calls fixture)."""
    return [(name, [of(s) for s in settings] if name == "train_many" else of(settings)) for name, settings, _ in calls]


def test_with_the_compare_tab_open_an_iteration_move_trains_nothing_below_a_horizon(app_test, training_calls):
    """The compared rates and the main run train once to a horizon (2,000, or 5,000 past it); a new
    iteration count below it is cut from those runs and trains nothing, also when the slider comes
    back below 2,000. The metrics, the chart and the table show what runs of that count give."""
    from playground.figures.training import cost_series
    from playground.training import train as real_train
    from playground.training import train_many as real_many

    calls = training_calls
    rates = (10.0, 0.01, 0.0001)  # 10 overshoots
    at = app_test(PAGE, query={"tab": "compare", "compare": "10,0.01,0.0001", "iters": "1850", "every": "1"})
    assert not at.exception
    # One batch: the compared rates to the first horizon (the course's 2,000), the main run's run to
    # it riding along as its first row.
    assert _trained(calls) == [("train_many", [tp.DEFAULT_ITERATIONS] * 4)]
    for n in (1550, 0, 50, tp.MAX_ITERATIONS, 2050, 2000, 1000, 3000):
        calls.clear()
        at.slider(key="train_iters").set_value(n).run()
        if n == tp.MAX_ITERATIONS:  # past 2,000: the rates once to the slider's longest, the main run with them
            assert not at.exception and _trained(calls) == [("train_many", [n] * 4)]
        else:
            assert not at.exception and _trained(calls) == []  # cut from the runs to 2,000 or 5,000
        main = real_train(calls.features, TrainingSettings(num_iterations=n), snapshot_weights=False)
        assert _metrics(at) == {
            "Train accuracy": tt.format_percent(main.train_accuracy), "Test accuracy": tt.format_percent(main.test_accuracy),
            "Train cost J": tt.format_cost(main.final_cost, EN), "Test cost": tt.format_cost(main.final_test_cost, EN)}
        runs = real_many(calls.features, [TrainingSettings(learning_rate=r, num_iterations=n) for r in rates],
                         snapshots=0)
        assert [list(row.values()) for row in _table(at)] == [
            [tp.format_rate(r.settings.learning_rate), tt.format_cost(r.final_cost, EN),
             tt.format_percent(r.train_accuracy), tt.format_percent(r.test_accuracy), tt.outcome(r, EN)]
            for r in runs]
        spec = chart_specs(at)[-1]
        traces = [t for t in spec["data"] if t.get("name", "").startswith("α")]
        assert [t["name"] for t in traces] == [f"α = {tp.format_rate(r)}" for r in rates]
        for trace, run in zip(traces, runs):
            np.testing.assert_allclose(_numbers(trace["y"]), cost_series(run.costs, run.final_cost)[1],
                                       rtol=1e-6, atol=0)  # (the figure sends float32)
    shown = _metrics(at)
    at.session_state["tab"] = "Replay"  # the tab closed: the same main run, nothing trained
    calls.clear()
    at.run()
    assert not at.exception and _trained(calls) == [] and _metrics(at) == shown
    # A new loss with the tab open (the page's heaviest move): every run new, all in one batch.
    at.session_state["tab"] = "Compare"
    at.run()
    calls.clear()
    at.radio(key="train_loss").set_value("mse").run()
    assert not at.exception and _trained(calls) == [("train_many", [tp.MAX_ITERATIONS] * 4)]
    main = real_train(calls.features, TrainingSettings(loss="mse", num_iterations=3000),
                      snapshot_weights=False)
    shown = _metrics(at)
    assert (shown["Train accuracy"], shown["Test accuracy"], shown["Train cost J"]) == (
        tt.format_percent(main.train_accuracy), tt.format_percent(main.test_accuracy),
        tt.format_cost(main.final_cost, EN))


def test_the_trained_model_is_handed_to_predict_and_downloadable(app_test):
    at = use_course_data(app_test(PAGE))
    model = at.session_state[state.MODEL]
    info = at.session_state[state.MODEL_INFO]
    assert isinstance(model, SavedModel) and model.w.shape == (12288, 1)
    assert set(info) >= {"dataset", "settings", "train_accuracy", "test_accuracy"}
    assert info["settings"]["learning_rate"] == 0.005 and round(info["test_accuracy"], 6) == 70.0
    from playground.data.course import load_course_folder
    from tests.conftest import COURSE_DIR

    ds = load_course_folder(COURSE_DIR)
    assert np.mean((model.predict_proba(ds.test_x) > 0.5) == (ds.test_y == 1)) == 0.70
    loaded = load_model(save_model(model))  # what the download button writes when clicked
    np.testing.assert_allclose(loaded.w, model.w)
    assert loaded.image_shape == (64, 64, 3) and loaded.settings["num_iterations"] == 2000
    assert at.get("download_button")
    at.run()
    assert at.session_state[state.MODEL] is model  # unchanged settings: not stored again
    at.select_slider(key="train_lr").set_value(0.01).run()
    assert at.session_state[state.MODEL] is not model
    assert at.session_state[state.MODEL_INFO]["settings"]["learning_rate"] == 0.01


def test_two_visitors_never_see_each_others_model(app_test):
    first = app_test(PAGE)
    second = app_test(PAGE)
    first.select_slider(key="train_lr").set_value(0.1).run()
    assert first.session_state[state.MODEL_INFO]["settings"]["learning_rate"] == 0.1
    assert second.session_state[state.MODEL_INFO]["settings"]["learning_rate"] == 0.005
    assert not np.allclose(first.session_state[state.MODEL].w, second.session_state[state.MODEL].w)


def test_the_settings_survive_a_visit_to_another_page(app_test):
    at = app_test(PAGE)
    at.select_slider(key="train_lr").set_value(0.02)
    at.slider(key="train_iters").set_value(700).run()
    at.switch_page("playground/ui/pages/data.py").run()
    assert not at.exception
    at.switch_page("playground/ui/pages/train.py").run()
    assert not at.exception
    assert at.select_slider(key="train_lr").value == 0.02 and at.slider(key="train_iters").value == 700


def test_a_rerun_after_a_slider_move_is_quick(app_test):
    """Server-side time of a rerun on the course data (the closing note reports the measured figures)."""
    at = use_course_data(app_test(PAGE))
    for lr in (0.01, 0.005):  # warm the cache for both settings
        at.select_slider(key="train_lr").set_value(lr).run()
    warm = []
    for _ in range(6):
        for lr in (0.01, 0.005):
            t = time.perf_counter()
            at.select_slider(key="train_lr").set_value(lr).run()
            warm.append(time.perf_counter() - t)
    cold = []
    for lr in (0.002, 0.02, 0.0005):
        t = time.perf_counter()
        at.select_slider(key="train_lr").set_value(lr).run()
        cold.append(time.perf_counter() - t)
    assert not at.exception
    print(f"\nrerun after a slider move: warm median {statistics.median(warm):.3f} s, "
          f"new setting median {statistics.median(cold):.3f} s")
    # Generous bounds: a shared CI machine is noisier than the 0.15 s measured on a quiet one.
    assert statistics.median(warm) < 0.5 and statistics.median(cold) < 1.5


def test_presenter_mode_enlarges_the_figures_and_hide_keeps_the_links_values(app_test):
    at = app_test(PAGE, query={"present": "1", "data": "course", "lr": "0.01", "hide": "lr,iterations"})
    assert chart_specs(at)[0]["layout"]["height"] == round(440 * 1.35)
    assert not [s for s in at.select_slider if s.key == "train_lr"] and not [s for s in at.slider if s.key == "train_iters"]
    assert _metrics(at)["Train accuracy"] == "99.52 %"  # α = 0.01 from the link, 2,000 iterations by default
    at.radio(key="train_loss").set_value("mse").run()
    assert not at.exception and _q(at, "lr") == "0.01"


def test_hidden_controls_leave_no_empty_column_and_presenting_lays_the_radios_out_in_a_row(app_test):
    at = app_test(PAGE, query={"present": "1", "data": "course"})
    assert at.radio(key="train_loss").proto.horizontal and at.radio(key="train_init").proto.horizontal
    columns_all = len(at.columns)
    at = app_test(PAGE, query={"present": "1", "data": "course", "hide": "loss,init"})
    assert not [r for r in at.radio if r.key in ("train_loss", "train_init")]
    assert len(at.columns) == columns_all - 2  # the radios' row is gone, not left empty
    assert at.toggle(key="train_every").value is True and at.toggle(key="train_log").value is False
    at = app_test(PAGE, query={"data": "course", "hide": "lr,iterations,loss,init,log,every", "log": "1", "every": "1"})
    assert not [w for w in (*at.toggle, *at.slider, *at.select_slider) if w.key.startswith("train_")]
    cost = chart_specs(at)[0]
    assert cost["layout"]["yaxis"]["type"] == "log" and _numbers(cost["data"][0]["x"]).size == 2001  # the link's values


# ---------------------------------------------------------------- what the cost chart shows by default


def test_the_cost_chart_shows_the_courses_view_by_default_and_every_iteration_on_demand(app_test):
    at = app_test(PAGE, query={"data": "course"})
    assert _metrics(at)["Train accuracy"] == "99.04 %" and _metrics(at)["Test accuracy"] == "70 %"
    assert at.toggle(key="train_every").value is True
    train, test = chart_specs(at)[0]["data"]
    assert _numbers(train["x"]).tolist() == list(range(0, 2001, 100))  # the course's costs, then the end
    assert _numbers(test["x"]).tolist() == list(range(0, 2001, 100))
    # The course's own numbers at iterations 0, 100, …: 0.693147, 0.584508, 0.466949 …
    np.testing.assert_allclose(_numbers(train["y"])[:3], [0.693147, 0.584508, 0.466949], atol=1e-5)
    assert _numbers(test["y"]).max() < 0.8  # the test zigzag (1.73 at iteration 5) is not drawn
    assert train["zorder"] > test.get("zorder", 0)  # the train curve over the test curve
    captions = _texts(at, "caption")
    assert "switch off **Cost every 100 iterations**" in captions
    assert "The **test** cost zigzags harder (up to 1.7268 at iteration 5)" in captions
    assert "The test cost is lowest at iteration 150 (0.5012), then rises to 0.7504" in captions
    at.toggle(key="train_every").set_value(False).run()
    assert not at.exception and _q(at, "every") == "1"
    train, test = chart_specs(at)[0]["data"]
    assert _numbers(train["x"]).size == 2001 and _numbers(test["y"]).max() > 1.7
    assert "(the switch above)" in _texts(at, "caption")
    assert _metrics(at)["Train accuracy"] == "99.04 %"  # the view changes, not the run


def test_in_korean_the_test_costs_behaviour_is_explained_in_korean(app_test):
    at = app_test(PAGE, query={"data": "course", "lang": "ko"})
    captions = _texts(at, "caption")
    assert "**테스트** 비용은 더 크게 지그재그합니다(5번째 반복에서 최대 1.7268)" in captions
    assert "테스트 비용은 150번째 반복에서 가장 낮았다가(0.5012) 그 뒤 0.7504까지 올라갑니다" in captions
    assert "**비용을 100번마다**를 끄세요" in captions
    assert at.toggle(key="train_every").label == "비용을 100번마다"


def test_the_log_axis_labels_its_ticks_with_their_full_values(app_test):
    at = app_test(PAGE, query={"data": "course", "log": "1", "every": "1", "tab": "compare"})
    for spec, axis in ((chart_specs(at)[0], "yaxis"), (chart_specs(at)[-1], "yaxis")):
        y_axis = spec["layout"][axis]
        assert y_axis["type"] == "log" and y_axis["tickmode"] == "array"
        values, labels = y_axis["tickvals"], y_axis["ticktext"]
        assert len(values) >= 3
        # Each label is its value written out: 0.2 reads "0.2", never Plotly's bare "2".
        assert [float(label.replace(",", "")) for label in labels] == values
    main = chart_specs(at)[0]["layout"]["yaxis"]
    assert main["ticktext"] == ["0.2", "0.3", "0.5", "1"]  # costs 0.14 … 1.73 at α = 0.005
    at.session_state["tab"] = "replay"
    at.run()
    replay = chart_specs(at)[-1]["layout"]["yaxis2"]
    assert replay["type"] == "log" and replay["ticktext"] == ["0.2", "0.3", "0.5", "1"]


# ---------------------------------------------------------------- the change arrows


def _deltas(at) -> dict[str, str]:
    """Each metric's change arrow ("" when it has none)."""
    return {m.label: m.delta for m in at.metric}


def test_the_change_arrows_compare_like_with_like(app_test):
    at = use_course_data(app_test(PAGE))
    at.select_slider(key="train_lr").set_value(0.01).run()
    deltas = _deltas(at)  # same data, same loss: every number that changed has its change
    assert deltas["Train accuracy"] and deltas["Train cost J"] and deltas["Test cost"]
    at.radio(key="train_loss").set_value("mse").run()
    assert not at.exception
    deltas = _deltas(at)
    # An MSE cost is not compared with a cross-entropy cost; the accuracies (the same test) are.
    assert not deltas["Train cost J"] and not deltas["Test cost"]
    assert deltas["Train accuracy"] and deltas["Test accuracy"]
    at.select_slider(key="train_lr").set_value(0.005).run()
    assert _deltas(at)["Train cost J"]  # MSE beside MSE again
    at.radio(key="dataset_kind").set_value("builtin").run()
    assert not at.exception and not any(_deltas(at).values())  # other images: nothing to compare


# ---------------------------------------------------------------- the Compare tab's rates


def test_the_compare_tab_offers_every_rate_of_the_slider_and_keeps_the_latest_three(app_test):
    at = app_test(PAGE, query={"tab": "compare"})
    pills = at.button_group(key="train_compare")
    assert pills.options == [tp.format_rate(r) for r in tp.LEARNING_RATES]  # up to the slider's 10
    assert pills.value == [0.01, 0.001, 0.0001]
    pills.set_value([0.01, 0.001, 0.0001, 10.0]).run()  # a fourth pick
    assert not at.exception
    assert at.button_group(key="train_compare").value == [0.001, 0.0001, 10.0]  # the oldest dropped
    assert _q(at, "compare") == "0.001,0.0001,10"
    assert [row["learning rate α"] for row in _table(at)] == ["10", "0.001", "0.0001"]
    assert "Up to 3: a further pick drops the oldest" in pills.help


def test_your_own_images_train_too_and_stay_out_of_the_link(app_test):
    from tests.data.test_folder import _class_zip

    at = app_test(PAGE, query={"tab": "Replay"})
    at.radio(key="dataset_kind").set_value("zip").run()
    at.file_uploader(key="upload_zip").set_value(("pets.zip", _class_zip(), "application/zip")).run()
    at.selectbox(key="zip_positive").set_value("cats").run()
    assert not at.exception
    assert _metrics(at)["Train accuracy"] == "100 %"  # orange cats, blue dogs
    assert _q(at, "data") is None and "cannot travel in a link" in _texts(at, "caption")
    assert at.session_state[state.MODEL].classes == ("dogs", "cats")
    assert len(chart_specs(at)[-1]["frames"]) == 41


# ---------------------------------------------------------------- in Korean (and the tab ids)

KO_TITLE = "학습: 경사 하강법을 실시간으로"


def _all_text(at) -> str:
    """Everything the page sent (labels, help, Markdown, figures' JSON) as one string: every block
    and element of the main area and of the sidebar (iterating a block walks all below it), and what
    Streamlit puts in neither, toasts and style-only HTML (reached by type: some HTML counts twice)."""
    from google.protobuf import text_format

    nodes = (*at.main, *at.sidebar, *at.toast, *at.html)
    return "\n".join(text_format.MessageToString(node.proto, as_utf8=True)
                     for node in nodes if getattr(node, "proto", None) is not None)


def _english_fragments() -> list[str]:
    """The Train page's English wording that has a Korean counterpart: each text's pieces between
    format fields, those of two words or more (single words such as "Loss" may occur elsewhere)."""
    import string

    en, ko = catalog("en"), catalog("ko")
    pieces = set()
    for key, text in en.items():
        if key.startswith("train.") and text != ko[key]:
            for literal, *_ in string.Formatter().parse(text):
                literal = literal.strip(" .,:;()·…")
                if " " in literal and any(c.isalpha() for c in literal) and literal not in ko[key]:
                    pieces.add(literal)
    return sorted(pieces)


def test_the_page_in_korean_speaks_korean(app_test):
    at = app_test(PAGE, query={"lang": "ko"})
    assert at.title[0].value == KO_TITLE
    assert set(_metrics(at)) == {"훈련 정확도", "테스트 정확도", "훈련 비용 J", "테스트 비용"}
    assert at.select_slider(key="train_lr").label == "학습률" and at.slider(key="train_iters").label == "반복 횟수"
    assert [tab.label for tab in at.tabs] == ["혼동 행렬과 오답", "학습 다시 보기", "학습률 비교"]
    assert at.radio(key="train_loss").options == ["교차 엔트로피", "평균 제곱 오차"]
    cost = chart_specs(at)[0]
    assert cost["layout"]["title"]["text"] == "반복에 따른 비용" and cost["data"][0]["name"] == "훈련 비용"
    assert _q(at, "lr") == "0.005" and _q(at, "tab") is None  # the URL's words stay the same


def test_no_english_wording_is_left_on_the_korean_page(app_test):
    fragments = _english_fragments()
    assert "gradient descent" in " ".join(fragments)  # the check looks at the page's real wording
    at = use_course_data(app_test(PAGE, query={"lang": "ko", "lr": "10", "iters": "500"}))
    assert not at.exception
    for tab in ("replay", "compare"):
        seen = _all_text(at)
        left = [f for f in fragments if f in seen]
        assert not left, (tab, left)
        at.session_state["tab"] = tab
        at.run()
        assert not at.exception
    left = [f for f in fragments if f in _all_text(at)]
    assert not left, ("compare", left)


def test_a_slider_move_in_korean_reruns(app_test):
    at = use_course_data(app_test(PAGE, query={"lang": "ko"}))
    before = _metrics(at)["훈련 정확도"]
    at.select_slider(key="train_lr").set_value(0.01).run()
    assert not at.exception
    assert _metrics(at)["훈련 정확도"] == "99.52 %" != before
    at.slider(key="train_iters").set_value(1000).run()
    at.radio(key="train_loss").set_value("mse").run()
    at.radio(key="train_init").set_value("random").run()
    assert not at.exception and at.title[0].value == KO_TITLE
    assert _q(at, "lr") == "0.01" and _q(at, "iters") == "1000" and _q(at, "loss") == "mse"


def test_a_diverging_rate_in_korean_says_so_in_korean(app_test):
    at = use_course_data(app_test(PAGE, query={"lang": "ko"}))
    at.select_slider(key="train_lr").set_value(10.0)
    at.slider(key="train_iters").set_value(500).run()
    assert not at.exception
    error = _texts(at, "error")
    assert "학습이 1번째 반복부터 발산했습니다" in error and "α = 1로 해 보세요" in error
    assert "diverged" not in error
    annotations = " ".join(a["text"] for a in chart_specs(at)[0]["layout"]["annotations"])
    assert "시작값의 10배를 넘음" in annotations
    at.slider(key="train_iters").set_value(2000).run()
    assert "걸음이 바닥을 지나쳤습니다" in _texts(at, "warning")


def test_bad_values_in_a_korean_link_are_explained_in_korean(app_test):
    at = app_test(PAGE, query={"lang": "ko", "lr": "fast", "iters": "1234", "log": "maybe"})
    notices = _texts(at, "warning")
    assert "링크의 `lr=fast` 값은 숫자가 아닙니다. 기본값(0.005)을 씁니다." in notices
    assert "가장 가까운 값(1,250)을 씁니다" in notices and "기본값(0, 선형 축)을 씁니다" in notices
    params, notices = tp.parse_query({"compare": "0.01,abc"}, KO)
    assert params == tp.DEFAULTS and "슬라이더에 없는 학습률(abc)" in notices[0]


def test_the_words_about_a_run_in_korean():
    assert tt.outcome(_result([0.7, 0.6, 0.5], 0.45), KO) == "꾸준히 내려감"
    assert tt.outcome(_result([0.69, np.inf], float("nan"), diverged_at=1, iterations=10), KO) == "발산, 1번째 반복에서 멈춤"
    assert tt.format_cost(float("nan"), KO) == "유한하지 않음"
    assert "반복 0번" in tt.run_message(_result([], 0.69, iterations=0), KO).text
    note = tt.zigzag_note(_result([0.7, 0.75, 0.6, 0.65, 0.5, 0.4], 0.3), KO)
    assert "5걸음 중 2걸음에서 **올라갔습니다**" in note and "3번째 반복" in note


@pytest.mark.parametrize(("asked", "tab"), [
    ("replay", "replay"), ("Replay", "replay"), ("compare", "compare"), ("Compare learning rates", "compare"),
    ("Confusion & mistakes", "results"), ("results", "results"), ("학습률 비교", "compare"), ("nonsense", "results"),
])
def test_tab_links_name_a_tab_by_id_and_older_english_labels_still_work(app_test, asked, tab):
    at = app_test(PAGE, query={"lang": "ko", "tab": asked})
    assert not at.exception
    charts = {"results": None, "replay": "train_replay", "compare": "train_compare_chart"}
    keys = json.dumps([c.proto.id for c in at.get("plotly_chart")])
    assert charts[tab] in keys if charts[tab] else "참 음성 (TN)" in _confusion(at)
    assert _q(at, "tab") == (None if tab == "results" else tab)  # an id, never a (translated) label


def test_the_open_tab_survives_a_change_of_language_and_the_url_keeps_its_id(app_test):
    at = app_test(PAGE, query={"tab": "Replay"})
    assert _q(at, "tab") == "replay" and at.session_state["tab"] == "Replay"
    at.radio(key="lang_choice").set_value("ko").run()
    assert not at.exception and at.title[0].value == KO_TITLE
    assert at.session_state["tab"] == "학습 다시 보기" and _q(at, "tab") == "replay"
    replay = chart_specs(at)[-1]
    assert replay["layout"]["updatemenus"][0]["buttons"][0]["label"] == "▶ 재생"
    at.session_state["tab"] = "학습률 비교"  # the visitor clicks another tab
    at.run()
    assert not at.exception and _q(at, "tab") == "compare"
    assert list(_table(at)[0]) == ["학습률 α", "최종 비용 J", "훈련 정확도", "테스트 정확도", "어떻게 되었나"]
    at.radio(key="lang_choice").set_value("en").run()
    assert at.session_state["tab"] == "Compare learning rates" and _q(at, "tab") == "compare"


def test_past_the_courses_horizon_the_main_run_trains_alone(app_test, training_calls):
    """Up to 2,000 iterations the rate's neighbours ride along with a new main run (the slider's next
    moves are cuts); at the long horizon a new start trains the main run alone, as a lone row is
    recorded in a quarter of a batch of four's work."""
    at = app_test(PAGE, query={"init": "random", "iters": "3000"})
    assert _trained(training_calls, of=lambda s: (s.learning_rate, s.num_iterations)) == [
        ("train", (tp.DEFAULTS.learning_rate, tp.MAX_ITERATIONS))]
    training_calls.clear()
    at.number_input(key="train_seed").set_value(5).run()
    assert not at.exception and _trained(training_calls, of=lambda s: (s.seed, s.num_iterations)) == [
        ("train", (5, tp.MAX_ITERATIONS))]


def test_opening_the_compare_tab_trains_only_the_compared_rates(app_test, training_calls):
    """The main run is cached already (the Results tab trained it): the batch is the compared rates
    alone, and the page shows the same main run."""
    calls = training_calls
    at = app_test(PAGE, query={"seed": "7", "init": "random", "iters": "650", "compare": "0.02,0.0002"})
    # The main run to its horizon (cut to 650), the slider's neighbours of its rate riding along.
    i = tp.LEARNING_RATES.index(tp.DEFAULTS.learning_rate)
    assert _trained(calls, of=lambda s: (s.learning_rate, s.num_iterations)) == [
        ("train_many", [(tp.LEARNING_RATES[j], tp.DEFAULT_ITERATIONS) for j in (i, i + 1, i - 1, i + 2)])]
    shown = _metrics(at)
    calls.clear()
    at.session_state["tab"] = "Compare"
    at.run()
    assert not at.exception and _trained(calls, of=lambda s: (s.learning_rate, s.num_iterations)) == [
        ("train_many", [(0.02, 2000), (0.0002, 2000)])]
    assert _metrics(at) == shown
    assert [list(row.values())[0] for row in _table(at)] == ["0.02", "0.0002"]
