"""The model zoo: every architecture the project trains, built by name.

    from trainer.models import create_model, list_models
    model = create_model("p0-m4", (150, 150, 3), num_classes=4)

The registry imports the model modules (one per paper or family) on first use; see
``trainer.models.registry`` for the API and ``docs/MODEL-ZOO.md`` for the table of names.
Exports are resolved lazily so that ``python -m trainer.models.registry`` does not import the
registry twice.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "ModelInfo": "trainer.models.registry",
    "ParamCount": "trainer.models.registry",
    "create_model": "trainer.models.registry",
    "list_models": "trainer.models.registry",
    "model_info": "trainer.models.registry",
    "register": "trainer.models.registry",
    "SparseCategoricalFocalLoss": "trainer.models.losses",
}

__all__ = [
    "ModelInfo",
    "ParamCount",
    "SparseCategoricalFocalLoss",
    "create_model",
    "list_models",
    "model_info",
    "register",
]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'trainer.models' has no attribute {name!r}")
