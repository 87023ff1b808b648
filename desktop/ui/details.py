"""Read-only panels: the selected film's result (probability bars, flag, status, the model that
scored it, patient fields) and the card summary of every model in use (what it is for, whom it was
validated on, what it was trained and tested on, its limits).
"""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFormLayout, QLabel, QProgressBar, QTextBrowser, QVBoxLayout, QWidget

from cxrcore.bundle import ModelBundle

from desktop.reasons import Explanation
from desktop.screening.film_metadata import METADATA_FIELDS
from desktop.screening.results import STATUS_NOT_VALIDATED, STATUS_OK, ScreenResult, confidence_text
from desktop.screening.routing import Selection
from desktop.ui.results_model import explanation, shown_prediction_text, status_text

BAR_STEPS = 1000


class ResultDetails(QWidget):
    """Prediction, "needs review" flag, one bar per label of the model that scored the film with its
    threshold, status and reason. A film outside the model's population shows "not validated" first
    and the model's answer only below it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.bars_form = QFormLayout()
        self.metadata = QLabel()
        self.metadata.setWordWrap(True)
        self._layout.addWidget(self.headline)
        self._layout.addLayout(self.bars_form)
        self._layout.addWidget(self.metadata)
        self._layout.addStretch(1)
        disclaimer = QLabel(self.tr("This result supports and does not replace a clinician's reading."))
        disclaimer.setWordWrap(True)
        disclaimer.setStyleSheet("color: #8a1c1c; font-weight: bold;")
        self._layout.addWidget(disclaimer)
        self.bars: dict[str, QProgressBar] = {}
        self._thresholds: dict[str, float] = {}
        self.show_result(None, {})

    def _set_labels(self, labels: list[str], thresholds: dict[str, float]) -> None:
        """One bar per label of the model that scored the film; thresholds appear in the tooltips."""
        self._thresholds = dict(thresholds)
        while self.bars_form.rowCount():
            self.bars_form.removeRow(0)
        self.bars = {}
        for label in labels:
            bar = QProgressBar()
            bar.setRange(0, BAR_STEPS)
            bar.setFormat("%v")
            if label in thresholds:
                bar.setToolTip(self.tr("Flagged for review at {value:.1%} or more").format(value=thresholds[label]))
            self.bars[label] = bar
            self.bars_form.addRow(label, bar)

    def show_result(self, result: ScreenResult | None, thresholds: dict[str, float]) -> None:
        """``thresholds``: those of the model that scored ``result`` (empty when none did)."""
        labels = list(result.probabilities) if result is not None else []
        if (labels, thresholds) != (list(self.bars), self._thresholds):
            self._set_labels(labels, thresholds)
        if result is None:
            self.headline.setText(self.tr("No film selected."))
        elif result.status in (STATUS_OK, STATUS_NOT_VALIDATED):
            self.headline.setText(self._scored_html(result))
        else:
            shown = explanation(result)
            self.headline.setText(self.tr("<h3>{status}</h3>{reason}").format(
                status=status_text(result.status), reason=html.escape(shown.text)) + _details_html(shown))
        for label, bar in self.bars.items():
            value = None if result is None else result.probabilities.get(label)
            bar.setValue(0 if value is None else round(value * BAR_STEPS))
            bar.setFormat("—" if value is None else f"{value:.1%}")
        fields = [] if result is None else [
            f"<b>{html.escape(name)}</b>: {html.escape(result.metadata[name])}"
            for name in METADATA_FIELDS if result.metadata.get(name)
        ]
        self.metadata.setText("<br>".join(fields))

    def _scored_html(self, result: ScreenResult) -> str:
        """An ``ok`` result headed by its prediction; a ``not-validated`` one headed by that, the model's
        answer (if it gave one) demoted to a grey line beneath."""
        flag = self.tr("<b style='color:#c25400'>NEEDS REVIEW</b>") if result.flagged else self.tr("Not flagged")
        quality = "" if result.quality is None else self.tr("<br>Image quality: {score:.0f} of 100").format(
            score=result.quality)
        shown = explanation(result)
        warnings = "".join(f"<p style='color:#b00020'>⚠ {html.escape(text)}</p>" for text in shown.sentences)
        model = "" if result.model is None else self.tr("<br>Scored by {model}").format(
            model=html.escape(result.model.label))
        if result.status == STATUS_OK:
            head = f"<h3>{html.escape(result.prediction)} ({confidence_text(result.confidence)})</h3>"
        else:
            answer = "" if not result.scored else self.tr(
                "<p style='color:#666'>The model's output, not validated for this film: {prediction} "
                "({confidence})</p>").format(prediction=html.escape(result.prediction),
                                             confidence=confidence_text(result.confidence))
            head = f"<h3 style='color:#b00020'>{html.escape(shown_prediction_text(result))}</h3>{answer}"
        return f"{head}{flag}{model}{quality}{warnings}{_details_html(shown)}"


def _details_html(shown: Explanation) -> str:
    """The engine's English words, small and grey beneath the sentences a nurse reads."""
    return f"<p style='color:#666'><small>{html.escape(shown.details)}</small></p>" if shown.details else ""


