"""What the app asks its worker threads to do: which models to open, which films to screen, which
report or DICOM results to write. Plain data, free of Qt, shared by the `Workspace` (which creates them) and the
workers (which carry them out).

Cancellation is a `threading.Event` carried by each request, which the UI thread sets directly:
the worker is busy in a loop and would not see a queued call until the job ended.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from cxrcore.bundle import ModelBundle

from desktop.screening.catalog import ModelIdentity
from desktop.screening.heatmap import Heatmap
from desktop.screening.results import ScreenResult
from desktop.screening.routing import Selection


@dataclass(frozen=True)
class EngineSettings:
    """Which models to open and how; a worker reopens its engines when these change."""

    selection: Selection
    accelerator: str
    threads: int

    @property
    def identities(self) -> tuple[ModelIdentity, ...]:
        return tuple(ModelIdentity.of(bundle, build) for bundle, build in self.selection.models)

    @property
    def automatic(self) -> bool:
        return self.selection.automatic

    @property
    def thresholds(self) -> dict[ModelIdentity, dict[str, float]]:
        """Each model's operating thresholds (from its card), in the order of `identities`: what every
        report states beside a probability."""
        return {identity: bundle.thresholds for identity, (bundle, _) in zip(self.identities, self.selection.models)}

    def same_models(self, other: EngineSettings | None) -> bool:
        """Whether ``other`` opens the same models the same way (only the accelerator or threads differ):
        then the results on screen still hold."""
        return other is not None and (self.automatic, self.identities) == (other.automatic, other.identities)

    def bundle_of(self, identity: ModelIdentity) -> ModelBundle | None:
        """The bundle behind one of `identities` (None for a result of other settings)."""
        return next((bundle for (bundle, _), known in zip(self.selection.models, self.identities)
                     if known == identity), None)


def batch_key(paths: list[str]) -> str:
    """The same dropped paths (in any order) with the same model resume the same batch."""
    return "gui:" + "\n".join(sorted(str(Path(path).absolute()) for path in paths))


def arrival_key(source: str, folder: Path) -> str:
    """Films arriving by themselves from one place (the receiver's inbox, a watched folder) form one
    batch across sessions, as ``receive`` and ``watch`` do: a film already screened there is resumed,
    not screened again."""
    return f"gui-{source}:{Path(folder).absolute()}"


@dataclass(frozen=True)
class BatchRequest:
    inputs: tuple[str, ...]
    batch_key: str
    cancel: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def of(cls, paths: list[str]) -> BatchRequest:
        return cls(inputs=tuple(str(path) for path in paths), batch_key=batch_key(paths))


@dataclass(frozen=True)
class ExportRequest:
    """A PDF report to write; heatmaps not yet in ``content.heatmaps`` are computed first."""

    path: Path
    content: object  # desktop.reports.pdf_report.ReportContent (imported lazily: reportlab is heavy)
    cancel: threading.Event = field(default_factory=threading.Event)


@dataclass(frozen=True)
class DicomExportRequest:
    """The DICOM results (SR, heatmap capture) of ``films`` to write into ``folder``; heatmaps not yet in
    ``heatmaps`` are computed by the model that scored each film. ``thresholds``: each model's operating
    thresholds by `ModelIdentity.label`, as `desktop.reports.dicom_results.write_dicom_results` takes them."""

    folder: Path
    films: tuple[ScreenResult, ...]
    thresholds: dict[str, dict[str, float]]
    heatmaps: dict[str, Heatmap]
    cancel: threading.Event = field(default_factory=threading.Event)


#: The jobs that write files from the results (the analysis worker's); a batch is the other kind.
EXPORTS = (ExportRequest, DicomExportRequest)
Job = BatchRequest | ExportRequest | DicomExportRequest
