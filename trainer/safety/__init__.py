"""Training and measurement of the screening safety nets: the chest-film gate, the population check, image quality.

Everything here runs offline on the shared data and writes ``models/_safety/`` (three small
``.tflite`` models and ``safety.json``, the card the app reads through `cxrcore.safety.gate`,
`cxrcore.safety.population`, `cxrcore.safety.card` and `cxrcore.safety.quality`). Films come by source
(`sources`), so that every figure that matters is measured on a source left out of fitting.
TensorFlow/Keras are imported only inside the functions that train or convert; the app never
imports this package.
"""
