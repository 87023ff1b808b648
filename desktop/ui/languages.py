"""The window's language: the saved choice, else the system's; Qt's translators for it; and the
Language menu that changes the choice.

Every view sets its texts once, as it is built, so a new choice takes effect the next time the app
starts (the menu says so) rather than leaving half the window in the old language.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QMenuBar

from desktop import i18n
from desktop.tools.translations import compiled_translation

log = logging.getLogger(__name__)

#: One of `desktop.i18n.LANGUAGES`, or "" (`desktop.i18n.SYSTEM`) for the system's language.
LANGUAGE_KEY = "ui/language"


def saved_language(settings: QSettings) -> str:
    value = str(settings.value(LANGUAGE_KEY, i18n.SYSTEM, type=str) or "")
    return value if value in i18n.LANGUAGES else i18n.SYSTEM


def system_language() -> str:
    """The language the system's locale asks for, among those the app has (English otherwise)."""
    return i18n.choose_language(i18n.SYSTEM, QLocale.system().uiLanguages())


def install_translators(app: QCoreApplication, settings: QSettings) -> list[QTranslator]:
    """Install Qt's own translations (standard buttons) and the app's for the chosen language, and
    set it for the Qt-free parts (the PDF report); return what was installed. English installs
    nothing: the sources are English. Without a loadable ``.qm`` the window stays English (logged)."""
    language = i18n.choose_language(saved_language(settings), QLocale.system().uiLanguages())
    i18n.set_language(language)
    if language == i18n.SOURCE_LANGUAGE:
        return []
    installed = []
    qt = QTranslator(app)
    if qt.load(QLocale(language), "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        installed.append(qt)
    compiled = compiled_translation(language)
    ours = QTranslator(app)
    if compiled is not None and ours.load(str(compiled)):
        installed.append(ours)
    else:
        log.warning("no compiled translation for %s (pyside6-lrelease missing?): the window stays English", language)
    for translator in installed:
        app.installTranslator(translator)
    return installed


def add_language_menu(parent: QMenuBar | QMenu, settings: QSettings, before: QAction | None = None) -> QMenu:
    """A Language menu in ``parent`` (before ``before``, else last): the system's language or one of
    `desktop.i18n.LANGUAGES`, each in its own name, saved in ``settings`` for the next start."""
    menu = QMenu(QCoreApplication.translate("languages", "&Language"), parent)
    if before is None:
        parent.addMenu(menu)
    else:
        parent.insertMenu(before, menu)
    note = menu.addAction(QCoreApplication.translate("languages", "Takes effect when the app is next started"))
    note.setEnabled(False)
    menu.addSeparator()
    system = QCoreApplication.translate("languages", "System language ({language})").format(
        language=i18n.LANGUAGES[system_language()])
    group = QActionGroup(menu)
    saved = saved_language(settings)
    for code, name in ((i18n.SYSTEM, system), *i18n.LANGUAGES.items()):
        action = menu.addAction(name)
        action.setCheckable(True)
        action.setChecked(code == saved)
        action.setData(code)
        group.addAction(action)
        action.triggered.connect(lambda _checked=False, code=code: settings.setValue(LANGUAGE_KEY, code))
    return menu
