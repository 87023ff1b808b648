"""Statistics the releases depend on, in plain NumPy: metrics, intervals, calibration, the operating
point, paired comparisons and threshold stability.

Imported by the trainer, the converters and the studies; it imports nothing of ours but `cxrcore`
(tests/test_layering.py holds it to that), so a figure means the same thing wherever it is computed.
"""
