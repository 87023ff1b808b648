"""Give a ``.tflite`` build its last feature map as a second output, for one-inference class-activation maps.

The tensor already exists inside the graph: it is the input of the global-average-pooling MEAN
that feeds the dense head (`cxrcore.cam`). Listing it among the subgraph's outputs (and in the
serving signature, which LiteRT's CompiledModel reads) changes no op and no weight, so output 0 —
the model's answer, which the drift gate, the card's metrics and the reference outputs are
measured on — keeps its value. `converters.builds` applies this to every new build; for bundles
built before it, this command edits the shipped files in place:

    python -m converters.cam_output models/pneumonia-pediatric [more bundles …]

For each build file of the bundle it adds the output, then runs the bundle's reference films
through the old and the new file on the app's CPU engines (CompiledModel and the classic
Interpreter) and refuses to write anything unless output 0 is bit-identical. Only then are the
files replaced, their sizes and SHA-256s updated in the card, and the card re-sealed
(`converters.card.write_card`). A build that already has the output is left as it is.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from cxrcore.bundle import BundleError, ModelBundle, load_bundle
from cxrcore.cam import FEATURE_OUTPUT_NAME, dense_head
from cxrcore.classifier import Classifier
from cxrcore.preprocess import to_model_input
from cxrcore.runtime import CompiledModelEngine, Engine, EngineError, InterpreterEngine, native_stderr_to

from converters import ConversionError
from converters.card import write_card

#: Why a build was left as it is, by whether it already has the output.
_NOT_ADDED = {True: "already outputs its feature map",
              False: "no global-average-pooling + dense head: left as it is (occlusion only)"}
#: The app's two CPU paths (`cxrcore.runtime`), both of which must see output 0 unchanged.
_CPU_ENGINES: dict[str, Callable[[Path], Engine]] = {
    "CompiledModel": lambda path: CompiledModelEngine(path, threads=1, use_gpu=False),
    "Interpreter": lambda path: InterpreterEngine(path, threads=1),
}


def with_feature_output(flatbuffer: bytes) -> bytes:
    """``flatbuffer`` with the pooled feature map appended to subgraph 0's outputs and its signatures;
    unchanged when the graph has no pooling + dense head or already outputs the map."""
    from ai_edge_litert import schema_py_generated as schema
    from ai_edge_litert.tools import flatbuffer_utils

    head = dense_head(flatbuffer)
    if head is None:
        return flatbuffer
    model = flatbuffer_utils.read_model_from_bytearray(bytearray(flatbuffer))
    graph = model.subgraphs[0]
    if head.feature_tensor in graph.outputs:
        return flatbuffer
    graph.outputs = [*graph.outputs, head.feature_tensor]
    for signature in model.signatureDefs or []:
        if signature.subgraphIndex == 0:
            entry = schema.TensorMapT()
            entry.name, entry.tensorIndex = FEATURE_OUTPUT_NAME.encode(), head.feature_tensor
            signature.outputs = [*signature.outputs, entry]
    return bytes(flatbuffer_utils.convert_object_to_bytearray(model))


def has_feature_output(flatbuffer: bytes) -> bool:
    """Whether the build's second output is the feature map its head pools."""
    from ai_edge_litert import schema_py_generated as schema

    head = dense_head(flatbuffer)
    outputs = schema.Model.GetRootAs(flatbuffer, 0).Subgraphs(0).OutputsAsNumpy()
    return head is not None and len(outputs) > 1 and int(outputs[1]) == head.feature_tensor


@dataclass(frozen=True)
class BuildChange:
    """What happened to one build file: whether the output was ``added``, and how it was checked or
    why not, in ``note``."""

    kind: str
    file: str
    added: bool
    note: str


def add_to_bundle(bundle_dir: Path) -> list[BuildChange]:
    """Add the feature output to every build of the bundle, verified, then re-seal its card."""
    try:
        bundle = load_bundle(bundle_dir)
    except BundleError as error:
        raise ConversionError(str(error)) from error
    changes, updated = [], {}
    with tempfile.TemporaryDirectory() as scratch:
        for kind, build in bundle.builds.items():
            path = bundle.directory / build["file"]
            if not path.is_file():
                changes.append(BuildChange(kind, build["file"], False, "not in this copy of the bundle"))
                continue
            original = path.read_bytes()
            candidate = with_feature_output(original)
            if candidate == original:
                changes.append(BuildChange(kind, build["file"], False, _NOT_ADDED[has_feature_output(original)]))
                continue
            staged = Path(scratch) / build["file"]
            staged.write_bytes(candidate)
            films = _check_output_zero_unchanged(bundle, kind, path, staged)
            updated[kind] = candidate
            changes.append(BuildChange(kind, build["file"], True,
                                       f"output 0 bit-identical on {films} reference film(s), CompiledModel and "
                                       "Interpreter"))
    if updated:
        card = bundle.card
        for kind, flatbuffer in updated.items():
            (bundle.directory / bundle.builds[kind]["file"]).write_bytes(flatbuffer)
            if "size_bytes" in card["builds"][kind]:  # the converter's measured file size, where the card has it
                card["builds"][kind]["size_bytes"] = len(flatbuffer)
        write_card(bundle.directory, card)
    return changes


def _check_output_zero_unchanged(bundle: ModelBundle, kind: str, original: Path, candidate: Path) -> int:
    """Run the bundle's reference films through both files on both CPU engines; raise unless output 0
    is bit-identical and the candidate's second output is there. Returns the number of films."""
    films = sorted({reference["file"] for reference in bundle.reference_outputs})
    if not films:
        raise ConversionError(f"{bundle.directory}: no reference films to check build {kind!r} on")
    with Classifier(bundle, kind, accelerator="cpu", threads=1) as classifier:
        batches = [to_model_input(classifier.load_gray(bundle.directory / film), classifier.spec) for film in films]
    for name, open_engine in _CPU_ENGINES.items():
        try:
            with native_stderr_to(None):
                before, after = (open_engine(path) for path in (original, candidate))
        except (EngineError, RuntimeError, ValueError) as error:
            raise ConversionError(f"{candidate.name}: {name} cannot open it ({error})") from error
        with before, after:
            if len(after.output_infos) != 2:
                raise ConversionError(f"{candidate.name}: expected 2 outputs, got {len(after.output_infos)}")
            for film, batch in zip(films, batches):
                old, new = before.run(batch), after.run_all(batch)[0]
                if old.dtype != new.dtype or not np.array_equal(old, new):
                    raise ConversionError(f"{candidate.name}: output 0 changed on {film} under {name} "
                                          f"({old.ravel()} → {new.ravel()}); nothing written")
    return len(films)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m converters.cam_output", description=__doc__.split("\n\n")[0])
    parser.add_argument("bundles", type=Path, nargs="+", help="bundle folder(s) holding a card.json")
    args = parser.parse_args(argv)
    for bundle_dir in args.bundles:
        try:
            changes = add_to_bundle(bundle_dir)
        except ConversionError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        for change in changes:
            print(f"{bundle_dir / change.file} ({change.kind}): "
                  + ("feature map added; " if change.added else "") + change.note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
