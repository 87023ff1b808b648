"""SIGKILL the headless screener mid-batch, start it again: no result lost or duplicated, the batch resumes.

Results and their audit entries are committed together (WAL, synchronous=FULL), so whatever the
kill interrupts is either fully stored (and resumed) or not stored at all (and screened anew).
"""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.desktop_support import film_folder, kermany_films

REPO = Path(__file__).resolve().parents[2]
PER_CLASS = 150


def _stored_rows(store: Path) -> int:
    if not store.exists():
        return 0
    try:
        with sqlite3.connect(store, timeout=1.0) as db:
            return int(db.execute("SELECT COUNT(*) FROM results").fetchone()[0])
    except sqlite3.Error:
        return 0  # schema not created yet


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_batch_resumes_without_loss_or_duplicates(kermany_root: Path, tmp_path: Path) -> None:
    folder = film_folder(tmp_path / "films", kermany_films(kermany_root, PER_CLASS))
    total = len(list(folder.iterdir()))  # 300 real films and one corrupt file
    store, out = tmp_path / "store.sqlite3", tmp_path / "results.csv"
    command = [sys.executable, "-m", "desktop", "screen", str(folder), "--out", str(out), "--store", str(store),
               "--models-dir", str(REPO / "models"), "--models-dir-only", "--accelerator", "cpu", "--threads", "1"]
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    first = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 300
    while _stored_rows(store) < 20 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    stored_at_kill = _stored_rows(store)
    assert first.returncode == -signal.SIGKILL, "the screener finished before it could be killed: use more films"
    assert 0 < stored_at_kill < total

    second = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert second.returncode == 0, second.stderr[-2000:]
    assert f"{stored_at_kill} resumed" in second.stdout

    with open(out, encoding="utf-8-sig", newline="") as handle:
        paths = [row["path"] for row in csv.DictReader(handle)]
    assert len(paths) == total and len(set(paths)) == total
    with sqlite3.connect(store) as db:
        audited = Counter(path for (path,) in db.execute("SELECT path FROM audit"))
    assert set(audited) == set(paths)
    assert max(audited.values()) == 1, "a film was screened twice"
