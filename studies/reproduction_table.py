"""Print the measured columns of docs/REPRODUCTION.md from run folders, so no figure is typed by hand.

    python -m studies.reproduction_table [--runs runs]

For each paper row it reads ``RUNS/<run>/run.json`` (command, epochs run, training wall time)
and ``RUNS/<run>/eval-test/metrics.json`` (written by ``python -m trainer.evaluate --split
test``) and prints one Markdown row: test accuracy, the metrics the paper reports, test-set
size, epochs run / the recipe's full length (and the precision policy when it is not float32),
training wall time and the exact command(s).
Rows whose run folder is missing print "not run". The paper figures and the reasons for
differences are the document's prose, not this script's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from trainer.recipes import get_recipe
from trainer.run_folder import holds_run, read_run_info

#: Paper figures (../shared/papers/): (row name, run folder, paper's test accuracy or None, what the paper
#: reports, kind of extra metrics). A run folder of None is a model that cannot run here.
ROWS = (
    ("p0-m1", "p0-m1", 78.2, "78.2%", "macro"),
    ("p0-m2", "p0-m2", 76.8, "76.8%", "macro"),
    ("p0-m3", "p0-m3", 83.9, "83.9%", "macro"),
    ("p0-m4", "p0-m4", 86.6, "86.6%; recall Normal .89, COVID .80, Lung opacity .86, Viral .95", "recalls"),
    ("p1-baseline", "p1-baseline", 90.0, "90%; recall normal .77, pneumonia .97", "recalls"),
    ("p1-baseline + DCGAN normals", "p1-baseline-dcgan", 88.0, "88%; recall normal .74, pneumonia .97", "recalls"),
    ("p1-vgg16", None, 92.0, "92%; recall normal .81, pneumonia .98 (89% with DCGAN normals)", ""),
    ("p1-effnetlite0 (stand-in for p1-vgg16)", "p1-effnetlite0", None, "none (VGG16: 92%)", "recalls"),
    ("p2-prelu", "p2-prelu", 90.38, "90.38%; prec. .8784, rec. .9821, F1 .9274, AUC .9521, CM [[181, 53], [7, 383]]",
     "binary"),
    ("p2-relu", "p2-relu", 87.50, "87.50%", "binary"),
    ("p2-leakyrelu03", "p2-leakyrelu03", 88.94, "88.94%", "binary"),
    ("p2-leakyrelu30", "p2-leakyrelu30", 87.02, "87.02%", "binary"),
    ("p2-prelu-10ep (P2's recipe without its early stopping)", "p2-prelu-10ep", None,
     "none (p2-prelu: 90.38%, AUC .9521)", "binary"),
    ("p3-vgg300", "p3-vgg300", 92.1, "92.1%", "binary"),
    ("p4-cnn16", "p4-cnn16", 75.1, "75.1%", "macro"),
    ("p4-cnn16-1ch", "p4-cnn16-1ch", 81.5, "79.4–81.5% (masked lungs)", "macro"),
    ("p4-resnet50 (+ conv5 fine-tuned)", None, 85.7, "83.3% → 85.7% fine-tuned", ""),
    ("p4-vgg16", None, 81.6, "81.6%", ""),
    ("p4-vgg19", None, 79.9, "79.9%", ""),
    ("p4-xception", None, 78.5, "78.5%", ""),
    ("p4-inceptionv3", None, 76.0, "76.0%", ""),
    ("p4-effnetlite0 (stand-in for P4's transfer models)", "p4-effnetlite0", None, "none (ResNet50: 83.3%)", "macro"),
)
#: The Keras ImageNet file each transfer row needs (trainer/models/transfer.py).
WEIGHTS = {
    "p1-vgg16": "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "p4-resnet50": "resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "p4-vgg16": "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "p4-vgg19": "vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "p4-xception": "xception_weights_tf_dim_ordering_tf_kernels_notop.h5",
    "p4-inceptionv3": "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
}
TEST_SETS = {
    "kermany": "Kermany official test",
    "manifest": "Kermany official test",
    "radiography": "radiography seeded held-out split (10%)",
    "p4-composed": "composed P4 set, seeded held-out 30%",
}


def headline(metrics: dict, kind: str) -> str:
    """The paper's extra metrics: per-class recall (P0 m4, P1), precision/recall/AUC (P2, P3), or macro F1/AUC."""
    if kind == "recalls":
        return ", ".join(f"{label} rec. {value['recall']:.2f}" for label, value in metrics["per_class"].items())
    if kind == "binary":
        positive = metrics["per_class"][metrics["roc_auc"]["positive_class"]]
        return (f"prec. {positive['precision']:.4f}, rec. {positive['recall']:.4f}, F1 {positive['f1']:.4f}, "
                f"AUC {metrics['roc_auc']['auc']:.4f}, CM {metrics['confusion_matrix']}")
    return f"macro-F1 {metrics['macro_f1']:.3f}, macro AUC {metrics['roc_auc']['macro']:.3f}"


def row(name: str, run: str | None, paper_accuracy: float | None, paper: str, kind: str, runs: Path) -> str:
    if run is None:
        recipe = name.split()[0]
        return (f"| {name} | {paper} | not run: needs the Keras ImageNet weights file `{WEIGHTS[recipe]}` (unavailable "
                f"offline); `--weights PATH` runs it | | | | `python -m trainer.train --recipe {recipe} ... --weights PATH` |")
    folder = runs / run
    metrics_file = folder / "eval-test" / "metrics.json"
    if not (holds_run(folder) and metrics_file.is_file()):
        return f"| {name} | {paper} | not run | | | | | |"
    info = read_run_info(folder)
    metrics = json.loads(metrics_file.read_text(encoding="utf-8"))
    accuracy = 100 * metrics["accuracy"]
    delta = "" if paper_accuracy is None else f" ({accuracy - paper_accuracy:+.1f})"
    planned = get_recipe(info["recipe"]).total_epochs
    status = "capped by --epochs" if info["status"] == "complete" and info["epochs_run"] < planned else info["status"]
    precision = info.get("precision", "float32")
    if precision != "float32":  # a mixed-precision run says so beside its length
        status += f"; {precision}"
    commands = "<br>".join(f"`{command}`" for command in [info["command"], *info.get("resumed_with", [])])
    return (f"| {name} | {paper} | **{accuracy:.1f}%**{delta}; {headline(metrics, kind)} | "
            f"{TEST_SETS[info['dataset']['kind']]}, {metrics['count']} films | "
            f"{info['epochs_run']} / {planned} ({status}) | {info['wall_time_s']:.0f} s | {commands} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=Path, default=Path("runs"), help="folder holding the run folders")
    args = parser.parse_args(argv)
    print("| model | paper (test) | ours (test accuracy, Δ points vs paper; the paper's other metrics) | test set | "
          "epochs run / recipe | training wall time | command |")
    print("|---|---|---|---|---|---|---|")
    for name, run, paper_accuracy, paper, kind in ROWS:
        print(row(name, run, paper_accuracy, paper, kind, args.runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
