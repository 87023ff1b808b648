"""The model bundle: ``models/<name>/`` with ``card.json``, one or more ``.tflite`` builds and reference films.

A bundle is the only thing that travels from the converters to the app, so the loader trusts
nothing: it checks that the card itself is unchanged since it was built (its ``card_sha256``), its
schema, that every listed file exists with the SHA-256 the card records, and that labels,
thresholds, builds and reference outputs agree with one another.
Whatever fails is refused with a `BundleError` that names the bundle and the problem.
The format is documented in ``docs/model-bundle.md``.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, NoReturn

from cxrcore.files import FileProblem, MissingFile, verified_file
from cxrcore.preprocess import PREPROCESSING_ID, InputSpec

CARD_FILE = "card.json"
#: The card's own digest, stored in the card: SHA-256 of its canonical JSON without this field.
CARD_DIGEST_FIELD = "card_sha256"
SCHEMA_VERSION = 1
OUTPUT_ACTIVATIONS = ("softmax", "sigmoid")
BUILD_KINDS = ("float32", "float16", "dynamic", "int8")

#: Required top-level card fields and their JSON types.
REQUIRED_FIELDS: dict[str, type | tuple[type, ...]] = {
    "schema_version": int,
    "name": str,
    "version": str,
    "task": str,
    "labels": list,
    "abnormal_labels": list,
    "input": dict,
    "preprocessing_id": str,
    "output_activation": str,
    "thresholds": dict,
    "calibration": dict,
    "training": dict,
    "builds": dict,
    "default_build": str,
    "files": dict,
    "created_by": str,
    "reference_outputs": list,
    "limitations": list,
}
REQUIRED_BUILD_FIELDS: dict[str, type | tuple[type, ...]] = {
    "file": str,
    "output_units": int,
    "status": str,
    "test_metrics": dict,
    "drift": dict,
}
#: Fields of the optional ``population`` object: who the model was validated on, read by routing.
POPULATION_FIELDS: dict[str, type | tuple[type, ...]] = {
    "description": str,
    "age_years": list,
    "view": str,
    "sources": list,
    "population_check": str,
    "routable": bool,
}


class BundleError(ValueError):
    """A bundle that must not be used. The message names the bundle folder and what is wrong."""

    def __init__(self, bundle_dir: str | os.PathLike[str], problem: str) -> None:
        self.bundle_dir = str(bundle_dir)
        self.problem = problem
        super().__init__(f"model bundle {self.bundle_dir}: {problem}")


@dataclass(frozen=True)
class ModelBundle:
    """A validated bundle. ``card`` is the parsed card.json; paths are absolute."""

    directory: Path
    card: dict[str, Any]

    @property
    def name(self) -> str:
        return self.card["name"]

    @property
    def version(self) -> str:
        return self.card["version"]

    @property
    def labels(self) -> list[str]:
        return list(self.card["labels"])

    @property
    def abnormal_labels(self) -> list[str]:
        return list(self.card["abnormal_labels"])

    @property
    def input_spec(self) -> InputSpec:
        return InputSpec.from_dict(self.card["input"])

    @property
    def thresholds(self) -> dict[str, float]:
        return {label: float(value) for label, value in self.card["thresholds"].items()}

    @property
    def temperature(self) -> float:
        return float(self.card["calibration"].get("temperature", 1.0))

    @property
    def usable_builds(self) -> list[str]:
        """Builds that passed the drift gate and whose file this copy holds, default first (always
        there: `load_bundle` refuses a copy without it). Failed builds are never offered; a copy such
        as the packaged app's may leave out the other builds (`optional_files`), which it cannot offer."""
        offered = [kind for kind, build in self.builds.items() if build["status"] == "passed" and self.holds_build(kind)]
        return sorted(offered, key=lambda kind: kind != self.default_build)

    def holds_build(self, kind: str) -> bool:
        """Whether this copy of the bundle has the build's file (its hash was verified on load)."""
        return (self.directory / self.build(kind)["file"]).is_file()

    def build_path(self, kind: str | None = None) -> Path:
        path = self.directory / self.build(kind)["file"]
        if not path.is_file():
            raise BundleError(self.directory, f"build {kind!r} ({path.name}) is not in this copy of the bundle "
                              "(a copy may leave out every build but the default)")
        return path

    def file_sha256(self, relative: str) -> str:
        return self.card["files"][relative]

    @property
    def default_build(self) -> str:
        return self.card["default_build"]

    @property
    def output_activation(self) -> str:
        return self.card["output_activation"]

    @property
    def builds(self) -> dict[str, dict[str, Any]]:
        """Every build the card lists (passed or not), by kind: file, status, output units, test metrics."""
        return self.card["builds"]

    def build(self, kind: str | None = None) -> dict[str, Any]:
        """One build's card entry (the default build's when ``kind`` is None)."""
        kind = kind or self.default_build
        if kind not in self.builds:
            raise BundleError(self.directory, f"has no build {kind!r} (has {sorted(self.builds)})")
        return self.builds[kind]

    @property
    def reference_outputs(self) -> list[dict[str, Any]]:
        """Reference films and each passed build's expected calibrated probabilities (`cxrcore.references`)."""
        return list(self.card["reference_outputs"])

    @property
    def limitations(self) -> list[str]:
        return [str(item) for item in self.card["limitations"]]

    @property
    def training(self) -> dict[str, Any]:
        return self.card["training"]

    @property
    def intended_use(self) -> str:
        return str(self.card.get("intended_use", self.card["task"]))

    @property
    def data_folder(self) -> str:
        """The evaluation data folder, relative to the shared data root (``evaluation.data_folder``)."""
        return self.card["evaluation"]["data_folder"]

    @property
    def target_sensitivity(self) -> float:
        return float(self.card["threshold_selection"]["target_sensitivity"])

    @property
    def safety_checks(self) -> dict[str, Any] | None:
        """The safety checks' measured figures copied into the card (`converters.safety_card`), if any."""
        return self.card.get("safety_checks")

    @property
    def card_sha256(self) -> str:
        """The card's sealed digest (`seal_card`), or its digest computed now for an unsealed card: identifies
        exactly this card's content."""
        return self.card.get(CARD_DIGEST_FIELD) or card_digest(self.card)

    @property
    def population(self) -> dict[str, Any] | None:
        """The validated population (``POPULATION_FIELDS``), or None for a card written before the field:
        such a bundle is never routed to automatically, only used when asked for by name."""
        population = self.card.get("population")
        return dict(population) if population is not None else None


