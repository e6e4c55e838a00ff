"""Presenter mode and the page-wide style (playground/ui/presenter.py), in AppTest: the CSS every
page gets and the shared chart helper's toolbar. (What the CSS does is checked in Chromium:
tests/browser/test_phone_train.py and tests/browser/test_train_page.py.)"""

from __future__ import annotations

import json

from playground.ui import presenter


def _style(at) -> str:
    """The page-wide <style> apply_style sent (an st.html of style only)."""
    styles = [e.proto.body for e in at.get("html") if e.proto.body.startswith("<style>")]
    assert len(styles) == 1, styles
    return styles[0]


def test_every_page_lets_a_swipe_over_a_slider_scroll_and_hides_the_toolbar_on_touch(app_test):
    css = _style(app_test())
    touch = css[css.index("@media (pointer: coarse)"):]
    assert "touch-action: pan-y !important" in touch and "pointer-events: none" in touch
    assert "@media (hover: none) { .stPlotlyChart .modebar-container { display: none !important; } }" in css
    assert "keep-all" not in css and "font-size" not in css  # English, not presenting


def test_korean_text_breaks_between_words_only(app_test):
    css = _style(app_test(query={"lang": "ko"}))
    # !important: Streamlit's own text style says word-break: break-word, which splits 아/님.
    assert ".stApp, .stApp * { word-break: keep-all !important; }" in css


def test_presenting_enlarges_the_text_and_lets_the_page_names_wrap(app_test):
    css = _style(app_test(query={"present": "1"}))
    assert f"html {{ font-size: {16 * presenter.SCALE:.0f}px; }}" in css
    assert '[data-testid="stSidebarNavLink"] span { white-space: normal !important;' in css


def test_the_shared_chart_helper_shows_the_short_toolbar():
    from streamlit.testing.v1 import AppTest

    def page():
        import plotly.graph_objects as go

        from playground.ui import presenter

        presenter.chart(go.Figure(go.Scatter(x=[0, 1], y=[1, 0]), layout={"height": 300}), key="c")
        presenter.chart(go.Figure(go.Scatter(x=[0, 1], y=[1, 0])), key="d", config={"displayModeBar": False})

    at = AppTest.from_function(page).run()
    assert not at.exception
    configs = [json.loads(c.proto.config) for c in at.get("plotly_chart")]
    assert configs[0]["displaylogo"] is False and "lasso2d" in configs[0]["modeBarButtonsToRemove"]
    assert configs[1]["displayModeBar"] is False and "lasso2d" in configs[1]["modeBarButtonsToRemove"]
