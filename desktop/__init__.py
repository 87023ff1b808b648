"""CXR Screening desktop app and headless screener.

Importing this package is cheap and imports neither Qt nor any model runtime: the headless
``screen`` and ``--self-test`` commands (`desktop.cli`) must run on a server without a display,
and the GUI (`desktop.ui`) loads Qt only when a window is actually opened. Of ours it imports only
`cxrcore` (tests/system/test_layering.py).

Grouped by role:

- `desktop.screening` — the Qt-free engine: `catalog` (model bundles found), `routing` (which model
  scores a film), `scan` (dropped files and folders → candidate images), `pipeline` (screen files,
  decoding ahead in a thread), `results` (`ScreenResult`), `store` (crash-safe SQLite store and
  audit log), `heatmap`, `film_metadata`, `batch`, `progress`.
- `desktop.reports` — what leaves the app: `csv_export` (the one CSV layout) and `pdf_report`.
- `desktop.workspace` — the Qt-free app state the window's views subscribe to.
- `desktop.ui` — the PySide6 window: views, item models and worker threads.
- Entry points: `desktop.cli` (argument parsing), `desktop.headless` (``screen``),
  `desktop.selftest` (``--self-test``), `desktop.paths` (where models, store, settings and logs live).
"""
