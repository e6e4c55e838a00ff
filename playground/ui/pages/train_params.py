"""The Train page's settings ↔ URL query parameters, so a teacher's link opens the same view.

Pure Python (no Streamlit): the page reads ``st.query_params`` into :func:`parse_query`
once per session, and writes :func:`to_query` back after every run.

Parameters (all optional; a missing one takes its default, a bad one falls back
to its default with a notice that names the value and what was expected):

=========  ==============================================  ====================
name       values                                          default
=========  ==============================================  ====================
data       builtin | course (read by the sidebar on every  (the sidebar's choice)
           page; written here so that a link keeps it)
loss       cross_entropy | mse                             cross_entropy
lr         one of LEARNING_RATES, e.g. 0.005               0.005
iters      0 … 5000, a multiple of 50                      2000
init       zeros | random                                  zeros
seed       0 … 9999 (used with init=random)                0
log        0 | 1 (cost on a log axis)                      0
compare    rates joined by commas (may be empty)           0.01,0.001,0.0001
every      1 | 100: the cost curves' points at every        100
           iteration, or every 100th as the course records it
tab        results | replay | compare (the open tab;       results
           the English labels of older links work too)
=========  ==============================================  ====================

A learning rate between two notches snaps to the nearest one (on the log scale),
an iteration count to the nearest multiple of 50; both say so. The notices are
worded by ``t(key, **values)``, the page's translation lookup (``locales/<lang>/train.toml``);
parameter names and values stay the same in every language.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np

from playground.course.losses import LOSSES
from playground.training import INITS, TrainingSettings
from playground.ui.links import link_value, quoted

LEARNING_RATES: tuple[float, ...] = (
    1e-5, 2e-5, 5e-5,
    1e-4, 2e-4, 5e-4,
    0.001, 0.002, 0.005,
    0.01, 0.02, 0.05,
    0.1, 0.2, 0.5,
    1.0, 2.0, 5.0,
    10.0,
)
"""The notches of the log-scale learning-rate slider: 1, 2, 5 in every decade from 1e-5 to 10."""
DEFAULT_LEARNING_RATE = 0.005
MAX_ITERATIONS = 5000
ITERATION_STEP = 50
DEFAULT_ITERATIONS = 2000
LOSS_NAMES: tuple[str, ...] = tuple(LOSSES)
MAX_SEED = 9999
DEFAULT_COMPARE: tuple[float, ...] = (0.01, 0.001, 0.0001)
"""The course's learning-rate figure (with 1,500 iterations on its photos)."""
MAX_COMPARE = 3
"""As many as the course's figure. Each compared rate is a run to a horizon (compare_horizon), trained
beside the main run as one batch: three and the main run make one product of four rows
(training.dual.BLOCK); a fourth would start a second product, twice the time of a batch."""
COMPARE_HORIZONS: tuple[int, ...] = (DEFAULT_ITERATIONS, MAX_ITERATIONS)
"""The counts the compared rates are trained to, cut to the slider's count (see compare_horizon)."""
EVERY_CHOICES = (1, 100)
PARAM_NAMES = ("data", "loss", "lr", "iters", "init", "seed", "log", "compare", "every")
TAB_PARAM = "tab"
"""The open tab's parameter (also the tabs' widget key); written by the page after the tabs are drawn."""
TABS: tuple[str, ...] = ("results", "replay", "compare")
"""The tabs' ids in ``?tab=``: stable and the same in every language (their labels are translated)."""
OLD_TAB_LABELS = {"confusion & mistakes": "results", "compare learning rates": "compare"}
"""Links made before the ids said ``?tab=`` with the English label ("Replay" is its id's own spelling)."""


def compare_horizon(num_iterations: int) -> int:
    """The count the Compare tab's rates are trained to when the slider says ``num_iterations``: the
    first of COMPARE_HORIZONS that reaches it. Up to the course's 2,000 a new loss, start or seed trains
    the batch to 2,000, not 5,000 (less than half the time); the slider's moves below a
    horizon only cut the runs, and its first move past 2,000 trains them once to 5,000."""
    return next((h for h in COMPARE_HORIZONS if h >= num_iterations), num_iterations)


