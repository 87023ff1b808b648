"""The app's languages, which one to run in, and their translations for the parts that never load Qt.

One Qt Linguist source per language (`TRANSLATIONS_DIR`/``cxr_<code>.ts``) is the only place a
translation is written. The window reads it compiled (`desktop.ui.languages` installs a QTranslator);
the PDF report is written without Qt (`tests/system/test_layering.py`), so this module reads the same
XML itself. English is the source language: a string without a finished translation shows in
English, never empty, exactly as Qt falls back.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
SOURCE_LANGUAGE = "en"
#: Every language offered, each named in itself: whoever looks for hers reads that name.
LANGUAGES = {"en": "English", "fr": "Français", "pt": "Português", "es": "Español", "sw": "Kiswahili"}
TRANSLATED = tuple(code for code in LANGUAGES if code != SOURCE_LANGUAGE)
#: The saved choice meaning "follow the system's language".
SYSTEM = ""


def ts_name(language: str) -> str:
    return f"cxr_{language}.ts"


def ts_path(language: str) -> Path:
    return TRANSLATIONS_DIR / ts_name(language)


def qm_name(language: str) -> str:
    """The compiled file's name, as `QTranslator.load` and ``pyside6-lrelease`` use it."""
    return f"cxr_{language}.qm"


def choose_language(saved: str, preferred: Iterable[str]) -> str:
    """The saved choice when it is one of `LANGUAGES`; else the first of the system's preferred UI
    languages (tags such as ``pt-BR`` or ``pt_BR``) that is; else English."""
    if saved in LANGUAGES:
        return saved
    for tag in preferred:
        base = tag.replace("_", "-").split("-")[0].lower()
        if base in LANGUAGES:
            return base
    return SOURCE_LANGUAGE


@dataclass(frozen=True)
class Message:
    """One ``<message>`` of a ``.ts``. ``finished`` is false when Linguist marks it unfinished, obsolete
    or vanished (lrelease leaves those out, so Qt shows the English source); ``obsolete`` when its
    source is gone from the code (kept, so that lupdate restores its translation if it comes back)."""

    context: str
    source: str
    translation: str
    finished: bool
    obsolete: bool


def read_messages(path: Path) -> list[Message]:
    messages = []
    for context in ElementTree.parse(path).getroot().iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            node = message.find("translation")
            kind = "unfinished" if node is None else node.get("type", "")
            text = "" if node is None else node.text or ""
            messages.append(Message(name, message.findtext("source", ""), text, not kind,
                                    kind in ("obsolete", "vanished")))
    return messages


@lru_cache(maxsize=None)
def translations(language: str) -> dict[tuple[str, str], str]:
    """(context, source) → translation, finished and non-empty ones only; empty for English or a
    language whose file is missing."""
    path = ts_path(language)
    if language == SOURCE_LANGUAGE or not path.is_file():
        return {}
    return {(m.context, m.source): m.translation for m in read_messages(path) if m.finished and m.translation}


_language = SOURCE_LANGUAGE


def set_language(language: str) -> None:
    """The process's language, set once at start beside Qt's translators (which are process-wide too)."""
    global _language
    _language = language if language in LANGUAGES else SOURCE_LANGUAGE


def current_language() -> str:
    return _language


def translate(context: str, source: str) -> str:
    """``source`` in the process's language; ``source`` itself when that has no finished translation.

    Call it with literal arguments (``i18n.translate("pdf_report", "Date")``): that is what
    ``pyside6-lupdate`` extracts into the ``.ts``."""
    return translations(_language).get((context, source), source)


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # noqa: N802 (the name pyside6-lupdate reads)
    """``source`` unchanged, marked for ``pyside6-lupdate`` under ``context``: for sentences kept in a
    table and translated when shown, by whichever translator the caller has (Qt's in the window,
    `translate` in the PDF), as Qt's macro of the same name does."""
    return source


def translate_prefix(text: str, prefix: str, translated: str) -> str:
    """``text`` with its English ``prefix`` (a fixed sentence the engine starts a message with, such
    as "Not validated for this film — read it yourself") replaced by ``translated``."""
    return translated + text[len(prefix):] if text.startswith(prefix) else text
