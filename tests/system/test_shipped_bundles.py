"""Every bundle shipped under ``models/``, held to its card: a card can never claim what its files do not do.

For each build the card lists (passed or failed: both are claims), the headline TEST metrics are
re-measured from the ``.tflite`` file on the real test films listed in the bundle's split.csv
(data from ``CXR_SHARED_DATA`` or ``../shared/data/<data_folder>``) and must equal the card's to
1e-6: the path is deterministic, so any difference means the card or the file is not the one
measured. A card with ``per_source`` figures (the adult model: one test per hospital) has them
re-measured the same way, source by source. The reference films must reproduce their recorded
outputs within tolerance.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studies.adult_sources import bundle_per_source
from converters.recheck import data_root, headline_mismatches, remeasure
from converters.references import check_reference_outputs
from converters.safety_card import SECTION, safety_checks_section
from cxrcore.bundle import CARD_FILE, find_bundles, load_bundle
from desktop.paths import SAFETY_DIR_NAME
from tests.conftest import REPO_ROOT, SHARED_DATA

pytestmark = pytest.mark.slow

SHIPPED = find_bundles(REPO_ROOT / "models")
NONE_SHIPPED = pytest.mark.skip(reason="no bundle under models/ yet: the default bundles are trained and shipped later")


def _bundles() -> list:
    return [pytest.param(path, id=path.name) for path in SHIPPED] or [pytest.param(None, marks=NONE_SHIPPED)]


def _builds() -> list:
    """(bundle, build) for every build each card lists; read from the JSON so collection stays cheap."""
    pairs = []
    for path in SHIPPED:
        card = json.loads((path / CARD_FILE).read_text(encoding="utf-8"))
        pairs += [pytest.param(path, kind, id=f"{path.name}-{kind}") for kind in card.get("builds", {})]
    return pairs or [pytest.param(None, None, marks=NONE_SHIPPED)]


def _per_source_bundles() -> list:
    """Bundles whose card states per-source figures (``studies/adult_sources.py --write-card``)."""
    paths = [path for path in SHIPPED if "per_source" in json.loads((path / CARD_FILE).read_text(encoding="utf-8"))]
    return [pytest.param(path, id=path.name) for path in paths] or [
        pytest.param(None, marks=pytest.mark.skip(reason="no shipped card states per-source figures"))]


def _test_data(bundle) -> Path:
    root = data_root(bundle, SHARED_DATA)
    if not root.is_dir():
        pytest.fail(f"test data for {bundle.name} not found at {root}; set CXR_SHARED_DATA to the shared/data folder")
    return root


@pytest.fixture(scope="module")
def gray_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("shipped-gray-cache")


@pytest.mark.parametrize("bundle_dir", _bundles())
def test_bundle_loads_and_every_offered_build_has_passed_the_gate(bundle_dir: Path) -> None:
    bundle = load_bundle(bundle_dir)
    assert bundle.usable_builds and bundle.usable_builds[0] == bundle.card["default_build"]
    assert all(bundle.card["builds"][kind]["status"] == "passed" for kind in bundle.usable_builds)


@pytest.mark.parametrize(("bundle_dir", "kind"), _builds())
def test_card_test_metrics_are_re_measured_from_the_file(bundle_dir: Path, kind: str, gray_cache: Path) -> None:
    bundle = load_bundle(bundle_dir)
    measured = remeasure(bundle, kind, _test_data(bundle), cache_dir=gray_cache)
    assert headline_mismatches(bundle.card["builds"][kind]["test_metrics"], measured) == []


@pytest.mark.parametrize("bundle_dir", _per_source_bundles())
def test_card_per_source_figures_are_re_measured_from_the_file(bundle_dir: Path, gray_cache: Path) -> None:
    bundle = load_bundle(bundle_dir)
    claimed = bundle.card["per_source"]
    measured = bundle_per_source(bundle, _test_data(bundle), cache_dir=gray_cache)
    assert measured["build"] == claimed["build"] and sorted(measured["sources"]) == sorted(claimed["sources"])
    for source, figures in claimed["sources"].items():
        assert headline_mismatches(figures, measured["sources"][source]) == [], source
        assert figures.get("covid_flagged") == measured["sources"][source].get("covid_flagged"), source


@pytest.mark.parametrize("bundle_dir", _bundles())
def test_reference_outputs_reproduce(bundle_dir: Path) -> None:
    assert check_reference_outputs(load_bundle(bundle_dir)) == []


@pytest.mark.parametrize("bundle_dir", _bundles())
def test_card_states_the_safety_checks_measured_beside_it(bundle_dir: Path) -> None:
    """The card's gate and domain figures are those of the safety card shipped with it, not stale copies."""
    bundle = load_bundle(bundle_dir)
    check = (bundle.population or {}).get("population_check")
    assert bundle.card[SECTION] == safety_checks_section(REPO_ROOT / "models" / SAFETY_DIR_NAME, check)
