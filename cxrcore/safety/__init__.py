"""The safety checks that run before any score, apart from the parity core.

- `card` — the safety card (`models/_safety/safety.json`): read, verified and hashed once.
- `gate` — is this a frontal chest film? (cheap checks, structure, gate models).
- `structure` — the numpy structural features of a frontal film.
- `population` — which population the film comes from (P(adult), DICOM age) and whether a model is validated for it.
- `quality` — a no-reference quality score and its warnings.
- `checks` — `SafetyChecks`: all of the above, loaded from one folder, run per film.
"""
