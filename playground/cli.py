"""Command line: ``python -m playground train …``, ``predict …``, ``checkpoints`` and ``class …`` (see ``--help``)."""

from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import math
import sys
from pathlib import Path

from playground.course.losses import LOSSES
from playground.data.features import PREPROCESSINGS, make_features
from playground.data.images import check_image_bytes, load_model_input
from playground.data.sources import load_dataset_path, loading
from playground.lessons.predict.saved_model import MAX_MODEL_BYTES, SavedModel, load_model, model_from_training
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
    p = sub.add_parser(
        "predict",
        help="classify images: P(cat) and the decision per image",
        description=(
            "Classify images with the course settings (cross-entropy, α = 0.005, 2,000 iterations, w = 0) "
            "trained on --data, or with a .npz model saved by the playground (--model). Images are "
            "squashed to the model's input size, as the course did, or centre-cropped first (--crop)."
        ),
        epilog=(
            "With --json the output is one JSON document: a list with one object per IMAGE, in the "
            'order given: {"file": IMAGE, "p_cat": 0.697, "label": "cat"}, or {"file": IMAGE, "error": '
            '"why it was refused"} for a file that could not be read as an image. Refused images do not '
            "change the exit status: it is 0, and 2 only for bad arguments (including an unusable --data or --model)."
        ),
    )
    _add_data_arguments(p)
    p.set_defaults(preprocessing=None)
    p.add_argument("--seed", type=int, default=0, help="seed of the built-in data / the split of a folder or .zip")
    p.add_argument("--model", metavar="FILE.npz", help="a model downloaded from the Train page (instead of training)")
    p.add_argument("--crop", action="store_true", help="centre-crop to a square before resizing (default: squash)")
    p.add_argument("--json", action="store_true", help="print one JSON list, one object per image (see below)")
    p.add_argument("images", nargs="+", metavar="IMAGE", help="PNG, JPEG, WebP, BMP or GIF files")
    c = sub.add_parser(
        "checkpoints", help="list the lesson's checkpoints: page, id, kind and the question in every language",
        epilog="A question's {fields} are filled by the page at the moment it asks (the dataset, the settings).",
    )
    c.add_argument("--json", action="store_true",
                   help='print one JSON list: {"page", "id", "kind", "en", "ko"} per checkpoint, in the lesson\'s order')
    k = sub.add_parser(
        "class", help="class mode: create a class, or print a class's results",
        description="Class mode against the class database: $PLAYGROUND_DATABASE_URL (PostgreSQL), else the SQLite "
                    "file under $PLAYGROUND_STATE_DIR (default ~/.local/state/logistic-playground), as the app uses.",
    )
    ksub = k.add_subparsers(dest="class_command", required=True, parser_class=_Parser)
    kc = ksub.add_parser("create", help="create a class: its join code, teacher key and join link")
    kc.add_argument("--url", default="http://localhost:8501", help="the app's address, for the links (default %(default)s)")
    kc.add_argument("--json", action="store_true", help='print {"code", "teacher_key", "join_url", "teacher_url", "expires_at"}')
    kr = ksub.add_parser("results", help="a class's aggregates: per checkpoint, counts per answer; the runs")
    kr.add_argument("code")
    kr.add_argument("--key", required=True, help="the class's teacher key")
    kr.add_argument("--json", action="store_true", help="print one JSON object")
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


def _predict_model(args) -> tuple[SavedModel, str]:
    """The model the predict command uses, and one line that says which it is."""
    if args.model is not None:
        if args.data is not None or args.cat_class is not None or args.preprocessing is not None:
            raise ValueError("--model carries its own data and scaling: drop --data, --cat-class and --preprocessing.")
        path = Path(args.model)
        if not path.is_file():
            raise ValueError(f"{path} is not a file.")
        if path.stat().st_size > MAX_MODEL_BYTES:
            raise ValueError(f"{path} is {path.stat().st_size / 2**20:.1f} MiB; model files up to {MAX_MODEL_BYTES / 2**20:.0f} MiB are accepted.")
        with loading():
            model = load_model(path.read_bytes(), str(path))
        return model, f"model: {path} ({model.source or 'no source recorded'})"
    settings = TrainingSettings()
    dataset = load_dataset_path(args.data, args.cat_class, args.seed)
    features = make_features(dataset, args.preprocessing or "divide_255")
    result = train(features, settings)
    model = model_from_training(result.w, result.b, features, dataset.classes, dataclasses.asdict(settings), dataset.name)
    return model, (
        f"model: the course settings ({settings.loss}, learning rate {settings.learning_rate:g}, "
        f"{settings.num_iterations} iterations, init {settings.init}) trained on {dataset.name} "
        f"in {result.seconds:.2f} s: train accuracy {result.train_accuracy:.2f} %, test accuracy {result.test_accuracy:.2f} %"
    )