class ModelCardView(QTextBrowser):
    """The card summaries a clinician should read before trusting a result: one per model in use."""

    def show_cards(self, selection: Selection | None) -> None:
        if selection is None:
            self.setHtml(self.tr("<p>No model loaded.</p>"))
            return
        intro = (self.tr("<p><i>Automatic routing: each film is scored by the model validated for its population "
                         "below; a film none is validated for is not scored and is flagged for review.</i></p>")
                 if selection.automatic else "")
        self.setHtml(intro + "<hr>".join(self._card_html(bundle, build) for bundle, build in selection.models))

    def _card_html(self, bundle: ModelBundle, build: str) -> str:
        metrics = bundle.builds.get(build, {}).get("test_metrics", {})
        metric_rows = "".join(
            f"<tr><td>{html.escape(name)}</td><td>{html.escape(value)}</td></tr>"
            for name, value in self._metric_lines(metrics)
        ) or self.tr("<tr><td>none recorded</td></tr>")
        limitations = "".join(f"<li>{html.escape(str(item))}</li>" for item in bundle.limitations)
        trained_on = _trained_on(bundle.training) or self.tr("not stated")
        return (
            f"<h3>{html.escape(bundle.name)} {html.escape(bundle.version)}</h3>"
            + self.tr("<p><b>Intended use:</b> {text}</p>").format(text=html.escape(bundle.intended_use))
            + self.tr("<p><b>Validated population:</b> {text}</p>").format(
                text=html.escape(self._validated_on(bundle)))
            + self.tr("<p><b>Trained on:</b> {text}</p>").format(text=html.escape(str(trained_on)))
            + self.tr("<p><b>Labels:</b> {labels}; <b>flags</b> {flagged}</p>").format(
                labels=html.escape(", ".join(bundle.labels)), flagged=html.escape(", ".join(bundle.abnormal_labels)))
            + self.tr("<p><b>Test metrics of build {build}:</b></p>").format(build=html.escape(build))
            + f"<table cellpadding='2'>{metric_rows}</table>"
            + self.tr("<p><b>Limitations:</b></p>") + f"<ul>{limitations}</ul>"
            + self._safety_html(bundle.safety_checks)
        )

    def _validated_on(self, bundle: ModelBundle) -> str:
        population = bundle.population
        if population is None:
            return self.tr("not stated: films are never routed to this model automatically")
        routed = "" if population["routable"] else self.tr("; never chosen automatically, only when asked for")
        return self.tr("{description} (sources: {sources}){routed}").format(
            description=population["description"], sources="; ".join(population["sources"]), routed=routed)

    def _metric_lines(self, metrics: dict) -> list[tuple[str, str]]:
        """The test figures a clinician weighs, each with its 95% interval when the card states one."""
        if not metrics:
            return []
        intervals = metrics.get("ci95") or {}
        lines = [(self.tr("Test films"), str(metrics["n_images"])),
                 (self.tr("Accuracy"), _with_interval(metrics["accuracy"], intervals.get("accuracy"), share=True)),
                 (self.tr("ROC AUC"), _with_interval(metrics["auc"], intervals.get("auc"), share=False))]
        for label, values in metrics["at_threshold"].items():
            bounds = intervals.get("at_threshold", {}).get(label, {})
            for name, measure in ((self.tr("sensitivity"), "sensitivity"), (self.tr("specificity"), "specificity")):
                lines.append((self.tr("{label} {measure} at threshold {threshold:.3f}").format(
                    label=label, measure=name, threshold=values["threshold"]),
                    _with_interval(values[measure], bounds.get(measure), share=True)))
        if len(metrics["recall"]) > 2:  # several classes: how often each one is recognised
            lines += [(self.tr("Recall {label}").format(label=label),
                       _with_interval(value, intervals.get("recall", {}).get(label), share=True))
                      for label, value in metrics["recall"].items()]
        return lines

    def _safety_html(self, section: dict | None) -> str:
        """What guards this model (the card's ``safety_checks``, measured by trainer.safety.train)."""
        if not section:
            return self.tr("<p><b>Safety checks:</b> no figures in this card</p>")
        gate = section["gate"]
        if "frontal_test_films_refused" not in gate:  # a card attached before the per-source figures
            return self.tr("<p><b>Safety checks:</b> figures in an older format: re-attach them with "
                           "converters.safety_card</p>")
        items = [self.tr("Chest-film gate refused non-chest test images ({name}): {figure}").format(
            figure=_figure(value), name=html.escape(name)) for name, value in gate["non_chest_test_images_refused"].items()]
        items += [self.tr("wrongly refused real frontal films ({name}): {figure}").format(
            figure=_figure(value), name=html.escape(name)) for name, value in gate["frontal_test_films_refused"].items()]
        items += [self.tr("source held out of fitting, {name}: refused {figure}").format(
            figure=_figure(value), name=html.escape(name)) for name, value in gate["held_out_sources_refused"].items()]
        population = section.get("population")
        if population:
            items.append(self.tr("Population check ({name}): {population}").format(
                name=html.escape(population["name"]), population=html.escape(population["population"])))
            items += [self.tr("judged outside it ({name}): {figure}").format(
                figure=_figure(value), name=html.escape(name)) for name, value in population["test_films_outside"].items()]
            items += [self.tr("source held out of fitting ({fold}), {name}: {figure}").format(
                fold=html.escape(fold), name=html.escape(name), figure=_figure(value))
                for fold, figures in population["held_out_sources"].items() for name, value in figures.items()]
        listed = "".join(f"<li>{item}</li>" for item in items)
        return self.tr("<p><b>Safety checks:</b></p>") + f"<ul>{listed}</ul>"


