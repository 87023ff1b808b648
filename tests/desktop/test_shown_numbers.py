"""How a confidence and a probability are written in every view: never as certainty.

A calibrated probability of 0.9996 is not 100%; the table, the details panel, the PDF and the log all
write it through `desktop.screening.results` so that none of them rounds it up to "100.0%".
"""

from __future__ import annotations

import pytest

from desktop.screening.results import confidence_text, probability_text


@pytest.mark.parametrize(("confidence", "shown"), [
    (0.5, "50.0%"), (0.9984, "99.8%"), (0.99949, "99.9%"), (0.9995, "> 99.9%"), (1.0, "> 99.9%"),
])
def test_a_confidence_never_reads_as_certainty(confidence: float, shown: str) -> None:
    assert confidence_text(confidence) == shown


@pytest.mark.parametrize(("probability", "shown"), [
    (0.0, "< 0.001"), (0.00049, "< 0.001"), (0.0005, "0.001"), (0.19, "0.190"), (0.99949, "0.999"),
    (0.9995, "> 0.999"), (1.0, "> 0.999"),
])
def test_a_probability_is_never_written_as_zero_or_one(probability: float, shown: str) -> None:
    assert probability_text(probability) == shown