def load_bundle(bundle_dir: str | os.PathLike[str], verify_hashes: bool = True) -> ModelBundle:
    """Read and validate ``bundle_dir``; raise `BundleError` naming the first problem found."""
    directory = Path(bundle_dir).resolve()
    card_path = directory / CARD_FILE
    if not card_path.is_file():
        raise BundleError(directory, f"no {CARD_FILE} (is this a model bundle folder?)")
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BundleError(directory, f"{CARD_FILE} is not valid JSON ({error})") from error
    if not isinstance(card, dict):
        raise BundleError(directory, f"{CARD_FILE} must hold a JSON object")
    verify_card_digest(card, directory)
    validate_card(card, directory)
    if verify_hashes:
        verify_files(card, directory)
    return ModelBundle(directory=directory, card=card)


def card_digest(card: dict[str, Any]) -> str:
    """SHA-256 of the card's canonical JSON (sorted keys, no spaces), leaving out `CARD_DIGEST_FIELD`.

    Canonical so that re-indenting the file does not count as a change; editing any value does.
    """
    content = {key: value for key, value in card.items() if key != CARD_DIGEST_FIELD}
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def seal_card(card: dict[str, Any]) -> dict[str, Any]:
    """The card with its digest stamped last (the converters' final step before writing)."""
    return {**{key: value for key, value in card.items() if key != CARD_DIGEST_FIELD},
            CARD_DIGEST_FIELD: card_digest(card)}


