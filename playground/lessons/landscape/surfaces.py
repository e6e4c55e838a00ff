"""Cost surfaces of the one-feature model, and the numbers that tell a convex cost from one that is not.

The model with one feature x: ŷ = σ(w·x + b). Its parameters are the point (w, b), so
the whole cost J(w, b) = (1/m) Σᵢ L(w·x⁽ⁱ⁾ + b, y⁽ⁱ⁾) can be drawn and checked:

- ``loss_curvature``: d²L/dz² of one example's loss, per registered loss;
- ``hessian_2x2`` / ``eigenvalues_2x2``: the Hessian of J over (w, b) and its eigenvalues;
- ``midpoint_violations``: points of a sampled cost where J(p) > (J(p − h) + J(p + h)) / 2,
  i.e. where the cost bends downward — impossible for a convex cost.

Every cost here goes through the loss registry (``playground.course.losses``).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from playground.course.activations import sigmoid
from playground.course.losses import get_loss
from playground.course.model import propagate

NEGATIVE_TOLERANCE = 1e-9
"""A curvature or midpoint gap counts as negative only below −NEGATIVE_TOLERANCE × the size of the
terms it was summed from: rounding alone leaves about 1e-16 of them, so a convex cost counts zero."""
MAX_LEARNING_RATE = 100.0
MAX_ITERATIONS = 5000
GRID_HALF_WIDTH = 10.0
"""The two-parameter grid spans at least [−10, 10] in w and in b."""
GRID_POINTS = 81


def loss_curvature(loss_name: str, Z, Y) -> np.ndarray:
    """d²L/dz² for each example, from logits Z and labels Y (same shapes, or broadcastable).

    With a = σ(z) and σ' = a(1 − a):
    - cross-entropy: dL/dz = a − y, so d²L/dz² = a(1 − a) ≥ 0 everywhere: convex in z.
    - MSE (½(a − y)²): dL/dz = (a − y)·a(1 − a), so d²L/dz² = a(1 − a)·[a(1 − a) + (a − y)(1 − 2a)],
      which is a(1 − a)²(3a − 1) for y = 1 (negative once a < 1/3) and a²(1 − a)(2 − 3a) for y = 0
      (negative once a > 2/3): the loss bends down on confidently wrong examples.
    The registry carries dL/dz only; the tests check these against its finite differences.
    """
    get_loss(loss_name)
    a = sigmoid(Z)
    s = a * (1.0 - a)
    if loss_name == "cross_entropy":
        return s
    if loss_name == "mse":
        return s * (s + (a - Y) * (1.0 - 2.0 * a))
    raise ValueError(f"No curvature formula for the loss {loss_name!r}: expected cross_entropy or mse.")


@dataclass(frozen=True, eq=False)
class OneFeatureData:
    """A tiny dataset with a single feature: x (m,) floats, y (m,) labels 0.0 / 1.0. Read-only.

    X and Y give the course's shapes, (1, m) each, for ``propagate``.
    """

    name: str
    x: np.ndarray
    y: np.ndarray

    def __post_init__(self):
        x = np.array(self.x, dtype=float)
        y = np.array(self.y, dtype=float)
        if x.ndim != 1 or y.shape != x.shape:
            raise ValueError(f"Expected x and y of the same shape (m,), got {x.shape} and {y.shape}.")
        if len(x) < 2:
            raise ValueError(f"Expected at least 2 examples, got {len(x)}.")
        if not np.all(np.isfinite(x)):
            raise ValueError("Expected finite inputs x, found inf or nan.")
        if not np.all((y == 0) | (y == 1)):
            raise ValueError(f"Expected labels 0 or 1, found {sorted(set(y.tolist()) - {0.0, 1.0})[:5]}.")
        if len(np.unique(y)) < 2:
            raise ValueError("Expected both labels (0 and 1) among the examples.")
        x.flags.writeable = False
        y.flags.writeable = False
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)

    @property
    def m(self) -> int:
        return len(self.x)

    @property
    def X(self) -> np.ndarray:
        return self.x.reshape(1, -1)

    @property
    def Y(self) -> np.ndarray:
        return self.y.reshape(1, -1)


def overlapping_dataset() -> OneFeatureData:
    """Ten examples on a line whose classes overlap: no threshold on x separates them.

    A cat (y = 1) sits at x = −1 among the non-cats and a non-cat at x = 0.8 among the cats.
    Because of that overlap the cross-entropy has a finite minimum, near (w, b) = (1.13, 0.11);
    on separable data it would only approach its infimum as |w| → ∞.
    """
    return OneFeatureData(
        name="ten points on a line, overlapping classes",
        x=np.array([-3.0, -2.2, -1.5, -1.0, -0.4, 0.3, 0.8, 1.2, 2.0, 2.8]),
        y=np.array([0.0, 0.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 1.0]),
    )


def _logits(data: OneFeatureData, w, b) -> np.ndarray:
    """Z = w·x + b for every (w, b): w, b broadcast to shape S → Z of shape S + (m,)."""
    w = np.asarray(w, dtype=float)[..., None]
    b = np.asarray(b, dtype=float)[..., None]
    return w * data.x + b


def cost_at(data: OneFeatureData, loss_name: str, w, b) -> np.ndarray:
    """J(w, b) at every point: w, b broadcast to shape S → costs of shape S."""
    return get_loss(loss_name).loss(_logits(data, w, b), data.y).mean(axis=-1)


def cost_grid(data: OneFeatureData, loss_name: str, w_values, b_values) -> np.ndarray:
    """J over the grid: w_values (nw,), b_values (nb,) → (nb, nw), row i at b_values[i] (as Plotly draws z)."""
    return cost_at(data, loss_name, np.asarray(w_values)[None, :], np.asarray(b_values)[:, None])


def hessian_2x2(data: OneFeatureData, loss_name: str, w, b) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The Hessian of J over (w, b) at every point, and the scale of its rounding error.

    H = (1/m) Σᵢ L''(z⁽ⁱ⁾) [x⁽ⁱ⁾², x⁽ⁱ⁾; x⁽ⁱ⁾, 1]. w, b broadcast to shape S; returns
    h_ww, h_wb, h_bb and scale = (1/m) Σᵢ |L''(z⁽ⁱ⁾)| (x⁽ⁱ⁾² + 1), each of shape S.
    """
    c = loss_curvature(loss_name, _logits(data, w, b), data.y)
    x = data.x
    return (c * x**2).mean(-1), (c * x).mean(-1), c.mean(-1), (np.abs(c) * (x**2 + 1.0)).mean(-1)


