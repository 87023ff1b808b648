"""Statistics the releases depend on, in plain NumPy, one job per module:

- `metrics`: accuracy, per-class precision/recall/F1, ROC AUC, calibration error, Wilson and bootstrap intervals;
- `calibration`: temperature scaling (a NumPy golden-section search on log T) and the operating thresholds;
- `operating_point`: the metrics at a card's thresholds, decided as the app decides, with their 95% intervals;
- `paired`: the paired bootstrap interval of a difference between two models on the same films;
- `threshold_stability`: how far the operating point moves with the validation films it was fitted on.

Imported by the trainer, the converters and the studies (which keep only their command lines); it
imports nothing of ours but `cxrcore` and nothing outside NumPy and the standard library
(tests/system/test_layering.py holds it to that), so a figure means the same thing wherever it is computed.
"""
