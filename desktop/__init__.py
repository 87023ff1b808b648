"""CXR Screening desktop app and headless screener.

Importing this package is cheap and imports neither Qt nor any model runtime: the headless
``screen`` and ``--self-test`` commands (`desktop.cli`) must run on a server without a display,
and the GUI (`desktop.ui`) loads Qt only when a window is actually opened.

Modules, one job each:

- `desktop.paths` — where models, the result store, settings and logs live (frozen or not).
- `desktop.screening.catalog` — discover model bundles, keep invalid ones with their error, list the routable ones.
- `desktop.screening.routing` — which model scores a film: the one validated for its population, or none.
- `desktop.screening.scan` — turn dropped files/folders into the list of candidate images, safely.
- `desktop.screening.pipeline` — screen files through a `Router`, decoding ahead in a thread.
- `desktop.screening.store` — the crash-safe SQLite result store and append-only audit log.
- `desktop.reports.csv_export` — the one CSV layout shared by the app and the headless screener.
- `desktop.screening.heatmap` — occlusion-sensitivity maps computed with the LiteRT model.
- `desktop.reports.pdf_report` — the PDF batch report (reportlab, imported only when exporting).
- `desktop.headless` / `desktop.selftest` / `desktop.cli` — the command-line entry points.
- `desktop.ui` — the Qt window: models, widgets and worker threads.
"""
