"""The drift gate: its arithmetic on hand-made outputs, and a deliberately damaged build refused end to end.

The damage is real, not simulated: the run's TRAIN split points at constant (all-black) films,
so the int8 build is calibrated on activation ranges no chest film has. The float builds never
see the calibration films and must pass; int8 must fail even under loose limits, selective
int8 must be tried and reported, and the CLI must exit non-zero after writing everything.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from converters.drift import GateLimits, compare, gate_reasons
from evaluation.operating_point import OperatingPoint, evaluate
from cxrcore.bundle import load_bundle
from tests.converters.test_quantize import LOOSE_LIMITS, pick_rows, quantize_cli, tiny_run, write_run_folder
from evaluation.metrics import wilson_interval

POINT = OperatingPoint(["NORMAL", "PNEUMONIA"], ["PNEUMONIA"], {"PNEUMONIA": 0.5})


def binary(abnormal: list[float]) -> np.ndarray:
    values = np.asarray(abnormal, dtype=np.float64)
    return np.stack([1.0 - values, values], axis=1)


# 10 films: 5 normal (indices 0-4), 5 pneumonia (5-9); the reference gets every one right.
Y = np.array([0] * 5 + [1] * 5)
REFERENCE = evaluate(binary([0.1, 0.2, 0.3, 0.2, 0.1, 0.9, 0.8, 0.7, 0.6, 0.9]), Y, POINT)


def test_identical_outputs_pass_with_zero_drift() -> None:
    drift = compare(REFERENCE, REFERENCE)
    assert drift["agreement"] == 1.0 and drift["max_abs_dprob"] == 0.0 and drift["snr_db"] is None
    assert drift["accuracy_change"] == 0.0 and drift["sensitivity_change"] == {"PNEUMONIA": 0.0}
    assert gate_reasons(drift, GateLimits()) == []


def test_one_missed_pneumonia_in_ten_fails_every_gate_at_one_percent() -> None:
    build = evaluate(binary([0.1, 0.2, 0.3, 0.2, 0.1, 0.9, 0.8, 0.7, 0.4, 0.9]), Y, POINT)
    drift = compare(REFERENCE, build)
    assert drift["agreement"] == pytest.approx(0.9)
    assert drift["accuracy_change"] == pytest.approx(-0.1)
    assert drift["sensitivity_change"]["PNEUMONIA"] == pytest.approx(-0.2)
    assert drift["specificity_change"]["PNEUMONIA"] == 0.0
    assert drift["max_abs_dprob"] == pytest.approx(0.2)
    # SNR by hand: signal = Σp² over both columns, noise = 2 × 0.2² (both columns moved by 0.2).
    signal = float(np.sum(REFERENCE.probabilities**2))
    assert drift["snr_db"] == pytest.approx(10 * np.log10(signal / (2 * 0.04)))
    reasons = gate_reasons(drift, GateLimits())
    assert len(reasons) == 3
    assert any("disagrees" in r for r in reasons) and any("accuracy" in r for r in reasons)
    assert any("sensitivity for PNEUMONIA" in r for r in reasons)
    assert gate_reasons(drift, GateLimits(0.10, 0.10, 0.20)) == [], "a drift exactly at the limit passes"
    assert len(gate_reasons(drift, GateLimits(0.10, 0.10, 0.19))) == 1


def test_every_headline_figure_carries_its_interval_from_the_films_counted() -> None:
    """One missed pneumonia in ten (scored below a normal film): accuracy 9/10 and sensitivity 4/5 get the
    Wilson intervals of those counts; the AUC interval brackets the AUC and is re-measured exactly (seeded)."""
    build = evaluate(binary([0.1, 0.2, 0.3, 0.2, 0.1, 0.9, 0.8, 0.7, 0.25, 0.9]), Y, POINT)
    intervals = build.metrics["ci95"]
    assert intervals["accuracy"] == pytest.approx(list(wilson_interval(9, 10)))
    assert intervals["recall"] == {"NORMAL": pytest.approx(list(wilson_interval(5, 5))),
                                   "PNEUMONIA": pytest.approx(list(wilson_interval(4, 5)))}
    assert intervals["at_threshold"]["PNEUMONIA"] == {"sensitivity": pytest.approx(list(wilson_interval(4, 5))),
                                                      "specificity": pytest.approx(list(wilson_interval(5, 5)))}
    low, high = intervals["auc"]
    assert build.metrics["auc"] == pytest.approx(24 / 25)  # the missed film outranks 4 of the 5 normals
    assert low < build.metrics["auc"] <= high
    assert evaluate(build.probabilities, Y, POINT).metrics["ci95"] == intervals
    one_class = evaluate(binary([0.1, 0.2]), np.array([0, 0]), POINT).metrics
    assert one_class["auc"] is None and one_class["ci95"]["auc"] is None
    assert one_class["ci95"]["recall"]["PNEUMONIA"] is None


def test_a_false_alarm_costs_agreement_but_not_sensitivity() -> None:
    build = evaluate(binary([0.1, 0.2, 0.6, 0.2, 0.1, 0.9, 0.8, 0.7, 0.6, 0.9]), Y, POINT)
    drift = compare(REFERENCE, build)
    assert drift["sensitivity_change"]["PNEUMONIA"] == 0.0
    assert drift["specificity_change"]["PNEUMONIA"] == pytest.approx(-0.2)
    reasons = gate_reasons(drift, GateLimits(max_disagreement=0.2, max_accuracy_drop=0.01, max_sensitivity_drop=0.0))
    assert reasons == [r for r in reasons if "accuracy" in r] and len(reasons) == 1


def test_limits_must_be_fractions() -> None:
    with pytest.raises(ValueError, match="max_disagreement"):
        GateLimits(max_disagreement=1.5)


@pytest.mark.slow
def test_int8_calibrated_on_constant_films_fails_the_gate_and_the_cli_exits_nonzero(
    tmp_path_factory: pytest.TempPathFactory, kermany_root: Path
) -> None:
    base = tmp_path_factory.getbasetemp()
    model = tiny_run(base, kermany_root)
    data = base / "damaged-data"
    (data / "constant").mkdir(parents=True)
    os.symlink(kermany_root / "chest_xray", data / "chest_xray")
    rows = []
    for path, label, split in pick_rows(kermany_root):
        if split == "train":
            path = f"constant/{label}-{len(rows):03d}.png"
            Image.fromarray(np.zeros((224, 224), np.uint8)).save(data / path)
        rows.append((path, label, split))
    damaged = write_run_folder(base / "damaged-run", data, rows, model)
    out = base / "models" / "damaged-bundle"

    status = quantize_cli(damaged, data, out, base / "cache", *LOOSE_LIMITS, "--max-float-layers", "2")

    assert status == 1
    bundle = load_bundle(out)
    builds = bundle.card["builds"]
    assert builds["int8"]["status"] == "failed" and builds["int8"]["reasons"]
    assert "int8" not in bundle.usable_builds
    assert all(builds[kind]["status"] == "passed" for kind in ("float32", "float16", "dynamic"))
    assert bundle.card["default_build"] in ("float32", "float16", "dynamic")
    assert builds["int8"]["drift"]["agreement"] < 0.95
    assert len(builds["int8"]["float_layers"]) == 2, "selective int8 was tried with the 2 worst layers in float"
    assert "still fails" in bundle.card["selective_int8"]["summary"]
    assert {entry["build"] for entry in bundle.card["reference_outputs"]} == {"float32", "float16", "dynamic"}
    report = json.loads((out / "drift.json").read_text())
    assert report["selective_int8"]["full_int8_failure_reasons"]
    assert "## Failed builds" in (out / "drift.md").read_text()
    with open(out / "split.csv", newline="") as handle:
        train = [row["path"] for row in csv.DictReader(handle) if row["split"] == "train"]
    assert train and all(path.startswith("constant/") for path in train)
