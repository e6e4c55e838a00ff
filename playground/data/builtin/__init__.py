"""The built-in dataset: drawn cats and drawn non-cats, generated from a seed.

Same format and class balance as the course's ``train_catvnoncat.h5`` /
``test_catvnoncat.h5`` (209 + 50 RGB images of 64×64, label 1 = cat), drawn
by this package in NumPy — no download. Shapes are signed-distance fields
turned into anti-aliased coverage, so edges are smooth, not pixel masks.

Cats and non-cats share the coat colours, backgrounds, placement and camera
noise, so neither the mean colour nor the brightness gives the class away:
the one-neuron network has to learn from the shapes, and, as on the course's
photos, it learns the training set far better than it generalises.

Where things live: ``canvas`` (frames, shapes, fill), ``random_draws``,
``palette``, ``backgrounds``, ``animals`` (coats, poses), ``cats``,
``other_animals``, ``objects``, ``scenes``, ``kinds`` (what is drawn how often),
``camera``, ``assembly`` (the dataset from a seed), ``shipped`` (assets/).
"""

from playground.data.builtin.assembly import CLASSES, TEST_COUNTS, TRAIN_COUNTS, draw_builtin_dataset
from playground.data.builtin.camera import CAMERA_NOISE
from playground.data.builtin.cats import CAT_JITTER
from playground.data.builtin.kinds import CAT_KINDS, NON_CAT_KINDS
from playground.data.builtin.other_animals import OTHER_JITTER
from playground.data.builtin.shipped import SHIPPED, SHIPPED_SEED, make_builtin_dataset, read_shipped, write_shipped

__all__ = [
    "CAMERA_NOISE",
    "CAT_JITTER",
    "CAT_KINDS",
    "CLASSES",
    "NON_CAT_KINDS",
    "OTHER_JITTER",
    "SHIPPED",
    "SHIPPED_SEED",
    "TEST_COUNTS",
    "TRAIN_COUNTS",
    "draw_builtin_dataset",
    "make_builtin_dataset",
    "read_shipped",
    "write_shipped",
]
