"""A slice of the real model's cost: J(θ* + s·d₁ + t·d₂) over a grid of (s, t).

θ = (w, b) ∈ ℝ^{n_x + 1}, θ* = the trained parameters, d₁, d₂ two directions, either
- "trajectory": the two principal directions of the training path θ₀ … θ_T around θ*, so the
  path lies close to the plane (Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets"), or
- "random": Gaussian directions scaled to ‖w*‖ (their "filter normalisation", one filter here),
  with no bias component, as Li et al. do for biases.

On the plane z(s, t) = z* + s·p₁ + t·p₂ with z* = w*ᵀX + b* and pₖ = d_{k,w}ᵀX + d_{k,b}: three
vectors of m numbers computed once per trained model, so a grid point costs O(m) instead of the
O(n_x·m) of recomputing wᵀX.

A run of the dual path (training.py) also carries its snapshots as α (w = w₀ + X·α): the offsets
θᵢ − θ* are then (X·Δαᵢ, Δbᵢ), their Gram matrix is Δα·K·Δαᵀ + Δb·Δbᵀ with K = XᵀX, and their
coordinates on a plane are pₖᵀΔαᵢ + d_{k,b}Δbᵢ: O(k·m²) instead of O(k·n_x) (41 × 12,289 on the
course's data), and the run need not build its snapshot weights at all.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from playground.course.losses import get_loss, mean_losses
from playground.data.features import Features
from playground.lessons.landscape.surfaces import eigenvalues_2x2, is_negative, loss_curvature, midpoint_violations
from playground.training import TrainingResult

DIRECTIONS = ("trajectory", "random")
SLICE_POINTS = 101
MARGIN = 1.25
WORKERS = max(1, min(4, os.cpu_count() or 1))
"""Threads for the grid: NumPy releases the GIL inside each block's arithmetic."""
BLOCK_ROWS = 8
"""Grid rows per NumPy call: 8 × 101 × m numbers (1.4 MB for m = 209). One row a call left each call
too short for two threads to overlap (measured: no faster than one thread); 8 rows gain about 1.5×
on two free cores, while 16 rows made temporaries large enough to cost 5× more."""


@dataclass(frozen=True, eq=False)
class Plane:
    """Two directions in parameter space, d1 and d2: (n_x + 1,) each, the last entry for b.

    in_plane: fraction of the training path's squared distance to θ* that lies in the plane
    (Σ‖projection‖² / Σ‖θᵢ − θ*‖²); 1 means the path lies in it exactly.
    """

    kind: str
    d1: np.ndarray
    d2: np.ndarray
    in_plane: float


@dataclass(frozen=True, eq=False)
class _PlainOffsets:
    """θᵢ − θ* as rows: M (k, n_x + 1), from the run's snapshot weights."""

    M: np.ndarray

    def __len__(self) -> int:
        return len(self.M)

    def gram(self) -> np.ndarray:
        """(θᵢ − θ*)ᵀ(θⱼ − θ*): (k, k)."""
        return self.M @ self.M.T

    def combine(self, v: np.ndarray) -> np.ndarray:
        """Σᵢ vᵢ(θᵢ − θ*): (n_x + 1,)."""
        return self.M.T @ v

    def along(self, D: np.ndarray, pw: np.ndarray) -> np.ndarray:
        """Dᵀ(θᵢ − θ*) for directions D (n_x + 1, 2): (2, k) (pw unused: M holds the weights)."""
        return D.T @ self.M.T

    def total(self) -> float:
        """Σ‖θᵢ − θ*‖²."""
        return float(np.sum(self.M * self.M))


