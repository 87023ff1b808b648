"""The analysis worker, in its own QThread: heatmaps on demand, and the exports that need them (the
PDF report, the DICOM results: an SR and a heatmap capture per scored DICOM film).

Each heatmap is computed by the model that scored the film: one classifier per model, opened on first
use in this thread (LiteRT engines are not thread-safe), apart from the screening worker's so that
the heatmap of the film a nurse clicked does not wait behind a batch. A heatmap computed for an
export is sent back too, so the viewer has it without computing it again.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Signal, Slot

from cxrcore.bundle import BundleError
from cxrcore.classifier import Classifier
from cxrcore.decode import DecodeError
from cxrcore.runtime import EngineError

from desktop.jobs import DicomExportRequest, ExportRequest
from desktop.screening.catalog import ModelIdentity
from desktop.screening.heatmap import Heatmap, compute_heatmap
from desktop.screening.results import ScreenResult
from desktop.ui.workers import EngineOwner
from desktop.workspace import EXPORT, HEATMAP

log = logging.getLogger(__name__)


class ExportCancelled(Exception):
    """Cancel was pressed between two steps of an export."""


class AnalysisWorker(EngineOwner):
    """Heatmaps (one film at a time) and the exports that may need many. Each is the best the build
    allows (`compute_heatmap`: a class-activation map, else occlusion), as the ``--dicom-out`` of the
    commands draws it, so a capture exported from the window is the one the command would write."""

    heatmapReady = Signal(str, object, object)  # path, Heatmap, ModelIdentity that computed it
    exportProgress = Signal(int, int)
    exportFinished = Signal(str)  # the file or folder written

    def __init__(self, log_path: Path | None) -> None:
        super().__init__(log_path)
        self._classifiers: dict[ModelIdentity, Classifier] = {}

    def classifier(self, identity: ModelIdentity) -> Classifier | None:
        """The classifier of ``identity``, opened if needed; None if it is not one of the configured
        models or cannot be opened (then an engine failure is reported)."""
        if identity not in self._classifiers and self._settings is not None:
            bundle = self._settings.bundle_of(identity)
            if bundle is None:
                return None
            try:
                self._classifiers[identity] = Classifier(bundle, identity.build, self._settings.accelerator,
                                                         self._settings.threads, log_path=self._log_path)
            except (EngineError, BundleError, ValueError) as error:
                self._engine_failed(error)
                return None
        return self._classifiers.get(identity)

    @Slot(str, object)
    def heatmap(self, path: str, identity: ModelIdentity) -> None:
        classifier = self.classifier(identity)
        result = self.tr("the model could not be opened") if classifier is None else self._compute(classifier, path)
        if isinstance(result, Heatmap):
            self.heatmapReady.emit(path, result, identity)
        else:
            self._fail(HEATMAP, self.tr("Heatmap failed for {name}: {reason}").format(
                name=Path(path).name, reason=result), result, path)

    def _close(self) -> None:
        for classifier in self._classifiers.values():
            classifier.close()
        self._classifiers.clear()

    def _compute(self, classifier: Classifier, path: str) -> Heatmap | str:
        try:
            return compute_heatmap(classifier, classifier.load_gray(path))
        except DecodeError as error:
            return error.detail
        except Exception as error:  # a failed heatmap must not take the worker down
            log.exception("heatmap failed for %s", path)
            return f"{type(error).__name__}: {error}"

    def _heatmap_of(self, result: ScreenResult, cache: dict[str, Heatmap]) -> Heatmap | None:
        """``result``'s heatmap from ``cache``, else computed (into ``cache``, and sent back); None when it
        cannot be made: an export then goes without that picture rather than stopping."""
        if result.path not in cache:
            classifier = self.classifier(result.model)
            heatmap = self._compute(classifier, result.path) if classifier is not None else None
            if not isinstance(heatmap, Heatmap):
                return None
            cache[result.path] = heatmap
            self.heatmapReady.emit(result.path, heatmap, result.model)
        return cache[result.path]

    @Slot(object)
    def export_pdf(self, request: ExportRequest) -> None:
        from desktop.reports.pdf_report import ReportCancelled, write_report

        content = request.content
        missing = [r for r in content.results if r.scored and r.path not in content.heatmaps]
        total_steps = len(missing) + len(content.results) + 1

        def write() -> None:
            for step, result in enumerate(missing, start=1):
                _stop_if(request.cancel)
                self._heatmap_of(result, content.heatmaps)
                self.exportProgress.emit(step, total_steps)
            write_report(request.path, content, request.cancel,
                         on_page=lambda page, _: self.exportProgress.emit(len(missing) + page, total_steps))

        self._export(request.path, write, self.tr("The report could not be written: {error}"), ReportCancelled)

    @Slot(object)
    def export_dicom(self, request: DicomExportRequest) -> None:
        """One film at a time, so progress and Cancel work between films; files already there are kept."""
        from desktop.reports.dicom_results import write_dicom_results  # highdicom only when asked for

        def write() -> None:
            request.folder.mkdir(parents=True, exist_ok=True)
            for step, film in enumerate(request.films, start=1):
                _stop_if(request.cancel)
                write_dicom_results([film], request.folder, request.thresholds,
                                    lambda result: self._heatmap_of(result, request.heatmaps))
                self.exportProgress.emit(step, len(request.films))

        self._export(request.folder, write, self.tr("The DICOM results could not be written: {error}"))

    def _export(self, path: Path, write: Callable[[], None], failed: str,
                *cancelled: type[Exception]) -> None:
        """Run ``write``; say that ``path`` was written, or why not, on the one channel: an export that
        fails must never leave the window busy. ``cancelled``: what else ``write`` raises on Cancel."""
        try:
            write()
        except (ExportCancelled, *cancelled):
            self._fail(EXPORT, self.tr("Export cancelled."))
        except OSError as error:
            self._fail(EXPORT, self.tr("Cannot write {path}: {reason}").format(
                path=path, reason=error.strerror or error), str(error))
        except Exception as error:
            log.exception("export to %s failed", path)
            self._fail(EXPORT, failed.format(error=error), str(error))
        else:
            self.exportFinished.emit(str(path))


def _stop_if(cancel: threading.Event) -> None:
    if cancel.is_set():
        raise ExportCancelled