def eigenvalues_2x2(h11, h12, h22) -> tuple[np.ndarray, np.ndarray]:
    """Eigenvalues (λ_min, λ_max) of the symmetric matrices [h11, h12; h12, h22], elementwise."""
    h11, h12, h22 = (np.asarray(h, dtype=float) for h in (h11, h12, h22))
    mid = (h11 + h22) / 2.0
    radius = np.hypot((h11 - h22) / 2.0, h12)
    return mid - radius, mid + radius


def is_negative(value, scale) -> np.ndarray:
    """value < 0 by more than rounding: value < −NEGATIVE_TOLERANCE × scale (elementwise, bool)."""
    return np.asarray(value) < -NEGATIVE_TOLERANCE * np.asarray(scale)


def midpoint_violations(J: np.ndarray) -> tuple[int, int]:
    """(violations, checks): triples of neighbours along the rows and columns of a sampled cost J
    (ny, nx) where the middle lies above the chord, J(p) > (J(p − h) + J(p + h)) / 2, beyond rounding.

    A convex J never does that (midpoint convexity); each check is one triple.
    """
    J = np.asarray(J, dtype=float)
    violations = checks = 0
    for axis in range(J.ndim):
        if J.shape[axis] < 3:
            continue
        n = J.shape[axis]
        left, mid, right = (np.take(J, np.arange(k, n - 2 + k), axis=axis) for k in range(3))
        gap = mid - (left + right) / 2.0
        violations += int(np.sum(is_negative(-gap, np.abs(left) + np.abs(mid) + np.abs(right))))
        checks += gap.size
    return violations, checks


@dataclass(frozen=True, eq=False)
class Path:
    """A run of batch gradient descent on (w, b).

    w, b, costs: (T + 1,) — the parameters before each of the T updates and after the last one,
    and J there. grad_norm_start: ‖(∂J/∂w, ∂J/∂b)‖ at the start.
    """

    loss: str
    learning_rate: float
    w: np.ndarray
    b: np.ndarray
    costs: np.ndarray
    grad_norm_start: float

    @property
    def num_iterations(self) -> int:
        return len(self.w) - 1


def check_descent_settings(learning_rate, num_iterations, max_learning_rate=MAX_LEARNING_RATE,
                           max_iterations=MAX_ITERATIONS) -> None:
    """ValueError unless 0 < learning_rate ≤ max and num_iterations is a whole number in 1 … max."""
    lr = learning_rate
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not 0 < lr <= max_learning_rate:
        raise ValueError(f"Expected a learning rate above 0 and at most {max_learning_rate:g}, got {lr!r}.")
    n = num_iterations
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= max_iterations:
        raise ValueError(f"Expected a whole number of iterations from 1 to {max_iterations:,}, got {n!r}.")


def gradient_descent_path(data: OneFeatureData, loss_name: str, w0: float, b0: float,
                          learning_rate: float, num_iterations: int) -> Path:
    """w := w − α ∂J/∂w, b := b − α ∂J/∂b, ``num_iterations`` times from (w0, b0).

    Each step is the course's ``propagate`` on X (1, m) with w of shape (1, 1).
    """
    get_loss(loss_name)
    check_descent_settings(learning_rate, num_iterations)
    if not (math.isfinite(w0) and math.isfinite(b0)):
        raise ValueError(f"Expected a finite starting point, got (w₀, b₀) = ({w0!r}, {b0!r}).")
    X, Y = data.X, data.Y
    w, b = np.array([[float(w0)]]), float(b0)
    ws, bs, costs = np.empty(num_iterations + 1), np.empty(num_iterations + 1), np.empty(num_iterations + 1)
    grad_norm_start = 0.0
    for i in range(num_iterations + 1):
        grads, cost = propagate(w, b, X, Y, loss_name)
        ws[i], bs[i], costs[i] = w[0, 0], b, cost
        if i == 0:
            grad_norm_start = float(np.hypot(grads["dw"][0, 0], grads["db"]))
        if i < num_iterations:
            w = w - learning_rate * grads["dw"]
            b = b - learning_rate * grads["db"]
    return Path(loss_name, float(learning_rate), ws, bs, costs, grad_norm_start)


