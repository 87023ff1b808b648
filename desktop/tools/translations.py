"""Extract, compile and check the app's translations, with Qt's own tools.

    python -m desktop.tools.translations update           # pyside6-lupdate: new strings into every .ts
    python -m desktop.tools.translations build [--out DIR] # pyside6-lrelease: .ts → .qm (default: the cache)
    python -m desktop.tools.translations check            # exit 1: a .ts out of date, or a translation missing

``update`` reads every ``self.tr(…)``, ``QCoreApplication.translate(…)`` and ``i18n.translate(…)`` with
literal arguments under ``desktop/`` and adds what is new to each ``desktop/translations/cxr_<code>.ts``
as unfinished (without source locations, so a moved line changes no ``.ts``); translate those in
Qt Linguist or the XML. A string gone from the code stays as "vanished", so that its translation
comes back with it. A call through a wrapper, ``_tr("…")``, is invisible to lupdate.

``check`` fails while any string in use is untranslated, unfinished, or has lost a placeholder
(``{name}``, ``%1``), an HTML tag or a literal ``&&``, and when ``update`` would change the set of
strings: a ``tr()`` added without a translation fails it (`tests/desktop/test_translations.py`).

The ``.qm`` are not kept in the repository: `packaging/cxr-screening.spec` compiles them into the
frozen app, and from a checkout the window compiles them into the user's cache on first need
(`compiled_translation`), or stays English when ``pyside6-lrelease`` cannot be found.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from desktop import i18n
from desktop.paths import user_data_dir

DESKTOP = Path(__file__).resolve().parents[1]
#: What a translation must keep of its source: format fields, Qt's %1, HTML tags and an escaped ``&&``.
KEPT = re.compile(r"\{[^{}]*\}|%\d+|<[^<>]+>|&&")


def qt_tool(name: str) -> str | None:
    """``pyside6-<name>``: beside this Python (a virtual environment need not be activated), else on PATH."""
    return shutil.which(f"pyside6-{name}", path=str(Path(sys.executable).parent)) or shutil.which(f"pyside6-{name}")


def _run(name: str, arguments: list[str]) -> None:
    tool = qt_tool(name)
    if tool is None:
        raise RuntimeError(f"pyside6-{name} not found (install PySide6)")
    done = subprocess.run([tool, *arguments], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"pyside6-{name} failed: {done.stderr or done.stdout}")


def update(folder: Path | None = None) -> list[Path]:
    """Extract the strings of every Python file under ``desktop/`` into each language's ``.ts`` in
    ``folder`` (default: `desktop.i18n.TRANSLATIONS_DIR`)."""
    folder = folder or i18n.TRANSLATIONS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    targets = [folder / i18n.ts_name(language) for language in i18n.TRANSLATED]
    _run("lupdate", [*map(str, sorted(DESKTOP.rglob("*.py"))), "-locations", "none", "-ts", *map(str, targets)])
    return targets


def release(source: Path, target: Path) -> bool:
    """Compile one ``.ts`` (finished translations only) into ``target``; False when lrelease is missing
    or fails. Written under a temporary name, so a window starting meanwhile never loads half a file."""
    tool = qt_tool("lrelease")
    if tool is None:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        done = subprocess.run([tool, "-nounfinished", str(source), "-qm", str(partial)], capture_output=True)
        if done.returncode != 0 or not partial.is_file():
            return False
        partial.replace(target)
        return True
    finally:
        partial.unlink(missing_ok=True)


def build(out: Path) -> list[Path]:
    """Every language's ``.qm`` in ``out``; raises when one cannot be compiled (a build must not ship without)."""
    built = []
    for language in i18n.TRANSLATED:
        target = out / i18n.qm_name(language)
        if not release(i18n.ts_path(language), target):
            raise RuntimeError(f"pyside6-lrelease could not compile {i18n.ts_path(language)}")
        built.append(target)
    return built


def cache_dir() -> Path:
    return user_data_dir() / "cache" / "translations"


def compiled_translation(language: str) -> Path | None:
    """The ``.qm`` to load: the packaged app's (beside the ``.ts``), else one compiled from the ``.ts``
    into `cache_dir` when missing or older than it; None when there is neither (the window stays English)."""
    shipped = i18n.TRANSLATIONS_DIR / i18n.qm_name(language)
    if shipped.is_file():
        return shipped
    source, cached = i18n.ts_path(language), cache_dir() / i18n.qm_name(language)
    if not source.is_file():
        return None
    if not cached.is_file() or cached.stat().st_mtime < source.stat().st_mtime:
        release(source, cached)
    return cached if cached.is_file() else None


def translation_problems(messages: list[i18n.Message]) -> list[str]:
    """Each message in use without a finished, non-empty translation keeping its source's `KEPT` parts."""
    problems = []
    for message in (message for message in messages if not message.obsolete):
        where = f"[{message.context}] {message.source!r}"
        if not message.finished or not message.translation.strip():
            problems.append(f"{where}: not translated")
        elif Counter(KEPT.findall(message.source)) != Counter(KEPT.findall(message.translation)):
            problems.append(f"{where}: placeholders or tags differ in {message.translation!r}")
    return problems


def stale_strings(folder: Path | None = None) -> dict[str, list[str]]:
    """Per ``.ts`` in ``folder`` (default: the app's): the strings ``update`` would add (``+``) or drop
    (``-``); empty when it is up to date."""
    folder = folder or i18n.TRANSLATIONS_DIR
    with tempfile.TemporaryDirectory() as scratch:
        for committed in (folder / i18n.ts_name(language) for language in i18n.TRANSLATED):
            if committed.is_file():
                shutil.copy2(committed, scratch)
        changed = {}
        for updated in update(Path(scratch)):
            committed = folder / updated.name
            before = _in_use(committed) if committed.is_file() else set()
            after = _in_use(updated)
            changes = ([f"+ [{context}] {source!r}" for context, source in sorted(after - before)]
                       + [f"- [{context}] {source!r}" for context, source in sorted(before - after)])
            if changes:
                changed[updated.name] = changes
        return changed


def _in_use(path: Path) -> set[tuple[str, str]]:
    return {(m.context, m.source) for m in i18n.read_messages(path) if not m.obsolete}


def check(folder: Path | None = None) -> list[str]:
    """Every reason the translations in ``folder`` (default: the app's) are not ready to ship, one line each."""
    folder = folder or i18n.TRANSLATIONS_DIR
    problems = [f"{name}: out of date with the sources: {change}"
                for name, changes in stale_strings(folder).items() for change in changes]
    for language in i18n.TRANSLATED:
        path = folder / i18n.ts_name(language)
        if path.is_file():
            problems += [f"{path.name}: {problem}" for problem in translation_problems(i18n.read_messages(path))]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("update", help="add new source strings to every .ts (pyside6-lupdate)")
    build_command = commands.add_parser("build", help="compile every .ts into a .qm (pyside6-lrelease)")
    build_command.add_argument("--out", type=Path, default=None, help="default: the cache the window loads from")
    commands.add_parser("check", help="fail when a .ts is out of date or a string is not translated")
    args = parser.parse_args(argv)
    if args.command == "update":
        for path in update():
            untranslated = sum(1 for message in i18n.read_messages(path) if not (message.finished or message.obsolete))
            print(f"{path}: {untranslated} string(s) to translate")
        return 0
    if args.command == "build":
        for path in build(args.out or cache_dir()):
            print(f"built {path}")
        return 0
    problems = check()
    print("\n".join(problems) if problems else "translations complete and up to date")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
