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
