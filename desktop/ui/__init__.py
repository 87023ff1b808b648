"""The Qt window. Models (`results_model`) are kept apart from widgets, and all long work
(scanning, decoding, inference, heatmaps, PDF) runs in `workers` threads, never on the UI thread."""
