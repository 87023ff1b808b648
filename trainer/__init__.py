"""Training side of the project: datasets, splits, recipes, the training CLI and evaluation.

Keras is imported lazily (never at package import) because `trainer.train` must set
``KERAS_BACKEND`` before the first ``import keras``; the data layer (`trainer.data`) and the
recipes never import Keras at all, so splits and manifests can be built without a backend.
"""
