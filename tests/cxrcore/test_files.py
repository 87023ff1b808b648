"""cxrcore.files: the one check of a file listed with its SHA-256 inside a folder (bundles, safety models)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from cxrcore.files import FileProblem, MissingFile, contained_path, sha256_file, verified_file


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    (tmp_path / "inside" / "sub").mkdir(parents=True)
    (tmp_path / "inside" / "sub" / "model.bin").write_bytes(b"weights")
    (tmp_path / "outside.bin").write_bytes(b"elsewhere")
    return tmp_path / "inside"


def test_a_listed_file_with_its_hash_is_returned(folder: Path) -> None:
    digest = hashlib.sha256(b"weights").hexdigest()
    assert sha256_file(folder / "sub" / "model.bin") == digest
    assert verified_file(folder, "sub/model.bin", digest) == (folder / "sub" / "model.bin").resolve()


def test_an_altered_or_missing_file_is_refused(folder: Path) -> None:
    with pytest.raises(FileProblem, match="'sub/model.bin' has SHA-256 .* altered or damaged"):
        verified_file(folder, "sub/model.bin", "0" * 64)
    with pytest.raises(MissingFile, match="'sub/gone.bin' is missing"):
        verified_file(folder, "sub/gone.bin", "0" * 64)


@pytest.mark.parametrize("relative", [
    "../outside.bin", "sub/../../outside.bin", "..\\outside.bin", "/etc/passwd", "C:\\Windows\\x.dll",
    "C:x.dll", "\\\\server\\share\\x", "",
])
def test_a_path_leaving_the_folder_is_refused_before_it_is_opened(folder: Path, relative: str) -> None:
    with pytest.raises(FileProblem, match="points outside its folder"):
        contained_path(folder, relative)
    with pytest.raises(FileProblem, match="points outside its folder") as caught:
        verified_file(folder, relative, sha256_file(folder.parent / "outside.bin"))
    assert not isinstance(caught.value, MissingFile), "an escaping path is never merely 'optional and absent'"


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_link_inside_the_folder_that_points_outside_is_refused(folder: Path) -> None:
    (folder / "link.bin").symlink_to(folder.parent / "outside.bin")
    with pytest.raises(FileProblem, match="points outside its folder"):
        verified_file(folder, "link.bin", sha256_file(folder.parent / "outside.bin"))
