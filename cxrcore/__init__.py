"""Core shared by the trainer, the converters and the desktop app.

Holds exactly what must be identical everywhere a chest film is turned into model input:
image decoding (`cxrcore.decode`), preprocessing (`cxrcore.preprocess`), the model-bundle
format (`cxrcore.bundle`), probability post-processing (`cxrcore.postprocess`) and the
LiteRT runtime wrapper (`cxrcore.runtime`). It must never import TensorFlow, Keras or Qt:
the desktop app and the frozen bundle ship without them.
"""

__version__ = "0.1.0"
