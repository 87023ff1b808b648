"""Discover model bundles, keep the invalid ones with their reason, and list those routing may use.

A bundle that fails validation (bad card, altered file, wrong preprocessing, a card not signed by a
key the app trusts) is never offered for screening, but it is listed with its error: a clinic that copied a damaged model needs to see
why it is missing, not silently get another one.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from cxrcore.bundle import BundleError, ModelBundle, find_bundles, load_bundle
from cxrcore.signing import SignatureError, TrustedKeys

from desktop.paths import trusted_key_dirs, trusted_keys_dir

#: Preferred model when one must be named without the user choosing (the project's pediatric screener).
DEFAULT_MODEL_NAME = "pneumonia-pediatric"


@dataclass(frozen=True)
class InvalidBundle:
    directory: Path
    error: str


@dataclass
class Catalog:
    """Result of one discovery pass; ``valid`` names are unique (the first found wins)."""

    searched: list[Path]
    valid: list[ModelBundle] = field(default_factory=list)
    invalid: list[InvalidBundle] = field(default_factory=list)

    def find(self, name: str) -> ModelBundle | None:
        return next((bundle for bundle in self.valid if bundle.name == name), None)

    def default(self) -> ModelBundle | None:
        """`DEFAULT_MODEL_NAME` when it is valid, else the first valid bundle, else None."""
        return self.find(DEFAULT_MODEL_NAME) or (self.valid[0] if self.valid else None)

    def choose(self, name: str | None) -> ModelBundle | None:
        """The bundle called ``name``, or the default when no name is given."""
        return self.find(name) if name else self.default()

    def routable(self) -> list[ModelBundle]:
        """Valid bundles whose card's ``population`` says ``routable``: the ones automatic routing may
        send a film to. A bundle without a population, or one marked not routable (a paper
        reproduction), is only ever used when asked for by name."""
        return [bundle for bundle in self.valid if (bundle.population or {}).get("routable") is True]


def load_trusted(directory: Path, trusted: TrustedKeys) -> ModelBundle:
    """A bundle the app may use: hashes verified and its card signed by a trusted key (`cxrcore.signing`).

    Hashes show a bundle is undamaged; only the signature shows who made it, because anyone who edits a
    card can re-compute its hashes. Either failure is a `BundleError` naming the bundle."""
    bundle = load_bundle(directory)
    try:
        trusted.verify(bundle.directory, bundle.card_sha256)
    except SignatureError as error:
        raise BundleError(directory, str(error)) from error
    return bundle


def discover(search_dirs: list[Path], trusted: TrustedKeys | None = None) -> Catalog:
    """Load every bundle directly under ``search_dirs`` (hashes and signature verified; ``trusted``
    defaults to the app's keys, `desktop.paths.trusted_key_dirs`). A refused bundle is kept with its
    reason, for the user to read, and so is a key file that could not be read."""
    catalog = Catalog(searched=list(search_dirs))
    trusted = trusted or TrustedKeys.load(*trusted_key_dirs())
    catalog.invalid += [InvalidBundle(trusted_keys_dir(), problem) for problem in trusted.problems]
    for directory in find_bundles(*search_dirs):
        try:
            bundle = load_trusted(directory, trusted)
        except BundleError as error:
            catalog.invalid.append(InvalidBundle(directory, error.problem))
            continue
        existing = catalog.find(bundle.name)
        if existing is not None:
            catalog.invalid.append(
                InvalidBundle(directory, f"another bundle named {bundle.name!r} at {existing.directory} is used instead")
            )
            continue
        catalog.valid.append(bundle)
    return catalog


@dataclass(frozen=True)
class ModelIdentity:
    """Exactly which model produced a result: recorded in the store, the audit log and reports.

    ``card_sha256`` covers thresholds and calibration, which change decisions without changing
    the ``.tflite`` file; ``build_sha256`` is the hash the card records (verified at load).
    """

    name: str
    version: str
    build: str
    build_sha256: str
    card_sha256: str
    labels: tuple[str, ...]

    @property
    def label(self) -> str:
        """What the CSV's ``model`` column, the table and the reports print: ``name version build``."""
        return f"{self.name} {self.version} {self.build}"

    def to_dict(self) -> dict[str, object]:
        return {**asdict(self), "labels": list(self.labels)}

    @classmethod
    def from_dict(cls, values: dict[str, object]) -> "ModelIdentity":
        """The inverse of `to_dict` (the result store keeps each result's identity as JSON)."""
        return cls(**{**values, "labels": tuple(values["labels"])})  # type: ignore[arg-type]

    @classmethod
    def of(cls, bundle: ModelBundle, build: str) -> "ModelIdentity":
        return cls(
            name=bundle.name,
            version=bundle.version,
            build=build,
            build_sha256=bundle.file_sha256(bundle.build(build)["file"]),
            card_sha256=bundle.card_sha256,
            labels=tuple(bundle.labels),
        )
