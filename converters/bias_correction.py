"""Empirical bias correction: each quantized op's bias moved so its int8 outputs keep the float model's mean.

Why: rounding errors are not zero-mean once they pass through correlated inputs and ReLU6; on
``pneumonia-pediatric`` the full-integer build shifted every validation film's logit by −0.76 on average
(sd 0.88), so films on the normal side of the threshold moved towards pneumonia. Correcting the
per-channel mean of every op's output, op by op in graph order (each measured after the ops before it are
corrected, Nagel et al. 2019, §4.2), took the mean shift to −0.06 and its sd to 0.60 (`docs/converters.md`).

The mean is measured on calibration (TRAIN) films, after the op's fused activation; a clipping activation
passes only part of a pre-activation change, so the change seen is divided by the share of outputs inside
the activation's linear range (channels where under 5% are: left alone).
"""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np

from converters.tflite_graph import EditableModel, TracedRun, WeightedOp

#: A channel whose outputs sit in its activation's linear range less often than this is not corrected:
#: its mean barely depends on its bias.
MIN_ACTIVE_SHARE = 0.05


def output_means(model: bytes, inputs: np.ndarray, ops: list[WeightedOp]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Each op's per-channel output mean over ``inputs``, and the share of outputs in its linear range.

    Ops are found by output tensor name, which the quantizer keeps, so ``model`` may be a build of the
    model ``ops`` were read from.
    """
    run = TracedRun(model)
    indices = [run.index(op.output_name) for op in ops]
    means = [np.zeros(1)] * len(ops)
    active = [np.zeros(1)] * len(ops)
    for _ in run.films(inputs):
        for position, (op, index) in enumerate(zip(ops, indices)):
            outputs = run.tensor(index)
            outputs = outputs.reshape(-1, outputs.shape[-1]).astype(np.float64)
            low, high = op.active_range
            means[position] = means[position] + outputs.mean(axis=0)
            active[position] = active[position] + ((outputs > low) & (outputs < high)).mean(axis=0)
    return [mean / len(inputs) for mean in means], [share / len(inputs) for share in active]


def corrected_biases(
    reference: bytes,
    start: bytes,
    quantize: Callable[[bytes], bytes],
    inputs: np.ndarray,
    float_ops: Sequence[str] = (),
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, np.ndarray]:
    """Biases, by op scope, that make ``quantize(model)``'s op outputs match ``reference``'s means on ``inputs``.

    ``start`` is the float model to be quantized (the reference itself, or it with rounded weights);
    ``quantize`` turns a float model into the int8 build, so the correction sees exactly what the build
    will compute. One quantization and one pass over ``inputs`` per op with a bias, in graph order; ops
    in ``float_ops`` (kept float by ``quantize``) keep their bias, the quantized ops after them correct
    what reaches them.
    """
    editable = EditableModel(start)
    ops = [op for op in editable.ops if op.bias_buffer is not None and op.scope not in float_ops]
    targets, shares = output_means(reference, inputs, ops)
    result: dict[str, np.ndarray] = {}
    for op, target, share in zip(ops, targets, shares):
        seen = output_means(quantize(editable.to_bytes()), inputs, [op])[0][0]
        change = np.where(share >= MIN_ACTIVE_SHARE, (seen - target) / np.maximum(share, MIN_ACTIVE_SHARE), 0.0)
        result[op.scope] = (editable.bias(op) - change).astype(np.float32)
        editable.set_bias(op, result[op.scope])
    log(f"biases of {len(ops)} ops corrected on {len(inputs)} films")
    return result