def verify_card_digest(card: dict[str, Any], directory: Path) -> None:
    """Refuse a card edited after it was built: a hand-changed threshold or label silently changes
    every decision. This catches edits and damage, not forgery (anyone can recompute a SHA-256)."""
    recorded = card.get(CARD_DIGEST_FIELD)
    if recorded != card_digest(card):
        problem = "has no card_sha256" if recorded is None else "does not match its card_sha256"
        raise BundleError(
            directory,
            f"{CARD_FILE} {problem}: the card was altered after the bundle was built (thresholds, labels or "
            "calibration may have been edited); rebuild it with python -m converters.quantize",
        )


def validate_card(card: dict[str, Any], directory: Path) -> None:
    """Schema and internal consistency; no file access beyond existence checks."""

    def fail(problem: str) -> None:
        raise BundleError(directory, problem)

    _check_fields(card, REQUIRED_FIELDS, "card", fail)
    if card["schema_version"] != SCHEMA_VERSION:
        fail(f"card schema_version {card['schema_version']} is not supported (this app reads {SCHEMA_VERSION})")
    if card["preprocessing_id"] != PREPROCESSING_ID:
        fail(
            f"card expects preprocessing {card['preprocessing_id']!r} but this app implements "
            f"{PREPROCESSING_ID!r}; results would be silently wrong"
        )
    labels = card["labels"]
    if len(labels) < 2 or not all(isinstance(label, str) and label for label in labels):
        fail(f"labels must be at least two non-empty strings, got {labels!r}")
    if len(set(labels)) != len(labels):
        fail(f"labels repeat: {labels!r}")
    unknown_abnormal = set(card["abnormal_labels"]) - set(labels)
    if unknown_abnormal or not card["abnormal_labels"]:
        fail(f"abnormal_labels must be a non-empty subset of labels; unknown: {sorted(unknown_abnormal)}")
    if card["output_activation"] not in OUTPUT_ACTIVATIONS:
        fail(f"output_activation must be one of {OUTPUT_ACTIVATIONS}, got {card['output_activation']!r}")
    try:
        InputSpec.from_dict(card["input"])
    except (TypeError, ValueError) as error:
        fail(f"input is invalid: {error}")
    _check_thresholds(card, fail)
    temperature = card["calibration"].get("temperature", 1.0)
    if not isinstance(temperature, (int, float)) or temperature <= 0:
        fail(f"calibration temperature must be a positive number, got {temperature!r}")
    _check_builds(card, fail)
    _check_reference_outputs(card, fail)
    if "population" in card:
        check_population(card["population"], fail)


def check_population(population: Any, fail: Callable[[str], NoReturn]) -> None:
    """Call ``fail`` with what is wrong with a card's ``population`` object. Public so that
    ``converters.card`` refuses a malformed population before it is sealed into a card."""
    if not isinstance(population, dict):
        fail(f"population must be an object, got {type(population).__name__}")
    _check_fields(population, POPULATION_FIELDS, "population", fail)
    age = population["age_years"]
    if not (len(age) == 2 and all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in age)
            and 0 <= age[0] <= age[1]):
        fail(f"population age_years must be [min, max] years with 0 <= min <= max, got {age!r}")
    if not all(isinstance(source, str) and source for source in population["sources"]):
        fail(f"population sources must be non-empty strings, got {population['sources']!r}")
    if not population["population_check"]:
        fail("population population_check must name a population check")


def _check_fields(obj: dict, required: dict[str, Any], where: str, fail: Any) -> None:
    for name, expected in required.items():
        if name not in obj:
            fail(f"{where} is missing required field {name!r}")
        value = obj[name]
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            fail(f"{where} field {name!r} must be {_type_name(expected)}, got {type(value).__name__}")


def _type_name(expected: type | tuple[type, ...]) -> str:
    kinds = expected if isinstance(expected, tuple) else (expected,)
    return " or ".join({"str": "a string", "int": "an integer", "list": "a list", "dict": "an object",
                                                        "bool": "true or false"}.get(
        kind.__name__, kind.__name__) for kind in kinds)