@dataclass(frozen=True, eq=False)
class TwoParameterLandscape:
    """One loss on the one-feature data: its cost grid, a gradient-descent path, and convexity in numbers.

    w_values (nw,), b_values (nb,), J (nb, nw). negative_points: grid points where the Hessian has a
    negative eigenvalue (of grid_points). midpoint_violations of midpoint_checks neighbour triples.
    lambda_min_path: (T + 1,) the smallest Hessian eigenvalue at every point of the path.
    """

    loss: str
    w_values: np.ndarray
    b_values: np.ndarray
    J: np.ndarray
    path: Path
    negative_points: int
    grid_points: int
    midpoint_violations: int
    midpoint_checks: int
    lambda_min_path: np.ndarray

    @property
    def lambda_min_start(self) -> float:
        return float(self.lambda_min_path[0])

    @property
    def lambda_min_end(self) -> float:
        return float(self.lambda_min_path[-1])


def grid_axes(paths, half_width: float = GRID_HALF_WIDTH, points: int = GRID_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """w_values, b_values (points,) spanning [−half_width, half_width] and every path, with a margin."""
    axes = []
    for coord in ("w", "b"):
        lo, hi = -half_width, half_width
        for p in paths:
            values = getattr(p, coord)
            lo, hi = min(lo, float(values.min()) - 1.0), max(hi, float(values.max()) + 1.0)
        axes.append(np.linspace(lo, hi, points))
    return axes[0], axes[1]


def smallest_eigenvalue(data: OneFeatureData, loss_name: str, w, b) -> np.ndarray:
    """λ_min of the Hessian of J at every (w, b) (broadcast, shape S); exactly 0.0 where it is
    negative only by rounding."""
    h_ww, h_wb, h_bb, scale = hessian_2x2(data, loss_name, w, b)
    lam = eigenvalues_2x2(h_ww, h_wb, h_bb)[0]
    return np.where((lam > 0) | is_negative(lam, scale), lam, 0.0)


def two_parameter_landscapes(data: OneFeatureData, w0: float, b0: float, learning_rate: float,
                             num_iterations: int, losses=("mse", "cross_entropy"),
                             points: int = GRID_POINTS) -> dict[str, TwoParameterLandscape]:
    """Each loss from the same start, learning rate and iterations, on one common grid."""
    paths = {name: gradient_descent_path(data, name, w0, b0, learning_rate, num_iterations) for name in losses}
    w_values, b_values = grid_axes(paths.values(), points=points)
    out = {}
    for name, path in paths.items():
        J, negative, violations, checks = grid_convexity(data, name, w_values, b_values)
        out[name] = TwoParameterLandscape(
            loss=name, w_values=w_values, b_values=b_values, J=J, path=path,
            negative_points=negative, grid_points=J.size,
            midpoint_violations=violations, midpoint_checks=checks,
            lambda_min_path=smallest_eigenvalue(data, name, path.w, path.b),
        )
    return out


def grid_convexity(data: OneFeatureData, loss_name: str, w_values: np.ndarray,
                   b_values: np.ndarray) -> tuple[np.ndarray, int, int, int]:
    """J over the grid (nb, nw), read-only; the grid points where the Hessian has a negative eigenvalue;
    midpoint violations and checks. None of it depends on a path: remembered per (data, loss, grid),
    so a new learning rate recomputes only the paths while they stay inside the same grid."""
    key = (data.x.tobytes(), data.y.tobytes(), loss_name)
    return _grid_convexity(key, np.asarray(w_values, dtype=float).tobytes(), np.asarray(b_values, dtype=float).tobytes())


@functools.lru_cache(maxsize=16)
def _grid_convexity(key: tuple[bytes, bytes, str], w_raw: bytes, b_raw: bytes) -> tuple[np.ndarray, int, int, int]:
    x, y, loss_name = key
    data = OneFeatureData("grid", np.frombuffer(x), np.frombuffer(y))
    w_values, b_values = np.frombuffer(w_raw), np.frombuffer(b_raw)
    J = cost_grid(data, loss_name, w_values, b_values)
    W, B = np.meshgrid(w_values, b_values)
    h_ww, h_wb, h_bb, scale = hessian_2x2(data, loss_name, W, B)
    lam_min = eigenvalues_2x2(h_ww, h_wb, h_bb)[0]
    violations, checks = midpoint_violations(J)
    J.flags.writeable = False
    return J, int(np.sum(is_negative(lam_min, scale))), violations, checks