def parse_tab(value, aliases: Mapping[str, str] | None = None) -> str | None:
    """The tab id that ``value`` names: an id, an older link's English label or one of ``aliases``
    (label → id, e.g. the labels in every language), in any case; None when it names no tab."""
    if value is None:
        return None
    text = link_value(value).strip()
    if text in TABS:
        return text
    if aliases and text in aliases:
        return aliases[text]
    folded = text.casefold()
    if folded in TABS:
        return folded
    return OLD_TAB_LABELS.get(folded)


def format_rate(rate: float) -> str:
    """A learning rate as people write it: 0.005, 0.00001, 10 (never 5e-03)."""
    return np.format_float_positional(float(rate), trim="-")


@dataclass(frozen=True)
class TrainParams:
    """Everything the Train page's view depends on besides the dataset; plain values."""

    loss: str = "cross_entropy"
    learning_rate: float = DEFAULT_LEARNING_RATE
    num_iterations: int = DEFAULT_ITERATIONS
    init: str = "zeros"
    seed: int = 0
    log_scale: bool = False
    compare: tuple[float, ...] = DEFAULT_COMPARE
    every: int = 100
    """The cost curves (the main one and the comparison) draw the cost every 100th iteration, as the
    course records it (100), or at every iteration with the zigzags of the first steps (1)."""
    data: str | None = None
    """"builtin" or "course" for the link to name the dataset (the sidebar follows ?data=); None when
    the dataset cannot travel in a link (an upload)."""

    def settings(self, learning_rate: float | None = None) -> TrainingSettings:
        """The training settings (optionally at another learning rate, for the comparison)."""
        return TrainingSettings(
            loss=self.loss,
            learning_rate=float(self.learning_rate if learning_rate is None else learning_rate),
            num_iterations=int(self.num_iterations),
            init=self.init,
            seed=int(self.seed),
        )


DEFAULTS = TrainParams()


def nearest_rate(rate: float) -> float:
    """The notch of LEARNING_RATES closest to ``rate`` on a log scale."""
    logs = np.log10(LEARNING_RATES)
    return LEARNING_RATES[int(np.argmin(np.abs(logs - math.log10(rate))))]




Text = Callable[..., str]
"""``t(key, **values)``: the text for a locale key with its ``{fields}`` filled in."""


def _parse_rate(text: str, t: Text) -> tuple[float | None, str | None]:
    """(rate on the slider, None) · (snapped rate, None) · (None, why it is unusable).
    Whether a usable rate was snapped: compare it with ``text``'s number."""
    try:
        rate = float(text)
    except ValueError:
        return None, t("train.link_not_number")
    if not math.isfinite(rate) or rate <= 0:
        return None, t("train.link_not_positive")
    lo, hi = LEARNING_RATES[0], LEARNING_RATES[-1]
    if rate < lo * (1 - 1e-9) or rate > hi * (1 + 1e-9):
        return None, t("train.link_outside", lo=format_rate(lo), hi=format_rate(hi))
    return nearest_rate(rate), None


def _parse_int(text: str, lo: int, hi: int) -> int | None:
    try:
        number = float(text)
    except ValueError:
        return None
    if not number.is_integer() or not lo <= number <= hi:
        return None
    return int(number)


