"""A trained model as one object: what Predict uses and what the .npz download holds.

The file is a plain ``np.savez`` archive (no pickle): w (n_x,), b (), mean and
scale (n_x,) of the preprocessing, image_shape (3,), classes (2,) str,
settings as a JSON string. Loading checks every array's shape and dtype.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass

import numpy as np

from playground.course.activations import sigmoid
from playground.data.features import Features, flatten
from playground.errors import InputError

MAX_MODEL_BYTES = 5 * 1024 * 1024
"""Largest model file accepted; a 64 × 64 × 3 model is about 300 KB."""
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
"""Most bytes the arrays of a model file may unpack to (a guard against zip bombs)."""
MAX_IMAGE_SIDE = 256
"""Largest height or width of image_shape (as for the course's .h5 files, course.MAX_SIDE): Predict
draws the model's weights and each photo's input at that size, so a few KB of file claiming
1024 × 1024 would send tens of MB to the browser on every run."""
FORMAT_VERSION = 1


@dataclass(frozen=True, eq=False)
class SavedModel:
    """w: (n_x, 1) float64; b: float; mean, scale: (n_x, 1) — x ↦ (x/255 − mean)/scale.
    image_shape: (H, W, 3) the model takes; classes: (label 0, label 1); settings: plain dict."""

    w: np.ndarray
    b: float
    mean: np.ndarray
    scale: np.ndarray
    image_shape: tuple[int, int, int]
    classes: tuple[str, str]
    settings: dict
    source: str = ""

    @property
    def n_x(self) -> int:
        return self.w.shape[0]

    @property
    def logit_bound(self) -> float:
        """The largest |z| any image can give: Σ |wᵢ|·max|x̃ᵢ| + |b|, x̃ᵢ over pixels 0–255 (inf when
        that overflows: then some image's z is ±inf or NaN)."""
        with np.errstate(over="ignore"):
            reach = np.maximum(np.abs(self.mean), np.abs(1.0 - self.mean)) / np.abs(self.scale)
            return float(np.sum(np.abs(self.w) * reach) + abs(self.b))

    def features(self, images: np.ndarray) -> np.ndarray:
        """uint8 images (k, H, W, 3) → X (n_x, k) on the training data's scale."""
        if images.ndim != 4 or tuple(images.shape[1:]) != tuple(self.image_shape):
            # (code's mistake, not the visitor's: every caller resizes to image_shape first)
            raise ValueError(f"This model takes images of shape {tuple(self.image_shape)}, got {tuple(images.shape[1:])}.")
        return (flatten(images) / 255.0 - self.mean) / self.scale

    def logits(self, images: np.ndarray) -> np.ndarray:
        """z = wᵀx + b for each image: (k,)."""
        return (self.w.T @ self.features(images) + self.b)[0]

    def predict_proba(self, images: np.ndarray) -> np.ndarray:
        """P(cat) = σ(z) for each image: (k,)."""
        return sigmoid(self.logits(images))


def model_from_training(w: np.ndarray, b: float, features: Features, classes, settings: dict, source: str = "") -> SavedModel:
    """Bundle trained parameters with the preprocessing of the features they were trained on."""
    return SavedModel(
        w=np.asarray(w, dtype=float).reshape(-1, 1),
        b=float(b),
        mean=np.asarray(features.mean),
        scale=np.asarray(features.scale),
        image_shape=tuple(features.image_shape),
        classes=tuple(classes),
        settings=dict(settings),
        source=source,
    )


def save_model(model: SavedModel) -> bytes:
    """The model as .npz bytes."""
    buf = io.BytesIO()
    np.savez_compressed(
        buf,
        format_version=np.array(FORMAT_VERSION),
        w=model.w[:, 0],
        b=np.array(model.b),
        mean=model.mean[:, 0],
        scale=model.scale[:, 0],
        image_shape=np.array(model.image_shape, dtype=np.int64),
        classes=np.array(model.classes, dtype=str),
        settings=np.array(json.dumps(model.settings)),
        source=np.array(model.source),
    )
    return buf.getvalue()


_EXPECTED = ("w", "b", "mean", "scale", "image_shape", "classes", "settings")
_OPTIONAL = ("source", "format_version")


def _header(zf: zipfile.ZipFile, member: str, name: str, key: str) -> tuple[tuple[int, ...], np.dtype]:
    """Shape and dtype from an .npy member's header, without reading its data."""
    try:
        with zf.open(member) as fp:
            version = np.lib.format.read_magic(fp)
            read = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, _, dtype = read(fp)
    except (ValueError, OSError, zipfile.BadZipFile, EOFError, KeyError):
        raise InputError("model_array_damaged", name=name, key=key) from None
    if dtype.hasobject:
        raise InputError("model_array_objects", name=name, key=key)
    return shape, dtype


def _read_arrays(data: bytes, name: str) -> dict[str, np.ndarray]:
    """The known arrays of a .npz, read without pickle, after checking their sizes from the headers."""
    try:
        archive = np.load(io.BytesIO(data), allow_pickle=False)
    except (ValueError, OSError, zipfile.BadZipFile, EOFError):
        raise InputError("model_not_npz", name=name) from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise InputError("model_single_npy", name=name)
    with archive:
        missing = [k for k in _EXPECTED if k not in archive.files]
        if missing:
            raise InputError("model_missing_arrays", name=name, missing=", ".join(missing), expected=", ".join(_EXPECTED))
        wanted = [k for k in _EXPECTED + _OPTIONAL if k in archive.files]
        members = set(archive.zip.namelist())
        # A few KB of zeros can claim to unpack to gigabytes: NumPy would allocate what a header
        # claims before reading a byte, so the claims are added up first.
        unpacked = 0
        for k in wanted:
            shape, dtype = _header(archive.zip, f"{k}.npy" if f"{k}.npy" in members else k, name, k)
            unpacked += int(np.prod(shape, dtype=float)) * dtype.itemsize
        if unpacked > MAX_UNPACKED_BYTES:
            raise InputError("model_unpacks_too_big", name=name, mib=unpacked / 2**20, limit_mib=MAX_UNPACKED_BYTES / 2**20)
        try:
            return {k: archive[k] for k in wanted}
        except (ValueError, OSError, zipfile.BadZipFile, EOFError) as err:
            raise InputError("model_unreadable_array", name=name, detail=str(err)) from None


def load_model(data: bytes, name: str = "the model file") -> SavedModel:
    """.npz bytes → SavedModel, with a ValueError saying what is wrong with a bad file."""
    if len(data) == 0:
        raise InputError("model_empty", name=name)
    if len(data) > MAX_MODEL_BYTES:
        raise InputError("model_too_big", name=name, mib=len(data) / 2**20, limit_mib=MAX_MODEL_BYTES / 2**20)
    arrays = _read_arrays(bytes(data), name)
    version = arrays.get("format_version")
    if version is not None and (version.shape != () or version.dtype.kind not in "iu" or int(version) > FORMAT_VERSION):
        raise InputError("model_version", name=name, version=repr(version.tolist()), supported=FORMAT_VERSION)
    shape = arrays["image_shape"]
    if shape.shape != (3,) or not np.issubdtype(shape.dtype, np.integer) or shape[2] != 3 or (shape <= 0).any():
        raise InputError("model_bad_image_shape", name=name, got=shape.tolist())
    if (shape[:2] > MAX_IMAGE_SIDE).any():
        raise InputError("model_image_too_large", name=name, height=int(shape[0]), width=int(shape[1]), limit=MAX_IMAGE_SIDE)
    n_x = int(np.prod(shape))
    for key in ("w", "mean", "scale"):
        arr = arrays[key]
        if arr.shape != (n_x,) or not np.issubdtype(arr.dtype, np.floating):
            raise InputError("model_bad_vector", name=name, key=key, n_x=n_x, height=shape[0], width=shape[1],
                             shape=arr.shape, dtype=arr.dtype)
        if not np.isfinite(arr).all():
            raise InputError("model_non_finite", name=name, key=key)
    b = arrays["b"]
    if b.shape != () or not np.issubdtype(b.dtype, np.floating) or not np.isfinite(b):
        raise InputError("model_bad_bias", name=name, shape=b.shape, dtype=b.dtype)
    if (arrays["scale"] == 0).any():
        raise InputError("model_zero_scale", name=name)
    classes = arrays["classes"]
    if classes.shape != (2,) or classes.dtype.kind != "U":
        raise InputError("model_bad_classes", name=name, got=repr(classes.tolist()))
    try:
        settings = json.loads(str(arrays["settings"]))
        if not isinstance(settings, dict):
            raise ValueError
    except ValueError:
        raise InputError("model_bad_settings", name=name) from None
    model = SavedModel(
        w=arrays["w"].astype(float).reshape(-1, 1),
        b=float(b),
        mean=arrays["mean"].astype(float).reshape(-1, 1),
        scale=arrays["scale"].astype(float).reshape(-1, 1),
        image_shape=tuple(int(v) for v in shape),
        classes=(str(classes[0]), str(classes[1])),
        settings=settings,
        source=str(arrays["source"]) if "source" in arrays else "",
    )
    # Finite weights can still overflow z (1e308 · 2 = inf; inf − inf = NaN): no answer for some
    # images, so no model. (Trained weights are nowhere near: the course's reach |z| ≤ ~10⁵.)
    if not np.isfinite(model.logit_bound):
        raise InputError("model_overflows", name=name)
    return model
