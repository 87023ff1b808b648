"""Train P1's DCGAN on the Kermany NORMAL training films and write synthetic normals + a manifest.

    python -m trainer.dcgan_train --data ../shared/data/kermany-224 --out runs/p1-dcgan --epochs N \
        --generate 2500 [--base-filters 128] [--size 64] [--batch 64] [--limit-per-class N] [--cache-dir DIR]

P1 added ~2,500 DCGAN-generated normals to its training set and found no gain (88% / 89%). To
reproduce that, the GAN may only see films the classifier trains on: the split is made exactly
as ``python -m trainer.train --recipe p1-baseline`` makes it (same loader, fractions, seed and
de-duplication), and only its ``train`` NORMAL films are used — never validation or test films.

Writes into ``--out``: ``generator.keras``, ``samples.png`` (an 8×8 grid), ``history.csv``,
``synthetic/normal-NNNNN.png`` (``--generate`` films), ``run.json`` (command, wall time, the
training films' paths) and ``manifest.csv`` (``path,label,patient_id,split``): every real Kermany
film with its official split plus the synthetic films as ``train`` NORMAL, so that
``python -m trainer.train --recipe p1-baseline --data OUT/manifest.csv`` retrains the baseline
with them. trainer.train pools a manifest's ``train`` rows before carving its 20% validation
slice, so about a fifth of the synthetic films land in validation; the official test set is
untouched either way.

``--base-filters`` scales the networks' widths (the zoo's default 128 is Radford et al.'s
64×64 DCGAN, ~2.5 GMAC per generated image; 32 makes it 16× cheaper for a 2-core CPU).
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("trainer.dcgan_train")

import argparse
import csv
import os
import shlex
import sys
import time
from pathlib import Path

import numpy as np

from trainer.backend import BACKENDS, select_backend
from trainer.data.cache import load_gray_cache
from trainer.data.kermany import load_kermany
from trainer.data.manifest import SplitRow
from trainer.data.prepare import PrepareOptions, prepare_split
from trainer.data.records import DataError, Dataset
from trainer.recipes import get_recipe
from trainer.run_folder import write_run_info

#: The classifier whose training split the GAN learns from and whose training set it extends.
CLASSIFIER_RECIPE = "p1-baseline"
NORMAL = "NORMAL"
SYNTHETIC_FOLDER = "synthetic"
MANIFEST_COLUMNS = ("path", "label", "patient_id", "split")
GRID_SIDE = 8


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m trainer.dcgan_train", description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", required=True, type=Path, help="Kermany dataset folder (holding chest_xray/)")
    parser.add_argument("--out", required=True, type=Path, help="output folder (under runs/: never in the repo)")
    parser.add_argument("--epochs", type=int, default=5, help="GAN training epochs over the NORMAL training films")
    parser.add_argument("--generate", type=int, default=2500, help="synthetic normals to write")
    parser.add_argument("--size", type=int, default=64, help="image side, 4*2^k (the zoo's DCGAN default: 64)")
    parser.add_argument("--base-filters", type=int, default=128,
                        help="filters of the widest-resolution layers (128 = Radford et al.; smaller is cheaper)")
    parser.add_argument("--batch", type=int, default=64, help="batch size (Radford et al.: 64)")
    parser.add_argument("--seed", type=int, default=0, help="seed for initialisation, shuffling and generation")
    parser.add_argument("--limit-per-class", type=int, metavar="N",
                        help="as trainer.train's: at most N training-pool films per class (tiny runs, tests)")
    parser.add_argument("--backend", choices=BACKENDS, help="Keras backend (default: $KERAS_BACKEND, else tensorflow)")
    parser.add_argument("--cache-dir", type=Path, help="decoded-image cache folder (default: cache/ in the repo)")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(argv)
    select_backend(args.backend)
    try:
        run(args, command="python -m trainer.dcgan_train " + shlex.join(argv))
    except (DataError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def run(args: argparse.Namespace, command: str) -> Path:
    """Everything `main` does after parsing; returns the output folder."""
    if args.generate < 1 or args.epochs < 1:
        raise ValueError("--epochs and --generate must be >= 1")
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    dataset = load_kermany(args.data)
    films = training_normals(dataset, args)
    started = time.monotonic()
    images = load_gray_cache(films, dataset.root, args.size, args.size, cache_dir=args.cache_dir).images
    gan, hardware = _train(np.asarray(images), args, out)
    gan.generator.save(out / "generator.keras")
    from trainer.models.dcgan import generate_images

    synthetic = generate_images(gan.generator, args.generate, seed=args.seed)
    names = _write_pngs(synthetic, out / SYNTHETIC_FOLDER)
    _write_grid(synthetic[: GRID_SIDE * GRID_SIDE], out / "samples.png")
    write_manifest(dataset, names, out)
    info = {
        "command": command, "classifier_recipe": CLASSIFIER_RECIPE, "epochs_run": args.epochs,
        "image_size": args.size, "base_filters": args.base_filters, "batch_size": args.batch, "seed": args.seed,
        "generated": len(names), "hardware": hardware, "wall_time_s": round(time.monotonic() - started, 1),
        "training_films": [film.path for film in films],
    }
    write_run_info(out, info)
    print(f"trained on {len(films)} NORMAL training films for {args.epochs} epochs; wrote {len(names)} synthetic "
          f"normals and {out / 'manifest.csv'} in {info['wall_time_s']:.0f} s")
    return out


def training_normals(dataset: Dataset, args: argparse.Namespace) -> list[SplitRow]:
    """The NORMAL films of the ``train`` split that trainer.train makes for the P1 baseline."""
    recipe = get_recipe(CLASSIFIER_RECIPE)
    options = PrepareOptions(fractions=recipe.fractions, seed=recipe.seed, limit_per_class=args.limit_per_class,
                             max_per_class=recipe.max_per_class, cache_dir=args.cache_dir)
    rows = [row for row in prepare_split(dataset, options).rows if row.split == "train" and row.label == NORMAL]
    if not rows:
        raise DataError(f"{args.data}: no NORMAL films in the training split")
    return rows


def _train(images: np.ndarray, args: argparse.Namespace, out: Path):
    """Fit the zoo's DCGAN on ``images`` (uint8, N×H×W); returns (the GAN, a hardware description)."""
    import keras

    from trainer.backend import configure_devices
    from trainer.models.dcgan import DCGAN, to_gan_range
    from trainer.models.registry import create_model

    devices = configure_devices()
    keras.utils.set_random_seed(args.seed)
    shape = (args.size, args.size, 1)
    widths = {"base_filters": args.base_filters}
    gan = DCGAN(create_model("p1-dcgan-generator", shape, 2, **widths),
                create_model("p1-dcgan-discriminator", shape, 2, **widths), seed=args.seed)
    gan.compile()
    gan.fit(to_gan_range(images), batch_size=args.batch, epochs=args.epochs, shuffle=True,
            callbacks=[keras.callbacks.CSVLogger(out / "history.csv")], verbose=2)
    return gan, devices.description


