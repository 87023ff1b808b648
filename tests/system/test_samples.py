"""The bundled samples show a newcomer every outcome on the first run: children's films scored by the
pediatric model, an adult film routed to the adult model, and two non-films refused before any score.

Run through the headless screener with automatic routing, exactly as README's quick start runs the app,
with ``--pdf``: the report has a page per film after its summary, each film's thumbnail, and the heatmap of
each scored one (reportlab's standard fonts only: the package leaves reportlab's font files out).
"""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
#: PDF's standard Type 1 fonts: every reader has them, so the report embeds no font file.
STANDARD_FONTS = {b"Helvetica", b"Helvetica-Bold", b"Courier", b"Symbol", b"ZapfDingbats"}


@pytest.mark.slow
def test_samples_show_scored_routed_and_refused(tmp_path: Path) -> None:
    out, report = tmp_path / "samples.csv", tmp_path / "samples.pdf"
    done = subprocess.run([sys.executable, "-m", "desktop", "screen", str(SAMPLES), "--out", str(out),
                           "--pdf", str(report), "--store", str(tmp_path / "store.sqlite")],
                          check=False, capture_output=True, text=True, timeout=300, cwd=REPO)
    assert done.returncode == 0, done.stderr
    with open(out, encoding="utf-8-sig", newline="") as handle:
        rows = {Path(row["path"]).name: row for row in csv.DictReader(handle)}
    assert len(rows) == len([path for path in SAMPLES.iterdir() if path.is_file()])
    adult = rows["nih-chestxray8-adult-pneumonia-00000150_002.jpg"]
    assert adult["status"] == "ok" and adult["model"].startswith("adult-abnormal ")
    pediatric = [row for name, row in rows.items() if name.startswith("kermany-")]
    assert any(row["status"] == "ok" and row["model"].startswith("pneumonia-pediatric ") for row in pediatric)
    for name in ("mednist-hand-xray-000019.png", "photo-astronaut.jpg"):
        assert rows[name]["status"] == "rejected", (name, rows[name]["message"])
        assert rows[name]["model"] == "" and rows[name]["prediction"] == ""
    assert all(name in (REPO / "NOTICE").read_text() for name in rows if not name.startswith("kermany-"))

    pdf = report.read_bytes()
    assert pdf.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 1 + len(rows)
    scored = [row for row in rows.values() if row["model"]]
    assert len(scored) >= 2
    assert len(re.findall(rb"/Subtype /Image\b", pdf)) == len(rows) + len(scored)  # thumbnails, heatmaps
    fonts = set(re.findall(rb"/BaseFont /([\w-]+)", pdf))
    assert fonts and fonts <= STANDARD_FONTS, fonts