def _read_image_file(path: str) -> bytes:
    """The bytes of an image file, refusing (ValueError) what cannot be one before reading it."""
    p = Path(path)
    if not p.exists():
        raise ValueError(f"{path} does not exist.")
    if not p.is_file():
        raise ValueError(f"{path} is not a file.")
    check_image_bytes(p.stat().st_size, path)
    try:
        return p.read_bytes()
    except OSError as err:
        raise ValueError(f"{path} could not be read ({err.strerror or err}).") from None


def _predict_one(model: SavedModel, path: str, mode: str) -> dict:
    """{"file", "p_cat", "label"} for an image, or {"file", "error"} for a refused one."""
    try:
        image = load_model_input(_read_image_file(path), path, mode, model.image_shape[:2])
    except ValueError as err:
        return {"file": path, "error": str(err)}
    p = float(model.predict_proba(image[None])[0])
    return {"file": path, "p_cat": p, "label": model.classes[int(p > 0.5)]}


def _predict_command(args) -> int:
    model, about = _predict_model(args)
    mode = "crop" if args.crop else "squash"
    results = [_predict_one(model, path, mode) for path in args.images]
    if args.json:
        print(json.dumps(results, allow_nan=False))
        return 0
    h, w = model.image_shape[:2]
    print(about)
    print(f"preprocessing: {'centre crop, then resize' if args.crop else 'squash'} to {h} × {w}")
    for r in results:
        if "error" in r:
            print(f"{r['file']}: refused: {r['error']}")
        else:
            print(f"{r['file']}: P({model.classes[1]}) = {r['p_cat']:.4f} → {r['label']}")
    return 0


def _checkpoints_command(args) -> int:
    from playground.lessons.checkpoints import CHECKPOINTS
    from playground.ui.locales import LANGUAGES, catalog

    rows = [{"page": c.page, "id": c.id, "kind": c.kind,
             **{lang: catalog(lang)[c.text_key("question")] for lang in LANGUAGES}} for c in CHECKPOINTS]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=1))
    else:
        for row in rows:
            print(f"{row['id']:<24} {row['kind']:<7} {row['en']}")
    return 0


def _class_command(args) -> int:
    from urllib.parse import urlencode

    from playground.classroom.store import ClassUnavailable, Store

    try:
        store = Store()
        if args.class_command == "create":
            new = store.create_class()
            base = args.url.rstrip("/")
            out = {"code": new.code, "teacher_key": new.teacher_key,
                   "join_url": f"{base}/classroom?{urlencode({'class': new.code})}",
                   "teacher_url": f"{base}/classroom?{urlencode({'class': new.code, 'key': new.teacher_key})}",
                   "expires_at": new.expires_at.isoformat()}
            print(json.dumps(out, indent=1) if args.json else "\n".join(f"{k}: {v}" for k, v in out.items()))
        else:
            results = store.results(args.code, args.key).as_json()
            if args.json:
                print(json.dumps(results, ensure_ascii=False, indent=1))
            else:
                print(f"class {results['code']}: {results['students']} students, {len(results['runs'])} runs")
                for cp, tally in results["checkpoints"].items():
                    print(f"  {cp}: {tally['answered']} answered; final {tally['final']}")
        store.close()
    except ClassUnavailable as err:
        print(f"python -m playground class: error: {err}", file=sys.stderr)
        return 1
    return 0


COMMANDS = {"train": _train_command, "predict": _predict_command, "checkpoints": _checkpoints_command,
            "class": _class_command}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # The one line below says what failed; the loaders' tracebacks are for a server's log.
    logging.getLogger("playground").addHandler(logging.NullHandler())
    try:
        return COMMANDS[args.command](args)
    except ValueError as err:
        print(f"python -m playground {args.command}: error: {err}", file=sys.stderr)
        return 2
