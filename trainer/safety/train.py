"""Build ``models/_safety/``: the chest-film gate, the population check and the quality score, each measured.

    python -m trainer.safety.train gate       --kermany ../shared/data/kermany-224 \
        --radiography ../shared/data/covid19-radiography-224 --external ../shared/data/external --out models/_safety
    python -m trainer.safety.train population (same arguments)
    python -m trainer.safety.train quality    (same arguments)

Each step trains on the ``fit`` split of every source, chooses its thresholds on ``val`` frontal
films (`trainer.safety.data`), writes its files and its section of ``safety.json`` (with SHA-256
of every file), then reloads what it wrote through `cxrcore` and measures it on the held-out test
films of every source. The gate and population steps also fit one model per leave-out fold
(`trainer.safety.sources.FOLDS`) and measure it on the sources it never saw: the figures that
predict a new hospital. Each step takes minutes on two CPU cores.
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("trainer.safety.train")

import argparse
import json
import shlex
import sys
from pathlib import Path

import numpy as np

from cxrcore.files import sha256_file
from cxrcore.decode import DecodedImage
from cxrcore.safety.gate import ChestFilmGate, film_statistics, film_view
from cxrcore.safety.population import PopulationModel
from cxrcore.preprocess import PREPROCESSING_ID
from cxrcore.safety.card import SAFETY_CARD, SAFETY_SCHEMA_VERSION, ScoreModel, read_safety_card
from trainer.safety import discriminative, geometric
from trainer.safety.data import load_kermany_films, load_radiography_films
from trainer.safety.sources import FOLDS, POPULATION_FOLDS, SafetyData, load_safety_data, per_source_limit

ONE_CLASS_FILE = "chest-film.tflite"
FRONTAL_FILE = "chest-frontal.tflite"
POPULATION_FILE = "population.tflite"
#: Limits that no training film can inform (every shared film is a gray 224×224 square).
FIXED_LIMITS = {"max_aspect": 2.0, "max_colourfulness": 15.0}
#: The population network sees fewer films than the gate's (children and adults only) and a subtler
#: difference; five epochs left it warning 6 % of Kermany test films (docs/safety.md §2).
POPULATION_EPOCHS = 10


def _update_card(out: Path, key: str, section: dict) -> None:
    """Replace one top-level section of safety.json and re-hash every ``.tflite`` in the folder."""
    path = out / SAFETY_CARD
    card = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    card.update({"schema_version": SAFETY_SCHEMA_VERSION, "preprocessing_id": PREPROCESSING_ID})
    card[key] = section
    card["files"] = {file.name: sha256_file(file) for file in sorted(out.glob("*.tflite"))}
    path.write_text(json.dumps(card, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _cheap_limits(films: np.ndarray) -> dict:
    """Limits for blank/entropy/edge checks from the fitted films, with a wide margin past their extremes."""
    decoded = [DecodedImage(np.asarray(film), "array", 8) for film in films]
    stats = [film_statistics(film, film_view(film)) for film in decoded]
    return {
        "min_std": 0.5 * min(s.std for s in stats),
        "min_entropy": 0.5 * min(s.entropy for s in stats),
        "max_sharp_edge_fraction": 1.5 * max(s.sharp_edge_fraction for s in stats),
    }


def _record_measured(args: argparse.Namespace, key: str, section: dict, load, measure) -> None:
    """Write ``section`` (so `cxrcore` can verify what it opens), reload it as the app would, measure
    the reloaded check into ``section["measured"]`` and write the section again."""
    _update_card(args.out, key, section)
    check = load(args.out)
    try:
        section["measured"] = measure(check)
    finally:
        check.close()
    _update_card(args.out, key, section)


def _one_class(args: argparse.Namespace, data: SafetyData) -> dict:
    """The one-class model's section: the shipped file reused (``--retrain-one-class`` trains it anew),
    its thresholds re-fitted per source on validation frontal films of every source."""
    from trainer.safety.frontal import PERCENTILE
    from trainer.safety.one_class import fit_one_class

    path = args.out / ONE_CLASS_FILE
    previous = json.loads((args.out / SAFETY_CARD).read_text(encoding="utf-8")) if (args.out / SAFETY_CARD).is_file() else {}
    gate = previous.get("gate", {})
    section = dict(gate.get("models", {}).get("one-class") or gate.get("novelty") or {})
    if args.retrain_one_class or not path.is_file() or not section:
        fitted = fit_one_class(data.frontal.where("fit").images, data.frontal.where("val").images, ONE_CLASS_FILE,
                               geometric.SCORE_NAMES, PERCENTILE, geometric.TrainSettings(epochs=args.one_class_epochs))
        path.write_bytes(fitted.tflite)
        section = fitted.section
    _update_card(args.out, "gate", {"models": {}, "limits": {}})  # hash the file so it can be opened
    val = data.frontal.where("val")
    model = ScoreModel(read_safety_card(args.out), section)
    scores = np.array([model.scores(film) for film in val.images])
    model.close()
    section["thresholds"] = [per_source_limit(scores[:, index], val.sources, PERCENTILE)
                             for index in range(scores.shape[1])]
    section["threshold_rule"] = (f"{PERCENTILE}th percentile of each score on each frontal source's validation films, "
                                 f"the highest over sources ({len(val.sources)} films)")
    return section


def _one_class_scores(args: argparse.Namespace, images: np.ndarray) -> np.ndarray:
    card = read_safety_card(args.out)
    model = ScoreModel(card, card.section("gate", "models", "one-class"))
    try:
        return np.array([model.scores(film) for film in images]).reshape(len(images), -1)
    finally:
        model.close()


def _held_out_gate(args: argparse.Namespace, data: SafetyData, settings: discriminative.BinarySettings) -> dict:
    """Each fold: fit without its sources, measure every learnt check on them (in memory, 64×64)."""
    from trainer.safety.frontal import fit_frontal, gate_decisions
    from trainer.safety.measure import share

    card = read_safety_card(args.out)
    thresholds = np.asarray(card.section("gate", "models", "one-class")["thresholds"])
    folds = {}
    for name, held_out in FOLDS.items():
        fit = fit_frontal(data, held_out, settings)
        figures = {"threshold": fit.threshold, "structure_limits": fit.structure_limits}
        for source in held_out:
            pool = data.frontal.where(sources=(source,)) if source in data.frontal.sources else \
                data.non_chest.where(sources=(source,))
            refused = gate_decisions(fit, pool.images, (_one_class_scores(args, pool.images), thresholds))
            figures[source] = {check: share(values) for check, values in refused.items()}
        folds[name] = figures
        print(json.dumps({name: figures}, ensure_ascii=False), flush=True)
    return folds


def _train_gate(args: argparse.Namespace, command: str) -> dict:
    from trainer.safety.frontal import SCORE_NAME, fit_frontal
    from trainer.safety.measure import measure_gate

    data = load_safety_data(args.kermany, args.radiography, args.external)
    settings = discriminative.BinarySettings(epochs=args.epochs or discriminative.BinarySettings.epochs)
    one_class = _one_class(args, data)
    fit = fit_frontal(data, (), settings)
    (args.out / FRONTAL_FILE).write_bytes(discriminative.to_tflite(fit.model))
    big = np.concatenate([load_kermany_films(args.kermany, 224).select("fit"),
                          load_radiography_films(args.radiography, 224).select("fit")])
    limits = {**FIXED_LIMITS, **_cheap_limits(big), **fit.structure_limits}
    section = {
        "models": {
            "discriminative": {"file": FRONTAL_FILE, "input": geometric.SPEC.to_dict(), "scores": [SCORE_NAME],
                               "thresholds": [fit.threshold], **fit.facts},
            "one-class": one_class,
        },
        "limits": limits,
        "limit_rules": {
            "max_aspect": "fixed: twice as long as wide; film cassettes are 0.8–1.25",
            "max_colourfulness": "fixed: Hasler & Süsstrunk's 'not colourful' bound",
            "min_std, min_entropy": f"half the lowest value among the {len(big)} fitted Kermany and radiography films",
            "max_sharp_edge_fraction": f"1.5 × the highest value among the {len(big)} fitted films",
            "min_mirror_correlation, min_lung_trough_depth": fit.facts["rule"],
        },
        "created_by": command,
    }
    _record_measured(args, "gate", section, ChestFilmGate.load, lambda gate: measure_gate(gate, data, args.external))
    if not args.skip_folds:
        section["held_out"] = _held_out_gate(args, data, settings)
        _update_card(args.out, "gate", section)
    return {key: section[key] for key in ("measured", "held_out") if key in section}


def _train_population(args: argparse.Namespace, command: str) -> dict:
    from trainer.safety.measure import measure_population, share
    from trainer.safety.population import fit_population, population_section

    data = load_safety_data(args.kermany, args.radiography, args.external)
    settings = discriminative.BinarySettings(epochs=args.epochs or POPULATION_EPOCHS)
    fit = fit_population(data, (), settings)
    (args.out / POPULATION_FILE).write_bytes(discriminative.to_tflite(fit.model))
    section = {**population_section(fit, POPULATION_FILE), "created_by": command}
    _record_measured(args, "population", section, PopulationModel.load,
                     lambda model: measure_population(model, data, args.external))
    if not args.skip_folds:
        held = {}
        for name, held_out in POPULATION_FOLDS.items():
            fold = fit_population(data, held_out, settings)
            p_adult = discriminative.predict(fold.model, data.adults().where(sources=held_out).images)
            held[name] = {"limits": fold.limits,
                          "warned for the pediatric model": share(p_adult > fold.limits["pediatric"]),
                          "accepted for the adult model": share(p_adult >= fold.limits["adult"])}
            print(json.dumps({name: held[name]}, ensure_ascii=False), flush=True)
        section["held_out"] = held
        _update_card(args.out, "population", section)
    return {key: section[key] for key in ("measured", "held_out") if key in section}


def _train_quality(args: argparse.Namespace, command: str) -> dict:
    from trainer.safety.quality_fit import fit_quality, measure_quality

    kermany, radiography = load_kermany_films(args.kermany, 224), load_radiography_films(args.radiography, 224)

    def both(split: str) -> np.ndarray:
        return np.concatenate([kermany.select(split), radiography.select(split)])

    model, threshold, facts = fit_quality(both("fit"), both("val"))
    tests = {"kermany_test": kermany.select("test"), "radiography_test": radiography.select("test")}
    section = {"model": model.to_dict(), "threshold": threshold, **facts, "created_by": command,
               "measured": measure_quality(model, threshold, tests)}
    _update_card(args.out, "quality", section)
    return section["measured"]


STEPS = {"gate": _train_gate, "population": _train_population, "quality": _train_quality}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m trainer.safety.train", description=__doc__.split("\n\n")[0])
    parser.add_argument("step", choices=sorted(STEPS))
    parser.add_argument("--kermany", type=Path, required=True, help="the kermany-224 folder")
    parser.add_argument("--radiography", type=Path, required=True, help="the covid19-radiography-224 folder")
    parser.add_argument("--external", type=Path, required=True, help="the external/ folder (NIH, COVID-Net, MedNIST)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write (models/_safety)")
    parser.add_argument("--epochs", type=int, help="training epochs of the discriminative network (default: "
                        f"gate {discriminative.BinarySettings.epochs}, population {POPULATION_EPOCHS})")
    parser.add_argument("--retrain-one-class", action="store_true",
                        help="train the gate's one-class network anew instead of re-fitting its thresholds")
    parser.add_argument("--one-class-epochs", type=int, default=10)
    parser.add_argument("--skip-folds", action="store_true", help="no leave-out folds (quick runs, tests)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    command = "python -m trainer.safety.train " + " ".join(shlex.quote(arg) for arg in (argv or sys.argv[1:]))
    measured = STEPS[args.step](args, command)
    print(json.dumps(measured, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
