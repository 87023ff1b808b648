"""Shows the workspace's selected result: its details, its film and, when the workspace says it
belongs on screen, its heatmap over the film.

The film is decoded in Qt's thread pool (a 9-megapixel DICOM takes a moment); a decode that
finishes after the selection moved on is dropped. The heatmap switch in the viewer is the
workspace's: the presenter sets it when the workspace turns it on by itself (a flagged film).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from cxrcore.decode import DecodedImage, DecodeError, decode_image

from desktop.screening.heatmap import overlay_rgba
from desktop.screening.results import ScreenResult
from desktop.ui.details import ResultDetails
from desktop.ui.tasks import run_in_pool
from desktop.ui.viewer import OVERLAY_PIXELS, ViewerPanel
from desktop.workspace import TASK, Failure, Workspace


class FilmPresenter(QObject):
    heatmapShown = Signal(str)  # path: its heatmap is on screen

    def __init__(self, workspace: Workspace, viewer: ViewerPanel, details: ResultDetails,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._viewer = viewer
        self._details = details
        self._path: str | None = None
        self._pixels: np.ndarray | None = None
        workspace.events.connect(selection_changed=self._show, heatmap_ready=self._heatmap_ready, failed=self._failed,
                                 heatmap_visibility_changed=self._heatmap_visibility_changed)
        viewer.heatmapToggled.connect(workspace.set_heatmap_visible)

    def _show(self, result: ScreenResult | None) -> None:
        self._details.show_result(result, self._workspace.thresholds_of(result))
        self._path = None if result is None else result.path
        self._pixels = None
        if result is None:
            self._viewer.show_message(self.tr("Select a row to view the film."))
            return
        path = result.path
        self._viewer.show_message(self.tr("Loading {name}…").format(name=Path(path).name))
        run_in_pool(lambda: (path, decode_image(path)), self._decoded,
                    lambda error: self._workspace.report_failure(self._decode_failure(path, error)))

    def _decoded(self, loaded: tuple[str, DecodedImage]) -> None:
        path, decoded = loaded
        if path != self._path:
            return  # the selection moved on while this film was decoding
        self._pixels = decoded.pixels
        caption = self.tr("{name} · {width}×{height} · {format}, {bits} bit").format(
            name=Path(path).name, width=decoded.width, height=decoded.height,
            format=decoded.source_format, bits=decoded.bits_stored)
        self._viewer.show_film(decoded.pixels, caption)
        self._update_overlay()

    def _decode_failure(self, path: str, error: Exception) -> Failure:
        detail = error.detail if isinstance(error, DecodeError) else str(error)
        return Failure(TASK, self.tr("Cannot show this file: {reason}").format(reason=detail), detail, path)

    def _failed(self, failure: Failure) -> None:
        if failure.source == TASK and failure.path and failure.path == self._path:
            self._viewer.show_message(failure.message)

    def _heatmap_ready(self, path: str) -> None:
        if path == self._path:
            self._update_overlay()

    def _heatmap_visibility_changed(self, visible: bool) -> None:
        self._viewer.heatmap_box.setChecked(visible)  # its toggled signal finds the workspace already there
        self._update_overlay()

    def _update_overlay(self) -> None:
        heatmap = self._workspace.heatmap(self._path) if self._path and self._workspace.heatmap_shown else None
        if heatmap is None or self._pixels is None:
            self._viewer.set_overlay(None)
            return
        height, width = self._pixels.shape
        scale = min(1.0, OVERLAY_PIXELS / max(height, width))
        self._viewer.set_overlay(overlay_rgba(heatmap, max(1, round(height * scale)), max(1, round(width * scale))))
        self.heatmapShown.emit(self._path)
