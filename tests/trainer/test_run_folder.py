"""trainer.run_folder, the one owner of ``run.json``: the format every run folder so far was written in,
and the refusals of a folder the converters cannot trust."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from cxrcore.preprocess import InputSpec
from trainer.run_folder import RUN_FILE, SPLIT_FILE, RunFolderError, holds_run, read_run, read_run_info, write_run_info

#: A run.json exactly as `trainer.train` wrote them before this module owned the writing (indent 2,
#: ASCII escapes, no trailing newline): rewriting what was read must give the same bytes.
WRITTEN_BEFORE = (
    '{\n  "recipe": "adult-abnormal-effnetlite0",\n  "labels": [\n    "NORMAL",\n    "ABNORMAL"\n  ],\n'
    '  "abnormal_labels": [\n    "ABNORMAL"\n  ],\n  "notes": "\\u00b5 caf\\u00e9",\n  "wall_time_s": 0.0\n}'
)


def _run_folder(directory: Path, **changes: object) -> Path:
    """A classifier run folder around a dummy model; a change to None leaves that field out."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "best.keras").write_bytes(b"model")
    (directory / SPLIT_FILE).write_text("path,label,patient_id,split,sha256\n", encoding="utf-8")
    info = {
        "labels": ["NORMAL", "PNEUMONIA"], "abnormal_labels": ["PNEUMONIA"],
        "input": InputSpec(32, 32, 1).to_dict(), "output_activation": "sigmoid",
        "dataset": {"kind": "kermany", "root": "data"},
        "split_manifest_sha256": hashlib.sha256((directory / SPLIT_FILE).read_bytes()).hexdigest(),
        **changes,
    }
    write_run_info(directory, {key: value for key, value in info.items() if value is not None})
    return directory / "best.keras"


def test_rewriting_a_run_json_gives_the_same_bytes(tmp_path: Path) -> None:
    (tmp_path / RUN_FILE).write_text(WRITTEN_BEFORE, encoding="utf-8")
    info = read_run_info(tmp_path)
    assert info["notes"] == "µ café"
    write_run_info(tmp_path, info)
    assert (tmp_path / RUN_FILE).read_text(encoding="utf-8") == WRITTEN_BEFORE
    assert sorted(path.name for path in tmp_path.iterdir()) == [RUN_FILE], "no temporary file left behind"


def test_a_valid_run_folder_reads(tmp_path: Path) -> None:
    run = read_run(_run_folder(tmp_path / "run"))
    assert (run.labels, run.output_units, run.input_spec.height) == (["NORMAL", "PNEUMONIA"], 1, 32)
    assert holds_run(tmp_path / "run") and not holds_run(tmp_path)


def test_an_unreadable_or_missing_run_json_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(RunFolderError, match="no run.json beside the model"):
        read_run_info(tmp_path)
    (tmp_path / RUN_FILE).write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(RunFolderError, match="must hold a JSON object"):
        read_run_info(tmp_path)
    (tmp_path / RUN_FILE).write_text("{not json", encoding="utf-8")
    with pytest.raises(RunFolderError, match="unreadable"):
        read_run_info(tmp_path)


@pytest.mark.parametrize(("changes", "problem"), [
    ({"labels": None}, "missing field"),
    ({"output_activation": "relu"}, "output_activation must be one of"),
    ({"abnormal_labels": ["COVID"]}, "are not all in labels"),
    ({"input": {"height": 32}}, "input is invalid"),
    ({"split_manifest_sha256": "0" * 64}, "the split changed after training"),
])
def test_a_run_the_converters_cannot_trust_is_refused(tmp_path: Path, changes: dict, problem: str) -> None:
    model = _run_folder(tmp_path / "run", **changes)
    with pytest.raises(RunFolderError, match=problem):
        read_run(model)