def _check_thresholds(card: dict[str, Any], fail: Any) -> None:
    for label, value in card["thresholds"].items():
        if label not in card["labels"]:
            fail(f"threshold given for unknown label {label!r}")
        if not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
            fail(f"threshold for {label!r} must be a probability in [0, 1], got {value!r}")
    missing = set(card["abnormal_labels"]) - set(card["thresholds"])
    if missing:
        fail(f"no operating threshold for abnormal label(s) {sorted(missing)}")


def _check_builds(card: dict[str, Any], fail: Any) -> None:
    builds = card["builds"]
    if not builds:
        fail("lists no builds")
    expected_units = 1 if card["output_activation"] == "sigmoid" else len(card["labels"])
    if card["output_activation"] == "sigmoid" and len(card["labels"]) != 2:
        fail(f"a sigmoid output needs exactly 2 labels, card has {len(card['labels'])}")
    for kind, build in builds.items():
        if kind not in BUILD_KINDS:
            fail(f"unknown build kind {kind!r} (known: {BUILD_KINDS})")
        _check_fields(build, REQUIRED_BUILD_FIELDS, f"build {kind!r}", fail)
        if build["output_units"] != expected_units:
            fail(
                f"build {kind!r} has {build['output_units']} output units but the card's "
                f"{len(card['labels'])} labels with {card['output_activation']} need {expected_units}"
            )
        if build["file"] not in card["files"]:
            fail(f"build {kind!r} file {build['file']!r} has no SHA-256 in 'files'")
        if build["status"] not in ("passed", "failed"):
            fail(f"build {kind!r} status must be 'passed' or 'failed', got {build['status']!r}")
    if card["default_build"] not in builds:
        fail(f"default_build {card['default_build']!r} is not among the builds {sorted(builds)}")
    if builds[card["default_build"]]["status"] != "passed":
        fail(f"default_build {card['default_build']!r} failed the drift gate and must not be the default")


def _check_reference_outputs(card: dict[str, Any], fail: Any) -> None:
    for index, reference in enumerate(card["reference_outputs"]):
        where = f"reference_outputs[{index}]"
        _check_fields(reference, {"file": str, "build": str, "probabilities": list}, where, fail)
        if reference["file"] not in card["files"]:
            fail(f"{where} file {reference['file']!r} has no SHA-256 in 'files'")
        if reference["build"] not in card["builds"]:
            fail(f"{where} names unknown build {reference['build']!r}")
        if len(reference["probabilities"]) != len(card["labels"]):
            fail(
                f"{where} has {len(reference['probabilities'])} probabilities for "
                f"{len(card['labels'])} labels"
            )


def optional_files(card: dict[str, Any]) -> set[str]:
    """Files a copy of the bundle may lack: all the card lists but the default build and the reference films.

    The app reads only those two (the films through ``--self-test``). The packaged app therefore ships
    one model file instead of up to four, and none of the maintainers' evidence (split.csv, the drift
    reports); the repository's bundle keeps everything. A copy without a build cannot offer it
    (`ModelBundle.usable_builds`); a listed file that is present is still verified against its hash.
    """
    needed = {card["builds"][card["default_build"]]["file"]} | {entry["file"] for entry in card["reference_outputs"]}
    return set(card["files"]) - needed


def verify_files(card: dict[str, Any], directory: Path) -> None:
    """Every file the card lists must stay inside the bundle and match its SHA-256, and must exist
    unless it is one of `optional_files` (`cxrcore.files.verified_file`)."""
    optional = optional_files(card)
    for relative, expected in card["files"].items():
        try:
            verified_file(directory, relative, expected)
        except MissingFile as problem:
            if relative not in optional:
                raise BundleError(directory, f"{problem} (listed in the card)") from problem
        except FileProblem as problem:
            raise BundleError(directory, str(problem)) from problem


def find_bundles(*roots: str | os.PathLike[str]) -> list[Path]:
    """Folders directly under ``roots`` that hold a card.json (validity is checked on load)."""
    found: list[Path] = []
    for root in roots:
        root_path = Path(root)
        if root_path.is_dir():
            found.extend(sorted(child for child in root_path.iterdir() if (child / CARD_FILE).is_file()))
    return found
