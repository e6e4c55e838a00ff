"""What each simulated visitor does and what it must see, computed with the core (no Streamlit).

Visitor i opens the Train page with its own settings in the URL (a learning rate from the slider's
notches and an iteration count: only six notches leave room for three moves up to MAX_RATE, so with
30 visitors the *pair* is what is unique), moves the learning rate up ``moves`` notches, then goes to Predict and uploads its own photo:
one of the real photos, cropped by a few pixels so that every visitor's file has different bytes,
under a name that says whose it is. The expected numbers come from training with the same settings
on the same data here, as the page does.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from PIL import Image

from playground.data.course import load_course_folder
from playground.data.features import make_features
from playground.data.images import prepare_image
from playground.lessons.predict.explain import explain, probability_text
from playground.lessons.predict.saved_model import model_from_training
from playground.training import TrainingSettings, train
from playground.ui.pages import train_params as tp
from playground.ui.pages.train_text import format_percent
from tests.load.server import COURSE_DIR, ROOT

PHOTOS_DIR = ROOT.parent / "shared" / "data" / "photos"
# Every visitor ends at a rate of at most 0.005. Above about 0.01 gradient descent on the course's
# photos overshoots, and the last-bit differences of the BLAS (its thread count, the alignment of
# the arrays) grow to 1 % of w after 2,000 iterations (at 0.02: max |Δw| / max |w| = 1.2e-2 between
# OPENBLAS_NUM_THREADS=1 and 2), so P(cat) computed here could differ from the server's in its
# third decimal without anything being wrong. At ≤ 0.005 both agree to 1e-9.
MAX_RATE = 0.005
FIRST_RATE = 0
RATE_CHOICES = 6
# Iterations of the 30 visitors: 1,000 … 2,500 by 50 without 1,750, the lone visitor's.
LOAD_ITERATIONS = tuple(it for it in range(1000, 2550, 50) if it != 1750)
BASELINE_ITERATIONS = 1750
NAME = re.compile(r"visitor(\d\d)-")


@dataclass(frozen=True)
class Visitor:
    index: int
    start_lr: float
    iterations: int
    rates: tuple[float, ...]          # the learning rates the slider is moved to, one notch at a time
    photo_name: str
    photo: bytes
    # What the pages must show for this visitor's own model:
    start_train_acc: str
    start_test_acc: str
    final_train_acc: str
    final_test_acc: str
    p_cat: str
    z: float

    @property
    def final_lr(self) -> float:
        return self.rates[-1] if self.rates else self.start_lr

    @property
    def url_query(self) -> str:
        return f"data=course&lr={tp.format_rate(self.start_lr)}&iters={self.iterations}"

    @property
    def final_lr_text(self) -> str:
        return tp.format_rate(self.final_lr)

    @property
    def start_lr_text(self) -> str:
        return tp.format_rate(self.start_lr)


def _photo(i: int) -> tuple[str, bytes]:
    """Visitor i's own upload: a real photo with i + 1 pixels cropped off two sides, as a new JPEG."""
    photos = sorted(PHOTOS_DIR.glob("*.jpg"))
    if not photos:
        raise FileNotFoundError(f"No photos in {PHOTOS_DIR}")
    path = photos[i % len(photos)]
    with Image.open(path) as img:
        img = img.convert("RGB")
        w, h = img.size
        cut = img.crop((i + 1, i + 1, w, h))
        buf = io.BytesIO()
        cut.save(buf, "JPEG", quality=90)
    return f"visitor{i:02d}-{path.stem}.jpg", buf.getvalue()


def _course_features():
    ds = load_course_folder(COURSE_DIR)
    return ds, make_features(ds, "divide_255")


def make_visitor(i: int, rate_index: int, iterations: int, moves: int, data=None) -> Visitor:
    """Visitor ``i``: opens Train at LEARNING_RATES[rate_index] and ``iterations``, moves the rate
    ``moves`` notches up; what its pages must show, computed with the core as the page does."""
    ds, F = data or _course_features()
    rates = tp.LEARNING_RATES[rate_index:rate_index + moves + 1]
    if len(rates) != moves + 1 or rates[-1] > MAX_RATE:
        raise ValueError(f"{moves} moves up from notch {rate_index} go beyond {MAX_RATE}")
    first = train(F, TrainingSettings(learning_rate=rates[0], num_iterations=iterations))
    last = train(F, TrainingSettings(learning_rate=rates[-1], num_iterations=iterations)) if moves else first
    model = model_from_training(last.w, last.b, F, ds.classes, {}, "")
    name, photo = _photo(i)
    prepared = prepare_image(photo, name, tuple(model.image_shape[:2]))
    e = explain(model, prepared.inputs["squash"])
    return Visitor(
        index=i, start_lr=rates[0], iterations=iterations, rates=tuple(rates[1:]), photo_name=name, photo=photo,
        start_train_acc=format_percent(first.train_accuracy), start_test_acc=format_percent(first.test_accuracy),
        final_train_acc=format_percent(last.train_accuracy), final_test_acc=format_percent(last.test_accuracy),
        p_cat=probability_text(e.p_cat), z=float(e.z),
    )


def make_plan(n: int, moves: int) -> list[Visitor]:
    """n visitors, each with its own (rate, iterations) pair and its own photo.

    Visitor i starts at notch i mod 6 (0.00001 … 0.0005) with the i-th of LOAD_ITERATIONS, so no
    two visitors, nor the lone one, ever ask for the same training: nothing is shared between them
    but the dataset and K."""
    if n > len(LOAD_ITERATIONS):
        raise ValueError(f"at most {len(LOAD_ITERATIONS)} visitors: the iteration counts are theirs")
    data = _course_features()
    return [make_visitor(i, FIRST_RATE + i % RATE_CHOICES, LOAD_ITERATIONS[i], moves, data) for i in range(n)]


BASELINE_INDEX = 99


def make_baseline(moves: int = 8) -> Visitor:
    """The lone visitor of the baseline: 1,750 iterations (the middle of the load's) from the
    slider's first notch up ``moves`` notches (to 0.005 with 8)."""
    return make_visitor(BASELINE_INDEX, 0, BASELINE_ITERATIONS, moves)


def make_browser_visitors(k: int, moves: int = 1) -> list[Visitor]:
    """The real-browser visitors (indices 40, 41, …): 2,600 + 50·j iterations, more than any
    protocol visitor, so they too train what nobody else asks for."""
    if k > 6:
        raise ValueError("at most 6 browser visitors")
    data = _course_features()
    return [make_visitor(40 + j, FIRST_RATE + 2 + j, 2600 + tp.ITERATION_STEP * j, moves, data) for j in range(k)]