def _write_pngs(images: np.ndarray, folder: Path) -> list[str]:
    """One grayscale PNG per image; returns the file names, in order."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    names = [f"normal-{index:05d}.png" for index in range(len(images))]
    for name, image in zip(names, images):
        Image.fromarray(image).save(folder / name)
    return names


def _write_grid(images: np.ndarray, path: Path) -> None:
    """The first images tiled row by row, ``GRID_SIDE`` per row: a quick look at what the GAN makes."""
    from PIL import Image

    rows = -(-len(images) // GRID_SIDE)
    side = images.shape[1]
    grid = np.zeros((rows * side, GRID_SIDE * side), np.uint8)
    for index, image in enumerate(images):
        row, column = divmod(index, GRID_SIDE)
        grid[row * side:(row + 1) * side, column * side:(column + 1) * side] = image
    Image.fromarray(grid).save(path)


def write_manifest(dataset: Dataset, synthetic_names: list[str], out: Path) -> Path:
    """Every real film with its official split (paths relative to ``out``), then the synthetic ones as train."""
    path = out / "manifest.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(MANIFEST_COLUMNS)
        for record in dataset.records:
            relative = Path(os.path.relpath(dataset.root.resolve() / record.path, out.resolve())).as_posix()
            writer.writerow((relative, record.label, record.patient_id or "", record.official_split or ""))
        for name in synthetic_names:
            writer.writerow((f"{SYNTHETIC_FOLDER}/{name}", NORMAL, f"dcgan-{Path(name).stem}", "train"))
    return path


if __name__ == "__main__":
    sys.exit(main())
