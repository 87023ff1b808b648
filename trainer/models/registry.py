"""A timm-like registry of named, configurable architectures.

Every model the project trains is built by name: ``create_model("p0-m4", (150, 150, 3), 4)``.
Builders register themselves with ``@register(name, ...)``; the metadata they register (paper,
default input, the paper's parameter counts, how inputs must be scaled, assumptions) is what the
tests check parameter counts against and what ``python -m trainer.models.registry --table``
prints into ``docs/MODEL-ZOO.md``, so the documentation is generated, never typed by hand.

Builder contract: ``builder(input_shape, num_classes, name=..., **kwargs) -> keras.Model``, where
``name`` is the registry name with ``-`` replaced by ``_`` (Keras scopes and LiteRT signatures
are friendlier to identifiers).
"""

from __future__ import annotations

from trainer.extras import require_training_extras

if __name__ == "__main__":  # before the imports below: they need the training extras
    require_training_extras("trainer.models.registry")

import argparse
import importlib
import math
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import keras

__all__ = [
    "INPUT_SCALINGS",
    "ModelInfo",
    "ParamCount",
    "create_model",
    "list_models",
    "model_info",
    "parameter_counts",
    "register",
]

Builder = Callable[..., keras.Model]

#: How a model expects its pixels (``x = pixel_0_255 * scale + offset``, see ``ModelInfo.scale_offset``).
INPUT_SCALINGS = ("unit", "raw", "standardize", "efficientnet-lite")


@dataclass(frozen=True)
class ParamCount:
    """Parameter counts as ``model.summary()`` reports them."""

    total: int
    trainable: int | None = None
    non_trainable: int | None = None


@dataclass(frozen=True)
class ModelInfo:
    """What the registry knows about one architecture besides how to build it.

    Attributes:
        name: registry name.
        builder: the function ``create_model`` calls.
        paper: short id of the defining paper (``P0``…``P4``), or ``ours``.
        input_shape: the paper's (default) input shape.
        num_classes: the paper's number of classes.
        min_size: smallest square input side the architecture accepts.
        target: parameter counts the paper states (None where it gives none).
        input_scaling: one of ``INPUT_SCALINGS``; resolved by ``scale_offset``.
        defaults: keyword arguments this name passes to the builder (callers may override).
        offline_kwargs: keyword arguments that build the architecture with no weight file at hand
            (random weights) — for parameter counting and tests, never for training.
        notes: assumptions made where the paper is silent or ambiguous.
    """

    name: str
    builder: Builder
    paper: str
    input_shape: tuple[int, int, int]
    num_classes: int
    min_size: int
    target: ParamCount | None = None
    input_scaling: str = "unit"
    defaults: Mapping[str, Any] = field(default_factory=dict)
    offline_kwargs: Mapping[str, Any] = field(default_factory=dict)
    notes: str = ""

    def scale_offset(self) -> tuple[float, float] | None:
        """``(scale, offset)`` for ``cxrcore.preprocess.InputSpec``, or None when they must be
        computed from the training data (``standardize``: ``scale = 1/sd``, ``offset = -mean/sd``).
        """
        if self.input_scaling == "unit":
            return 1.0 / 255.0, 0.0
        if self.input_scaling == "raw":
            return 1.0, 0.0
        if self.input_scaling == "efficientnet-lite":
            from trainer.backbones.efficientnet_lite0 import IMAGENET_INPUT_OFFSET, IMAGENET_INPUT_SCALE

            return IMAGENET_INPUT_SCALE, IMAGENET_INPUT_OFFSET
        return None


_REGISTRY: dict[str, ModelInfo] = {}

#: Modules whose import registers models: loaded on first use of the registry, so that importing
#: any one module of the zoo is enough to see all of it. ``losses`` registers no model but the focal
#: loss that P0 m2/m3 checkpoints are saved with: without it ``list_models()`` does not make them loadable.
_MODEL_MODULES = ("p0", "p1", "p2", "p3", "p4", "effnet", "dcgan", "losses")


def _registry() -> dict[str, ModelInfo]:
    for module in _MODEL_MODULES:
        importlib.import_module(f"trainer.models.{module}")
    return _REGISTRY


def register(
    name: str,
    *,
    paper: str = "ours",
    input_shape: tuple[int, int, int] = (224, 224, 3),
    num_classes: int = 2,
    min_size: int = 32,
    target: ParamCount | None = None,
    input_scaling: str = "unit",
    defaults: Mapping[str, Any] | None = None,
    offline_kwargs: Mapping[str, Any] | None = None,
    notes: str = "",
) -> Callable[[Builder], Builder]:
    """Decorator registering ``builder`` under ``name`` (returns it unchanged, so it stacks:
    one builder may serve several names with different ``defaults``)."""
    if input_scaling not in INPUT_SCALINGS:
        raise ValueError(f"input_scaling must be one of {INPUT_SCALINGS}, got {input_scaling!r}")

    def decorator(builder: Builder) -> Builder:
        if name in _REGISTRY:
            raise ValueError(f"model name {name!r} is already registered")
        _REGISTRY[name] = ModelInfo(
            name=name,
            builder=builder,
            paper=paper,
            input_shape=tuple(input_shape),
            num_classes=num_classes,
            min_size=min_size,
            target=target,
            input_scaling=input_scaling,
            defaults=dict(defaults or {}),
            offline_kwargs=dict(offline_kwargs or {}),
            notes=notes,
        )
        return builder

    return decorator


