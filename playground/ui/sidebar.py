"""The dataset chooser, shown in the sidebar of every page: one source of truth in session state."""

from __future__ import annotations

import hashlib

import streamlit as st

from playground.data.course import default_course_folder
from playground.data.folder import zip_classes
from playground.ui import cache, state

_KINDS = {
    "builtin": "Built-in drawings",
    "course_folder": "The course's photos",
    "course_upload": "Upload the course's .h5 pair",
    "zip": "Upload your images (.zip)",
}
_PREPROCESSINGS = {"divide_255": "Divide by 255 (the course)", "standardize": "Standardise each feature"}


def _digest(*parts: bytes) -> str:
    h = hashlib.sha256()
    for p in parts:
        h.update(hashlib.sha256(p).digest())
    return h.hexdigest()


def _try_switch(source: state.Source, payload=None) -> None:
    """Load ``source``; make it current only if it loads, else explain why on the page."""
    previous = state.get_source()
    try:
        state.set_source(source, payload)
        cache.dataset(source)
    except ValueError as err:
        state.set_source(previous)
        st.sidebar.error(f"That dataset could not be used: {err}")


def dataset_chooser() -> None:
    """Sidebar widgets that pick the dataset and the pixel scaling for every page."""
    sb = st.sidebar
    course = default_course_folder()
    kinds = [k for k in _KINDS if k != "course_folder" or course is not None]
    current = state.get_source()
    kind = sb.radio(
        "Dataset",
        kinds,
        index=kinds.index(current.kind) if current.kind in kinds else 0,
        format_func=_KINDS.get,
        key="dataset_kind",
        help="Every page trains and draws on this dataset.",
    )
    if kind == "builtin":
        seed = sb.number_input("Seed of the drawings", 0, 9999, current.seed if current.kind == "builtin" else 0, key="builtin_seed")
        wanted = state.Source("builtin", seed=int(seed))
        if wanted != current:
            _try_switch(wanted)
    elif kind == "course_folder":
        wanted = state.Source("course_folder", path=str(course))
        if wanted != current:
            _try_switch(wanted)
        sb.caption(f"Found in `{course}`.")
    elif kind == "course_upload":
        train_file = sb.file_uploader("train_catvnoncat.h5", type=["h5"], key="upload_train_h5")
        test_file = sb.file_uploader("test_catvnoncat.h5", type=["h5"], key="upload_test_h5")
        if train_file and test_file:
            payload = (train_file.getvalue(), test_file.getvalue())
            wanted = state.Source("course_upload", digest=_digest(*payload))
            if wanted != current:
                _try_switch(wanted, payload)
        else:
            sb.info("Upload both files; until then the previous dataset stays in use.")
    else:
        up = sb.file_uploader(
            "A .zip with one folder per class", type=["zip"], key="upload_zip",
            help="For example cats/…jpg and other/…jpg. Images are resized to 64 × 64.",
        )
        if up is not None:
            data = up.getvalue()
            try:
                classes = zip_classes(data)
            except ValueError as err:
                sb.error(f"That zip could not be used: {err}")
                classes = []
            if classes:
                positive = sb.selectbox("Which class is 'cat' (label 1)?", classes, key="zip_positive")
                split_seed = sb.number_input("Seed of the train / test split", 0, 9999, 0, key="zip_seed")
                wanted = state.Source("zip", seed=int(split_seed), digest=_digest(data), positive=positive)
                if wanted != current:
                    _try_switch(wanted, data)
        else:
            sb.info("Upload a zip; until then the previous dataset stays in use.")
    st.session_state[state.PREPROCESSING] = sb.radio(
        "Pixel scaling",
        list(_PREPROCESSINGS),
        format_func=_PREPROCESSINGS.get,
        key="preprocessing_choice",
        help="The course divides every pixel by 255. Standardising centres each feature on its training mean.",
    )
    sb.caption(f"In use: **{state.get_source().label}**")
