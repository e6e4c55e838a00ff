"""Command line: ``python -m playground train …`` (see ``--help``)."""

from __future__ import annotations

import argparse
import json
import math
import sys

from playground.data.features import PREPROCESSINGS, make_features
from playground.data.sources import load_dataset_path
from playground.losses import LOSSES
from playground.training import INITS, TrainingSettings, train

RECORD_EVERY = 100


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # One clear line and exit code 2, as argparse does, without the usage block.
        self.exit(2, f"{self.prog}: error: {message}\n")


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a number above 0, got {text}")
    return value


def _add_data_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data", metavar="PATH", help="folder with the course's .h5 pair, or a folder/.zip with one subfolder per class (default: the built-in drawings)")
    p.add_argument("--cat-class", metavar="NAME", help="with a folder/.zip of images: the class that is 'cat'")
    p.add_argument("--preprocessing", choices=PREPROCESSINGS, default="divide_255")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m playground", description="Logistic regression on cat / non-cat pictures.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    t = sub.add_parser("train", help="train and print the cost every 100 iterations and the accuracies")
    _add_data_arguments(t)
    t.add_argument("--loss", choices=sorted(LOSSES), default="cross_entropy")
    t.add_argument("--lr", type=_positive_float, default=0.005, help="learning rate α (default 0.005)")
    t.add_argument("--iterations", type=int, default=2000, help="iterations of batch gradient descent (default 2000)")
    t.add_argument("--init", choices=INITS, default="zeros")
    t.add_argument("--seed", type=int, default=0, help="seed of the random init and of the built-in data / split")
    t.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    return parser


def _train_command(args) -> int:
    settings = TrainingSettings(
        loss=args.loss, learning_rate=args.lr, num_iterations=args.iterations, init=args.init, seed=args.seed
    )
    dataset = load_dataset_path(args.data, args.cat_class, args.seed)
    result = train(make_features(dataset, args.preprocessing), settings)
    recorded = {i: float(c) for i, c in enumerate(result.costs) if i % RECORD_EVERY == 0}
    if args.json:
        print(json.dumps({
            "dataset": dataset.name,
            "loss": settings.loss,
            "learning_rate": settings.learning_rate,
            "iterations": settings.num_iterations,
            "init": settings.init,
            "seed": settings.seed,
            "costs": [_json_number(c) for c in recorded.values()],
            "cost_iterations": list(recorded),
            "final_cost": _json_number(result.final_cost),
            "final_test_cost": _json_number(result.final_test_cost),
            "train_accuracy": result.train_accuracy,
            "test_accuracy": result.test_accuracy,
            "b": result.b,
            "seconds": result.seconds,
            "method": result.method,
            "diverged_at": result.diverged_at,
            "stopped_early": result.stopped_early,
        }, allow_nan=False))
        return 0
    print(f"{dataset.name}: m_train = {dataset.m_train}, m_test = {dataset.m_test}, n_x = {dataset.n_x:,}")
    print(f"{settings.loss}, learning rate {settings.learning_rate:g}, {settings.num_iterations} iterations, init {settings.init}")
    for i, c in recorded.items():
        print(f"Cost after iteration {i}: {c:f}")
    print(f"Cost at the final weights: {result.final_cost:f}")
    print(f"train accuracy: {result.train_accuracy:.6f} %")
    print(f"test accuracy: {result.test_accuracy:.6f} %")
    print(f"trained in {result.seconds:.3f} s ({result.method} path)")
    if result.diverged:
        how = "stopped: the cost is no longer finite" if result.stopped_early else (
            "it came back down later" if result.recovered else "it stayed high")
        print(f"warning: the cost blew up at iteration {result.diverged_at} ({how}); try a smaller learning rate.")
    return 0


def _json_number(x: float) -> float | None:
    """JSON has no NaN or infinity: a cost that stopped being finite is written as null."""
    return x if math.isfinite(x) else None


COMMANDS = {"train": _train_command}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ValueError as err:
        print(f"python -m playground {args.command}: error: {err}", file=sys.stderr)
        return 2
