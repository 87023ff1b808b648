"""Datasets on disk → records → de-duplicated, patient-grouped splits → a uint8 image cache → batches.

Modules: `records` (the record type and errors), the loaders (`kermany`, `radiography`,
`coronahack`, `manifest`, dispatched by `datasets`), `fingerprints` (content and near-duplicate
hashes), `splits`, `prepare` (the whole record → split.csv pipeline), `cache` and `pipeline`
(Keras `PyDataset`, imported only after the backend is chosen), and the `compose_p4` command.
"""
