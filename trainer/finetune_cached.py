"""Train a product recipe (``cached_cut`` set) by fine-tuning its backbone's top on cached activations.

    python -m trainer.finetune_cached --recipe pneumonia-effnetlite0 --data ../shared/data/kermany-224 \
        --out runs/pneumonia-effnetlite0 [--epochs N] [--limit-per-class N] [--seed N] [--cache-dir DIR]

Same split, run folder and ``run.json`` as `trainer.train` (the converters' contract); see
`trainer.cached_backbone` for why and how. The saved ``best.keras`` is the whole model, bottom and
fine-tuned top joined, so it converts and runs like any other. Not resumable: a run takes minutes
once the activations are cached, and the cache itself is reused by a rerun.
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("trainer.finetune_cached")

import argparse
import hashlib
import logging
import shlex
import sys
import time
from pathlib import Path

import numpy as np

from cxrcore.preprocess import InputSpec
from trainer.backend import select_backend
from trainer.data.cache import load_gray_cache
from trainer.data.datasets import data_root
from trainer.data.records import DataError
from trainer.recipes import RECIPES, Recipe, get_recipe
from trainer.run_folder import holds_run, write_run_info
from trainer.train import RunError, compile_model, fresh_plan, input_spec_for, log_to, training_weights

log = logging.getLogger("trainer.finetune_cached")
CACHED_RECIPES = sorted(name for name, recipe in RECIPES.items() if recipe.cached_cut)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m trainer.finetune_cached", description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipe", required=True, choices=CACHED_RECIPES)
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--batch", type=int)
    parser.add_argument("--limit-per-class", type=int, metavar="N", help="tiny runs for tests")
    parser.add_argument("--size", type=int, metavar="N", help="square input side instead of the recipe's (tests)")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--weights", type=Path, help="backbone weights file instead of the recipe's")
    parser.add_argument("--skip-bad-files", action="store_true")
    parser.add_argument("--kermany", type=Path)
    parser.add_argument("--cache-dir", type=Path, help="decoded-image and activation cache (default: cache/)")
    parser.add_argument("--backend", choices=("tensorflow", "jax", "torch"))
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    if args.size:
        args.size = (args.size, args.size)
    select_backend(args.backend)
    try:
        run(args, "python -m trainer.finetune_cached " + shlex.join(argv))
    except (DataError, RunError, FileNotFoundError) as error:
        log.error("error: %s", error)
        return 2
    return 0


def run(args: argparse.Namespace, command: str) -> Path:
    import keras

    from trainer.backend import configure_devices, float32_output
    from trainer.cached_backbone import CachedViews, cache_activations, join
    from trainer.models.registry import create_model, list_models

    recipe = get_recipe(args.recipe)
    out: Path = args.out
    if holds_run(out):
        raise RunError(f"{out} already holds a run; choose another --out")
    out.mkdir(parents=True, exist_ok=True)
    log_to(out / "train.log")
    started = time.monotonic()
    info, rows = fresh_plan(out, recipe, args, command)
    root = data_root(info["dataset"]["kind"], args.data)
    split_rows = {name: [row for row in rows if row.split == name] for name in ("train", "val")}
    size = (info["input"]["height"], info["input"]["width"])
    cache = load_gray_cache(split_rows["train"] + split_rows["val"], root, *size, cache_dir=args.cache_dir)
    devices = configure_devices()
    spec = input_spec_for(recipe, info["input"], cache.images, len(split_rows["train"]))
    info.update(input=spec.to_dict(), backend=devices.backend, hardware=devices.description,
                mixed_precision=devices.mixed_precision, cached_cut=recipe.cached_cut)
    keras.utils.set_random_seed(info["seed"])
    list_models()
    kwargs = dict(recipe.model_kwargs, **({"weights": str(args.weights)} if args.weights else {}))
    model = float32_output(create_model(recipe.model, (*size, spec.channels), len(info["labels"]), **kwargs))
    bottom, top = split_nested_backbone(model, recipe.cached_cut)
    bottom.trainable = False
    compile_model(top, recipe, info, recipe.learning_rate)

    images = np.asarray(cache.images)
    train_count = len(split_rows["train"])
    cache_root = (args.cache_dir or Path("cache")) / "activations"
    activations = {
        name: cache_activations(bottom, part, spec, cache_root / f"{_activation_key(part, spec, recipe, kwargs)}.npy",
                                mirrored=name == "train" and recipe.augmentation.horizontal_flip)
        for name, part in (("train", images[:train_count]), ("val", images[train_count:]))
    }
    targets, weights = _targets(info, split_rows, recipe)
    batch = info["batch_size"]
    history = top.fit(
        CachedViews(activations["train"], targets["train"], batch, shuffle=True, seed=info["seed"],
                    sample_weights=weights),
        validation_data=CachedViews(activations["val"], targets["val"], batch, shuffle=False, seed=0),
        epochs=args.epochs or recipe.epochs,
        callbacks=_callbacks(recipe, out),
        verbose=2,
    )
    joined = join(bottom, top, name=model.name)
    joined.save(out / "best.keras")
    info.update(epochs_run=len(history.history["loss"]), wall_time_s=round(time.monotonic() - started, 1),
                status="complete", best_val_loss=float(min(history.history["val_loss"])))
    write_run_info(out, info)
    log.info("done in %.0f s: %d epochs; best val_loss %.4f; model %s", info["wall_time_s"], info["epochs_run"],
             info["best_val_loss"], out / "best.keras")
    return out


def split_nested_backbone(model, cut: str):
    """Split a registry model (input → backbone sub-model → head layers) at ``cut`` inside its backbone.

    Returns (bottom, top): bottom = input → backbone up to ``cut``; top = the rest of the backbone
    followed by the model's own head layers, as one functional model on the cut activations.
    """
    import keras

    from trainer.cached_backbone import split_at

    backbones = [layer for layer in model.layers if isinstance(layer, keras.Model)]
    if len(backbones) != 1:
        raise RunError(f"{model.name}: expected one nested backbone model, found {len(backbones)}")
    backbone = backbones[0]
    bottom, backbone_top = split_at(backbone, cut)
    head_layers = model.layers[model.layers.index(backbone) + 1:]
    cut_input = keras.Input(bottom.output.shape[1:], name="cached_activations")
    x = backbone_top(cut_input)
    for layer in head_layers:
        x = layer(x)
    return bottom, keras.Model(cut_input, x, name=f"{model.name}_top")


def _activation_key(images: np.ndarray, spec: InputSpec, recipe: Recipe, kwargs: dict) -> str:
    digest = hashlib.sha256()
    digest.update(repr((spec.to_dict(), recipe.model, recipe.cached_cut, sorted(map(str, kwargs.items())))).encode())
    digest.update(np.ascontiguousarray(images).tobytes())
    return f"{recipe.cached_cut}-{digest.hexdigest()[:16]}"


def _targets(info: dict, split_rows: dict, recipe: Recipe) -> tuple[dict[str, np.ndarray], np.ndarray | None]:
    index = {label: i for i, label in enumerate(info["labels"])}
    dtype = np.float32 if info["output_activation"] == "sigmoid" else np.int32
    targets = {name: np.array([index[row.label] for row in rows], dtype=dtype) for name, rows in split_rows.items()}
    return targets, training_weights(recipe, info, split_rows["train"], targets["train"])


def _callbacks(recipe: Recipe, out: Path) -> list:
    import keras

    callbacks: list = [keras.callbacks.CSVLogger(out / "history.csv")]
    if recipe.early_stopping:
        callbacks.append(keras.callbacks.EarlyStopping(monitor=recipe.early_stopping.monitor,
                                                       patience=recipe.early_stopping.patience,
                                                       restore_best_weights=True))
    if recipe.reduce_lr:
        reduce = recipe.reduce_lr
        callbacks.append(keras.callbacks.ReduceLROnPlateau(monitor=reduce.monitor, factor=reduce.factor,
                                                           patience=reduce.patience, min_lr=reduce.min_lr))
    return callbacks


if __name__ == "__main__":
    sys.exit(main())
