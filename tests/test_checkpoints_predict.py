"""The Predict page's checkpoints and its pictures to try, computed by the core (no Streamlit)."""

from __future__ import annotations

import math
import subprocess
import sys

import numpy as np
import pytest

from playground.data.images import prepare_image
from playground.figures.pictures import png_bytes
from playground.figures.predict import CAT_COLOUR, NON_CAT_COLOUR, framed
from playground.lessons.checkpoints import predict as asked
from playground.lessons.predict import tries
from playground.lessons.predict.explain import explain
from playground.lessons.predict.saved_model import SavedModel
from tests.conftest import ROOT

NAMES = ("non-cat", "cat")


def _p(z):
    return 1 / (1 + math.exp(-z))


# ------------------------------------------------------------------ the picture each question asks about
def test_the_verdict_asks_about_the_surest_mistake_a_cat_called_non_cat_first():
    z = np.array([4.0, -0.5, 6.0, -3.0, 1.0])
    labels = np.array([1, 1, 0, 1, 0])  # mistakes: #1 (cat, −0.5), #2 (non-cat, 6), #3 (cat, −3), #4 (non-cat, 1)
    q = asked.verdict(z, labels, NAMES, NAMES)
    assert q.show == {"pictures": (3,)} and q.fields["index"] == 3
    assert q.answer.right == "non_cat" and q.is_right("non_cat") and not q.is_right("cat")
    assert q.fields["said"] == "non-cat" and q.fields["truth"] == "cat" and q.fields["z"] == "-3.00"
    # No cat mistaken: the surest mistake of any kind; no mistake at all: the closest call.
    assert asked.verdict(z, np.array([1, 0, 0, 0, 0]), NAMES, NAMES).fields["index"] == 2
    right = asked.verdict(z, np.array([1, 0, 1, 0, 1]), NAMES, NAMES)
    assert right.fields["index"] == 1 and right.answer.right == "non_cat"


def test_the_verdict_words_the_models_own_classes():
    q = asked.verdict(np.array([2.0, -1.0]), np.array([0, 0]), ("other", "kitten"), NAMES)
    assert q.fields | {} == {"index": 0, "z": "+2.00", "p": "0.881", "said": "kitten", "truth": "non-cat",
                             "cat": "kitten", "non_cat": "other"}
    assert q.answer.options == asked.VERDICTS and q.answer.right == "cat"


def test_the_probability_asks_sigma_of_a_z_well_away_from_0_and_gives_it():
    z = np.array([0.1, -1.4, 4.0, 2.2])
    q = asked.probability(z, np.array([0, 1, 1, 0]), NAMES, NAMES)
    assert q.fields["index"] == 1 and q.fields["z"] == "-1.40" and q.show == {"pictures": (1,)}
    p = _p(-1.4)  # 0.198
    assert q.answer.right == pytest.approx(p, abs=1e-12) and q.answer.shown() == "0.20"
    assert q.is_right(0.2) and q.is_right(p + 0.049) and q.is_right(p - 0.049)
    assert not q.is_right(p + 0.06) and not q.is_right(0.8) and not q.is_right(None)


def test_surest_shows_a_fooling_non_cat_beside_two_cats_clearly_below_it():
    z = np.array([3.0, 2.9, 1.0, 0.5, -2.0, 2.0, 1.5])
    labels = np.array([1, 1, 1, 1, 0, 0, 0])
    right, shown = asked.surest_pictures(z, labels)
    # #5 is the non-cat the neuron surest calls a cat (P 0.881); cats at least 0.1 lower: #2 (0.731), #3.
    assert right == 5 and shown == (2, 3, 5)
    q = asked.surest(z, labels, NAMES, NAMES)
    assert q.answer.options == ("#2", "#3", "#5") and q.answer.right == "#5" and q.answer.literal
    assert q.is_right("#5") and not q.is_right("#2") and q.show == {"pictures": (2, 3, 5)}
    assert q.fields["ps"] == "#2: 0.731, #3: 0.622, #5: 0.881" and q.fields["truth"] == "non-cat"


@pytest.mark.parametrize("seed", range(20))
def test_surest_has_one_right_answer_the_highest_p(seed):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 40))
    z, labels = rng.normal(0, 3, k), rng.integers(0, 2, k)
    right, shown = asked.surest_pictures(z, labels)
    assert len(shown) == min(3, k) and right in shown and list(shown) == sorted(set(shown))
    assert all(z[j] < z[right] for j in shown if j != right)


