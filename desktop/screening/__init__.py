"""The screening engine, Qt-free: which model scores a film, screening files in a background-safe
pipeline, results, the crash-safe store and heatmaps.
"""
