"""Which model scores a film: the bundle whose validated population accepts it (issue #17).

A pediatric model scores an adult film as confidently as a child's, and wrongly; so a film must go to
the model validated on people like its patient, or to none. `Router` holds the bundles a batch may
use and decides per film from the safety checks' image verdicts (`cxrcore.safety.population`) and the
DICOM age:

- **automatic** (``--model auto``, the default): every routable bundle (card ``population.routable``)
  is asked through `cxrcore.safety.population.assess`; the film goes to the one that accepts it (the lowest
  score if several do). If none accepts, the film is *not validated* and not scored.
- **forced** (``--model NAME``): the one bundle scores every film; a film outside its population is
  still scored but *not validated*, its score secondary.

The router owns one `Classifier` per bundle. It is opened, used and closed on the thread that runs
the engines (LiteRT engines are not thread-safe); decode threads only call `decode` and
`model_grays`, which touch no engine. Qt-free: the app's worker and the headless screener share it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import numpy as np

from cxrcore.bundle import ModelBundle
from cxrcore.classifier import Classifier
from cxrcore.decode import DecodedImage
from cxrcore.safety.population import NOT_VALIDATED, PopulationResult, age_in_years, assess
from cxrcore.preprocess import decode_for_model, model_gray
from cxrcore.closing import Closing

from desktop.screening.catalog import Catalog, ModelIdentity

#: The ``--model`` value (and the app's setting) that routes each film by population.
AUTOMATIC = "auto"


@dataclass(frozen=True)
class Route:
    """One bundle a film may be sent to, with its engine."""

    classifier: Classifier
    identity: ModelIdentity

    @property
    def bundle(self) -> ModelBundle:
        return self.classifier.bundle

    @property
    def size(self) -> tuple[int, int]:
        return self.classifier.spec.height, self.classifier.spec.width


@dataclass(frozen=True)
class Routing:
    """Where one film goes. ``route`` None: no model may score it. ``validated`` False: the result is
    "not validated" (``message`` says why, with no patient data: it reaches logs and exports);
    ``reason`` is `cxrcore.safety.population`'s ("image", "age", "unknown"), "" when validated."""

    route: Route | None
    validated: bool
    message: str = ""
    reason: str = ""


class Router(Closing):
    """The bundles of one batch and the rule choosing between them (see the module docstring)."""

    def __init__(self, routes: Sequence[Route], automatic: bool) -> None:
        if not routes or (not automatic and len(routes) != 1):
            raise ValueError("a router needs one route when forced and at least one when automatic")
        self.routes = tuple(routes)
        self.automatic = automatic
        height = max(route.size[0] for route in self.routes)
        width = max(route.size[1] for route in self.routes)
        self._decode_size = height, width

    @classmethod
    def open(cls, selection: Selection, accelerator: str = "auto", threads: int | None = None,
             log_path: Path | None = None) -> Router:
        """Open one classifier per selected model on the calling thread, which must then run the batch.
        Raises what `Classifier` raises (`EngineError`, `BundleError`), after closing those opened."""
        routes: list[Route] = []
        try:
            for bundle, build in selection.models:
                classifier = Classifier(bundle, build, accelerator, threads, log_path=log_path)
                routes.append(Route(classifier, ModelIdentity.of(bundle, classifier.build)))
            return cls(routes, selection.automatic)
        except BaseException:
            for route in routes:
                route.classifier.close()
            raise

    @property
    def identities(self) -> tuple[ModelIdentity, ...]:
        return tuple(route.identity for route in self.routes)

    @property
    def labels(self) -> list[str]:
        return union_labels(route.bundle for route in self.routes)

    @property
    def description(self) -> str:
        """The runtime in use (every route's engine is opened with the same settings)."""
        return self.routes[0].classifier.description

    @property
    def threads(self) -> int:
        """Inference threads of the widest engine: one film runs one route at a time, so this is what
        inference occupies while the batch's decode threads work beside it."""
        return max(route.classifier.engine.threads for route in self.routes)

    @property
    def fallback_notes(self) -> list[str]:
        return list(dict.fromkeys(note for route in self.routes for note in route.classifier.engine.fallback_notes))

    def decode(self, path: str | os.PathLike[str]) -> DecodedImage:
        """Decode once for every route: JPEG draft scaling stops at twice the largest model input, as
        `Classifier.decode` does (a 2,000-pixel JPEG decodes at a quarter of its size, 3–4× faster)."""
        return decode_for_model(path, *self._decode_size, draft=True)

    def model_grays(self, decoded: DecodedImage) -> dict[tuple[int, int], np.ndarray]:
        """The film resized once per distinct model input size (usually one: 224×224)."""
        return {size: model_gray(decoded, *size) for size in dict.fromkeys(route.size for route in self.routes)}

    def route(self, populations: Mapping[str, PopulationResult] | None, metadata: Mapping[str, str]) -> Routing:
        """Choose for one film accepted by the gate. ``populations`` None means the population checks
        did not run (only a forced router may be used so: tests, the benchmark without checks)."""
        if populations is None:
            if self.automatic:
                raise ValueError("automatic routing needs the safety checks' population verdicts")
            return Routing(self.routes[0], True)
        age = age_in_years(metadata)
        verdicts = [(route, assess(populations, route.bundle.population, age)) for route in self.routes]
        accepted = [(verdict.score, index) for index, (_, verdict) in enumerate(verdicts) if verdict.in_population]
        if accepted:
            return Routing(verdicts[min(accepted)[1]][0], True)
        reasons = {verdict.reason for _, verdict in verdicts}
        reason = "age" if "age" in reasons else "image" if "image" in reasons else "unknown"
        if not self.automatic:
            route, verdict = verdicts[0]
            return Routing(route, False, f"{NOT_VALIDATED}: {_why(route, verdict)}.", reason)
        why = "; ".join(_why(route, verdict) for route, verdict in verdicts)
        return Routing(None, False, f"{NOT_VALIDATED}: no installed model was validated for it — {why}.", reason)

    def close(self) -> None:
        for route in self.routes:
            route.classifier.close()