def _figure(value: dict) -> str:
    """``3 of 624, 0.5% (95% CI 0.1%–1.4%)`` from a safety figure (``count``, ``films``, ``rate``, ``ci95``)."""
    return QCoreApplication.translate("ModelCardView", "{count} of {films}, {rate}").format(
        count=value["count"], films=value["films"], rate=_with_interval(value["rate"], value.get("ci95"), share=True))


def _trained_on(training: dict) -> str:
    """``kermany: 4,411 train / 779 val / 618 test films``, from the card's provenance, or empty."""
    dataset = training.get("dataset")
    kind = dataset.get("kind", "") if isinstance(dataset, dict) else str(dataset or "")
    counts = training.get("split_counts") or {}
    parts = [kind] if kind else []
    if counts:
        parts.append(QCoreApplication.translate("ModelCardView", "{counts} films").format(
            counts=" / ".join(f"{count:,} {split}" for split, count in counts.items())))
    return ": ".join(parts)


def _with_interval(value: float | None, interval: list[float] | None, share: bool) -> str:
    """``88.5% (95% CI 85.8–90.8%)`` for a share, ``0.974 (95% CI 0.962–0.984)`` for an AUC; ``n/a`` if undefined."""
    if value is None:
        return QCoreApplication.translate("ModelCardView", "n/a")
    shown = (lambda x: f"{x:.1%}") if share else (lambda x: f"{x:.3f}")
    if not interval:
        return shown(value)
    return QCoreApplication.translate("ModelCardView", "{value} (95% CI {low}–{high})").format(
        value=shown(value), low=shown(interval[0]), high=shown(interval[1]))