def test_surest_with_every_z_equal_or_too_few_pictures():
    q = asked.surest(np.ones(5), np.array([0, 1, 0, 1, 0]), NAMES, NAMES)  # w = 0: every P the same
    assert q.answer.options == ("#0", "#1", "#2") and q.fields["ps"] == "#0: 0.731, #1: 0.731, #2: 0.731"
    assert asked.surest_pictures(np.array([0.5, -0.5]), np.array([1, 0])) == (0, (0, 1))
    with pytest.raises(ValueError, match="two pictures or more"):
        asked.surest_pictures(np.array([1.0]), np.array([1]))


# ------------------------------------------------------------------ on the course's data, with its model
@pytest.fixture(scope="module")
def course_tries(course_dataset, course_model):
    images, labels = tries.offered(course_dataset.test_x, course_dataset.test_y)
    return images, labels, tries.logits(course_model, images)


def test_the_course_models_questions_agree_with_its_explanations(course_model, course_tries):
    images, labels, z = course_tries
    assert len(z) == 50
    # Each answer, computed again as the page explains that picture: explain() on it alone.
    v = asked.verdict(z, labels, NAMES, NAMES)
    e = explain(course_model, images[v.fields["index"]])
    assert e.label != labels[v.fields["index"]], "the course model errs on 15 test pictures: the verdict shows one"
    assert v.answer.right == ("cat" if e.p_cat > 0.5 else "non_cat")
    p = asked.probability(z, labels, NAMES, NAMES)
    e = explain(course_model, images[p.fields["index"]])
    assert p.answer.right == pytest.approx(e.p_cat, abs=1e-9) and 1.0 <= abs(e.z) <= 2.0
    s = asked.surest(z, labels, NAMES, NAMES)
    ps = {k: explain(course_model, images[k]).p_cat for k in s.show["pictures"]}
    assert s.answer.right == f"#{max(ps, key=ps.get)}"
    top, second = sorted(ps.values(), reverse=True)[:2]
    assert top - second >= asked.GAP


# ------------------------------------------------------------------ the pictures to try
def test_offered_pictures_are_the_first_of_the_test_set():
    images = np.zeros((tries.TRY_MAX + 5, 4, 4, 3), np.uint8)
    x, y = tries.offered(images, np.arange(tries.TRY_MAX + 5))
    assert len(x) == tries.TRY_MAX and list(y[:3]) == [0, 1, 2]


@pytest.mark.parametrize("mode", ["squash", "crop"])
def test_a_picture_to_try_gets_the_z_its_png_gets_through_the_upload_path(mode):
    """The page classifies a picture to try as a PNG upload; ``tries.logits`` must give that z, also
    for a model of another size and shape (then each preprocessing makes a different input)."""
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, (4, 64, 64, 3), dtype=np.uint8)
    for shape in ((64, 64, 3), (32, 48, 3)):
        n_x = int(np.prod(shape))
        model = SavedModel(w=rng.standard_normal((n_x, 1)) * 0.01, b=0.1, mean=np.zeros((n_x, 1)),
                           scale=np.ones((n_x, 1)), image_shape=shape, classes=NAMES, settings={})
        z = tries.logits(model, images, mode)
        for k, image in enumerate(images):
            uploaded = prepare_image(png_bytes(image), f"{k}.png", shape[:2]).inputs[mode]
            assert z[k] == pytest.approx(explain(model, uploaded).z, abs=1e-12)
            assert np.array_equal(tries.model_inputs(model, images, mode)[k], uploaded)


def test_a_thumbnail_is_framed_in_its_labels_colour():
    picture = np.full((64, 64, 3), 7, np.uint8)
    cat, other = framed(picture, 1), framed(picture, 0)
    assert tuple(cat[0, 0]) == tuple(int(CAT_COLOUR[k:k + 2], 16) for k in (1, 3, 5))
    assert tuple(other[-1, 30]) == tuple(int(NON_CAT_COLOUR[k:k + 2], 16) for k in (1, 3, 5))
    assert (cat[3:-3, 3:-3] == 7).all() and (picture == 7).all()  # the inside kept, the original untouched


def test_the_core_of_the_questions_has_no_streamlit():
    code = ("import sys, playground.lessons.checkpoints.predict, playground.lessons.predict.tries; "
            "print('streamlit' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