@dataclass(frozen=True, eq=False)
class _DualOffsets:
    """θᵢ − θ* in dual form: A (k, m) = αᵢ − α*, db (k,) = bᵢ − b*, AK = A·K (k, m); X (n_x, m)
    maps a combination back to weights."""

    A: np.ndarray
    db: np.ndarray
    AK: np.ndarray
    X: np.ndarray

    def __len__(self) -> int:
        return len(self.db)

    def gram(self) -> np.ndarray:
        return self.AK @ self.A.T + np.outer(self.db, self.db)

    def combine(self, v: np.ndarray) -> np.ndarray:
        return np.append(self.X @ (self.A.T @ v), self.db @ v)

    def along(self, D: np.ndarray, pw: np.ndarray) -> np.ndarray:
        """pw (m, 2) = Xᵀ·(d₁_w, d₂_w), so dₖ·(θᵢ − θ*) = pwₖᵀΔαᵢ + d_{k,b}Δbᵢ: no n_x-sized product."""
        return pw.T @ self.A.T + np.outer(D[-1], self.db)

    def total(self) -> float:
        return float(np.sum(self.A * self.AK) + self.db @ self.db)


def _offsets(features: Features, result: TrainingResult) -> _PlainOffsets | _DualOffsets:
    """The run's θᵢ − θ*: in dual form when it carries its snapshots as α and the features carry K,
    else from its snapshot weights (in float64, filled in place: no stacked copies)."""
    if (result.snapshot_alpha is not None and result.alpha is not None and features.K_train is not None
            and result.alpha.shape == (features.m_train,)):
        A = result.snapshot_alpha - result.alpha
        return _DualOffsets(A, result.snapshot_b - result.b, A @ features.K_train, features.X_train)
    M = np.empty((len(result.snapshot_b), result.w.shape[0] + 1))
    np.subtract(result.snapshot_w, result.w[:, 0], out=M[:, :-1])
    M[:, -1] = result.snapshot_b - result.b
    return _PlainOffsets(M)


def _principal_directions(offsets) -> tuple[np.ndarray, np.ndarray, float]:
    """The two principal directions of the offsets (unit, orthogonal) and the share of their squared
    length these two hold, from the k × k Gram matrix (k ≈ 41), not an SVD of k × (n_x + 1). Each
    direction is signed so that the start lies at negative coordinates."""
    if len(offsets) < 3:
        raise ValueError(
            f"The training path has {len(offsets)} snapshot(s); its principal directions need at least 3 "
            "(train for more iterations, or use random directions)."
        )
    G = offsets.gram()
    vals, vecs = np.linalg.eigh(G)
    vals, vecs = vals[::-1], vecs[:, ::-1]
    total = float(np.sum(np.clip(vals, 0, None)))
    if total <= 0 or vals[1] <= 1e-12 * vals[0]:
        raise ValueError(
            "The training path does not span two directions (it did not move, or moved on a straight "
            "line): use random directions, or train with other settings."
        )
    directions = []
    for k in range(2):
        v = vecs[:, k] / np.sqrt(vals[k])
        d = offsets.combine(v)
        start = G[0] @ v  # (θ₀ − θ*)·d
        directions.append(-d if start > 0 else d)
    return directions[0], directions[1], float((vals[0] + vals[1]) / total)


def _coordinates(offsets, D: np.ndarray, pw: np.ndarray) -> tuple[np.ndarray, float]:
    """Least-squares (s, t) of the offsets on the plane of D (n_x + 1, 2): (k, 2), and the in-plane
    fraction. pw (m, 2): X_trainᵀ·D's weights (the dual form's shortcut)."""
    G = D.T @ D
    C = np.linalg.solve(G, offsets.along(D, pw)).T
    total = offsets.total()
    kept = float(np.einsum("ki,ij,kj->", C, G, C))
    return C, (kept / total if total > 0 else 1.0)


@dataclass(frozen=True, eq=False)
class SliceProjections:
    """What the grid needs, all (m,) over the training examples: z_star = w*ᵀX + b*,
    p1, p2 = dₖ_wᵀX + dₖ_b. The path: iterations (k,), s, t (k,) its coordinates on the plane,
    true_costs (k,) J at the real snapshots (off the plane)."""

    loss: str
    plane: Plane
    z_star: np.ndarray
    p1: np.ndarray
    p2: np.ndarray
    iterations: np.ndarray
    s: np.ndarray
    t: np.ndarray
    true_costs: np.ndarray


