"""Data: what the playground is, the dataset, and "a picture is a vector"."""

import numpy as np
import streamlit as st

from playground.data.features import pixel_index
from playground.figures.data import channels_figure, class_balance_figure, matrix_figure
from playground.ui import cache

GALLERY_SIZES = (12, 24, 48)

st.title("Logistic regression, the one-neuron network")
st.markdown(
    "This playground trains the smallest neural network there is — one neuron, "
    "ŷ = σ(wᵀx + b) — to tell **cat** pictures from **non-cat** ones, and lets you watch every step. "
    "Walk it in the lesson's order: **Data** (a picture becomes a vector) → **Train** (gradient descent, "
    "learning rate, iterations) → **Loss landscape** (why cross-entropy and not squared error) → "
    "**Computational graph** (forward and backward) → **Loops vs vectors** (why vectorise) → "
    "**Predict** (your own photo). The dataset in the sidebar is used by every page."
)

ds = cache.dataset()
F = cache.features(ds)

st.header(ds.name)
c1, c2, c3, c4 = st.columns(4)
c1.metric("training images m_train", ds.m_train)
c2.metric("test images m_test", ds.m_test)
c3.metric("image size", " × ".join(map(str, ds.image_shape)))
c4.metric("features per image n_x", f"{ds.n_x:,}")

left, right = st.columns([2, 1])
with right:
    st.plotly_chart(class_balance_figure(ds.train_y, ds.test_y, ds.classes), key="balance")
    always_cat = 100 * np.mean(ds.test_y == 1)
    st.caption(
        f"Answering “{ds.classes[1]}” every time already scores {always_cat:.0f} % on the test set: "
        "that is the bar a model has to beat."
    )
with left:
    g1, g2, g3 = st.columns(3)
    split = g1.radio("Show", ["train", "test"], horizontal=True, key="gallery_split")
    which = g2.radio("Class", ["both", ds.classes[1], ds.classes[0]], horizontal=True, key="gallery_class")
    count = g3.select_slider("How many", GALLERY_SIZES, value=24, key="gallery_count")
    x, y = (ds.train_x, ds.train_y) if split == "train" else (ds.test_x, ds.test_y)
    idx = np.arange(len(y))
    if which != "both":
        idx = idx[y == (1 if which == ds.classes[1] else 0)]
    idx = idx[:count]
    st.image(
        [x[i] for i in idx],
        caption=[f"#{i} · {ds.classes[int(y[i])]}" for i in idx],
        width=96,
    )

st.header("A picture is a vector")
st.markdown(
    f"A colour picture is {ds.image_shape[0]} × {ds.image_shape[1]} × 3 numbers, one per pixel and channel "
    f"(red, green, blue, each 0–255). Unrolled into one column they make the feature vector **x** "
    f"of length n_x = {ds.image_shape[0]} · {ds.image_shape[1]} · 3 = **{ds.n_x:,}**."
)
pick = st.slider("Training image i", 0, ds.m_train - 1, 0, key="vector_image")
image = ds.train_x[pick]
st.plotly_chart(channels_figure(image), key="channels")

h, w = ds.image_shape[:2]
a, b = st.columns([1, 1])
with a:
    st.subheader("Where a pixel lands in x")
    r1, r2, r3 = st.columns(3)
    row = r1.number_input("row r", 0, h - 1, 0, key="pix_row")
    col = r2.number_input("column c", 0, w - 1, 0, key="pix_col")
    ch = r3.selectbox("channel k", [0, 1, 2], format_func=lambda k: "RGB"[k], key="pix_channel")
    j = pixel_index(int(row), int(col), int(ch), width=w)
    st.latex(rf"j = (r \cdot {w} + c) \cdot 3 + k = ({row} \cdot {w} + {col}) \cdot 3 + {ch} = {j}")
    st.markdown(
        f"Pixel ({row}, {col}) has {'RGB'[ch]} = **{image[row, col, ch]}**, so "
        f"x<sub>{j}</sub><sup>({pick})</sup> = {image[row, col, ch]} / 255 = **{image[row, col, ch] / 255:.4f}**.",
        unsafe_allow_html=True,
    )
with b:
    st.subheader("The first entries of x")
    first = image.reshape(-1)[:12]
    st.dataframe(
        {
            "j": np.arange(12),
            "(r, c, k)": [f"({jj // 3 // w}, {jj // 3 % w}, {'RGB'[jj % 3]})" for jj in range(12)],
            "pixel": first,
            "x_j = pixel / 255": np.round(first / 255, 4),
        },
        hide_index=True,
        height=300,
    )

st.subheader("Stacking the columns: X and Y")
st.markdown(
    f"Each example is one **column**: X = [x⁽¹⁾ … x⁽ᵐ⁾] has shape (n_x, m) = **({F.n_x:,}, {F.m_train})** "
    f"for training and **({F.n_x:,}, {F.m_test})** for testing; Y = [y⁽¹⁾ … y⁽ᵐ⁾] has shape "
    f"**(1, {F.m_train})**. In NumPy: `X = x.reshape(m, -1).T / 255`. The red frame is image {pick}."
)
st.plotly_chart(matrix_figure(F.X_train, highlight=pick), key="matrix")
st.code(
    f"X_train.shape == ({F.n_x}, {F.m_train})   Y_train.shape == (1, {F.m_train})\n"
    f"X_test.shape  == ({F.n_x}, {F.m_test})    Y_test.shape  == (1, {F.m_test})\n"
    f"Y_train[0, :12] == {F.Y_train[0, :12].astype(int).tolist()}",
    language="python",
)
