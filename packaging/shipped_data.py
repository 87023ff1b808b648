"""What of the repository the app folder carries as data: the model bundles routing may use, as the app
needs them, and the public keys it trusts them by.

A bundle ships its card, its ``signature.json`` (beside the card, not in the card's ``files``: the app
uses only bundles signed by a trusted key) and the files the card lists, less those a copy may leave
out (`cxrcore.bundle.optional_files`: all but the default build and the reference films). A folder
without a card (the safety checks' models) ships whole. The trusted keys go where `cxrcore.signing.SHIPPED_KEYS_DIR`
resolves in the frozen app: beside ``signing.py``, which PyInstaller places under ``_internal/cxrcore/``.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath

from cxrcore.bundle import CARD_FILE, optional_files
from cxrcore.signing import PUBLIC_KEY_SUFFIX, SHIPPED_KEYS_DIR, SIGNATURE_FILE

#: (source file or folder, destination folder inside the app), as PyInstaller's ``datas`` takes them.
DataEntry = tuple[str, str]


def bundle_files(bundle_dir: Path) -> list[str]:
    """The files of one bundle the app folder carries, relative to the bundle, card first."""
    card = json.loads((bundle_dir / CARD_FILE).read_text(encoding="utf-8"))
    return [CARD_FILE, SIGNATURE_FILE] + sorted(set(card["files"]) - optional_files(card))


def bundle_folders(models: Path) -> list[Path]:
    return sorted(path for path in models.iterdir() if (path / CARD_FILE).is_file())


def is_routable(bundle_dir: Path) -> bool:
    """Whether routing may send a film to the bundle (card ``population.routable``)."""
    card = json.loads((bundle_dir / CARD_FILE).read_text(encoding="utf-8"))
    return bool((card.get("population") or {}).get("routable"))


def shipped_bundles(models: Path) -> list[Path]:
    """The bundles a clinic's app folder carries: those routing may use.

    A bundle routing never uses (``covid-radiography-4class``, a paper reproduction whose card records
    that it called 149 of 150 adult pneumonia films "Normal") would only be a confident wrong answer a
    clinic can choose; maintainers run it from the repository."""
    return [folder for folder in bundle_folders(models) if is_routable(folder)]


def left_out_files(models: Path) -> list[Path]:
    """The bundles' files the app folder does not carry (other builds, maintainers' files, unrouted bundles)."""
    left_out = []
    for folder in bundle_folders(models):
        shipped = set(bundle_files(folder)) if is_routable(folder) else set()
        left_out += [path for path in sorted(folder.rglob("*"))
                     if path.is_file() and path.relative_to(folder).as_posix() not in shipped]
    return left_out


def model_datas(models: Path) -> list[DataEntry]:
    """Every folder under ``models``: a bundle as `bundle_files`, anything else whole."""
    datas = []
    bundles = bundle_folders(models)
    for folder in sorted(path for path in models.iterdir() if path.is_dir()):
        if folder not in bundles:
            datas.append((str(folder), f"models/{folder.name}"))
            continue
        if not is_routable(folder):
            continue
        for relative in bundle_files(folder):
            datas.append((str(folder / relative), str(PurePosixPath("models", folder.name, relative).parent)))
    return datas


def trusted_key_datas(package_root: Path) -> list[DataEntry]:
    """The shipped public keys, at their place relative to ``package_root`` (the folder holding ``cxrcore``)."""
    destination = SHIPPED_KEYS_DIR.relative_to(package_root).as_posix()
    return [(str(path), destination) for path in sorted(SHIPPED_KEYS_DIR.glob(f"*{PUBLIC_KEY_SUFFIX}"))]
