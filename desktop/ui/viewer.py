"""The film viewer: full resolution, wheel zoom, drag pan, window/level, heatmap overlay.

`FilmView` is the QGraphicsView (interaction only); `ViewerPanel` adds the controls. Pixels
arrive already decoded (the window decodes in a pool thread); re-windowing goes through
`desktop.ui.display.window_level`, a lookup table, so it keeps up with a slider or a right-drag.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QImage, QMouseEvent, QPainter, QPixmap, QTransform, QWheelEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.display import default_window, value_range, window_level

ZOOM_STEP = 1.25
MIN_SCALE, MAX_SCALE = 0.02, 40.0
#: Overlays are rendered at most this large and scaled up by the view (they are smooth anyway).
OVERLAY_PIXELS = 512


def gray_qimage(gray: np.ndarray) -> QImage:
    """A QImage that owns a copy of a 2-D uint8 array."""
    gray = np.ascontiguousarray(gray)
    return QImage(gray.data, gray.shape[1], gray.shape[0], gray.strides[0], QImage.Format.Format_Grayscale8).copy()


def rgba_qimage(rgba: np.ndarray) -> QImage:
    rgba = np.ascontiguousarray(rgba)
    return QImage(rgba.data, rgba.shape[1], rgba.shape[0], rgba.strides[0], QImage.Format.Format_RGBA8888).copy()


class FilmView(QGraphicsView):
    """Wheel: zoom under the cursor; left-drag: pan; right-drag: window/level; double-click: fit."""

    windowDragged = Signal(int, int)  # center, width

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(Qt.GlobalColor.black)
        self._film = QGraphicsPixmapItem()
        self._film.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._overlay = QGraphicsPixmapItem(self._film)
        self._overlay.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self._film)
        self._drag_origin: QPointF | None = None
        self._drag_window = (0, 1)
        self.window = (0, 1)
        self.value_max = 255

    def show_pixmap(self, pixmap: QPixmap, fit: bool) -> None:
        self._film.setPixmap(pixmap)
        self.scene().setSceneRect(self._film.boundingRect())
        if fit:
            self.fit()

    def show_overlay(self, image: QImage | None) -> None:
        """Overlay stretched over the whole film (``None`` hides it)."""
        if image is None or self._film.pixmap().isNull():
            self._overlay.setPixmap(QPixmap())
            return
        self._overlay.setPixmap(QPixmap.fromImage(image))
        film = self._film.pixmap()
        self._overlay.setTransform(QTransform.fromScale(film.width() / image.width(), film.height() / image.height()))

    def clear(self) -> None:
        self._film.setPixmap(QPixmap())
        self._overlay.setPixmap(QPixmap())

    def fit(self) -> None:
        if not self._film.pixmap().isNull():
            self.fitInView(self._film, Qt.AspectRatioMode.KeepAspectRatio)

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt API)
        steps = event.angleDelta().y() / 120.0
        factor = ZOOM_STEP ** steps
        if MIN_SCALE <= self.zoom * factor <= MAX_SCALE:
            self.scale(factor, factor)
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        self.fit()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.RightButton:
            self._drag_origin = event.position()
            self._drag_window = self.window
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if self._drag_origin is not None:
            delta = event.position() - self._drag_origin
            step = max(1, self.value_max // 500)  # ~500 px of drag spans the whole range
            center = int(np.clip(self._drag_window[0] + delta.y() * step, 0, self.value_max))
            width = int(np.clip(self._drag_window[1] + delta.x() * step, 1, self.value_max + 1))
            self.windowDragged.emit(center, width)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if event.button() == Qt.MouseButton.RightButton and self._drag_origin is not None:
            self._drag_origin = None
            event.accept()
            return
        super().mouseReleaseEvent(event)


class ViewerPanel(QWidget):
    """`FilmView` plus window/level sliders, reset, fit and the heatmap toggle."""

    heatmapToggled = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = FilmView(self)
        self._pixels: np.ndarray | None = None
        self._default = (0, 1)
        self.caption = QLabel(self.tr("Select a row to view the film."))
        self.caption.setWordWrap(True)
        self.center_slider = QSlider(Qt.Orientation.Horizontal)
        self.width_slider = QSlider(Qt.Orientation.Horizontal)
        self.center_slider.setToolTip(self.tr("Level (window center)"))
        self.width_slider.setToolTip(self.tr("Window width"))
        self.heatmap_box = QCheckBox(self.tr("Heatmap"))
        self.heatmap_box.setToolTip(self.tr(
            "Occlusion sensitivity: warm areas are where hiding the film lowers the abnormal probability most."))
        reset = QPushButton(self.tr("Reset window"))
        fit = QPushButton(self.tr("Fit"))
        sliders = QHBoxLayout()  # a row of their own: beside the buttons they shrink to nothing on a narrow screen
        sliders.addWidget(QLabel(self.tr("Level")))
        sliders.addWidget(self.center_slider, 1)
        sliders.addWidget(QLabel(self.tr("Width")))
        sliders.addWidget(self.width_slider, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(reset)
        buttons.addWidget(fit)
        buttons.addStretch(1)
        buttons.addWidget(self.heatmap_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.view, 1)
        layout.addLayout(sliders)
        layout.addLayout(buttons)
        hint = QLabel(self.tr("Wheel: zoom · drag: pan · right-drag: window/level · double-click: fit"))
        hint.setWordWrap(True)  # else its length in the longest language sets how narrow the table may get
        hint.setStyleSheet("color: gray;")
        layout.addWidget(hint)
        self.center_slider.valueChanged.connect(self._sliders_moved)
        self.width_slider.valueChanged.connect(self._sliders_moved)
        self.view.windowDragged.connect(self.set_window)
        reset.clicked.connect(lambda: self.set_window(*self._default))
        fit.clicked.connect(self.view.fit)
        self.heatmap_box.toggled.connect(self.heatmapToggled)
        self._set_controls_enabled(False)

    @property
    def has_film(self) -> bool:
        return self._pixels is not None

    def show_film(self, pixels: np.ndarray, caption: str) -> None:
        """Show new pixels (uint8 or uint16) with their default window, fitted to the view."""
        self._pixels = pixels
        self._default = default_window(pixels)
        top = value_range(pixels)
        self.view.value_max = top
        for slider, maximum in ((self.center_slider, top), (self.width_slider, top + 1)):
            slider.blockSignals(True)
            slider.setRange(0 if slider is self.center_slider else 1, maximum)
            slider.blockSignals(False)
        self.caption.setText(caption)
        self._set_controls_enabled(True)
        self.set_window(*self._default, fit=True)

    def show_message(self, text: str) -> None:
        """No film to show (nothing selected, or it cannot be decoded): say why."""
        self._pixels = None
        self.view.clear()
        self.caption.setText(text)
        self._set_controls_enabled(False)

    def set_overlay(self, rgba: np.ndarray | None) -> None:
        self.view.show_overlay(None if rgba is None else rgba_qimage(rgba))

    def set_window(self, center: int, width: int, fit: bool = False) -> None:
        if self._pixels is None:
            return
        for slider, value in ((self.center_slider, center), (self.width_slider, width)):
            slider.blockSignals(True)
            slider.setValue(int(value))
            slider.blockSignals(False)
        self.view.window = (int(center), int(width))
        image = gray_qimage(window_level(self._pixels, int(center), int(width)))
        self.view.show_pixmap(QPixmap.fromImage(image), fit)

    def _sliders_moved(self) -> None:
        self.set_window(self.center_slider.value(), self.width_slider.value())

    def _set_controls_enabled(self, enabled: bool) -> None:
        for widget in (self.center_slider, self.width_slider):
            widget.setEnabled(enabled)
