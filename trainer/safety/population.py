"""The population check: P(adult) from a 64×64 film, trained on Kermany children against every adult source.

The pediatric model's validated population is Kermany's children; the adult model's is the adult
sources. One discriminative model serves both (`cxrcore.safety.population`): a film is the pediatric
model's when P(adult) is below a limit set on Kermany validation films (``PEDIATRIC_PERCENTILE``:
about 1.5 % of children warned by construction), and the adult model's when P(adult) is above a
limit under which no adult source has more than ``100 − ADULT_PERCENTILE`` % of its validation
films. A film between the two limits belongs to neither and is "not validated".

There is only one pediatric source, so a child's film from another hospital may look "not
Kermany" and be refused by the pediatric model: the safe error. The adult sources are held out in
turn (`trainer.safety.sources.POPULATION_FOLDS`) to measure the figure that matters, the share
of a new adult hospital's films warned for the pediatric model.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trainer.safety import discriminative
from trainer.safety.sources import SafetyData, source_counts

PEDIATRIC_PERCENTILE = 98.5
ADULT_PERCENTILE = 98.5
#: At most 0.5 % of the adult validation films may be accepted by the pediatric limit,
EXCLUDE_PERCENTILE = 99.5
#: and at most 0.1 % of the Kermany validation films by the adult limit.
CHILD_EXCLUDE_PERCENTILE = 99.9
DESCRIPTIONS = {
    "pediatric": "the chest films of children aged 1–5 from one hospital in Guangzhou that the pediatric model "
                 "was validated on (Kermany et al. 2018)",
    "adult": "the adults' frontal chest films the adult model was validated on (NIH, COVID-19 Radiography "
             "Database, COVID-Net)",
}


@dataclass(frozen=True)
class PopulationFit:
    model: object
    limits: dict[str, float]
    facts: dict


def fit_population(data: SafetyData, held_out: tuple[str, ...], settings: discriminative.BinarySettings) -> PopulationFit:
    children, adults = data.children(), data.adults()
    fit_children, fit_adults = children.where("fit"), adults.where("fit", exclude=held_out)
    films = np.concatenate([fit_children.images, fit_adults.images])
    labels = np.r_[np.zeros(len(fit_children.sources)), np.ones(len(fit_adults.sources))]
    model = discriminative.train(films, labels, np.concatenate([fit_children.sources, fit_adults.sources]), settings)
    val_children, val_adults = children.where("val"), adults.where("val", exclude=held_out)
    p_children = discriminative.predict(model, val_children.images)
    p_adults = discriminative.predict(model, val_adults.images)
    pediatric = min(float(np.percentile(p_children, PEDIATRIC_PERCENTILE)),
                    float(np.percentile(p_adults, 100 - EXCLUDE_PERCENTILE)))
    adult = max(float(np.percentile(p_adults, 100 - ADULT_PERCENTILE)),
                float(np.percentile(p_children, CHILD_EXCLUDE_PERCENTILE)))
    facts = {
        "fit_films": {"children": len(fit_children.sources), **source_counts(fit_adults)},
        "limit_rules": {
            "pediatric": f"accept P(adult) ≤ the {PEDIATRIC_PERCENTILE}th percentile on {len(val_children.sources)} "
                         f"Kermany validation films, lowered if needed so that at most {100 - EXCLUDE_PERCENTILE:g} % "
                         f"of the adult validation films ({source_counts(val_adults)}) lie below it",
            "adult": f"accept P(adult) ≥ the {100 - ADULT_PERCENTILE:g}th percentile of the adult validation films, "
                     f"raised if needed so that at most {100 - CHILD_EXCLUDE_PERCENTILE:g} % of the Kermany "
                     "validation films lie above it",
        },
        "held_out_sources": list(held_out),
        "settings": settings.as_dict(),
    }
    return PopulationFit(model, {"pediatric": pediatric, "adult": adult}, facts)


def population_section(fit: PopulationFit, file_name: str) -> dict:
    """The ``population`` section of safety.json (without its measured figures)."""
    from trainer.safety import geometric

    return {
        "file": file_name,
        "input": geometric.SPEC.to_dict(),
        "scores": ["p_adult"],
        "populations": {
            "pediatric": {"accept": "below", "limit": fit.limits["pediatric"], "description": DESCRIPTIONS["pediatric"]},
            "adult": {"accept": "above", "limit": fit.limits["adult"], "description": DESCRIPTIONS["adult"]},
        },
        **fit.facts,
    }
