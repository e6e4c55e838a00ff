"""The Predict page's checkpoints: what the neuron will say about a test picture, the probability σ(z)
it gives one, and which of three pictures it is surest is a cat.

Every question is about the pictures to try (``lessons.predict.tries``) and is computed from their
logits under the model in use at that moment: z (k,), one per picture, with their labels (k,) 0 / 1.
``Question.show["pictures"]`` holds the pictures it asks about (indices into them): the page draws
them in the box, and "Show me" picks them among its pictures to try, so its own result answers.
"""

from __future__ import annotations

import numpy as np

from playground.course.activations import sigmoid
from playground.lessons.checkpoints.catalog import Checkpoint
from playground.lessons.checkpoints.kinds import Choice, Number, Question
from playground.lessons.predict.explain import THRESHOLD, probability_text

CHECKPOINTS = (
    Checkpoint("predict", "verdict", "choice"),
    Checkpoint("predict", "probability", "number"),
    Checkpoint("predict", "surest", "choice"),
)

VERDICTS = ("cat", "non_cat")
"""The verdict's options: the neuron says label 1 or label 0 (worded with the model's class names)."""
TYPICAL_Z = 1.5
"""The probability question asks about the picture whose |z| is nearest this: σ is well away from
0.5 there and not yet flat (σ(1.5) ≈ 0.82), so the answer takes the formula, not a guess."""
TOLERANCE = 0.05
"""How far from σ(z) a typed probability may be: z is given, so this is reading σ, not guessing."""
GAP = 0.1
"""The two other pictures of the surest question have a P(cat) at least this much lower, when the
set has such pictures: a difference the page's result shows (0.999 against 0.998 would not)."""


def _said(z: np.ndarray) -> np.ndarray:
    """The decisions (k,) 0 / 1, by the rule the page's explanation uses: P = σ(z) > THRESHOLD."""
    return (sigmoid(np.asarray(z, dtype=float)) > THRESHOLD).astype(int)


def _picture(k: int) -> str:
    return f"#{k}"


def verdict_picture(z: np.ndarray, labels: np.ndarray) -> int:
    """The picture that teaches most about what a neuron says: the surest mistake, a cat called
    non-cat first (the surest question already shows the other kind), else the closest call."""
    z, labels = np.asarray(z, dtype=float), np.asarray(labels)
    wrong = _said(z) != labels
    for group in (wrong & (labels == 1), wrong):
        if group.any():
            return int(np.argmax(np.where(group, np.abs(z), -np.inf)))
    return int(np.argmin(np.abs(z)))


def verdict(z: np.ndarray, labels: np.ndarray, classes: tuple[str, str], truths: tuple[str, str]) -> Question:
    """What the neuron will say about one picture (``verdict_picture``).

    z, labels: (k,) the pictures' logits and labels; classes: the model's class names as shown (label
    0, label 1); truths: the names of the pictures' labels as shown.
    """
    i = verdict_picture(z, labels)
    said = int(_said(z)[i])
    p = float(sigmoid(float(z[i])))
    return Question(
        Choice(VERDICTS, VERDICTS[1 - said]),
        fields={"index": i, "z": f"{float(z[i]):+.2f}", "p": probability_text(p), "said": classes[said],
                "truth": truths[int(labels[i])], "cat": classes[1], "non_cat": classes[0]},
        show={"pictures": (i,)},
    )


def probability(z: np.ndarray, labels: np.ndarray, classes: tuple[str, str], truths: tuple[str, str]) -> Question:
    """P(cat) = σ(z) of the picture whose |z| is nearest TYPICAL_Z, its z given (two decimals)."""
    z = np.asarray(z, dtype=float)
    i = int(np.argmin(np.abs(np.abs(z) - TYPICAL_Z)))
    p = float(sigmoid(float(z[i])))
    return Question(
        Number(p, tolerance=TOLERANCE, digits=2),
        fields={"index": i, "z": f"{z[i]:.2f}", "p": f"{p:.4f}", "said": classes[int(_said(z)[i])],
                "truth": truths[int(labels[i])], "cat": classes[1]},
        show={"pictures": (i,)},
    )


def _others(r: int, z: np.ndarray, labels: np.ndarray) -> list[int]:
    """Two pictures with a lower z than ``r``'s: at least GAP lower in P where there are such, cats
    first (a cat is the tempting answer), the highest P first."""
    p = sigmoid(z)
    lower = [int(j) for j in np.argsort(-z, kind="stable") if z[j] < z[r]]
    clear = [j for j in lower if p[j] <= p[r] - GAP]
    picked = [j for j in clear if labels[j] == 1][:2]
    for pool in (clear, lower):
        picked += [j for j in pool if j not in picked][:2 - len(picked)]
    return picked


def surest_pictures(z: np.ndarray, labels: np.ndarray) -> tuple[int, tuple[int, ...]]:
    """(the right picture, the three asked about in index order): the non-cat the neuron surest calls
    a cat, else the picture of the highest P; beside it two of a lower P (``_others``). With every z
    equal (w = 0) no picture is surer: the first three are asked, the first the answer."""
    z, labels = np.asarray(z, dtype=float), np.asarray(labels)
    if len(z) < 2:
        raise ValueError(f"Expected two pictures or more to compare, got {len(z)}.")
    fooled = (labels == 0) & (_said(z) == 1)
    candidates = ([int(np.argmax(np.where(fooled, z, -np.inf)))] if fooled.any() else []) + [int(np.argmax(z))]
    for r in candidates:
        others = _others(r, z, labels)
        if len(others) == min(2, len(z) - 1):
            return r, tuple(sorted([r, *others]))
    return 0, tuple(range(min(3, len(z))))


def surest(z: np.ndarray, labels: np.ndarray, classes: tuple[str, str], truths: tuple[str, str]) -> Question:
    """Which of three pictures (``surest_pictures``) gets the highest P(cat); options "#k", literal."""
    r, shown = surest_pictures(z, labels)
    p = sigmoid(np.asarray(z, dtype=float))
    return Question(
        Choice(tuple(_picture(k) for k in shown), _picture(r), literal=True),
        fields={"right": _picture(r), "truth": truths[int(labels[r])], "cat": classes[1],
                "ps": ", ".join(f"{_picture(k)}: {probability_text(float(p[k]))}" for k in shown)},
        show={"pictures": shown},
    )
