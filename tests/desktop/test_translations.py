"""The French, Portuguese, Spanish and Swahili translations: complete and up to date with the code,
placeholders kept, the window's decision columns still fitting 1280×800 in each language, English
wherever a translation is missing (never an empty label), the screening engine's reasons and the PDF
report in the chosen language."""

from __future__ import annotations

import contextlib
import re
import shutil
from pathlib import Path
from typing import Iterator

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QMenuBar

from cxrcore.safety.checks import NOT_A_CHEST_FILM
from cxrcore.safety.population import NOT_VALIDATED
from desktop import i18n
from desktop.screening.results import ScreenResult
from desktop.tools import translations as tools
from desktop.ui.languages import LANGUAGE_KEY, add_language_menu, install_translators
from desktop.ui.main_window import MainWindow
from tests.desktop.test_gui import TIMEOUT_MS, make_window, screen_and_wait, tiny_bundle  # noqa: F401 (a fixture)
from tests.desktop_support import film_folder, use_fake_safety
from tests.factories import sample_films

pytestmark = pytest.mark.gui


@contextlib.contextmanager
def running_in(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``code`` installed as the app installs it: saved in the settings a window in ``tmp_path`` reads,
    compiled on first need into a cache inside ``tmp_path``; English again afterwards."""
    monkeypatch.setenv("CXR_SCREENING_DATA_DIR", str(tmp_path / "data"))
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue(LANGUAGE_KEY, code)
    settings.sync()
    app = QApplication.instance()
    installed = install_translators(app, settings)
    try:
        yield
    finally:
        for translator in installed:
            app.removeTranslator(translator)
        i18n.set_language(i18n.SOURCE_LANGUAGE)


@pytest.fixture()
def language(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with running_in(request.param, tmp_path, monkeypatch):
        yield request.param


# --- (a) complete and up to date -----------------------------------------------------------------
@pytest.mark.parametrize("code", i18n.TRANSLATED)
def test_every_string_has_a_finished_translation_that_keeps_its_placeholders(code: str) -> None:
    messages = i18n.read_messages(i18n.ts_path(code))
    assert len([m for m in messages if not m.obsolete]) > 150
    assert tools.translation_problems(messages) == []


def test_the_ts_files_hold_exactly_the_strings_of_the_code() -> None:
    """Fails when a ``tr()`` string is added (or removed) without running ``update`` and translating it."""
    assert tools.stale_strings() == {}


def test_the_check_sees_a_new_string_an_empty_translation_and_a_lost_placeholder(tmp_path: Path) -> None:
    """The checker itself: a checker that sees nothing cannot pass."""
    for code in i18n.TRANSLATED:
        shutil.copy2(i18n.ts_path(code), tmp_path)
    french = tmp_path / i18n.ts_name("fr")
    text = french.read_text(encoding="utf-8")
    french.write_text(_drop_message(text, "Needs review only"), encoding="utf-8")
    stale = tools.stale_strings(tmp_path)  # (other strings too, while the code is ahead of the .ts)
    assert "+ [FilterBar] 'Needs review only'" in stale[french.name]
    assert not any("'Needs review only'" in change for name, changes in stale.items() if name != french.name
                   for change in changes)

    missing = [i18n.Message("c", "Saved {path}", "Enregistré", True, False),
               i18n.Message("c", "<b>NEEDS REVIEW</b>", "À REVOIR", True, False),
               i18n.Message("c", "Model && runtime", "Modèle & exécution", True, False),
               i18n.Message("c", "Cancel", " ", True, False),
               i18n.Message("c", "Done", "Terminé", False, False)]
    assert len(tools.translation_problems(missing)) == len(missing)
    assert tools.translation_problems([i18n.Message("c", "Gone", "", False, True)]) == []  # obsolete: not in use


def test_the_safety_sentence_is_translated_where_the_code_asks_for_it() -> None:
    """The literals lupdate reads in the table and the PDF are the engine's `NOT_VALIDATED` itself."""
    from desktop.reports.pdf_report import _not_validated
    from desktop.ui.results_model import not_validated_text

    assert not_validated_text() == NOT_VALIDATED == _not_validated()
    for code in i18n.TRANSLATED:
        assert i18n.translations(code)[("safety", NOT_VALIDATED)] not in ("", NOT_VALIDATED)


# --- choosing the language -----------------------------------------------------------------------
def test_the_saved_choice_wins_then_the_system_language_then_english() -> None:
    assert i18n.choose_language("sw", ["fr-FR", "fr"]) == "sw"
    assert i18n.choose_language(i18n.SYSTEM, ["pt-BR", "pt"]) == "pt"
    assert i18n.choose_language(i18n.SYSTEM, ["de-DE", "es_ES"]) == "es"
    assert i18n.choose_language("xx", ["de-DE", "en-US"]) == "en"
    assert i18n.choose_language(i18n.SYSTEM, []) == "en"


def test_the_language_menu_saves_the_choice_for_the_next_start(qtbot, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    bar = QMenuBar()
    qtbot.addWidget(bar)
    help_menu = bar.addMenu("Help")
    menu = add_language_menu(bar, settings, before=help_menu.menuAction())
    assert bar.actions()[0] is menu.menuAction()
    choices = [action for action in menu.actions() if action.isCheckable()]
    assert [action.data() for action in choices] == [i18n.SYSTEM, *i18n.LANGUAGES]
    assert [action.text() for action in choices[1:]] == list(i18n.LANGUAGES.values())
    assert choices[0].isChecked() and not any(action.isChecked() for action in choices[1:])
    assert any("next started" in action.text() for action in menu.actions() if not action.isEnabled())
    next(action for action in choices if action.data() == "sw").trigger()
    assert settings.value(LANGUAGE_KEY) == "sw"
    assert [action.data() for action in choices if action.isChecked()] == ["sw"]


def test_without_lrelease_a_checkout_stays_english(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui.filter_bar import FilterBar
    from desktop.ui.results_model import ResultsFilterProxy

    monkeypatch.setattr(tools, "qt_tool", lambda name: None)
    with running_in("fr", tmp_path, monkeypatch):
        assert tools.compiled_translation("fr") is None
        bar = FilterBar(ResultsFilterProxy())
        qtbot.addWidget(bar)
        assert bar.flagged_only.text() == "Needs review only"


# --- (b) the decision columns fit 1280×800 in every language ------------------------------------
def clipped_decision_columns(window: MainWindow) -> list[str]:
    """Titles of the decision columns hidden, cut at the viewport's right edge, or narrower than their header."""
    model, table, header = window.results, window.table, window.table.horizontalHeader()
    clipped = []
    for column in model.decision_columns:
        left, width = header.sectionViewportPosition(column), header.sectionSize(column)
        if (table.isColumnHidden(column) or left < 0 or left + width > table.viewport().width()
                or width < header.sectionSizeHint(column)):
            clipped.append(str(model.headerData(column, Qt.Orientation.Horizontal)))
    return clipped


@pytest.mark.parametrize("language", list(i18n.LANGUAGES), indirect=True)
def test_at_1280_by_800_every_decision_column_fits_in_each_language(qtbot, language: str, tmp_path: Path,
                                                                     tiny_bundle: Path,  # noqa: F811
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    use_fake_safety(monkeypatch)
    window = make_window(qtbot, tmp_path, [tiny_bundle.parent])
    qtbot.waitUntil(lambda: window.runtime_description != "", timeout=TIMEOUT_MS)
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    screen_and_wait(qtbot, window, [film_folder(tmp_path / "films", sample_films()[:2])])

    prediction = window.results.headerData(window.results.PREDICTION, Qt.Orientation.Horizontal)
    assert prediction == i18n.translations(language).get(("ResultsTableModel", "Prediction"), "Prediction")
    assert clipped_decision_columns(window) == []
    assert not window.table.horizontalScrollBar().isVisible()


# --- (c) the engine's reasons in the chosen language, its English kept ---------------------------
def test_in_french_a_refused_photo_says_why_in_french(qtbot, tmp_path: Path, tiny_bundle: Path,  # noqa: F811
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The real chest-film gate refuses a colour picture: the table, its tooltip and the details panel say
    why in French, and keep what the engine said."""
    photo = tmp_path / "films" / "photo.png"
    photo.parent.mkdir()
    ramp = np.tile(np.linspace(0, 255, 256).astype(np.uint8), (256, 1))
    Image.fromarray(np.dstack([ramp, ramp.T, np.full_like(ramp, 128)])).save(photo)
    with running_in("fr", tmp_path, monkeypatch):
        window = make_window(qtbot, tmp_path, [tiny_bundle.parent])
        qtbot.waitUntil(lambda: window.runtime_description != "", timeout=TIMEOUT_MS)
        screen_and_wait(qtbot, window, [photo.parent])

        model = window.results
        result = model.result_at(0)
        assert (result.status, result.reason) == ("rejected", NOT_A_CHEST_FILM)
        cell = model.index(0, model.column_of(model.STATUS))
        assert cell.data() == "Refusé : Ceci ressemble à une photographie en couleur, pas à un cliché radiographique."
        assert cell.data(Qt.ItemDataRole.ToolTipRole).endswith(f"Détails : {result.message}")
        window.table.selectRow(0)
        headline = window.details.headline.text()
        assert "Ceci ressemble à une photographie en couleur" in headline and "Détails : not scored" in headline


# --- (d) a missing translation shows in English ---------------------------------------------------
def _drop_message(ts: str, source: str) -> str:
    """The ``.ts`` text without the message whose source is ``source``."""
    pattern = rf"\s*<message>\s*<source>{re.escape(source)}</source>.*?</message>"
    dropped, count = re.subn(pattern, "", ts, count=1, flags=re.DOTALL)
    assert count == 1, source
    return dropped


def _set_translation(ts: str, source: str, translation: str) -> str:
    pattern = rf"(<source>{re.escape(source)}</source>\s*)<translation>[^<]*</translation>"
    changed, count = re.subn(pattern, rf"\g<1>{translation}", ts, count=1)
    assert count == 1, source
    return changed


def test_a_missing_empty_or_unfinished_translation_falls_back_to_english(qtbot, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from desktop.ui.filter_bar import FilterBar
    from desktop.ui.results_model import ResultsFilterProxy

    text = i18n.ts_path("fr").read_text(encoding="utf-8")
    text = _drop_message(text, "Needs review only")
    text = _set_translation(text, "Filter by file, patient, prediction or reason…", "<translation></translation>")
    text = _set_translation(text, "{shown} of {total} shown",
                            '<translation type="unfinished">{shown} sur {total} affichés</translation>')
    folder = tmp_path / "translations"
    folder.mkdir()
    (folder / i18n.ts_name("fr")).write_text(text, encoding="utf-8")
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", folder)  # what the window compiles and the PDF reads
    i18n.translations.cache_clear()
    try:
        with running_in("fr", tmp_path, monkeypatch):
            bar = FilterBar(ResultsFilterProxy())
            qtbot.addWidget(bar)
            assert bar.flagged_only.text() == "Needs review only"
            assert bar.text.placeholderText() == "Filter by file, patient, prediction or reason…"
            assert bar.count.text() == "0 of 0 shown"
            assert bar.status.itemText(0) == "Tous les statuts"  # the rest is French
            assert i18n.translate("FilterBar", "Needs review only") == "Needs review only"
            assert i18n.translate("FilterBar", "{shown} of {total} shown") == "{shown} of {total} shown"
            assert i18n.translate("FilterBar", "All statuses") == "Tous les statuts"
    finally:
        i18n.translations.cache_clear()


# --- (e) the PDF report in French ---------------------------------------------------------------
def test_the_pdf_report_is_written_in_the_chosen_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from reportlab.pdfgen.canvas import Canvas

    from desktop.reports.pdf_report import ReportContent, ReportModel, write_report
    from tests.desktop.test_formats import BAD, OK

    written: list[str] = []  # every line of text drawn, left- or right-aligned
    for name in ("drawString", "drawRightString"):
        draw = getattr(Canvas, name)
        monkeypatch.setattr(Canvas, name, lambda canvas, x, y, text, *more, draw=draw, **options: (
            written.append(text), draw(canvas, x, y, text, *more, **options))[1])
    warning = f"{NOT_VALIDATED} (m was validated on children)."
    outside = replace(OK, status="not-validated", flagged=True, warnings=(warning,))
    photo = ScreenResult.failure("/films/photo.png", NOT_A_CHEST_FILM,
                                 "not scored: looks like a colour photograph, not an X-ray film")
    adult = replace(outside, reason="population-image", warnings=(f"{NOT_VALIDATED}: m was validated on children.",))
    results = [OK, outside, BAD, photo, adult]
    i18n.set_language("fr")
    try:
        write_report(tmp_path / "rapport.pdf", ReportContent(results, [ReportModel(OK.model, {"PNEUMONIA": 0.4})],
                                                             automatic=True, runtime="LiteRT CPU"))
    finally:
        i18n.set_language(i18n.SOURCE_LANGUAGE)

    assert {"Rapport de dépistage par radiographie thoracique", "Date:", "Seuils de décision:",
            "Ce résultat aide la lecture d'un clinicien et ne la remplace pas.", "page 1 sur 6",
            "Non validé pour ce cliché — lisez-le vous-même", "À REVOIR", "Statut : erreur",
            "Évalué par : m 1.2.0 float32", "Prédiction : PNEUMONIA  (75.0%)",
            "Motif : Le fichier est endommagé ou incomplet.", "Détails : image data is damaged", "Statut : refusé",
            "Motif : Ceci ressemble à une photographie en couleur, pas à un cliché radiographique.",
            "Détails : not scored: looks like a colour photograph, not an X-ray film",
            "Avertissement : Le cliché ne correspond pas aux patients sur lesquels ce modèle a été validé."
            } <= set(written)
    assert any(line.startswith("Avertissement : Non validé pour ce cliché — lisez-le vous-même (m was")
               for line in written)  # an engine's reason without a code: in English, behind the French sentence
    assert not {"Chest X-ray screening report", "NEEDS REVIEW", NOT_VALIDATED} & set(written)
