"""Why the neuron said what it said: z = wᵀx̃ + b taken apart, one pixel at a time.

The logit is a plain sum, z = Σᵢ wᵢx̃ᵢ + b, so every feature's share of the
answer is its term wᵢx̃ᵢ. Summing the three channels of a pixel gives one
number per pixel: the contribution map. Positive pixels push towards "cat",
negative ones away, and the map's total plus b *is* z — not an approximation.

x̃ is the input on the model's own scale: pixel / 255 for the course's
scaling, (pixel / 255 − meanᵢ) / scaleᵢ for a standardised model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from playground.course.activations import sigmoid
from playground.lessons.predict.saved_model import SavedModel

THRESHOLD = 0.5
"""The course's decision rule: cat when ŷ = σ(z) > 0.5, i.e. when z > 0."""


@dataclass(frozen=True, eq=False)
class Explanation:
    """One image through one model.

    image: (H, W, 3) uint8, the input the model saw; x: (H, W, 3) float64 on the model's scale;
    terms: (H, W, 3) = wᵢx̃ᵢ for every feature; contributions: (H, W) = terms summed over channels.
    b: the bias; z: wᵀx̃ + b computed directly (one dot product, as the model does);
    p_cat: σ(z); label: 1 (classes[1], "cat") when p_cat > THRESHOLD, else 0.
    """

    image: np.ndarray
    x: np.ndarray
    terms: np.ndarray
    contributions: np.ndarray
    b: float
    z: float
    p_cat: float
    label: int
    classes: tuple[str, str]

    @property
    def decision(self) -> str:
        return self.classes[self.label]

    @property
    def total(self) -> float:
        """Σᵢ wᵢx̃ᵢ: the sum of the map, which plus b equals z."""
        return float(self.contributions.sum())

    @property
    def pushing_for(self) -> float:
        """The sum of the positive pixels of the map (towards classes[1])."""
        return float(self.contributions[self.contributions > 0].sum())

    @property
    def pushing_against(self) -> float:
        """The sum of the negative pixels of the map (towards classes[0]); ≤ 0."""
        return float(self.contributions[self.contributions < 0].sum())


def explain(model: SavedModel, image: np.ndarray) -> Explanation:
    """image (H, W, 3) uint8, already at the model's input size → its Explanation."""
    image = np.asarray(image)
    if image.shape != tuple(model.image_shape) or image.dtype != np.uint8:
        raise ValueError(
            f"This model takes uint8 images of shape {tuple(model.image_shape)}, "
            f"got shape {image.shape} and dtype {image.dtype}."
        )
    shape = tuple(model.image_shape)
    x = model.features(image[None])[:, 0]
    terms = model.w[:, 0] * x
    # The model's own answer, not the map's sum: the two agreeing is what the page shows.
    z = float(model.logits(image[None])[0])
    p = float(sigmoid(z))
    return Explanation(
        image=image,
        x=x.reshape(shape),
        terms=terms.reshape(shape),
        contributions=terms.reshape(shape).sum(axis=2),
        b=float(model.b),
        z=z,
        p_cat=p,
        label=int(p > THRESHOLD),
        classes=tuple(model.classes),
    )


def weights_map(model: SavedModel) -> np.ndarray:
    """w summed over the three channels: (H, W). Where the neuron rewards brightness (> 0)
    and where it penalises it (< 0), on the model's scale."""
    return model.w[:, 0].reshape(model.image_shape).sum(axis=2)


def is_standardised(model: SavedModel) -> bool:
    """Whether the model subtracts a mean / divides by a scale beyond pixel / 255."""
    return not (np.all(model.mean == 0) and np.all(model.scale == 1))


def input_scale(model: SavedModel) -> str:
    """In words, the scale x̃ is on (what the contribution map multiplies w by)."""
    if is_standardised(model):
        return "x̃ᵢ = (pixelᵢ / 255 − meanᵢ) / σᵢ, standardised with the training set's mean and standard deviation"
    return "x̃ᵢ = pixelᵢ / 255, the course's scaling (0 = black, 1 = full brightness)"


def probability_text(p: float, decimals: int = 3) -> str:
    """P for display: ``decimals`` decimals, but never rounded to a flat 0 or 1, which would read as
    certainty ("< 0.001", "> 0.999" instead); "–" for no probability at all (NaN; load_model refuses
    a model whose weights could overflow z)."""
    if not math.isfinite(p):
        return "–"
    step = 10.0 ** -decimals
    if p < step:
        return f"< {step:.{decimals}f}"
    if p > 1 - step:
        return f"> {1 - step:.{decimals}f}"
    return f"{p:.{decimals}f}"


def probability_latex(p: float) -> str:
    """The right-hand side of "σ(z) …" in LaTeX: "= 0.6972", or a power of ten for a probability
    that four decimals would flatten to 0 or 1 ("\\approx 2.5 \\times 10^{-5}")."""
    if 1e-4 <= p <= 1 - 1e-4:
        return f"= {p:.4f}"
    small = p if p < 0.5 else 1 - p
    if small <= 0:  # σ(z) rounds to exactly 1 once z > 37 or so (to exactly 0 only below −745)
        return r"\approx 0" if p < 0.5 else r"\approx 1"
    exponent = int(np.floor(np.log10(small)))
    tail = rf"{small / 10.0 ** exponent:.1f} \times 10^{{{exponent}}}"
    return rf"\approx {tail}" if p < 0.5 else rf"\approx 1 - {tail}"
