"""Repository-level promises: CI runs README's test command; the core stays free of heavy imports."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _quick_start_commands() -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, flags=re.S)
    return [line for block in blocks for line in block.splitlines() if line and not line.startswith("#")]


def test_readme_quick_start_has_exactly_two_commands() -> None:
    commands = _quick_start_commands()
    assert len(commands) == 2, commands
    assert "python -m desktop" in commands[0] and "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci_lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert _quick_start_commands()[1] in ci_lines


def test_core_imports_no_tensorflow_keras_or_qt() -> None:
    code = (
        "import sys, cxrcore.decode, cxrcore.dicom, cxrcore.preprocess, cxrcore.bundle, "
        "cxrcore.postprocess, cxrcore.runtime, cxrcore.classifier, cxrcore.safety.gate, cxrcore.safety.card, cxrcore.safety.quality, cxrcore.safety.structure, "
        "cxrcore.safety.population, cxrcore.safety.checks\n"
        "heavy = [m for m in ('tensorflow', 'keras', 'PySide6', 'jax', 'torch') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO)
    assert result.stdout.strip() == ""
