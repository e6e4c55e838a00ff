"""The Computational graph page in AppTest: the graph, its step-through, one real image, gradient checking."""

import re

import numpy as np

from playground.lessons.predict.saved_model import model_from_training
from playground.ui import state
from playground.ui.tables import parse_markdown_table
from tests.conftest import use_course_data
from tests.helpers import chart_specs


def _texts(at) -> str:
    """The graph's words and values (the first chart's annotations), as one string."""
    return " ".join(a.get("text") or "" for a in chart_specs(at)[0]["layout"]["annotations"])


def _metric(at, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def _dw_pictures(at) -> str:
    """The HTML of the picture and its two gradients, or "" when it is not on the page."""
    return next((e.proto.body for e in at.get("html") if '<div class="dw-panels">' in e.proto.body), "")


def test_graph_page_shows_values_gradients_and_a_passing_check(app_test):
    at = app_test("graph.py", query={"step": "8"})
    assert "computational graph" in at.title[0].value
    texts = _texts(at)
    for piece in ("0.525", "0.6444", "<b>da = −1.905</b>", "<b>dz = −0.475</b>", "<b>dw₂ = −0.95</b>"):
        assert piece in texts
    # The diagram twice (wide and tall: the browser shows the one that fits) and the ε curve; the
    # gradient's three pictures are HTML.
    assert len(at.get("plotly_chart")) == 3 and _dw_pictures(at).count("<img ") == 3
    wide, tall = chart_specs(at)[:2]
    assert wide["layout"]["width"] > tall["layout"]["width"]
    assert "backward, dL/d(·)" in wide["layout"]["annotations"][-1]["text"]  # the legend, under the graph
    assert float(_metric(at, "relative error")) < 1e-7
    assert "agrees with the definition" in at.success[0].value
    assert _metric(at, "numerically: this sample") == "42"
    assert _metric(at, "numerically: all") == "24,578"
    assert "the course's settings" in at.caption[0].value or any("the course's settings" in c.value for c in at.caption)


def test_gradient_check_table_and_notation_are_plain_text(app_test):
    # The table is Markdown (no st.dataframe, so no pandas and no data-grid bundle), the
    # notation's loop st.text (no st.code and its syntax highlighter).
    at = app_test("graph.py")
    assert not at.dataframe and not at.code and not at.table
    source = next(m.value for m in at.markdown if m.value.startswith("| coordinate |"))
    assert source.splitlines()[1] == "| :-- | --: | --: | --: |"
    header, rows = parse_markdown_table(source)
    assert header == ["coordinate", "numerical g_num", "backward pass g", "|g_num − g|"]
    assert len(rows) == 20 + 1 and rows[-1][0] == "b"
    for row in rows:
        # Minus signs are typographic (U+2212), as elsewhere on the page.
        name, numeric, analytic, diff = (cell.replace("−", "-") for cell in row)
        assert name == "b" or (name.startswith("w[") and name.endswith("]"))
        # 7 significant digits each; a passing check agrees to them (±1 in the last one).
        assert len(numeric.split("e")[0].lstrip("-")) == len("1.234567")
        assert abs(float(numeric) - float(analytic)) <= 2e-6 * abs(float(numeric))
        assert float(diff) < 1e-8
    notation = " ".join(x.value for x in at.text)
    assert "for i = 1 … m:" in notation and "    dw  += x⁽ⁱ⁾ dz⁽ⁱ⁾" in notation


def test_no_latex_until_the_maximum_likelihood_derivation_is_opened(app_test):
    # Every st.latex makes a first visit fetch and run KaTeX: the chain rule's formulas are plain text,
    # and the derivation's LaTeX is computed only while its expander is open.
    at = app_test("graph.py")
    assert len(at.latex) == 0
    formulas = " ".join(m.value for m in at.markdown)
    assert "z = w₁x₁ + w₂x₂ + b\u2003\u2003a = σ(z) = 1 / (1 + e⁻ᶻ)" in formulas
    assert "da = ∂L/∂a = −y/a + (1 − y)/(1 − a)  \ndz = ∂L/∂z = ∂L/∂a · a(1 − a) = a − y" in formulas
    [why] = [e for e in at.expander if e.label.startswith("Why this cost?")]
    assert len(why.children) == 0  # closed: nothing computed in it
    at.session_state["graph_why"] = True  # (the expander opened: on_change="rerun")
    at.run()
    assert not at.exception
    [why] = [e for e in at.expander if e.label.startswith("Why this cost?")]
    latex = " ".join(l.value for l in why.latex)
    assert len(at.latex) == len(why.latex) == 6
    assert r"\max_{w, b}\ \log P(\text{labels}) \iff \min_{w, b}\ J(w, b)" in latex


def _step_text(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("Step "))


def test_a_link_opens_the_step_through_at_step_zero(app_test):
    # A teacher's link starts the class at the beginning: only the inputs are known.
    at = app_test("graph.py")
    assert at.session_state["graph_step"] == 0
    assert _step_text(at).startswith("Step 0 of 8")
    assert "0.525" not in _texts(at) and "dz =" not in _texts(at) and "<b>w₁</b>" in _texts(at)
    assert at.button(key="graph_previous").disabled and at.button(key="graph_reset").disabled
    assert not at.button(key="graph_next").disabled


def test_a_step_link_opens_at_that_step(app_test):
    at = app_test("graph.py", query={"step": "5"})
    assert _step_text(at).startswith("Step 5 of 8 — backward") and "dz = " in _step_text(at)
    assert "<b>dz = −0.475</b>" in _texts(at) and "dw₁ =" not in _texts(at)
    at = app_test("graph.py", query={"step": "soon"})
    assert at.session_state["graph_step"] == 0
    assert "`soon`" in at.warning[0].value and "0 to 8" in at.warning[0].value


def test_next_and_previous_step_both_ways(app_test):
    at = app_test("graph.py")
    for k in range(3):
        at.button(key="graph_next").click().run()
        assert not at.exception
    assert _step_text(at).startswith("Step 3 of 8 — forward") and "L = " in _step_text(at)
    assert "0.6444" in _texts(at) and "da =" not in _texts(at)
    # Next carries on into the backward pass …
    at.button(key="graph_next").click().run()
    assert _step_text(at).startswith("Step 4 of 8 — backward")
    assert "<b>da = −1.905</b>" in _texts(at) and "dz =" not in _texts(at)
    # … and Previous takes steps back, the backward pass first, then the forward one.
    at.button(key="graph_previous").click().run()
    assert _step_text(at).startswith("Step 3 of 8 — forward") and "da =" not in _texts(at)
    at.button(key="graph_previous").click().run()
    assert _step_text(at).startswith("Step 2 of 8 — forward") and "0.6444" not in _texts(at)
    at.button(key="graph_show_all").click().run()
    assert "<b>db = −0.475</b>" in _texts(at)
    assert at.session_state["graph_step"] == 8 and at.button(key="graph_next").disabled
    at.button(key="graph_reset").click().run()
    assert at.session_state["graph_step"] == 0


def test_an_input_out_of_range_is_clamped_and_said(app_test):
    at = app_test("graph.py", query={"step": "8"})
    at.number_input(key="graph_b").set_value(100.0).run()
    assert not at.exception
    assert at.number_input(key="graph_b").value == 10.0
    [warning] = [w.value for w in at.warning]
    assert "b = 100" in warning and "−10 to 10" in warning and "b = 10" in warning
    assert "<b>b</b> = <span style='color:#111827'>10</span>" in _texts(at)
    at.button(key="graph_previous").click().run()  # said once, not on every rerun after
    assert not at.warning


def test_mse_changes_the_backward_formulas_and_the_toggle_adds_x0(app_test):
    at = app_test("graph.py", query={"step": "8"})
    at.radio(key="graph_loss").set_value("mse").run()
    assert not at.exception
    texts = _texts(at)
    assert "<b>da = −0.475</b>" in texts and "= a − y" in texts and "<b>dz = −0.1185</b>" in texts
    formulas = " ".join(m.value for m in at.markdown)
    assert "dz = ∂L/∂z = ∂L/∂a · a(1 − a) = (a − y) a(1 − a)" in formulas and "L(a, y) = ½(a − y)²" in formulas
    assert "da = ∂L/∂a = a − y" in formulas and "−y/a" not in formulas
    at.toggle(key="graph_x0").set_value(True).run()
    assert not at.exception
    texts = _texts(at)
    assert "<b>x₀</b>" in texts and "<b>dw₀ = −0.1185</b>" in texts and "<b>db" not in texts
    at.number_input(key="graph_w1").set_value(2.0).run()
    assert "<b>z</b> = <span style='color:#111827'>1.6</span>" in _texts(at)


def test_planted_bugs_are_caught(app_test):
    at = app_test("graph.py")
    for bug in ("sign", "no_mean"):
        at.radio(key="graph_bug").set_value(bug).run()
        assert not at.exception
        assert float(_metric(at, "relative error")) > 1e-5
        assert "backward pass is wrong" in at.error[0].value


def test_a_bad_epsilon_is_blamed_not_the_backward_pass(app_test):
    # With no bug, ε = 1e-10 is mostly rounding and ε = 1e-1 mostly truncation: the verdict says so,
    # and points to the ε where the same backward pass passes.
    at = app_test("graph.py")
    at.select_slider(key="graph_epsilon").set_value(1e-10).run()
    assert not at.exception
    assert float(_metric(at, "relative error")) > 1e-5
    assert not at.error and not at.success
    [verdict] = [w.value for w in at.warning]
    assert "**rounding error**, not a bug" in verdict and "too small" in verdict and "wrong" not in verdict
    at.select_slider(key="graph_epsilon").set_value(1e-1).run()
    [verdict] = [w.value for w in at.warning]
    assert "**truncation error**, not a bug" in verdict and "too large" in verdict
    # A real bug stays a bug at every ε, tiny or not.
    at.radio(key="graph_bug").set_value("sign").run()
    assert "the backward pass is wrong" in at.error[0].value and "bug" in at.error[0].value


def test_the_visitors_model_is_used_when_it_fits(app_test):
    at = app_test("graph.py")
    F_n_x = 64 * 64 * 3
    rng = np.random.default_rng(0)
    class _Scale:  # the preprocessing of divide_255: mean 0, scale 1
        mean = np.zeros((F_n_x, 1))
        scale = np.ones((F_n_x, 1))
        image_shape = (64, 64, 3)

    at.session_state[state.MODEL] = model_from_training(rng.standard_normal(F_n_x) * 1e-3, 0.1, _Scale, ("non-cat", "cat"), {})
    at.run()
    assert not at.exception
    assert any("is **yours**" in c.value for c in at.caption)
    assert float(_metric(at, "relative error")) < 1e-7


def test_a_model_of_another_size_falls_back_to_the_course_run(app_test):
    at = app_test("graph.py")

    class _Small:
        mean = np.zeros((12, 1))
        scale = np.ones((12, 1))
        image_shape = (2, 2, 3)

    at.session_state[state.MODEL] = model_from_training(np.zeros(12), 0.0, _Small, ("a", "b"), {})
    at.run()
    assert not at.exception
    assert any("has 12 features, this dataset 12288" in c.value for c in at.caption)


def test_course_data_reproduces_the_course_cost(app_test):
    at = use_course_data(app_test("graph.py"))
    assert not at.exception
    # The course's model after 2,000 iterations: cost 0.135608 on the 209 training images.
    assert _metric(at, "cost J over all m = 209") == "0.1356"
    assert float(_metric(at, "relative error")) < 1e-7
    at.slider(key="graph_image").set_value(25).run()
    at.radio(key="graph_params").set_value("zeros").run()
    assert not at.exception
    assert _metric(at, "a⁽²⁵⁾") == "0.5" and _metric(at, "cost J") == "0.6931"
    # The example's number is a superscript wherever it is written, as in the course: x⁽²⁵⁾, not x⁽25⁾.
    text = " ".join(m.value for m in at.markdown)
    assert "dw⁽²⁵⁾ = x⁽²⁵⁾ · dz⁽²⁵⁾" in text and "⁽25⁾" not in text
    assert all("⁽25⁾" not in m.label for m in at.metric)
    titles = " ".join(re.findall(r"<figcaption>([^<]+)</figcaption>", _dw_pictures(at)))
    assert "x⁽²⁵⁾: the picture" in titles and "dw⁽²⁵⁾ = x⁽²⁵⁾ dz⁽²⁵⁾" in titles and "⁽25⁾" not in titles


def test_a_saturated_sigmoid_is_explained_not_broken(app_test):
    # z = 10·10 + … : a rounds to exactly 1, so for y = 0 da = 1/(1 − a) is ∞; dz stays 1.
    at = app_test("graph.py", query={"step": "8"})
    at.number_input(key="graph_x1").set_value(10.0).run()
    at.number_input(key="graph_w1").set_value(10.0).run()
    at.radio(key="graph_y").set_value(0).run()
    assert not at.exception
    assert "∞ · 0" in at.warning[0].value
    texts = _texts(at)
    assert "<b>da = ∞</b>" in texts and "<b>dz = 1</b>" in texts and "<b>dw₁ = 10</b>" in texts


def test_presenter_link_hides_the_chosen_controls(app_test):
    at = app_test(page="graph.py", query={"hide": "loss,inputs,fold", "present": "1"})
    keys = {w.key for w in at.radio} | {w.key for w in at.number_input} | {w.key for w in at.toggle}
    assert not {"graph_loss", "graph_x1", "graph_y", "graph_x0"} & keys
    assert "graph_params" in keys  # the rest of the page is still there
    assert not at.exception


def test_a_rerun_that_changes_no_diagram_input_draws_no_diagram(app_test, monkeypatch):
    import playground.figures.graph as figures

    at = app_test("graph.py")
    drawn = []
    real = figures.computational_graph_figure
    monkeypatch.setattr(figures, "computational_graph_figure", lambda *a, **k: drawn.append(k) or real(*a, **k))
    at.number_input(key="graph_x1").set_value(1.23).run()  # inputs no other test draws: not cached yet
    drawn.clear()
    at.select_slider(key="graph_epsilon").set_value(1e-4).run()
    assert not at.exception and drawn == []  # the gradient check's ε is not an input of the diagram
    at.button(key="graph_next").click().run()
    assert not at.exception and len(drawn) == 2  # a new step: both layouts, once each