def _random_directions(result: TrainingResult, seed: int) -> tuple[np.ndarray, np.ndarray]:
    n_x = result.w.shape[0]
    rng = np.random.default_rng(seed)
    norm = float(np.linalg.norm(result.w)) or 1.0
    ds = []
    for _ in range(2):
        g = rng.standard_normal(n_x)
        ds.append(np.append(g * norm / np.linalg.norm(g), 0.0))
    return ds[0], ds[1]


def project_slice(features: Features, result: TrainingResult, kind: str = "trajectory", seed: int = 0) -> SliceProjections:
    """Directions, the three projections of X_train (one pass over X each) and the path's coordinates.

    A run that carries its snapshots in dual form (the dual path's) never touches them in n_x
    dimensions; a run without (the plain path's) uses its snapshot weights.
    """
    if result.w.shape[0] != features.n_x:
        raise ValueError(
            f"The model has {result.w.shape[0]:,} weights but the features have n_x = {features.n_x:,}."
        )
    if kind not in DIRECTIONS:
        raise ValueError(f"Unknown directions {kind!r}: expected one of {', '.join(DIRECTIONS)}.")
    offsets = _offsets(features, result)
    if kind == "trajectory":
        d1, d2, share = _principal_directions(offsets)
    else:
        d1, d2 = _random_directions(result, seed)
    P = features.X_train.T @ np.stack([result.w[:, 0], d1[:-1], d2[:-1]], axis=1)
    coords, in_plane = _coordinates(offsets, np.stack([d1, d2], axis=1), P[:, 1:])
    plane = Plane(kind, d1, d2, share if kind == "trajectory" else in_plane)
    T = len(result.costs)
    true_costs = np.array([result.costs[i] if i < T else result.final_cost for i in result.snapshot_iterations])
    return SliceProjections(
        loss=result.settings.loss, plane=plane,
        z_star=P[:, 0] + result.b, p1=P[:, 1] + plane.d1[-1], p2=P[:, 2] + plane.d2[-1],
        iterations=np.asarray(result.snapshot_iterations), s=coords[:, 0], t=coords[:, 1],
        true_costs=true_costs,
    )


