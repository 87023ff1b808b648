"""The Qt window: views only. The app's state is `desktop.workspace.Workspace` (Qt-free), which the views
subscribe to; all long work (scanning, decoding, inference, heatmaps, PDF) runs in `workers` threads,
reached through `bridge`, never on the UI thread."""