def list_models() -> list[str]:
    """All registered names, sorted."""
    return sorted(_registry())


def model_info(name: str) -> ModelInfo:
    """Metadata of ``name``; ``KeyError`` listing the known names if there is no such model."""
    try:
        return _registry()[name]
    except KeyError:
        raise KeyError(f"unknown model {name!r}; known models: {', '.join(list_models())}") from None


def create_model(name: str, input_shape: tuple[int, int, int], num_classes: int, **kwargs: Any) -> keras.Model:
    """Build the registered architecture ``name`` (untrained unless a weights argument says otherwise).

    Args:
        name: a name from ``list_models()``.
        input_shape: ``(height, width, channels)``; need not be the paper's.
        num_classes: 2 gives one sigmoid unit, more a softmax.
        **kwargs: builder options (see each builder's docstring), overriding the name's defaults.

    Raises:
        KeyError: unknown name (the message lists the known ones).
        ValueError: an input shape or class count the architecture cannot take.
    """
    info = model_info(name)
    options = {**info.defaults, **kwargs}
    try:
        return info.builder(tuple(input_shape), num_classes, name=name.replace("-", "_"), **options)
    except ValueError as error:
        raise ValueError(f"cannot build {name!r} with input_shape={tuple(input_shape)}: {error}") from error


def parameter_counts(model: keras.Model) -> ParamCount:
    """Total / trainable / non-trainable parameter counts, as ``model.summary()`` shows them."""
    trainable = sum(math.prod(w.shape) for w in model.trainable_weights)
    non_trainable = sum(math.prod(w.shape) for w in model.non_trainable_weights)
    return ParamCount(trainable + non_trainable, trainable, non_trainable)


def _fmt(count: int | None) -> str:
    return "–" if count is None else f"{count:,}"


def _cell(text: str) -> str:
    """Text made safe for a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


def _shape(shape: Sequence[int]) -> str:
    return "×".join(str(side) for side in shape)


def table(names: Sequence[str] | None = None) -> str:
    """A Markdown table of the zoo, every count measured by building the model at its paper shape."""
    header = "| name | paper | input | classes | input scaling | params (total / trainable / non-trainable) | paper's count | match |"
    rows = [header, "|---|---|---|---|---|---|---|---|"]
    for name in names or list_models():
        info = model_info(name)
        model = create_model(name, info.input_shape, info.num_classes, **info.offline_kwargs)
        got = parameter_counts(model)
        measured = f"{_fmt(got.total)} / {_fmt(got.trainable)} / {_fmt(got.non_trainable)}"
        if info.target is None:
            target, match = "not given", "–"
        else:
            want = info.target
            target = " / ".join(_fmt(c) for c in (want.total, want.trainable, want.non_trainable) if c is not None)
            match = (
                "yes"
                if all(
                    w is None or w == g
                    for w, g in zip(
                        (want.total, want.trainable, want.non_trainable), (got.total, got.trainable, got.non_trainable)
                    )
                )
                else "**NO**"
            )
        rows.append(
            f"| `{name}` | {info.paper} | {_shape(info.input_shape)} | {info.num_classes} | {info.input_scaling} "
            f"| {measured} | {target} | {match} |"
        )
        keras.backend.clear_session()
    return "\n".join(rows)


def notes_table(names: Sequence[str] | None = None) -> str:
    """A Markdown table of each model's recorded assumptions."""
    rows = ["| name | assumptions and notes |", "|---|---|"]
    rows += [f"| `{name}` | {_cell(model_info(name).notes or '–')} |" for name in names or list_models()]
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="The model zoo: list names or print the parameter table.")
    parser.add_argument(
        "--table", action="store_true", help="build every model at its paper shape and print a Markdown table"
    )
    parser.add_argument("--notes", action="store_true", help="print each model's assumptions as a Markdown table")
    parser.add_argument("names", nargs="*", help="restrict to these names")
    args = parser.parse_args(argv)
    if args.table:
        print(table(args.names))
    if args.notes:
        print(notes_table(args.names))
    if not (args.table or args.notes):
        print("\n".join(args.names or list_models()))
    return 0


if __name__ == "__main__":
    # Run as a script this file is ``__main__``, a second copy with an empty registry: use the
    # package's copy, which the model modules register into.
    from trainer.models.registry import main as package_main

    sys.exit(package_main())
