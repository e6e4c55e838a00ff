"""Predict: your photo, the camera or a picture to try, classified by the neuron, and the answer taken apart.

Pictures to try (no photo at hand): the test pictures of the dataset in use and the built-in drawings,
each classified through the upload's own path as a PNG file. The checkpoint box asks about them
(``lessons.checkpoints.predict``); its "Show me" picks them among the pictures to try.

``?hide=`` (presenter mode) knows three controls here: ``model`` (then the Train page's model if
there is one, else the course settings), ``preprocessing`` (then squash) and ``camera``.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import streamlit as st

from playground.data.builtin import SHIPPED_SEED
from playground.data.images import (
    ACCEPTED_TYPES,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_PIXELS,
    PreparedImage,
    check_image_bytes,
    prepare_image,
    to_data_uri,
    within_budget,
)
from playground.figures.pictures import png_bytes
from playground.figures.predict import (
    explanation_figures,
    framed,
    picture_caption,
    preprocessing_pictures,
    probability_figure,
)
from playground.lessons.checkpoints import predict as asked
from playground.lessons.checkpoints.kinds import Question
from playground.lessons.predict import tries
from playground.lessons.predict.explain import (
    Explanation,
    explain,
    is_standardised,
    probability_latex,
    probability_text,
    weights_map,
)
from playground.lessons.predict.saved_model import (
    MAX_MODEL_BYTES,
    SavedModel,
    load_model,
    model_from_training,
)
from playground.training import TrainingSettings
from playground.ui import cache, checkpoints, presenter, state
from playground.ui.i18n import class_label, error_text, labels, t
from playground.ui.sidebar import source_label
from playground.ui.tables import table

# Bare strings in a page are drawn by Streamlit's "magic": explanations here are comments.
# Photos classified per upload; more are listed as skipped (each row costs three charts).
MAX_FILES = 20
# The uploader's own limit. Files between MAX_IMAGE_BYTES and this reach decode_image and are
# refused with its message; the browser refuses larger ones before sending them.
UPLOAD_LIMIT_MB = 50
MODEL_CHOICES = ("session", "course", "upload")
PREPROCESSINGS = ("squash", "crop")
# The pictures to try: the test set of the dataset in use, and the built-in drawings (their test set).
TRY_SETS = ("test", "builtin")
# Session keys: whether the pictures to try are open; which set they show.
TRY_OPEN, TRY_SET = "predict_tries", "predict_try_set"
# A gallery picture's width in CSS pixels (six to a row on a phone 390 px wide), and a picture's in the
# checkpoint box (twice that on a projector).
THUMB_WIDTH = 52
ASKED_WIDTH = 96
# This page's own layout rules. Streamlit stacks columns one per row below 640 px: a map then
# gets the whole width (about 225 px square on a phone, not 95 px as three in a row), and the two
# preprocessings share a row under the original. The summary table scrolls sideways inside its own
# box, with shadows at the edges where there is more to see; the equation gets a smaller font on a
# phone (its lines are short enough then) and scrolls too if a number is very long.
_CSS = """
@media (max-width: 640px) {
  [class*="st-key-predict_pictures_"] [data-testid="stColumn"] { min-width: calc(50% - 0.5rem) !important; }
  [class*="st-key-predict_pictures_"] [data-testid="stColumn"]:first-child { min-width: 100% !important; }
  [class*="st-key-predict_equation_"] .katex-display > .katex { font-size: 0.95em; }
}
[class*="st-key-predict_pictures_"] [data-testid="stColumn"]:not(:first-child) img { image-rendering: pixelated; }
.st-key-predict_summary table {
  display: block; max-width: 100%; overflow-x: auto;
  background:
    linear-gradient(to right, #fff 30%, rgba(255, 255, 255, 0)) left / 2rem 100% no-repeat local,
    linear-gradient(to left, #fff 30%, rgba(255, 255, 255, 0)) right / 2rem 100% no-repeat local,
    radial-gradient(farthest-side at 0 50%, rgba(0, 0, 0, .3), rgba(0, 0, 0, 0)) left / .8rem 100% no-repeat scroll,
    radial-gradient(farthest-side at 100% 50%, rgba(0, 0, 0, .3), rgba(0, 0, 0, 0)) right / .8rem 100% no-repeat scroll;
}
.st-key-predict_summary th, .st-key-predict_summary td { background: transparent; }
.st-key-predict_tries [data-testid="stImage"] img, .predict-asked img { image-rendering: pixelated; }
.predict-asked { display: flex; flex-wrap: wrap; gap: 0.75rem; }
.predict-asked figure { margin: 0; text-align: center; }
.predict-asked figcaption { font-size: 0.875rem; }
.st-key-predict_summary th, .st-key-predict_summary td:not(:last-child) { white-space: nowrap; }
"""


@st.cache_data(max_entries=64, show_spinner=False)
def _prepare(digest: str, name: str, size: tuple[int, int], _data: bytes) -> tuple[PreparedImage | None, ValueError | None]:
    """Decode once per file content: (PreparedImage, None), or (None, why it was refused).
    A refusal is returned, not raised, so that it is cached too (as the error: each visitor reads
    it in their language, error_text)."""
    try:
        return prepare_image(_data, name, size), None
    except ValueError as err:
        return None, err


@st.cache_data(max_entries=8, show_spinner=False)
def _load_uploaded_model(digest: str, name: str, _data: bytes) -> tuple[SavedModel | None, ValueError | None]:
    try:
        return load_model(_data, name), None
    except ValueError as err:
        return None, err


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _course_model() -> tuple[SavedModel, str]:
    """The course settings trained on the visitor's current dataset and pixel scaling (cached).
    Without a usable dataset there is nothing to answer with: the page says so and stops."""
    settings = TrainingSettings()
    # (the dataset as the sidebar names it, in the visitor's language; the model file keeps ds.name)
    dataset = source_label(state.get_source())
    ds = cache.dataset_or_stop("predict.no_dataset")
    F = cache.features(ds)
    with st.spinner(t("predict.training", dataset=dataset)):
        result = cache.training(F, settings)
    model = model_from_training(
        result.w, result.b, F, ds.classes, dataclasses.asdict(settings), f"{ds.name}, course settings"
    )
    return model, t(
        "predict.course_model", lr=settings.learning_rate, iterations=settings.num_iterations, dataset=dataset,
        scaling=t("predict.scaling_standardised" if F.preprocessing == "standardize" else "predict.scaling_255"),
        train=result.train_accuracy, test=result.test_accuracy,
    )


def _session_model_note() -> str:
    info = st.session_state.get(state.MODEL_INFO) or {}
    settings = info.get("settings")
    if dataclasses.is_dataclass(settings):
        settings = dataclasses.asdict(settings)
    text = t("predict.session_model")
    dataset = info.get("dataset")
    if isinstance(dataset, state.Source):  # (as the sidebar names it, in this visitor's language)
        dataset = source_label(dataset)
    if dataset:
        text += " " + t("predict.session_dataset", dataset=dataset)
    if isinstance(settings, dict) and settings:
        text += " (" + ", ".join(f"{k} = {v}" for k, v in settings.items()) + ")"
    text += "."
    if "train_accuracy" in info and "test_accuracy" in info:
        text += " " + t("predict.accuracies", train=info["train_accuracy"], test=info["test_accuracy"])
    return text


def _choose_model() -> tuple[SavedModel, str]:
    """Model radio (+ uploader): the model to use and a sentence saying which it is."""
    has_session = st.session_state.get(state.MODEL) is not None
    options = [c for c in MODEL_CHOICES if c != "session" or has_session]
    # One key per list of options: when a trained model appears, the radio starts on it.
    choice = options[0] if presenter.hidden("model") else st.radio(
        t("predict.model"), options, format_func=labels("predict.model_{}", options), horizontal=True,
        key=f"predict_model_choice_{len(options)}")
    if choice == "session":
        return st.session_state[state.MODEL], _session_model_note()
    if choice == "upload":
        up = st.file_uploader(t("predict.model_file"), type=["npz"], key="predict_model_file",
                              help=t("predict.model_file_help", mib=MAX_MODEL_BYTES / 2**20))
        if up is not None:
            data = up.getvalue()
            model, error = _load_uploaded_model(_digest(data), up.name, data)
            if model is not None:
                return model, t("predict.model_file_used", name=up.name, source=model.source or "–")
            st.error(t("predict.model_file_bad", error=error))
        fallback, note = _course_model()
        return fallback, t("predict.no_model_file", note=note)
    model, note = _course_model()
    return model, t("predict.no_session_model" if not has_session else "predict.using", note=note)


def _inputs() -> tuple[list[tuple[str, bytes | None, ValueError | None]], int]:
    """(name, bytes, None) for the camera shot and each uploaded file, in that order — or
    (name, None, why) for a file refused by its size alone; and how many were offered in all.

    A file is read only when its size is acceptable and it is among the first MAX_FILES:
    a client that ignores the uploader's own limits must not make the page copy gigabytes.
    """
    up_col, cam_col = st.columns([3, 2])
    files = up_col.file_uploader(
        t("predict.photos"), type=list(ACCEPTED_TYPES), accept_multiple_files=True, key="predict_files",
        max_upload_size=UPLOAD_LIMIT_MB,
        help=t("predict.photos_help", mib=MAX_IMAGE_BYTES / 2**20, megapixels=MAX_IMAGE_PIXELS / 1e6),
    )
    items = []
    with cam_col:
        if not presenter.hidden("camera") and st.toggle(t("predict.camera_on"), key="predict_camera_on"):
            shot = st.camera_input(t("predict.camera"), key="predict_camera")
            if shot is not None:
                items.append((t("predict.camera_name"), shot.getvalue(), None))
    files = files or []
    offered = len(items) + len(files)  # the camera's shot, then the files
    for f in files[:max(0, MAX_FILES - len(items))]:
        try:
            check_image_bytes(f.size, f.name)
        except ValueError as err:
            items.append((f.name, None, err))
        else:
            items.append((f.name, f.getvalue(), None))
    return items, offered


def _model_key(model: SavedModel) -> str:
    """A digest of everything that decides the model's answers: the key of its cached explanations."""
    h = hashlib.sha256()
    for array in (model.w, model.mean, model.scale):
        h.update(memoryview(np.ascontiguousarray(array, dtype=np.float64)).cast("B"))
    h.update(repr((float(model.b), tuple(model.image_shape), tuple(model.classes))).encode())
    return h.hexdigest()


# Explanations and figures are cached per photo and model, for both preprocessings at once: a
# rerun that only switches the preprocessing (or the language back) builds nothing. Resources, not
# data: the page only reads them, and a copy per rerun would cost what the cache saves.
@st.cache_resource(max_entries=64, show_spinner=False)
def _explained(digest: str, model_key: str, _prepared: PreparedImage, _model: SavedModel) -> dict[str, Explanation]:
    return {mode: explain(_model, x) for mode, x in _prepared.inputs.items()}


@st.cache_resource(max_entries=64, show_spinner=False)
def _figures(digest: str, model_key: str, words: tuple, _expl: dict, _model: SavedModel) -> dict[str, tuple]:
    """mode → (the P bar, the input, the weights, the contributions), in the words given:
    (the class names, the threshold's label, the three maps' titles)."""
    classes, threshold_label, titles = words
    weights = weights_map(_model)
    return {mode: (probability_figure(e.p_cat, classes, threshold_label=threshold_label),
                   *explanation_figures(e.image, weights, e.contributions, titles))
            for mode, e in _expl.items()}


@st.cache_data(max_entries=64, show_spinner=False)
def _pictures(digest: str, size: tuple[int, int], _prepared: PreparedImage) -> tuple[bytes, bytes, bytes]:
    """The original (framed) and both inputs, encoded once: st.image then serves the same files on
    every rerun, and the browser keeps them."""
    original, squash, crop = preprocessing_pictures(_prepared.preview, _prepared.crop_box, _prepared.inputs)
    return tuple(base64.b64decode(to_data_uri(a, fmt).split(",", 1)[1])
                 for a, fmt in ((original, "JPEG"), (squash, "PNG"), (crop, "PNG")))


def _equation(i: int, e: Explanation) -> None:
    """z written out on short lines (a phone's width): the map's red and blue totals plus b, equal to
    the model's own wᵀx̃ + b."""
    with st.container(key=f"predict_equation_{i}"):
        st.latex(
            r"\begin{aligned} z &= \sum_i w_i \tilde x_i + b \\"
            rf"&= \underbrace{{{e.pushing_for:+.6f}}}_{{\text{{{t('predict.red')}}}}}"
            rf"\underbrace{{{e.pushing_against:+.6f}}}_{{\text{{{t('predict.blue')}}}}}"
            rf"\underbrace{{{e.b:+.6f}}}_{{b}} \\ &= {e.z:.6f} \\"
            rf"\hat y = \sigma(z) &{probability_latex(e.p_cat)} \end{{aligned}}"
        )
    st.caption(t(
        "predict.sum_line", n=e.contributions.size, total=e.total, b=e.b, sum=e.total + e.b, z=e.z,
        z_sign=">" if e.z > 0 else "≤", p_sign=">" if e.label else "≤", decision=class_label(e.decision),
    ))


def _image_row(i: int, name: str, digest: str, prepared: PreparedImage, expl: dict, figures: dict,
               model: SavedModel, mode: str) -> None:
    """One photo: original and both preprocessings, P(cat), the decision, the maps, z.
    expl: preprocessing mode → Explanation; figures: mode → (P bar, input, weights, contributions)."""
    e = expl[mode]
    bar, *maps = figures[mode]
    with st.container(border=True):
        st.subheader(f"{name} → {class_label(e.decision)}")
        left, right = st.columns([3, 1.2])
        with left:
            h, w = prepared.preview.shape[:2]
            aspect = min(max(w / h, 0.75), 2.0)  # the three pictures equally tall on a wide screen
            H, W = prepared.inputs["squash"].shape[:2]
            captions = [t("predict.fig_original")] + [
                picture_caption(t(f"predict.fig_{m}"), (H, W), expl[m].p_cat, m == mode) for m in PREPROCESSINGS]
            with st.container(key=f"predict_pictures_{i}"):
                for col, picture, caption, fmt in zip(st.columns([aspect, 1, 1]), _pictures(digest, (H, W), prepared),
                                                      captions, ("JPEG", "PNG", "PNG")):
                    # (the format named: "auto" would have Streamlit re-encode each PNG on every rerun)
                    col.image(picture, caption=caption, width="stretch", output_format=fmt)
            w, h = prepared.size
            notes = "; ".join(t(f"predict.note_{code}", value=value) for code, value in prepared.notes)
            st.caption(t("predict.file_info", format=prepared.format, w=w, h=h) + (f": {notes}." if notes else "."))
        with right:
            st.metric(f"P({class_label(model.classes[1])})", probability_text(e.p_cat))
            presenter.chart(bar, key=f"predict_prob_{i}")
            (st.success if e.label else st.info)(t("predict.decision", decision=class_label(e.decision)))
        for col, fig, k in zip(st.columns([1, 1, 1.3]), maps, ("input", "weights", "contribution")):
            with col:
                presenter.chart(fig, key=f"predict_{k}_{i}")
        _equation(i, e)


def _p_bar(p: float, width: int = 10) -> str:
    """P(cat) as a bar of `width` blocks and its value, e.g. ███░░░░░░░ 0.282."""
    full = round(p * width)
    return "█" * full + "░" * (width - full) + " " + probability_text(p)


def _summary(results: list, mode: str, cat: str) -> None:
    """One row per file: the decision, P(cat) as a bar, z, both preprocessings (a Markdown table)."""
    header = [t("predict.col_file"), t("predict.col_decision"), f"P({cat})", "z",
              t("predict.col_squash"), t("predict.col_crop"), t("predict.col_note")]
    rows = []
    for name, _, prepared, error, expl in results:
        if prepared is None:
            rows.append([name, t("predict.refused_short"), "–", "–", "–", "–", error_text(error)])
        else:
            e = expl[mode]
            rows.append([name, class_label(e.decision), _p_bar(e.p_cat), f"{e.z:.3f}", probability_text(expl["squash"].p_cat),
                         probability_text(expl["crop"].p_cat),
                         "; ".join(t(f"predict.note_{c}", value=v) for c, v in prepared.notes)])
    with st.container(key="predict_summary"):
        table(header, rows, align=["left", "left", "left", "right", "right", "right", "left"])


@dataclass(frozen=True, eq=False)
class TrySet:
    """One set of pictures to try. images: (k, H, W, 3) uint8 and labels (k,) 0 / 1, k ≤ tries.TRY_MAX;
    classes: the data's names of label 0 and 1; files: each picture as a PNG file (what is classified);
    thumbs: each framed in its label's colour (the gallery); key: its picks' widget key."""

    name: str
    images: np.ndarray
    labels: np.ndarray
    classes: tuple[str, str]
    files: tuple[bytes, ...]
    thumbs: tuple[bytes, ...]
    key: str


@st.cache_resource(max_entries=8, show_spinner=False)
def _try_files(dataset_key: str, _images: np.ndarray, _labels: np.ndarray) -> tuple[tuple[bytes, ...], tuple[bytes, ...]]:
    """The pictures to try as PNG files and as framed thumbnails, encoded once per dataset: st.image
    then serves the same files on every rerun, and the upload path decodes each at most once."""
    return (tuple(png_bytes(x) for x in _images),
            tuple(png_bytes(framed(x, int(y))) for x, y in zip(_images, _labels)))


def _try_sources() -> dict[str, state.Source]:
    """Where each set of pictures to try comes from: the built-in drawings only when they are not
    the dataset in use already."""
    current, builtin = state.get_source(), state.Source("builtin", seed=SHIPPED_SEED)
    return dict(zip(TRY_SETS, (current,) if current == builtin else (current, builtin)))


def _try_set(name: str, source: state.Source) -> TrySet | None:
    """The set ``name`` of pictures to try, or None when its dataset cannot be loaded (the sidebar,
    or the course model, says why)."""
    try:
        ds = cache.dataset(source)
    except ValueError:
        return None
    images, labels_ = tries.offered(ds.test_x, ds.test_y)
    files, thumbs = _try_files(ds.key, images, labels_)
    # One key per dataset: another dataset's picks would name pictures it does not have.
    key = f"predict_try_{name}_{hashlib.sha256(ds.key.encode()).hexdigest()[:12]}"
    return TrySet(name, images, labels_, tuple(ds.classes), files, thumbs, key)


def _pictures_to_try(sources: Mapping[str, state.Source]) -> list[tuple[str, bytes, None]]:
    """The pictures to try, in an expander: the set (when there are two), its gallery (drawn only
    while open) and the picks. Returns (name, PNG file, None) for each picked picture, as _inputs
    gives an upload."""
    names = list(sources)
    tray = st.expander(t("predict.try_heading"), key=TRY_OPEN, on_change="rerun", icon=":material/photo_library:")
    with tray:
        name = names[0]
        if len(names) > 1:
            st.session_state.setdefault(TRY_SET, name)
            name = st.segmented_control(t("predict.try_set"), names, format_func=labels("predict.try_set_{}", names),
                                        key=TRY_SET, required=True) or name
        pictures = _try_set(name, sources[name])
        if pictures is None:
            st.caption(t("predict.try_unavailable"))
            return []
        k = len(pictures.labels)
        if tray.open:  # (closed, the picks stay: their pills are drawn, unseen)
            st.caption(t("predict.try_legend", n=k, dataset=source_label(sources[name]),
                         cat=class_label(pictures.classes[1]), non_cat=class_label(pictures.classes[0])))
            st.image(list(pictures.thumbs), caption=[f"#{i}" for i in range(k)], width=THUMB_WIDTH, output_format="PNG")
        picked = st.pills(t("predict.try_pick"), list(range(k)), selection_mode="multi", format_func="#{}".format,
                          key=pictures.key, help=t("predict.try_pick_help"))
    return [(t(f"predict.try_name_{name}", index=i), pictures.files[i], None) for i in picked]


def _show_pictures(pictures: TrySet, show: Mapping) -> None:
    """"Show me" (a callback, before the run): the pictures a question asked about become the picks,
    the only ones. The gallery stays as it was: opened, it would push their results a phone's
    screen further down."""
    st.session_state[TRY_SET] = pictures.name
    st.session_state[pictures.key] = list(show["pictures"])


def _draw_asked(pictures: TrySet, shown: tuple[int, ...]) -> None:
    """The pictures a question asks about, at the top of the box, as HTML (about 10 KB a picture
    with every run that asks): the page's st.image elements stay its results' and its gallery's."""
    width = ASKED_WIDTH * (2 if presenter.presenting() else 1)  # (seen from a classroom's back row)
    figures = "".join(
        f'<figure><img src="data:image/png;base64,{base64.b64encode(pictures.files[i]).decode("ascii")}" '
        f'width="{width}" height="{width}" alt="#{i}"><figcaption>#{i}</figcaption></figure>' for i in shown)
    st.html(f'<div class="predict-asked">{figures}</div>')


def _ask(box: checkpoints.Panel, pictures: TrySet | None, model: SavedModel, mode: str) -> None:
    """Ask the box's checkpoint about the pictures to try of the dataset in use, with the model in use."""
    if pictures is None:
        return
    classes = tuple(map(class_label, model.classes))
    truths = tuple(map(class_label, pictures.classes))

    def about(question: Callable[..., Question]) -> Callable[[], Question]:
        def asked_now() -> Question:
            # (only the picked question is computed: one product of w with the k pictures)
            q = question(tries.logits(model, pictures.images, mode), pictures.labels, classes, truths)
            _draw_asked(pictures, q.show["pictures"])
            return q
        return asked_now

    show = functools.partial(_show_pictures, pictures)
    box.ask("verdict", about(asked.verdict), show)
    box.ask("probability", about(asked.probability), show)
    if len(pictures.labels) >= 2:
        box.ask("surest", about(asked.surest), show)
    elif box.picked == "surest":
        box.body.caption(t("predict.too_few_to_compare"))


st.html(f"<style>{_CSS}</style>")
st.title(t("predict.title"))
st.markdown(t("predict.intro"))
box = checkpoints.panel("predict")  # (asked below, once the model and the pictures to try are known)

settings_col, prep_col = st.columns([3, 2])
with settings_col:
    model, model_note = _choose_model()
with prep_col:
    mode = "squash" if presenter.hidden("preprocessing") else st.radio(
        t("predict.preprocessing"), PREPROCESSINGS, format_func=labels("predict.prep_{}", PREPROCESSINGS),
        horizontal=True, key="predict_preprocessing", help=t("predict.preprocessing_help"))
st.info(model_note, icon=":material/psychology:")
standardised = is_standardised(model)
st.caption(
    t("predict.scale", h=model.image_shape[0], w=model.image_shape[1], n_x=model.n_x)
    + " " + t("predict.scale_standardised" if standardised else "predict.scale_255")
)

items, offered = _inputs()
sources = _try_sources()
picked = _pictures_to_try(sources)  # (after the uploads, within the same MAX_FILES)
items += picked[:max(0, MAX_FILES - len(items))]
offered += len(picked)
_ask(box, _try_set("test", sources["test"]), model, mode)
# One decoding budget for the whole upload, read from the headers (a refused file costs nothing).
verdicts = iter(within_budget([(name, data) for name, data, refusal in items if refusal is None]))
items = [(name, data, refusal or next(verdicts)) for name, data, refusal in items]
if not items:
    st.info(t("predict.prompt"))
else:
    if offered > MAX_FILES:
        st.warning(t("predict.too_many", n=offered, max=MAX_FILES))
    size = tuple(model.image_shape[:2])
    model_key = _model_key(model)
    results = []  # (name, digest, PreparedImage or None, error or None, {mode: Explanation})
    for name, data, refusal in items:
        if refusal is not None:
            results.append((name, None, None, refusal, {}))
            continue
        digest = _digest(data)
        with st.spinner(t("predict.decoding", name=name)):
            prepared, error = _prepare(digest, name, size, data)
        expl = _explained(digest, model_key, prepared, model) if prepared else {}
        results.append((name, digest, prepared, error, expl))
    if len(results) > 1:
        st.subheader(t("predict.n_images", n=len(results)))
        _summary(results, mode, class_label(model.classes[1]))
    st.caption(t("predict.map_legend", cat=class_label(model.classes[1]))
               + ("" if standardised else " " + t("predict.map_legend_255")))
    words = (tuple(map(class_label, model.classes)), t("predict.fig_threshold"),
             (t("predict.fig_input"), t("predict.fig_weights"), t("predict.fig_contribution")))
    for i, (name, digest, prepared, error, expl) in enumerate(results):
        if prepared is None:
            st.error(t("predict.refused", name=name, error=error), icon=":material/block:")
        else:
            _image_row(i, name, digest, prepared, expl, _figures(digest, model_key, words, expl, model), model, mode)
