"""Data: what the playground is, the dataset, and "a picture is a vector"."""

import numpy as np
import streamlit as st

from playground.data.features import pixel_index
from playground.figures.data import channels_figure, class_balance_figure, matrix_figure
from playground.lessons.checkpoints import data as questions
from playground.ui import cache, checkpoints, state
from playground.ui.i18n import class_label, labels, t
from playground.ui.notation import entry
from playground.ui.presenter import chart
from playground.ui.sidebar import source_label
from playground.ui.tables import table

GALLERY_SIZES = (12, 24, 48)
RGB = "RGB"
# (Comments, not docstrings: Streamlit's "magic" draws a page's bare strings.)
# The pixel's row and column inputs (session keys) and their labels' text keys.
PIXEL_KEYS = {"pix_row": "data.row", "pix_col": "data.column"}
# What "Show me" sets: the training image shown (its column of X framed in red) and the pixel inputs.
SHOW = {"image": "vector_image", "row": "pix_row", "col": "pix_col", "channel": "pix_channel"}


# The figures depend on the dataset, the image and the words only, not on the gallery or the pixel
# inputs whose every click reruns the page: built once per (dataset, image, language) for every
# visitor (cache_resource; Streamlit only reads them).
@st.cache_resource(max_entries=16, show_spinner=False)
def balance_fig(dataset_key: str, class_names: tuple, titles: tuple, y_title: str, _ds):
    return class_balance_figure(_ds.train_y, _ds.test_y, class_names, titles, y_title)


@st.cache_resource(max_entries=32, show_spinner=False)
def channels_fig(dataset_key: str, pick: int, titles: tuple, _image):
    return channels_figure(_image, titles)


@st.cache_resource(max_entries=32, show_spinner=False)
def matrix_fig(features_key: str, pick: int, x_title: str, y_title: str, _X):
    return matrix_figure(_X, highlight=pick, x_title=x_title, y_title=y_title)


def _clamp_pixel(key: str, top: int) -> None:
    """on_change of a row or column input: a value outside 0 … top becomes the nearest allowed one, in the
    field itself, and the page says so (the field takes any whole number, so none is refused in silence)."""
    asked = st.session_state[key]
    used = min(max(int(asked), 0), top)
    if used != asked:
        st.session_state[key] = used
        st.session_state[state.DATA_RANGE_NOTE] = (PIXEL_KEYS[key], int(asked), top, used)


def _pixel_input(column, key: str, top: int) -> int:
    value = column.number_input(t(PIXEL_KEYS[key]), step=1, key=state.widget_default(key, 0), on_change=_clamp_pixel,
                                args=(key, top))
    return min(max(int(value), 0), top)  # (a value kept from a dataset of larger pictures)


st.title(t("data.title"))
st.markdown(t("data.welcome"))

ds = cache.dataset_or_stop()

# ---- predict first: asked before the metrics, the matrix and the index formula that answer
box = checkpoints.panel("data")
box.ask("x_shape", lambda: questions.x_shape(ds), SHOW)
box.ask("pixel_index", lambda: questions.pixel_index(ds.image_shape), SHOW)

st.header(source_label(state.get_source()))
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("data.m_train"), ds.m_train)
c2.metric(t("data.m_test"), ds.m_test)
c3.metric(t("data.image_size"), " × ".join(map(str, ds.image_shape)))
c4.metric(t("data.n_x"), f"{ds.n_x:,}")

left, right = st.columns([2, 1])
with right:
    shown_classes = (class_label(ds.classes[0]), class_label(ds.classes[1]))
    chart(balance_fig(ds.key, shown_classes, (t("data.balance_train"), t("data.balance_test")), t("data.images"), ds),
          key="balance")
    st.caption(t("data.always_cat", cat=class_label(ds.classes[1]), percent=100 * np.mean(ds.test_y == 1)))
with left:
    g1, g2, g3 = st.columns(3)
    split = g1.radio(t("data.show"), ["train", "test"], horizontal=True, key="gallery_split",
                     format_func=labels("data.split_{}", ["train", "test"]))
    class_names = {-1: t("data.both"), 1: class_label(ds.classes[1]), 0: class_label(ds.classes[0])}
    which = g2.radio(t("data.class"), list(class_names), horizontal=True, key="gallery_class",
                     format_func=class_names.__getitem__)
    count = g3.select_slider(t("data.how_many"), GALLERY_SIZES, value=24, key="gallery_count")
    x, y = (ds.train_x, ds.train_y) if split == "train" else (ds.test_x, ds.test_y)
    idx = np.arange(len(y))
    if which >= 0:
        idx = idx[y == which]
    idx = idx[:count]
    st.image([x[i] for i in idx], caption=[f"#{i} · {class_label(ds.classes[int(y[i])])}" for i in idx], width=96)

