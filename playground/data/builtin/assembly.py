"""The dataset drawn from a seed: labels, a kind and background per picture, the drawing, the camera."""

import numpy as np

from playground.data.builtin.backgrounds import BACKGROUNDS
from playground.data.builtin.camera import camera
from playground.data.builtin.canvas import S
from playground.data.builtin.kinds import CAT_KINDS, NON_CAT_KINDS
from playground.data.dataset import Dataset

CLASSES = ("non-cat", "cat")

# (cats, non-cats) in the course's files: train 72 / 137, test 33 / 17.
TRAIN_COUNTS = (72, 137)
TEST_COUNTS = (33, 17)


def draw_pictures(rng, labels):
    """Pictures for the labels (m,) of 0/1, drawn with ``rng``: (m, S, S, 3) uint8."""
    m = len(labels)
    kinds = np.empty(m, dtype=object)
    for label, table in ((1, CAT_KINDS), (0, NON_CAT_KINDS)):
        names = list(table)
        weights = np.array([table[k][2] for k in names])
        where = np.flatnonzero(labels == label)
        # Stratified, not drawn: each kind gets its share even in the 17 non-cats of the test set.
        share = np.cumsum(weights) / weights.sum()
        quantiles = (np.arange(len(where)) + rng.random()) / len(where)
        # share[:-1]: rounding may leave share[-1] a hair under 1, past the last kind.
        kinds[where] = rng.permutation(np.array(names)[np.searchsorted(share[:-1], quantiles, side="right")])
    backgrounds = np.empty(m, dtype=object)
    for kind, (_, allowed, _) in (CAT_KINDS | NON_CAT_KINDS).items():
        where = np.flatnonzero(kinds == kind)
        backgrounds[where] = rng.choice(allowed, size=len(where))
    img = np.empty((m, S, S, 3), dtype=np.float32)
    for name, make in BACKGROUNDS.items():
        where = np.flatnonzero(backgrounds == name)
        if len(where):
            img[where] = make(rng, len(where))
    for kind, (draw, _, _) in (CAT_KINDS | NON_CAT_KINDS).items():
        where = np.flatnonzero(kinds == kind)
        if len(where):
            batch = img[where]
            draw(batch, rng, len(where))
            img[where] = batch
    return camera(rng, img)


def draw_builtin_dataset(seed: int = 0) -> Dataset:
    """The built-in drawn cat / non-cat dataset; the same seed always gives the same bytes.

    209 training and 50 test images, uint8 (m, 64, 64, 3), labels 1 = cat,
    with the course's class balance (72 / 137 and 33 / 17).
    """
    rng = np.random.default_rng(seed)
    parts = []
    for cats, non_cats in (TRAIN_COUNTS, TEST_COUNTS):
        labels = rng.permutation(np.repeat(np.array([1, 0], dtype=np.int64), (cats, non_cats)))
        parts += [draw_pictures(rng, labels), labels]
    return as_dataset(seed, *parts)


def as_dataset(seed: int, train_x, train_y, test_x, test_y) -> Dataset:
    """The drawings of ``seed`` (drawn or read from assets/) named and keyed as the built-in dataset."""
    return Dataset(
        name=f"Built-in drawings (seed {seed})",
        key=f"builtin:{seed}",
        train_x=train_x,
        train_y=train_y,
        test_x=test_x,
        test_y=test_y,
        classes=CLASSES,
    )
