"""Entry points that need ``.[train]`` say so in one line and exit 2 when it is not installed; the others run.

Every module of the trainer, the converters and the studies that runs as ``python -m`` is started here
with the training modules blocked (``sys.modules[name] = None`` makes their import fail exactly as
an ``.[app]``-only install does): each is either guarded by `trainer.extras.require_training_extras`
and prints its one line, or answers ``--help`` without the training stack.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT
from trainer.extras import TRAINING_MODULES, missing_modules

PACKAGES = ("converters", "trainer", "studies")
#: What an ``.[app]``-only install lacks that the code could reach for (scipy: nothing may need it).
BLOCKED = (*TRAINING_MODULES, "scipy")


def _entry_points() -> dict[str, bool]:
    """Module name → whether it is guarded, for every module with a ``__main__`` block."""
    found = {}
    for package in PACKAGES:
        for path in sorted((REPO_ROOT / package).rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            if re.search(r'^if __name__ == "__main__":', text, re.MULTILINE):
                name = ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts)
                found[name] = f'require_training_extras("{name}")' in text
    return found


ENTRY_POINTS = _entry_points()


def _run_blocked(module: str, blocked: tuple[str, ...] = BLOCKED) -> subprocess.CompletedProcess[str]:
    code = (f"import runpy, sys\nfor name in {blocked!r}:\n    sys.modules[name] = None\n"
            f"sys.argv = [{module!r}, '--help']\nrunpy.run_module({module!r}, run_name='__main__', alter_sys=True)\n")
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120)


def test_a_blocked_module_counts_as_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "keras", None)
    assert missing_modules() == ["keras"]
    assert missing_modules(("json", "no_such_module_here")) == ["no_such_module_here"]


def test_the_entry_points_that_need_the_training_stack_are_guarded() -> None:
    guarded = {name for name, is_guarded in ENTRY_POINTS.items() if is_guarded}
    assert {"converters.quantize", "trainer.train", "trainer.finetune_cached", "trainer.ensemble",
            "trainer.dcgan_train", "trainer.evaluate"} <= guarded


@pytest.mark.parametrize("module", sorted(name for name, guarded in ENTRY_POINTS.items() if guarded))
def test_a_guarded_entry_point_names_the_fix_in_one_line(module: str) -> None:
    done = _run_blocked(module, ("keras",))
    assert done.returncode == 2, done.stderr
    assert done.stderr == f'{module} needs the training extras: pip install -e ".[train]" (missing: keras)\n'
    assert done.stdout == ""


@pytest.mark.parametrize("module", sorted(name for name, guarded in ENTRY_POINTS.items() if not guarded))
def test_an_unguarded_entry_point_runs_without_the_training_stack(module: str) -> None:
    done = _run_blocked(module)
    assert done.returncode == 0, f"{module} needs the training extras: guard it\n{done.stderr[-2000:]}"
    assert re.match(r"usage: ", done.stdout)