st.header(t("data.vector_header"))
h, w = ds.image_shape[:2]
st.markdown(t("data.vector_text", h=h, w=w, n_x=ds.n_x))
pick = st.slider(t("data.pick_image"), 0, ds.m_train - 1, key=state.widget_default("vector_image", 0))
image = ds.train_x[pick]
titles = (t("data.picture"), *(t("data.channel_title", name=c) for c in RGB))
chart(channels_fig(ds.key, pick, titles, image), key="channels")

# Standardised features are shown as the model sees them, so X is built here already (dividing by 255
# needs no X: the numbers come from the picture alone).
scaling = state.get_preprocessing()
standardised = scaling == "standardize"
F = cache.features(ds) if standardised else None

a, b = st.columns([1, 1])
with a:
    st.subheader(t("data.where_pixel"))
    r1, r2, r3 = st.columns([1, 1, 1.3])
    row = _pixel_input(r1, "pix_row", h - 1)
    col = _pixel_input(r2, "pix_col", w - 1)
    # A radio, not a selectbox: three choices, and no combobox bundle on the lesson's first page.
    ch = r3.radio(t("data.channel"), [0, 1, 2], format_func=lambda k: RGB[k], key="pix_channel", horizontal=True)
    note = st.session_state.pop(state.DATA_RANGE_NOTE, None)
    if note:
        label, asked, top, used = note
        st.warning(t("data.out_of_range", label=t(label), value=asked, top=top, used=used))
    j = pixel_index(row, col, int(ch), width=w)
    st.markdown(f"*j* = (*r* · {w} + *c*) · 3 + *k* = ({row} · {w} + {col}) · 3 + {ch} = **{j}**")
    value = int(image[row, col, ch])
    if standardised:
        # In pixel units: (pixel / 255 − mean) / scale = (pixel − 255·mean) / (255·scale).
        st.markdown(t("data.pixel_value_standardised", row=row, col=col, channel=RGB[ch], value=value,
                      x=entry("x", j, pick), m=F.m_train, mean=255 * F.mean[j, 0], std=255 * F.scale[j, 0],
                      scaled=F.X_train[j, pick]))
    else:
        st.markdown(t("data.pixel_value", row=row, col=col, channel=RGB[ch], value=value, x=entry("x", j, pick),
                      scaled=value / 255))
with b:
    st.subheader(t("data.first_entries"))
    first = image.reshape(-1)[:12]
    where = [f"({jj // 3 // w}, {jj // 3 % w}, {RGB[jj % 3]})" for jj in range(len(first))]
    if standardised:
        table(
            ["j", t("data.col_rc"), t("data.col_pixel"), "μ_j", "σ_j", t("data.col_standardised")],
            [[jj, where[jj], int(v), f"{255 * F.mean[jj, 0]:.2f}", f"{255 * F.scale[jj, 0]:.2f}",
              f"{F.X_train[jj, pick]:.4f}"] for jj, v in enumerate(first)],
            align=["right", "left", "right", "right", "right", "right"],
        )
    else:
        table(
            ["j", t("data.col_rc"), t("data.col_pixel"), t("data.col_scaled")],
            [[jj, where[jj], int(v), f"{v / 255:.4f}"] for jj, v in enumerate(first)],
            align=["right", "left", "right", "right"],
        )

st.subheader(t("data.stacking"))
# X and Y only here, where they are shown: building them (K = XᵀX too) on a fresh server's first visit
# would hold back the charts above, and the browser starts fetching Plotly with the first of them.
F = F or cache.features(ds)
numpy_line = t("data.numpy_standardize") if standardised else t("data.numpy_divide_255")
st.markdown(t("data.stacking_text", n_x=F.n_x, m_train=F.m_train, m_test=F.m_test, i=pick, numpy=numpy_line))
chart(matrix_fig(F.key, pick, t("data.matrix_x"), t("data.matrix_y"), F.X_train), key="matrix")
# st.text, not st.code: the syntax highlighter is a 1.6 MB script the browser would fetch for three lines.
st.text(
    f"X_train.shape == ({F.n_x}, {F.m_train})   Y_train.shape == (1, {F.m_train})\n"
    f"X_test.shape  == ({F.n_x}, {F.m_test})    Y_test.shape  == (1, {F.m_test})\n"
    f"Y_train[0, :12] == {F.Y_train[0, :12].astype(int).tolist()}"
)
