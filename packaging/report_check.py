"""The frozen app writes the PDF report: ``screen samples --pdf``, as a clinic runs it.

Neither the self-test nor the window load reportlab (imported only when a report is written), and the
folder leaves reportlab's font files out on the grounds that the report sets only PDF's standard
fonts, whose metrics are in reportlab's code. This proves both: the frozen app writes a report of the
sample films with a page per film after the summary, and it names no font other than the standard ones
(a report that needed a font file would fail to write, or embed it).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

#: PDF's standard Type 1 fonts, which every reader has.
STANDARD_FONTS = frozenset({"Helvetica", "Helvetica-Bold", "Courier", "Symbol", "ZapfDingbats"})


def pdf_report(app: Path, films: Path, env: dict[str, str], work: Path) -> tuple[int, set[str]]:
    """Screen ``films`` (a folder) with the frozen ``app`` and ``--pdf``; the report's pages and fonts.
    Fails the build when the report is not written, lacks a page per film, or names another font."""
    report, table = work / "report.pdf", work / "report.csv"
    command = [str(app), "screen", str(films), "--out", str(table), "--store", str(work / "report.sqlite3"),
               "--pdf", str(report)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300, check=False)
    if result.returncode != 0 or not report.is_file():
        raise SystemExit(f"the frozen app did not write the PDF report (exit {result.returncode}):\n"
                         f"{result.stdout[-2000:]}{result.stderr[-2000:]}")
    pdf = report.read_bytes()
    films_listed = len(table.read_text(encoding="utf-8-sig").splitlines()) - 1  # the CSV's rows, less its header
    pages = len(re.findall(rb"/Type /Page\b", pdf))
    fonts = {name.decode() for name in re.findall(rb"/BaseFont /([\w-]+)", pdf)}
    if pages != 1 + films_listed or not fonts or not fonts <= STANDARD_FONTS:
        raise SystemExit(f"the frozen app's PDF report is wrong: {pages} pages for {films_listed} films "
                         f"(expected a summary page and one per film), fonts {sorted(fonts)}")
    return pages, fonts
