"""Presenter mode for a projector: larger text and figures, chosen controls hidden.

URL switches, so a teacher can prepare one link per idea (like TensorFlow
Playground's ``*_hide`` flags):
- ``?present=1`` enlarges text and figures (also a sidebar toggle);
- ``?hide=lr,iterations`` hides the named controls — each page lists the names it knows,
  and a hidden control keeps the value the URL or its default gives it;
- ``?hide=sidebar`` hides the sidebar too.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from playground.ui.i18n import language, t

PRESENT = "presenter_mode"
"""Session-state key: whether this visitor is presenting."""
HIDE = "presenter_hide"
"""Session-state key: the frozenset of control names hidden by ?hide=."""
SCALE = 1.35
"""How much presenter mode enlarges text and figures."""
_TRUE = {"1", "true", "yes", "on"}
CHART_CONFIG = {"displaylogo": False,
                "modeBarButtonsToRemove": ["select2d", "lasso2d", "zoomIn2d", "zoomOut2d", "autoScale2d"]}
"""Plotly's toolbar cut to camera, zoom, pan and reset: the full row reached over a chart's title."""

TOUCH_CSS = (
    # A swipe that starts on a slider scrolls the page. Streamlit's slider track says touch-action: none
    # (inline) and moves the thumb to wherever a touch lands; on a touch screen the track lets the touch
    # through to the page, and only the thumb, a finger wide, takes a horizontal drag.
    "@media (pointer: coarse) {"
    ' [data-testid="stSlider"] [role="group"] > [data-rac] { touch-action: pan-y !important; pointer-events: none; }'
    ' [data-testid="stSlider"] [role="group"] > [data-rac] > [data-rac] { touch-action: pan-y !important; pointer-events: auto; }'
    ' [data-testid="stSlider"] [role="group"] > [data-rac] > [data-rac]::after'
    ' { content: ""; position: absolute; inset: -0.9rem; }'
    " }"
    # Without a mouse, Plotly's toolbar stays up after a tap and covers the chart's title.
    " @media (hover: none) { .stPlotlyChart .modebar-container { display: none !important; } }"
)
"""Page-wide CSS for touch screens, in every language and mode."""


def _init() -> None:
    if PRESENT not in st.session_state:
        st.session_state[PRESENT] = st.query_params.get("present", "").lower() in _TRUE
    if HIDE not in st.session_state:
        raw = st.query_params.get("hide", "")
        st.session_state[HIDE] = frozenset(part.strip() for part in raw.split(",") if part.strip())


def presenting() -> bool:
    _init()
    return st.session_state[PRESENT]


def hidden(control: str) -> bool:
    """Whether the URL asked to hide ``control`` (a name the page documents)."""
    _init()
    return control in st.session_state[HIDE]


def toggle() -> None:
    """Sidebar toggle for presenter mode, mirrored in ?present=1."""
    _init()
    on = st.sidebar.toggle(t("presenter.toggle"), value=st.session_state[PRESENT], key="presenter_toggle",
                           help=t("presenter.help"))
    st.session_state[PRESENT] = on
    if on:
        st.query_params["present"] = "1"
    else:
        st.query_params.pop("present", None)


def apply_style() -> None:
    """Inject this run's page-wide CSS: touch screens, Korean line breaking, presenter mode, ?hide=sidebar."""
    css = [TOUCH_CSS]
    if language() == "ko":
        # Break Korean lines between words (어절), never inside one: Streamlit's text says
        # word-break: break-word, which splits 아/님 at a line's end. Long tokens still wrap, by
        # Streamlit's overflow-wrap: break-word (anywhere would let flex columns shrink words apart).
        css.append(".stApp, .stApp * { word-break: keep-all !important; }")
    if presenting():
        # Streamlit sizes text in rem: scaling the root scales every text element.
        css.append(f"html {{ font-size: {16 * SCALE:.0f}px; }}")
        css.append(".block-container { max-width: 100%; padding-left: 2rem; padding-right: 2rem; }")
        # The page names wrap rather than end in "…" at the larger size.
        css.append('[data-testid="stSidebarNavLink"] { height: auto; }'
                   ' [data-testid="stSidebarNavLink"] span { white-space: normal !important; overflow: visible !important; }')
    if hidden("sidebar"):
        css.append('[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"] { display: none; }')
    st.html(f"<style>{' '.join(css)}</style>")


def chart(fig: go.Figure, **kwargs) -> None:
    """st.plotly_chart with the short toolbar (CHART_CONFIG), enlarged in presenter mode (fonts and height)."""
    if presenting():
        fig = go.Figure(fig)
        height = fig.layout.height
        fig.update_layout(font_size=round(12 * SCALE + 2), height=round(height * SCALE) if height else None)
    st.plotly_chart(fig, **{**kwargs, "config": {**CHART_CONFIG, **kwargs.get("config", {})}})