def slice_axes(proj: SliceProjections, points: int = SLICE_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """s_values, t_values (points,): a square centred on θ* (s = t = 0) holding the whole path with a
    margin, at least [−1, 1]; the same range on both axes so distances in the picture are true."""
    reach = max(1.0, float(np.max(np.abs(proj.s))), float(np.max(np.abs(proj.t)))) * MARGIN
    grid = np.linspace(-reach, reach, points)
    grid = 0.5 * (grid - grid[::-1])  # exactly symmetric, the middle exactly 0 (linspace rounds it to ~1e-16)
    return grid, grid.copy()


def slice_costs(proj: SliceProjections, Y: np.ndarray, s_values, t_values, loss_name: str | None = None) -> np.ndarray:
    """J on the grid: (len(t_values), len(s_values)), row i at t_values[i].

    Row i: z = (z* + tᵢ·p₂) + s·p₁ with s·p₁ (ns, m) computed once for every row, the costs by
    ``losses.mean_losses`` (the registry's losses in fewer passes) — never wᵀX per point. Blocks of
    BLOCK_ROWS rows (BLOCK_ROWS × ns × m numbers)
    are shared between WORKERS threads (NumPy releases the GIL inside each block's arithmetic).
    """
    loss = get_loss(loss_name or proj.loss)
    y = np.asarray(Y, dtype=float).reshape(-1)
    if y.shape != proj.z_star.shape:
        raise ValueError(f"Expected {proj.z_star.size} labels, got {y.size}.")
    s_values, t_values = np.asarray(s_values, dtype=float), np.asarray(t_values, dtype=float)
    sp1 = s_values[:, None] * proj.p1
    J = np.empty((len(t_values), len(s_values)))

    def fill(i0: int) -> None:
        rows = t_values[i0:i0 + BLOCK_ROWS]
        Z = np.add((proj.z_star + rows[:, None] * proj.p2)[:, None, :], sp1)
        J[i0:i0 + BLOCK_ROWS] = mean_losses(loss, Z, y)

    blocks = range(0, len(t_values), BLOCK_ROWS)
    if WORKERS == 1:
        for i0 in blocks:
            fill(i0)
    else:
        with ThreadPoolExecutor(WORKERS) as pool:
            list(pool.map(fill, blocks))
    return J


def path_costs(proj: SliceProjections, Y: np.ndarray) -> np.ndarray:
    """J at the path's projections onto the plane, (k,): where the drawn path sits on the surface."""
    Z = proj.z_star + proj.s[:, None] * proj.p1 + proj.t[:, None] * proj.p2
    return get_loss(proj.loss).loss(Z, np.asarray(Y, dtype=float).reshape(-1)).mean(axis=1)


def plane_curvature(proj: SliceProjections, Y: np.ndarray, s=0.0, t=0.0) -> np.ndarray:
    """Smallest eigenvalue of the Hessian of J restricted to the plane, at every (s, t) (broadcast,
    shape S; (0, 0) is θ*): H = (1/m) Σᵢ L''(zᵢ) [p₁ᵢ², p₁ᵢp₂ᵢ; p₁ᵢp₂ᵢ, p₂ᵢ²]. Exactly 0.0 where it
    is negative only by rounding."""
    s, t = np.broadcast_arrays(np.asarray(s, dtype=float), np.asarray(t, dtype=float))
    z = proj.z_star + s[..., None] * proj.p1 + t[..., None] * proj.p2
    c = loss_curvature(proj.loss, z, np.asarray(Y, dtype=float).reshape(-1))
    p1, p2 = proj.p1, proj.p2
    lam = eigenvalues_2x2((c * p1**2).mean(-1), (c * p1 * p2).mean(-1), (c * p2**2).mean(-1))[0]
    scale = (np.abs(c) * (p1**2 + p2**2)).mean(-1)
    return np.where((lam > 0) | is_negative(lam, scale), lam, 0.0)


@dataclass(frozen=True, eq=False)
class SliceLandscape:
    """Everything the page draws for one trained model: the projections (and the path's (s, t) in
    them), the grid s (n,), t (n,), J (n, n); the path's cost on the plane path_J (k,) and its
    smallest curvature within the plane path_lambda (k,); lambda_at_star at θ*; midpoint-convexity
    violations of the grid out of midpoint_checks."""

    proj: SliceProjections
    s: np.ndarray
    t: np.ndarray
    J: np.ndarray
    path_J: np.ndarray
    path_lambda: np.ndarray
    lambda_at_star: float
    midpoint_violations: int
    midpoint_checks: int

    def lowest(self) -> tuple[float, float, float, bool]:
        """The grid's lowest point: (s, t, J, on_edge). θ* sits at the centre, but a run stopped before it
        converged leaves lower ground ahead of it; on_edge says the grid's lowest lies on its border,
        where the cost may fall further outside the picture."""
        i, j = np.unravel_index(int(np.argmin(self.J)), self.J.shape)
        on_edge = i in (0, self.J.shape[0] - 1) or j in (0, self.J.shape[1] - 1)
        return float(self.s[j]), float(self.t[i]), float(self.J[i, j]), bool(on_edge)

    def at_star(self) -> float:
        """J at θ* (the grid's centre, s = t = 0)."""
        return float(self.J[len(self.t) // 2, len(self.s) // 2])


def slice_landscape(features: Features, result: TrainingResult, kind: str = "trajectory", seed: int = 0,
                    points: int = SLICE_POINTS) -> SliceLandscape:
    """The slice through a trained model, its grid of points × points costs, the path on it, and the numbers."""
    proj = project_slice(features, result, kind, seed)
    s, t = slice_axes(proj, points)
    J = slice_costs(proj, features.Y_train, s, t)
    violations, checks = midpoint_violations(J)
    return SliceLandscape(
        proj=proj, s=s, t=t, J=J, path_J=path_costs(proj, features.Y_train),
        path_lambda=plane_curvature(proj, features.Y_train, proj.s, proj.t),
        lambda_at_star=float(plane_curvature(proj, features.Y_train)),
        midpoint_violations=violations, midpoint_checks=checks,
    )
