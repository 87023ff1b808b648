"""`studies.int8_error_sources` on the tiny real bundle of `tests/converters/test_requantize.py` (a two-label
softmax model, float builds only, real Kermany films)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from studies.int8_error_sources import drift, main
from tests.converters.test_requantize import float_bundle  # noqa: F401  (the module-scoped fixture)


def test_drift_counts_decisions_and_separates_bias_from_spread(float_bundle: Path) -> None:  # noqa: F811
    from cxrcore.bundle import load_bundle

    bundle = load_bundle(float_bundle)
    reference = np.linspace(-4.0, 4.0, 101)
    shifted = drift("shifted", reference, reference + 0.5, bundle)
    assert shifted.mean_logit_change == pytest.approx(0.5) and shifted.sd_logit_change == pytest.approx(0.0, abs=1e-12)
    assert shifted.decisions_changed > 0 and shifted.films == 101
    assert drift("same", reference, reference.copy(), bundle).decisions_changed == 0


@pytest.mark.slow
def test_every_variant_is_a_real_quantization_measured_on_validation(float_bundle: Path, kermany_root: Path,  # noqa: F811
                                                                   tmp_path: Path) -> None:
    out = tmp_path / "sources.json"
    assert main(["--bundle", str(float_bundle), "--data", str(kermany_root), "--calibration-size", "16",
                 "--limit", "12", "--json", str(out)]) == 0
    rows = json.loads(out.read_text())
    assert [row["variant"] for row in rows][-2:] == ["full int8, GPTQ + bias correction", "weights only, GPTQ"]
    assert len(rows) == 8 and all(row["films"] == 12 for row in rows)
    assert all(row["mean_abs_dprob"] > 0 for row in rows)  # each variant quantized something


@pytest.mark.slow
def test_split_at_quantizes_each_side_of_the_named_op_alone(float_bundle: Path, kermany_root: Path,  # noqa: F811
                                                          tmp_path: Path) -> None:
    from cxrcore.bundle import load_bundle
    from converters import edge_quantizer

    ops = edge_quantizer.quantizable_ops(load_bundle(float_bundle).build_path("float32").read_bytes())
    middle = ops[len(ops) // 2]
    out = tmp_path / "sources.json"
    assert main(["--bundle", str(float_bundle), "--data", str(kermany_root), "--calibration-size", "16",
                 "--limit", "12", "--json", str(out), "--split-at", middle]) == 0
    rows = json.loads(out.read_text())
    bottom, top = rows[-2:]
    assert len(rows) == 10
    assert bottom["variant"].endswith(f"only the {len(ops) // 2 + 1} ops up to {middle} quantized")
    assert top["variant"].endswith(f"only the {len(ops) - len(ops) // 2 - 1} ops after {middle} quantized")
    full = next(row for row in rows if row["variant"] == "full int8, GPTQ + bias correction")
    assert bottom["mean_abs_dprob"] > 0 and top["mean_abs_dprob"] > 0
    assert {bottom["mean_abs_dprob"], top["mean_abs_dprob"]} != {full["mean_abs_dprob"]}  # each side alone differs
    with pytest.raises(SystemExit, match="no op of the float32 build"):
        main(["--bundle", str(float_bundle), "--data", str(kermany_root), "--calibration-size", "16",
              "--limit", "12", "--split-at", "no-such-op"])
