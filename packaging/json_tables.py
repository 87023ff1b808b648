"""highdicom's tables of the DICOM standard, cut to what the app's DICOM results use and written compact.

highdicom ships its module, IOD and SOP-class tables as indented JSON and parses them with
``json.loads`` when it first builds a DICOM object (``highdicom._standard_utils``). Two rewrites:

- **compact**: the same JSON without whitespace between tokens (parses to the identical objects);
- **pruned**: ``module_attribute_map.json`` (15.7 MB compact) keeps only the modules highdicom reads
  for the objects the app writes (`desktop.reports.dicom_results`: a Comprehensive SR and a Secondary
  Capture). highdicom reads that map in one place for them, ``_copy_root_attributes_of_module``,
  which copies the Patient and Study modules of the *source film's* IOD, whatever IOD that is; so
  kept are every module of the Patient or Study entity of every IOD, and every module of the two
  IODs the app writes (0.7 MB). The other 400-odd modules (enhanced multi-frame functional groups,
  RT, waveforms…) describe objects the app never builds. The build's frozen-app DICOM check writes
  both objects from a DX film with the pruned table.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydicom.uid import ComprehensiveSRStorage, SecondaryCaptureImageStorage

TABLES = "_internal/highdicom/_standard/*.json"
MODULE_ATTRIBUTES = "module_attribute_map.json"
#: The SOP classes `desktop.reports.dicom_results` writes.
WRITTEN_SOP_CLASSES = (ComprehensiveSRStorage, SecondaryCaptureImageStorage)
#: Information entities whose modules highdicom copies from any source film.
COPIED_ENTITIES = ("Patient", "Study")


def compact_text(text: str) -> str:
    """The JSON ``text`` with no whitespace between tokens (strings and numbers as they were parsed)."""
    return _dumps(json.loads(text))


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def kept_modules(sop_class_iods: dict[str, str], iod_modules: dict[str, list[dict[str, Any]]]) -> set[str]:
    """Module keys the app's DICOM results can make highdicom read (see the module docstring)."""
    kept = {module["key"] for modules in iod_modules.values() for module in modules
            if module["ie"] in COPIED_ENTITIES}
    for uid in WRITTEN_SOP_CLASSES:
        kept |= {module["key"] for module in iod_modules[sop_class_iods[uid]]}
    return kept


def pruned_module_attributes(standard: Path) -> dict[str, Any]:
    """``module_attribute_map.json`` of the folder ``standard`` with only `kept_modules`."""
    def read(name: str) -> Any:
        return json.loads((standard / name).read_text(encoding="utf-8"))

    keep = kept_modules(read("sop_class_iod_map.json"), read("iod_module_map.json"))
    return {key: value for key, value in read(MODULE_ATTRIBUTES).items() if key in keep}


def compact(folder: Path) -> float:
    """Rewrite each of `TABLES` in ``folder`` compact, the module table pruned; returns the MB saved."""
    saved = 0
    for path in sorted(folder.glob(TABLES)):
        before = path.stat().st_size
        if path.name == MODULE_ATTRIBUTES:
            text = _dumps(pruned_module_attributes(path.parent))
        else:
            text = compact_text(path.read_text(encoding="utf-8"))
        path.write_text(text, encoding="utf-8")
        saved += before - path.stat().st_size
    return saved / 1e6
