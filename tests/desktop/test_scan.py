"""Folder scans: recursion, filtering, and surviving link loops and unreadable folders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from desktop.screening.scan import collect_inputs


def touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_recursive_scan_is_sorted_and_takes_only_candidate_images(tmp_path: Path) -> None:
    touch(tmp_path / "b.png")
    touch(tmp_path / "a.JPG")
    touch(tmp_path / "notes.txt")
    touch(tmp_path / "sub" / "deeper" / "c.dcm")
    touch(tmp_path / "sub" / "extensionless-dicom", b"\0" * 128 + b"DICM" + b"\0" * 16)
    touch(tmp_path / "sub" / "extensionless-other", b"hello")
    touch(tmp_path / ".hidden" / "d.png")
    touch(tmp_path / "._e.png")

    result = collect_inputs([tmp_path])

    names = [path.relative_to(tmp_path).as_posix() for path in result.files]
    assert names == ["a.JPG", "b.png", "sub/extensionless-dicom", "sub/deeper/c.dcm"]
    assert result.problems == []
    assert {Path(path).name for path, _ in result.skipped} == {".hidden", "._e.png"}


def test_symlink_loop_is_skipped_with_a_reason(tmp_path: Path) -> None:
    touch(tmp_path / "films" / "a.png")
    os.symlink(tmp_path / "films", tmp_path / "films" / "loop")
    os.symlink(tmp_path / "films" / "a.png", tmp_path / "films" / "same.png")

    result = collect_inputs([tmp_path / "films"])

    assert [path.name for path in result.files] == ["a.png"]
    reasons = dict(result.skipped)
    assert "loop" in reasons[str(tmp_path / "films" / "loop")]
    assert "already listed" in reasons[str(tmp_path / "films" / "same.png")]


def test_broken_link_with_image_suffix_is_kept_so_it_gets_an_error_row(tmp_path: Path) -> None:
    os.symlink(tmp_path / "gone.png", tmp_path / "dangling.png")
    assert [path.name for path in collect_inputs([tmp_path]).files] == ["dangling.png"]


def test_unreadable_folder_becomes_a_problem_and_the_scan_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    touch(tmp_path / "ok" / "a.png")
    locked = tmp_path / "locked"
    touch(locked / "b.png")
    real_scandir = os.scandir

    def scandir(path):  # root bypasses chmod, so the refusal is simulated at the OS call
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = collect_inputs([tmp_path])

    assert [path.name for path in result.files] == ["a.png"]
    assert [(p.path, p.reason) for p in result.problems] == [(str(locked), "unreadable-folder")]
    assert "Permission denied" in result.problems[0].message


def test_explicit_files_are_kept_and_missing_inputs_reported(tmp_path: Path) -> None:
    notes = touch(tmp_path / "notes.txt")
    result = collect_inputs([notes, tmp_path / "nowhere"])
    assert result.files == [notes]
    assert [(p.path, p.reason) for p in result.problems] == [(str(tmp_path / "nowhere"), "missing")]
