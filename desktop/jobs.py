"""What the app asks its worker threads to do: which models to open, which films to screen, which
report to write. Plain data, free of Qt, shared by the `Workspace` (which creates them) and the
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


Job = BatchRequest | ExportRequest
