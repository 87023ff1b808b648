"""Training side of the project: datasets, splits, recipes, the training CLI and evaluation.

Keras is imported lazily (never at package import) because `trainer.train` must set
``KERAS_BACKEND`` before the first ``import keras``; the data layer (`trainer.data`) and the
recipes never import Keras at all, so splits and manifests can be built without a backend.
`trainer.run_folder` owns the run folder (``run.json``'s fields, reading and writing) that every
training entry point writes and the converters read; `trainer.extras` makes each entry point that
needs ``.[train]`` say so in one line when it is not installed.
"""
