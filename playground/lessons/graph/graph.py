"""The lecture's computational graph for two features, as plain data.

    x₁, w₁, x₂, w₂, b → z = w₁x₁ + w₂x₂ + b → a = σ(z) → L(a, y)

Like micrograd's ``Value``, every node carries its forward value and, right
beside it, its gradient dL/d(node) with the chain-rule factor that produced
it. The graph is a tuple of nodes naming their parents; drawing it
(``playground.figures.graph``) only walks that data, and ``steps`` gives the
order a teacher reveals it in: forward left to right, backward right to left.

Data (x, y) gets no gradient — it is given, not learned — as in the course.
With ``constant_feature=True`` the graph gains x₀ = 1 and b becomes the
weight w₀, so z = w₀x₀ + w₁x₁ + w₂x₂ and db turns into dw₀ = x₀·dz.

``image_summary`` does the same forward and backward pass for one real
picture (n_x = 12,288 features), where only a summary can be shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from playground.course.activations import sigmoid
from playground.course.losses import get_loss

MAX_INPUT = 1e6
"""Largest |x|, |w|, |b| accepted: beyond it nothing in the lesson changes but the digits."""


def fmt(v: float) -> str:
    """A number as the graph prints it: 4 significant digits, a real minus sign, ∞ for overflow."""
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    return f"{v:.4g}".replace("-", "−")


def _p(v: float) -> str:
    """A number as a factor in a product: negative ones in parentheses, "1 · (−0.5)"."""
    return f"({fmt(v)})" if v < 0 else fmt(v)


@dataclass(frozen=True)
class Node:
    """One node: its forward value beside its backward rule.

    role: "data" (x, y), "parameter" (w, b: learned), "constant" (x₀ = 1) or "computed" (z, a, L).
    parents: names of the nodes it is computed from (empty for inputs).
    forward: how the value is computed, symbolically ("σ(z)"); "" for inputs;
    forward_numbers: the same with the parents' values substituted ("σ(0.1)").
    grad: dL/d(this node), or None for data (x, y), which is not learned.
    grad_name: the course's short name for it ("dz", "dw₁").
    backward: the chain-rule factor, symbolically ("da · a(1 − a)");
    simplified: the same after algebra ("a − y"), or "" when there is nothing to simplify;
    backward_numbers: the factor with this graph's numbers substituted.
    """

    name: str
    label: str
    role: str
    parents: tuple[str, ...]
    value: float
    forward: str = ""
    forward_numbers: str = ""
    grad: float | None = None
    grad_name: str = ""
    backward: str = ""
    simplified: str = ""
    backward_numbers: str = ""


@dataclass(frozen=True)
class Step:
    """One reveal of the step-through: phase "forward" shows ``node``'s value,
    phase "backward" its gradient (drawn on the edge leaving it)."""

    phase: str
    node: str
    text: str


@dataclass(frozen=True)
class Graph:
    """The whole graph: nodes in forward (topological) order, and the inputs that built it."""

    nodes: tuple[Node, ...]
    loss: str
    y: float
    constant_feature: bool

    def node(self, name: str) -> Node:
        for n in self.nodes:
            if n.name == name:
                return n
        raise ValueError(f"No node {name!r} in this graph: it has {', '.join(n.name for n in self.nodes)}.")

    @property
    def output(self) -> Node:
        return self.nodes[-1]

    def edges(self) -> list[tuple[str, str]]:
        """(parent, child) for every arrow, in forward order."""
        return [(p, n.name) for n in self.nodes for p in n.parents]

    def consumers(self, name: str) -> list[str]:
        return [child for parent, child in self.edges() if parent == name]

    def steps(self) -> list[Step]:
        """Forward: each computed node left to right. Backward: breadth-first from L back to the
        parameters, so da, dz, then dw₁, dw₂, db — each needs only what was revealed before it."""
        forward = [
            Step("forward", n.name, f"{n.label} = {n.forward} = {n.forward_numbers} = {fmt(n.value)}")
            for n in self.nodes if n.role == "computed"
        ]
        backward, queue, seen = [], list(self.output.parents), set()
        while queue:
            name = queue.pop(0)
            if name in seen:
                continue
            seen.add(name)
            n = self.node(name)
            if n.grad is not None:
                text = f"{n.grad_name} = {n.backward} = {n.backward_numbers}"
                if n.backward_numbers != fmt(n.grad):
                    text += f" = {fmt(n.grad)}"
                if n.simplified:
                    text += f"   (simplified: {n.grad_name} = {n.simplified})"
                backward.append(Step("backward", name, text))
            queue.extend(n.parents)
        return forward + backward


def _check_number(name: str, v) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)) or not math.isfinite(v):
        raise ValueError(f"Expected a finite number for {name}, got {v!r}.")
    if abs(v) > MAX_INPUT:
        raise ValueError(f"Expected |{name}| ≤ {MAX_INPUT:g}, got {v!r}.")
    return float(v)


def _local_da(loss: str, a: float, y: float) -> tuple[str, str]:
    """∂L/∂a for ``loss``: symbolically, and with the numbers substituted."""
    if loss == "mse":
        return "a − y", f"{fmt(a)} − {_p(y)}"
    return "−y/a + (1 − y)/(1 − a)", f"−{fmt(y)}/{fmt(a)} + {fmt(1 - y)}/{fmt(1 - a)}"


def build_graph(
    x1: float, x2: float, w1: float, w2: float, b: float, y: float,
    loss: str = "cross_entropy", constant_feature: bool = False,
) -> Graph:
    """The two-feature graph with every forward value and gradient filled in.

    y: the label, from 0 to 1 (the course uses 0 or 1). loss: a name of ``playground.course.losses``.
    """
    x1, x2, w1, w2, b, y = (_check_number(k, v) for k, v in
                            (("x₁", x1), ("x₂", x2), ("w₁", w1), ("w₂", w2), ("b", b), ("y", y)))
    if not 0 <= y <= 1:
        raise ValueError(f"Expected the label y from 0 to 1, got {y!r}.")
    lo = get_loss(loss)

    # Forward, left to right.
    z = w1 * x1 + w2 * x2 + b
    a = float(sigmoid(z))
    L = float(lo.loss(z, y))
    # Backward, right to left. dz comes from the loss's own dL/dz, which is computed from z
    # and stays finite even when a rounds to exactly 0 or 1 and da · a(1 − a) would be ∞ · 0.
    with np.errstate(divide="ignore", invalid="ignore"):
        da = float(lo.da(a, y))
    dz = float(lo.dz(z, y))
    dw1, dw2, db = x1 * dz, x2 * dz, dz

    da_rule, da_numbers = _local_da(lo.name, a, y)
    dz_simplified = "a − y" if lo.name == "cross_entropy" else "(a − y) a(1 − a)"
    if constant_feature:
        bias = [
            Node("x0", "x₀", "constant", (), 1.0),
            Node("w0", "w₀", "parameter", (), b, grad=1.0 * dz, grad_name="dw₀",
                 backward="x₀ · dz", backward_numbers=f"1 · {_p(dz)}"),
        ]
        z_parents = ("w0", "x0", "w1", "x1", "w2", "x2")
        z_forward = "w₀x₀ + w₁x₁ + w₂x₂"
        z_numbers = f"{_p(b)}·1 + {_p(w1)}·{_p(x1)} + {_p(w2)}·{_p(x2)}"
    else:
        bias = []
        z_parents = ("w1", "x1", "w2", "x2", "b")
        z_forward = "w₁x₁ + w₂x₂ + b"
        z_numbers = f"{_p(w1)}·{_p(x1)} + {_p(w2)}·{_p(x2)} + {_p(b)}"
    nodes = bias + [
        Node("x1", "x₁", "data", (), x1),
        Node("w1", "w₁", "parameter", (), w1, grad=dw1, grad_name="dw₁",
             backward="x₁ · dz", backward_numbers=f"{_p(x1)} · {_p(dz)}"),
        Node("x2", "x₂", "data", (), x2),
        Node("w2", "w₂", "parameter", (), w2, grad=dw2, grad_name="dw₂",
             backward="x₂ · dz", backward_numbers=f"{_p(x2)} · {_p(dz)}"),
    ]
    if not constant_feature:
        nodes.append(Node("b", "b", "parameter", (), b, grad=db, grad_name="db",
                          backward="dz", backward_numbers=fmt(dz)))
    nodes += [
        Node("z", "z", "computed", z_parents, z, forward=z_forward, forward_numbers=z_numbers,
             grad=dz, grad_name="dz", backward="da · a(1 − a)", simplified=dz_simplified,
             backward_numbers=f"{_p(da)} · {_p(a)} · {_p(1 - a)}"),
        Node("a", "a", "computed", ("z",), a, forward="σ(z)", forward_numbers=f"σ({fmt(z)})",
             grad=da, grad_name="da", backward=da_rule, backward_numbers=da_numbers),
        Node("y", "y", "data", (), y),
        Node("L", "L", "computed", ("a", "y"), L, forward=_loss_text(lo.name),
             forward_numbers=_loss_numbers(lo.name, a, y), grad=1.0, grad_name="dL",
             backward="1", backward_numbers="1"),
    ]
    return Graph(nodes=tuple(nodes), loss=lo.name, y=y, constant_feature=constant_feature)


def _loss_text(loss: str) -> str:
    if loss == "mse":
        return "½(a − y)²"
    return "−(y log a + (1 − y) log(1 − a))"


def _loss_numbers(loss: str, a: float, y: float) -> str:
    if loss == "mse":
        return f"½({fmt(a)} − {_p(y)})²"
    return f"−({fmt(y)}·log {fmt(a)} + {fmt(1 - y)}·log {fmt(1 - a)})"


def revealed(graph: Graph, step: int) -> tuple[set[str], set[str], Step | None]:
    """After ``step`` reveals (0 … len(steps)): names whose forward value is shown, names whose
    gradient is shown, and the current step (None at 0). Inputs are always shown."""
    steps = graph.steps()
    if isinstance(step, bool) or not isinstance(step, (int, np.integer)) or not 0 <= step <= len(steps):
        raise ValueError(f"Expected a step from 0 to {len(steps)}, got {step!r}.")
    done = steps[:step]
    values = {n.name for n in graph.nodes if n.role != "computed"}
    values |= {s.node for s in done if s.phase == "forward"}
    grads = {s.node for s in done if s.phase == "backward"}
    return values, grads, (done[-1] if done else None)


@dataclass(frozen=True, eq=False)
class ImageSummary:
    """The same forward and backward pass for one real picture x⁽ⁱ⁾ (n_x features) and, beside it,
    the cost over all m examples and the accumulated dw.

    z, a, loss, da, dz: scalars for example i; dw_example: (n_x,) = x⁽ⁱ⁾ dz⁽ⁱ⁾; db_example = dz⁽ⁱ⁾.
    cost: J = (1/m) Σ L⁽ⁱ⁾; dw: (n_x,) = (1/m) Σ x⁽ⁱ⁾ dz⁽ⁱ⁾; db = (1/m) Σ dz⁽ⁱ⁾.
    """

    index: int
    y: float
    z: float
    a: float
    loss: float
    da: float
    dz: float
    dw_example: np.ndarray
    db_example: float
    cost: float
    dw: np.ndarray
    db: float
    m: int

    @property
    def n_x(self) -> int:
        return self.dw_example.shape[0]


def image_summary(w, b: float, X, Y, index: int, loss: str = "cross_entropy") -> ImageSummary:
    """Forward and backward for example ``index`` of X (n_x, m), Y (1, m) with w (n_x, 1), b,
    and the cost and gradient accumulated over all m examples."""
    X, Y, w = np.asarray(X, dtype=float), np.asarray(Y, dtype=float), np.asarray(w, dtype=float)
    if X.ndim != 2 or Y.shape != (1, X.shape[1]) or w.shape != (X.shape[0], 1):
        raise ValueError(
            f"Expected w (n_x, 1), X (n_x, m) and Y (1, m), got w {w.shape}, X {X.shape}, Y {Y.shape}."
        )
    m = X.shape[1]
    if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < m:
        raise ValueError(f"Expected an example index from 0 to {m - 1}, got {index!r}.")
    lo = get_loss(loss)
    Z = w.T @ X + b
    L = lo.loss(Z, Y)
    dZ = lo.dz(Z, Y)
    z, y = float(Z[0, index]), float(Y[0, index])
    a = float(sigmoid(z))
    with np.errstate(divide="ignore", invalid="ignore"):
        da = float(lo.da(a, y))
    dz = float(dZ[0, index])
    return ImageSummary(
        index=int(index), y=y, z=z, a=a, loss=float(L[0, index]), da=da, dz=dz,
        dw_example=X[:, index] * dz, db_example=dz,
        cost=float(L.mean()), dw=(X @ dZ.T)[:, 0] / m, db=float(dZ.mean()), m=m,
    )
