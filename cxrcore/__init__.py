"""Core shared by the trainer, the converters and the desktop app.

Holds exactly what must be identical everywhere a chest film is turned into model input:
the decoded-film types (`cxrcore.image`), image decoding (`cxrcore.decode`, DICOM in `cxrcore.dicom`),
preprocessing (`cxrcore.preprocess`), the model-bundle format (`cxrcore.bundle`), probability
post-processing (`cxrcore.postprocess`), the LiteRT runtime wrapper (`cxrcore.runtime`), one build
ready to classify (`cxrcore.classifier`), reference outputs (`cxrcore.references`) and the safety
checks that run before any score (`cxrcore.safety`). It imports nothing else of ours and never
TensorFlow, Keras or Qt: the desktop app and the frozen bundle ship without them
(tests/system/test_layering.py).
"""

__version__ = "0.1.0"
