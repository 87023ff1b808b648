"""Training run → LiteRT builds in a model bundle, with a drift gate, calibration and a model card.

Entry point: ``python -m converters.quantize`` (usage and the gate: ``docs/converters.md``); it and
`recheck` need ``.[train]`` and say so (`trainer.extras`). The contracts they read and write have
one owner each, outside this package: the run folder `trainer.run_folder`, the card's schema and
reader `cxrcore.bundle`, the reference-output check and its tolerances `cxrcore.references`.
One job per module:

- `datasets`: which films are used for what (train → calibration, val → fitting, test → reporting);
- `builds`: Keras → float32 / float16 / dynamic / int8 ``.tflite``;
- `layer_debug`: find int8-sensitive layers and rebuild int8 with those kept in float;
- `evaluate`: run the Keras model and the builds on films, the builds exactly as the app does;
- `latency`: per-image latency through `cxrcore.runtime`;
- `drift`: build-vs-Keras drift, the gate, and drift.json / drift.md;
- `references`: choose the reference films and record each passed build's outputs (checked by `cxrcore.references`);
- `card`: card.json per `cxrcore.bundle`'s schema (and a command to rewrite a bundle's descriptive fields);
- `safety_card`: the safety checks' measured figures, copied into each card;
- `recheck`: re-measure a bundle's test figures from its own files (and add intervals to an older card);
- `quantize`: the command line that ties them together.
"""


class ConversionError(ValueError):
    """A problem a person must fix (bad run folder, split, option or card text), reported without a traceback."""
