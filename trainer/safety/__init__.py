"""Training and measurement of the screening safety nets: the chest-film gate, the domain check, image quality.

Everything here runs offline on the shared data and writes ``models/_safety/`` (two small
``.tflite`` one-class models and ``safety.json``, the card the app reads through
`cxrcore.gate`, `cxrcore.domain` and `cxrcore.quality`). TensorFlow/Keras are imported only by
the modules that train or convert (`autoencoder`); the app never imports this package.
"""
