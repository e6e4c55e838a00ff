"""What the dataset shows and how often: every kind of picture per class, with its backgrounds.

A draw function ``draw(img, rng, n)`` paints n pictures of its kind in place
over their backgrounds, img (n, S, S, 3) float32 in [0, 1].
"""

from playground.data.builtin.backgrounds import ANYWHERE, INDOOR, OUTDOOR
from playground.data.builtin.cats import cat_portrait, cat_sitting
from playground.data.builtin.objects import ball, house, lamp, mug, tree
from playground.data.builtin.other_animals import bird, dog_portrait, dog_sitting, owl, rabbit, teddy_bear
from playground.data.builtin.scenes import city, landscape

# kind → (draw function, backgrounds it is drawn on, weight among its class)
CAT_KINDS = {
    "cat portrait": (cat_portrait, ANYWHERE, 0.8),
    "cat sitting": (cat_sitting, ANYWHERE, 0.2),
}
NON_CAT_KINDS = {
    "dog portrait": (dog_portrait, ANYWHERE, 0.12),
    "dog sitting": (dog_sitting, ANYWHERE, 0.07),
    "teddy bear": (teddy_bear, INDOOR, 0.06),
    "rabbit": (rabbit, ANYWHERE, 0.07),
    "owl": (owl, OUTDOOR, 0.06),
    "bird": (bird, OUTDOOR, 0.08),
    "mug": (mug, INDOOR, 0.08),
    "lamp": (lamp, INDOOR, 0.06),
    "ball": (ball, ANYWHERE, 0.08),
    "house": (house, ("garden",), 0.08),
    "tree": (tree, ("garden",), 0.08),
    "landscape": (landscape, ("sky",), 0.08),
    "city": (city, ("sky",), 0.08),
}
