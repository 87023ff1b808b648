"""How far each build moved from the float Keras model on the TEST films, and the gate that refuses it.

The reference is the float Keras model itself, not the float32 build, so a conversion bug in
float32 shows up as drift too. A build that moved further than a limit allows is marked
``failed``; the app never offers it, and the CLI exits non-zero after writing the report.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from evaluation.operating_point import Evaluation

DRIFT_JSON = "drift.json"
DRIFT_MD = "drift.md"
#: Differences smaller than this are float noise in the metric, not drift.
_SLACK = 1e-9


@dataclass(frozen=True)
class GateLimits:
    """Largest allowed drift of a build against the float Keras model (fractions, 0.01 = 1 point)."""

    max_disagreement: float = 0.01
    max_accuracy_drop: float = 0.01
    max_sensitivity_drop: float = 0.01

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be a fraction in [0, 1], got {value}")


@dataclass
class BuildReport:
    """Everything measured about one build; the card entry and the drift report are views of it."""

    kind: str
    file: str
    size_bytes: int
    test_metrics: dict[str, Any]
    drift: dict[str, Any]
    reasons: list[str]
    latency_ms: dict[str, dict[str, float]] = field(default_factory=dict)
    float_layers: list[str] | None = None

    @property
    def status(self) -> str:
        return "failed" if self.reasons else "passed"

    def to_dict(self) -> dict[str, Any]:
        entry = {
            "file": self.file,
            "status": self.status,
            "size_bytes": self.size_bytes,
            "latency_ms": self.latency_ms,
            "test_metrics": self.test_metrics,
            "drift": self.drift,
            "reasons": self.reasons,
        }
        if self.float_layers is not None:
            entry["float_layers"] = self.float_layers
        return entry


def compare(reference: Evaluation, build: Evaluation) -> dict[str, Any]:
    """Drift of ``build`` from ``reference`` on the same films (calibrated probabilities, decided labels).

    SNR is 10·log10(Σp² / Σ(p − p̂)²) over all probabilities; null when the outputs are identical.
    """
    p, q = reference.probabilities, build.probabilities
    if p.shape != q.shape:
        raise ValueError(f"cannot compare outputs of shapes {p.shape} and {q.shape}")
    difference = q - p
    noise = float(np.sum(difference**2))
    ours, theirs = build.metrics, reference.metrics
    return {
        "agreement": float(np.mean(reference.predictions == build.predictions)),
        "mean_abs_dprob": float(np.mean(np.abs(difference))),
        "max_abs_dprob": float(np.max(np.abs(difference))),
        "snr_db": None if noise == 0.0 else 10.0 * math.log10(float(np.sum(p**2)) / noise),
        "accuracy_change": ours["accuracy"] - theirs["accuracy"],
        "auc_change": _change(ours["auc"], theirs["auc"]),
        "recall_change": {label: _change(ours["recall"][label], theirs["recall"][label]) for label in ours["recall"]},
        "sensitivity_change": _threshold_changes(ours, theirs, "sensitivity"),
        "specificity_change": _threshold_changes(ours, theirs, "specificity"),
    }


def _change(ours: float | None, theirs: float | None) -> float | None:
    return None if ours is None or theirs is None else ours - theirs


def _threshold_changes(ours: dict[str, Any], theirs: dict[str, Any], metric: str) -> dict[str, float | None]:
    return {
        label: _change(values[metric], theirs["at_threshold"][label][metric])
        for label, values in ours["at_threshold"].items()
    }


def gate_reasons(drift: dict[str, Any], limits: GateLimits, split: str = "test") -> list[str]:
    """Why a build fails the gate on ``split`` (empty: it passes); each reason names the value and the limit."""
    reasons = []
    disagreement = 1.0 - drift["agreement"]
    if disagreement > limits.max_disagreement + _SLACK:
        reasons.append(
            f"disagrees with the float model on {disagreement:.2%} of {split} films (limit {limits.max_disagreement:.2%})"
        )
    if -drift["accuracy_change"] > limits.max_accuracy_drop + _SLACK:
        reasons.append(
            f"accuracy drops {-drift['accuracy_change']:.2%} below the float model (limit {limits.max_accuracy_drop:.2%})"
        )
    for label, change in drift["sensitivity_change"].items():
        if change is not None and -change > limits.max_sensitivity_drop + _SLACK:
            reasons.append(
                f"sensitivity for {label} at threshold drops {-change:.2%} below the float model "
                f"(limit {limits.max_sensitivity_drop:.2%})"
            )
    return reasons


def write_report(directory: Path, report: dict[str, Any]) -> list[Path]:
    """Write drift.json (complete, machine-readable) and drift.md (for people) into the bundle."""
    json_path, md_path = directory / DRIFT_JSON, directory / DRIFT_MD
    json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(markdown(report), encoding="utf-8")
    return [json_path, md_path]


def markdown(report: dict[str, Any]) -> str:
    """drift.md: the gate verdicts first, then one table of drift and one of test metrics per build."""
    builds: dict[str, dict[str, Any]] = report["builds"]
    reference = report["reference_metrics"]
    abnormal = list(reference["at_threshold"])
    limits = report["limits"]
    lines = [
        f"# Drift report: {report['bundle']}",
        "",
        f"Every build against the float Keras model (`{report['reference_model']}`) on the {reference['n_images']} "
        f"TEST films of split.csv, through the app's classifier on the CPU. Probabilities are calibrated "
        f"(T = {report['temperature']:.4f}); decisions use the card's thresholds "
        + ", ".join(f"{label} ≥ {value:.6g}" for label, value in report["thresholds"].items())
        + ".",
        "",
        f"Gate: disagreement ≤ {limits['max_disagreement']:.2%}, accuracy drop ≤ {limits['max_accuracy_drop']:.2%}, "
        f"sensitivity drop ≤ {limits['max_sensitivity_drop']:.2%} (each abnormal label).",
        "",
        f"**Default build: {report['default_build'] or 'none (no build passed)'}** — {report['default_build_reason']}",
        "",
        *[f"**Warning:** {warning}\n" for warning in report["warnings"]],
        "| build | status | size (KiB) | ms/img 1 thr | ms/img 2 thr | agreement | mean abs Δp | max abs Δp "
        "| SNR (dB) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, build in builds.items():
        drift, latency = build["drift"], build["latency_ms"]
        lines.append(
            f"| {kind} | {build['status']} | {build['size_bytes'] / 1024:.1f} "
            f"| {_ms(latency, '1')} | {_ms(latency, '2')} "
            f"| {drift['agreement']:.4f} | {drift['mean_abs_dprob']:.2e} | {drift['max_abs_dprob']:.2e} "
            f"| {'∞ (identical)' if drift['snr_db'] is None else format(drift['snr_db'], '.1f')} |"
        )
    lines += [f"\n{kind} is measured against {build['drift_reference']}." for kind, build in builds.items()
              if build.get("drift_reference")]
    labels = list(reference["recall"])
    header = ["model", "accuracy", "AUC"] + [f"recall {label}" for label in labels] + [
        f"{label} sens / spec" for label in abnormal
    ]
    lines += ["", "Test metrics (change vs float model in brackets):", "", "| " + " | ".join(header) + " |",
              "|" + "---|" * len(header)]
    lines.append("| " + " | ".join(["float Keras"] + _metric_cells(reference, None, labels, abnormal)) + " |")
    for kind, build in builds.items():
        cells = _metric_cells(build["test_metrics"], build["drift"], labels, abnormal)
        lines.append("| " + " | ".join([kind] + cells) + " |")
    lines += _interval_table({"float Keras": reference} | {kind: b["test_metrics"] for kind, b in builds.items()},
                             abnormal)
    failed = {kind: build for kind, build in builds.items() if build["status"] == "failed"}
    if failed:
        lines += ["", "## Failed builds (never offered by the app)", ""]
        lines += [f"- **{kind}**: " + "; ".join(build["reasons"]) for kind, build in failed.items()]
    selective = report.get("selective_int8")
    if selective:
        lines += ["", "## Selective int8", "", selective["summary"], ""]
        lines += [f"- round {r['round']}: {len(r['float_layers'])} float layer(s), validation: "
                  + ("passed" if not r["validation_reasons"] else "; ".join(r["validation_reasons"]))
                  for r in selective["rounds"]]
        if selective["float_layers"]:
            lines += ["", "Layers kept in float: " + ", ".join(f"`{name}`" for name in selective["float_layers"])]
    lines.append("")
    return "\n".join(lines)


def _interval_table(models: dict[str, dict[str, Any]], abnormal: list[str]) -> list[str]:
    """Markdown lines: each model's 95% intervals (models measured before intervals existed are left out)."""
    rows = {name: metrics["ci95"] for name, metrics in models.items() if metrics.get("ci95")}
    if not rows:
        return []
    header = ["model", "accuracy", "AUC"] + [f"{label} {m}" for label in abnormal for m in ("sensitivity", "specificity")]
    lines = ["", f"95% intervals of the test figures ({next(iter(rows.values()))['method']}):", "",
             "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, ci in rows.items():
        cells = [ci["accuracy"], ci["auc"]] + [ci["at_threshold"][label][m]
                                               for label in abnormal for m in ("sensitivity", "specificity")]
        lines.append("| " + " | ".join([name] + [_bounds(cell) for cell in cells]) + " |")
    return lines


def _bounds(interval: list[float] | None) -> str:
    return "n/a" if interval is None else f"{interval[0]:.4f}–{interval[1]:.4f}"


def _ms(latency: dict[str, dict[str, float]], threads: str) -> str:
    return f"{latency[threads]['median_ms']:.2f}" if threads in latency else "–"


def _metric_cells(
    metrics: dict[str, Any], drift: dict[str, Any] | None, labels: list[str], abnormal: list[str]
) -> list[str]:
    def cell(value: float | None, change: float | None) -> str:
        if value is None:
            return "n/a"
        return f"{value:.4f}" + ("" if drift is None or change is None else f" ({change:+.4f})")

    cells = [
        cell(metrics["accuracy"], drift and drift["accuracy_change"]),
        cell(metrics["auc"], drift and drift["auc_change"]),
    ]
    cells += [cell(metrics["recall"][label], drift and drift["recall_change"][label]) for label in labels]
    for label in abnormal:
        values = metrics["at_threshold"][label]
        cells.append(
            cell(values["sensitivity"], drift and drift["sensitivity_change"][label])
            + " / "
            + cell(values["specificity"], drift and drift["specificity_change"][label])
        )
    return cells