def parse_query(query: Mapping[str, object], t: Text) -> tuple[TrainParams, list[str]]:
    """Read the Train page's parameters from a URL's query (name → str or list of str).

    Returns the params and a list of notices worded by ``t``, one per value that could not
    be used as given (each names the parameter, the value, what was expected and what is used).
    Unknown parameter names are ignored: they may belong to Streamlit or another page.
    """
    p = DEFAULTS
    notices: list[str] = []

    def fallback(name: str, raw: str, expected: str, default: str) -> None:
        notices.append(t("train.link_fallback", name=name, raw=quoted(raw), expected=expected, default=default))

    def one_of(options) -> str:
        return t("train.link_not_one_of", options=", ".join(map(str, options)))

    def choice(name: str, field: str, options) -> None:
        """A word that must be one of ``options`` (the TrainParams field ``field``)."""
        nonlocal p
        if name in query:
            raw = link_value(query[name]).strip()
            if raw in options:
                p = replace(p, **{field: raw})
            else:
                fallback(name, raw, one_of(options), getattr(DEFAULTS, field))

    def whole(name: str, hi: int, default: str) -> tuple[str, int | None]:
        """A whole number 0 … hi: (the raw text, the number or None after a notice)."""
        raw = link_value(query[name]).strip()
        n = _parse_int(raw, 0, hi)
        if n is None:
            fallback(name, raw, t("train.link_not_whole", max=hi), default)
        return raw, n

    choice("loss", "loss", LOSS_NAMES)
    if "lr" in query:
        raw = link_value(query["lr"]).strip()
        rate, why = _parse_rate(raw, t)
        if rate is None:
            fallback("lr", raw, why, format_rate(DEFAULTS.learning_rate))
        else:
            p = replace(p, learning_rate=rate)
            if not math.isclose(rate, float(raw), rel_tol=1e-9):
                notices.append(t("train.link_snapped_rate", raw=quoted(raw), rate=format_rate(rate)))
    if "iters" in query:
        raw, n = whole("iters", MAX_ITERATIONS, f"{DEFAULTS.num_iterations:,}")
        if n is not None:
            snapped = int(round(n / ITERATION_STEP) * ITERATION_STEP)
            if snapped != n:
                notices.append(t("train.link_snapped_iters", raw=quoted(raw), step=ITERATION_STEP, value=snapped))
            p = replace(p, num_iterations=snapped)
    choice("init", "init", INITS)
    if "seed" in query:
        _, seed = whole("seed", MAX_SEED, str(DEFAULTS.seed))
        if seed is not None:
            p = replace(p, seed=seed)
    if "log" in query:
        raw = link_value(query["log"]).strip().lower()
        if raw in ("1", "true", "yes", "on"):
            p = replace(p, log_scale=True)
        elif raw in ("0", "false", "no", "off"):
            p = replace(p, log_scale=False)
        else:
            fallback("log", raw, t("train.link_not_bool"), t("train.link_default_log"))
    if "compare" in query:
        raw = link_value(query["compare"]).strip()
        rates: list[float] = []
        bad: list[str] = []
        for part in filter(None, (s.strip() for s in raw.split(","))):
            rate, _ = _parse_rate(part, t)
            if rate is None:
                bad.append(part)
            elif rate not in rates:
                rates.append(rate)
        if bad or len(rates) > MAX_COMPARE:
            default = ", ".join(map(format_rate, DEFAULTS.compare))
            if bad:
                expected = t("train.link_bad_rates", bad=quoted(", ".join(bad)))
            else:
                expected = t("train.link_too_many", n=len(rates), max=MAX_COMPARE)
            fallback("compare", raw, expected, default)
        else:
            p = replace(p, compare=tuple(rates))
    if "every" in query:
        raw = link_value(query["every"]).strip()
        every = _parse_int(raw, 1, max(EVERY_CHOICES))
        if every in EVERY_CHOICES:
            p = replace(p, every=every)
        else:
            fallback("every", raw, one_of(EVERY_CHOICES), str(DEFAULTS.every))
    return p, notices


def to_query(params: TrainParams) -> dict[str, str]:
    """The parameters that reproduce ``params``: the dataset, the rate and the iterations always
    (a link should say them), the rest only where they differ from the defaults."""
    query = {"lr": format_rate(params.learning_rate), "iters": str(int(params.num_iterations))}
    if params.data is not None:
        query = {"data": params.data, **query}
    optional = {
        "loss": (params.loss, DEFAULTS.loss),
        "init": (params.init, DEFAULTS.init),
        "seed": (str(int(params.seed)) if params.init == "random" else None, None),
        "log": ("1" if params.log_scale else "0", "0"),
        "compare": (",".join(format_rate(r) for r in params.compare),
                    ",".join(format_rate(r) for r in DEFAULTS.compare)),
        "every": (str(int(params.every)), str(DEFAULTS.every)),
    }
    for name, (value, default) in optional.items():
        if value != default:
            query[name] = value
    return query