def _why(route: Route, verdict: PopulationResult) -> str:
    """Why ``route``'s population does not include the film. The stated age itself is never written:
    it is a patient field (`docs/safety.md` §8), and this sentence reaches logs and every export."""
    population = route.bundle.population
    name = route.identity.name
    if population is None or verdict.reason == "unknown":
        return f"{name} states no population the safety checks can verify"
    if verdict.reason == "age":
        low, high = population["age_years"]
        return f"{name} was validated for ages {low:g}–{high:g} years and the file states an age outside that"
    return f"{name} was validated on {population['description']} and the film does not look like one"


@dataclass(frozen=True)
class Selection:
    """The models of a batch as chosen by the user: ``automatic`` routing over ``models``, or one
    forced model. Each entry is (bundle, build)."""

    models: tuple[tuple[ModelBundle, str], ...]
    automatic: bool

    @property
    def labels(self) -> list[str]:
        return union_labels(bundle for bundle, _ in self.models)


def union_labels(bundles: Iterable[ModelBundle]) -> list[str]:
    """Every label of every bundle, first seen first: the CSV's and the table's probability columns.
    Each row fills those of the model that scored it (named in its ``model`` column)."""
    return list(dict.fromkeys(label for bundle in bundles for label in bundle.labels))


class SelectionError(ValueError):
    """The requested model or build cannot be used; the message says what is available."""


def select(catalog: Catalog, name: str | None, build: str | None = None) -> Selection:
    """``name`` `AUTOMATIC` (or None): every routable bundle at its default build; else that bundle at
    ``build`` (default: the card's). Raises `SelectionError` naming what is wrong."""
    if not name or name == AUTOMATIC:
        if build:
            raise SelectionError("--build needs --model NAME: automatic routing uses each model's default build")
        routable = catalog.routable()
        if not routable:
            raise SelectionError(
                "no installed model states a validated population, so films cannot be routed; choose one with "
                f"--model NAME (available: {', '.join(bundle.name for bundle in catalog.valid)})")
        return Selection(tuple((bundle, bundle.default_build) for bundle in routable), True)
    bundle = catalog.find(name)
    if bundle is None:
        raise SelectionError(f"no valid model named {name!r}; available: "
                             f"{', '.join([AUTOMATIC, *(b.name for b in catalog.valid)])}")
    build = build or bundle.default_build
    if build not in bundle.usable_builds:
        raise SelectionError(f"build {build!r} of {bundle.name} is not usable; "
                             f"usable: {', '.join(bundle.usable_builds)}")
    return Selection(((bundle, build),), False)
