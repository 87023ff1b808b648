"""The watch folder: a film written slowly while ``watch`` runs is screened once, whole, and a restart
screens only what is new (real Kermany films, a real tiny LiteRT model, `FakeSafety`)."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from desktop.screening.watch import StableFiles
from desktop.services import watch_main
from tests.desktop.test_receiver import csv_rows, wait_until
from tests.desktop_support import calibrated_bundle, kermany_films, use_fake_safety
from tests.factories import PEDIATRIC_POPULATION

INTERVAL, POLLS = 0.1, 4  # a file must rest ≥ 0.3 s; the slow writer below pauses 0.05 s between chunks


def write_slowly(source: Path, target: Path, chunks: int = 10, pause: float = 0.05) -> None:
    """Copy ``source`` the way a slow USB stick or share does: a growing file, chunk by chunk."""
    data = source.read_bytes()
    step = -(-len(data) // chunks)
    with open(target, "wb") as stream:
        for start in range(0, len(data), step):
            stream.write(data[start:start + step])
            stream.flush()
            time.sleep(pause)


@pytest.fixture()
def watch(tmp_path: Path, tiny_tflite: bytes, monkeypatch: pytest.MonkeyPatch):
    """Start ``watch`` on ``tmp_path/in`` in a thread; yields start() → stop(), which returns its exit code."""
    models = tmp_path / "models"
    calibrated_bundle(models / "tiny-bundle", tiny_tflite, population=PEDIATRIC_POPULATION)
    monkeypatch.setenv("CXR_SCREENING_DATA_DIR", str(tmp_path / "data"))
    use_fake_safety(monkeypatch)
    (tmp_path / "in").mkdir()
    args = [str(tmp_path / "in"), "--out", str(tmp_path / "results.csv"), "--store", str(tmp_path / "store.sqlite3"),
            "--models-dir", str(models), "--models-dir-only", "--threads", "1",
            "--interval", str(INTERVAL), "--stable-polls", str(POLLS)]

    def start():
        stop, codes = threading.Event(), []
        thread = threading.Thread(target=lambda: codes.append(watch_main(args, stop)))
        thread.start()

        def finish() -> int:
            stop.set()
            thread.join(timeout=30)
            return codes[0]

        return finish

    return start


@pytest.mark.slow
def test_a_film_written_slowly_is_screened_once_whole_and_not_again_after_restart(
        watch, tmp_path: Path, kermany_root: Path) -> None:
    first, second = kermany_films(kermany_root, 1)
    out, folder = tmp_path / "results.csv", tmp_path / "in"
    stop = watch()
    write_slowly(first, folder / first.name)
    wait_until(lambda: csv_rows(out), what="the first row")
    time.sleep(POLLS * INTERVAL * 2)  # time enough for a wrong second hand-out of the same file
    assert stop() == 0

    (row,) = csv_rows(out)
    assert (Path(row["path"]).name, row["status"]) == (first.name, "ok")

    stop = watch()
    write_slowly(second, folder / second.name)
    wait_until(lambda: len(csv_rows(out)) == 2, what="the second film's row")
    assert stop() == 0

    assert {Path(row["path"]).name: row["status"] for row in csv_rows(out)} == {first.name: "ok", second.name: "ok"}
    with sqlite3.connect(tmp_path / "store.sqlite3") as database:
        audited = sorted(Path(path).name for (path,) in database.execute("SELECT path FROM audit"))
    assert audited == sorted([first.name, second.name])  # each screened exactly once, across the restart


def test_a_file_is_handed_out_once_it_rests_and_again_only_when_it_changes(tmp_path: Path, kermany_root: Path) -> None:
    film = tmp_path / "film.jpeg"
    watcher = StableFiles(tmp_path, polls=2)
    (tmp_path / "empty.png").touch()  # an empty file is a copy not yet begun, never a row
    (tmp_path / ".partial.jpeg").write_bytes(b"hidden temporary of a copy tool")
    film.write_bytes(kermany_films(kermany_root, 1)[0].read_bytes()[:500])

    assert watcher.poll() == []
    with open(film, "ab") as stream:  # still growing
        stream.write(kermany_films(kermany_root, 1)[0].read_bytes()[500:])
    assert watcher.poll() == []
    assert watcher.poll() == [film]
    assert watcher.poll() == watcher.poll() == []
    os.utime(film, ns=(time.time_ns(), time.time_ns() + 10**9))  # replaced by another copy
    assert watcher.poll() == []
    assert watcher.poll() == [film]
