"""Build the double-click folder with PyInstaller, prove it works, and measure its budgets.

    python packaging/build.py [--dist DIR] [--skip-build] [--films DIR] [--report FILE] [--require-xvfb]

Steps, each of which fails the build loudly:
1. PyInstaller with ``packaging/cxr-screening.spec`` → ``DIST/cxr-screening/``; on Linux the libraries
   Qt's X11 plugin needs are made available first, fetched from Debian if missing, and must end up
   inside the folder (`xcb_libs`); the Python runtime's debug info is stripped afterwards
   (`strip_interpreter_debug_info`).
2. The folder holds none of the forbidden stacks (TensorFlow, Keras, JAX, PyTorch, test code), and
   holds every language's translation (the ``.qm`` the spec compiles with pyside6-lrelease, the ``.ts``).
3. The frozen app's ``--self-test`` passes headless (every bundled model, hashes, reference outputs).
4. Linux: the frozen app opens a real X11 window under Xvfb, screens the sample films and saves a
   screenshot to ``DIST/cxr-screening-x11.png`` (`window_check`; skipped with a warning when Xvfb is
   not installed, unless ``--require-xvfb``).
5. Budgets, measured on the frozen app: folder size (goal ≤200 MB), cold start to the first window
   (goal ≤3 s; the app prints a probe line when ``CXR_STARTUP_PROBE=1``), and peak RSS while screening
   100 films headless (goal ≤400 MB). Printed, and written as JSON with ``--report``.

Not a Python package on purpose: a top-level ``packaging`` package would shadow pypa's
``packaging``, which pip and PyInstaller themselves import.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import window_check
import xcb_libs

from desktop.i18n import TRANSLATED, qm_name, ts_name

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "packaging" / "cxr-screening.spec"
APP_NAME = "cxr-screening"
#: Debian packages fetched for the X11 plugin (`xcb_libs`), kept between builds.
XCB_CACHE = REPO / "build" / "xcb-libs"
FORBIDDEN_TOP_LEVEL = ("tensorflow", "keras", "jax", "jaxlib", "torch", "tensorboard", "trainer",
                       "converters", "tests", "pytest", "_pytest", "cv2")
BUDGETS = {"size_mb": 200.0, "cold_start_s": 3.0, "peak_rss_mb": 400.0}
STARTUP_PROBE = "CXR_STARTUP_PROBE"
SCREEN_COUNT = 100


def run_pyinstaller(dist: Path, work: Path) -> Path:
    env = xcb_libs.provide(XCB_CACHE) if sys.platform == "linux" else None
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
        check=True, cwd=REPO, env=env,
    )
    print(f"PyInstaller: {time.perf_counter() - started:.0f} s")
    return dist / APP_NAME


def interpreter_binaries(folder: Path) -> list[Path]:
    """The Python runtime's own shared libraries in the folder: libpython and the standard library's
    extension modules (lib-dynload), built with the interpreter and never rewritten by auditwheel."""
    internal = folder / "_internal"
    found = [*internal.glob("libpython*.so*"), *internal.glob("python3*/lib-dynload/*.so")]
    return sorted(path for path in found if path.is_file() and not path.is_symlink())


def strip_interpreter_debug_info(folder: Path) -> float:
    """Drop the debug sections (not the symbols) of `interpreter_binaries`; return the MB saved.

    pyenv and other source builds of Python keep DWARF debug info: libpython alone is 23 MB with it
    and 6.5 MB without. Only these files: stripping wheel libraries that auditwheel rewrote corrupts
    them (the frozen app then fails to import numpy's OpenBLAS), which is why PyInstaller's own
    ``strip`` option stays off. Linux only, where binutils' ``strip`` is installed; elsewhere 0.
    """
    tool = shutil.which("strip")
    files = interpreter_binaries(folder)
    if sys.platform != "linux" or tool is None or not files:
        return 0.0
    before = sum(path.stat().st_size for path in files)
    subprocess.run([tool, "--strip-debug", *map(str, files)], check=True)
    return (before - sum(path.stat().st_size for path in files)) / 1e6


def executable(folder: Path) -> Path:
    return folder / (f"{APP_NAME}.exe" if sys.platform == "win32" else APP_NAME)


def forbidden_contents(folder: Path) -> list[str]:
    """Top-level packages or libraries in the bundle that belong to the training stack or tests."""
    found = []
    for path in folder.rglob("*"):
        name = path.name.lower()
        stem = name.split(".")[0]
        if path.is_dir() and name in FORBIDDEN_TOP_LEVEL and path.parent.name == "_internal":
            found.append(str(path.relative_to(folder)))
        elif path.is_file() and (stem.startswith(("libtensorflow", "libjax", "libtorch")) or "_pywrap_tensorflow" in name):
            found.append(str(path.relative_to(folder)))
    return found


def missing_translations(folder: Path) -> list[str]:
    """Each language's compiled translation (the window's) or source (the PDF report's) not in the folder."""
    shipped = {path.name for path in folder.rglob("cxr_*") if path.parent.name == "translations"}
    return sorted({name for code in TRANSLATED for name in (qm_name(code), ts_name(code))} - shipped)


def folder_size_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink()) / 1e6


def headless_env(work: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    env["CXR_SCREENING_DATA_DIR"] = str(work / "data")  # keep the build's runs out of the user's store
    env["XDG_CONFIG_HOME"] = str(work / "config")  # and out of the user's window settings
    return env


def self_test(app: Path, env: dict[str, str]) -> str:
    result = subprocess.run([str(app), "--self-test"], capture_output=True, text=True, env=env, timeout=300)
    print(result.stdout)
    if result.returncode != 0:
        raise SystemExit(f"self-test failed (exit {result.returncode}):\n{result.stderr[-2000:]}")
    return result.stdout


def cold_start_seconds(app: Path, env: dict[str, str]) -> float:
    """Seconds from process spawn to the app's first shown window (it prints a probe line, then exits)."""
    started = time.perf_counter()
    process = subprocess.Popen([str(app)], stdout=subprocess.PIPE, text=True, env=dict(env, **{STARTUP_PROBE: "1"}))
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("startup-probe: first window shown"):
            elapsed = time.perf_counter() - started
            process.wait(timeout=60)
            return elapsed
    process.wait(timeout=60)
    raise SystemExit(f"the app exited (code {process.returncode}) without showing a window")


def peak_rss_mb(app: Path, films: list[Path], env: dict[str, str], work: Path) -> float:
    """Peak resident memory of the frozen app screening ``films`` headless.

    Measured in a fresh Python child whose only child is the app, so RUSAGE_CHILDREN's maximum is
    the app's own (PyInstaller's memory from step 1 cannot leak into the figure).
    """
    probe = (
        "import resource, subprocess, sys\n"
        "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
        "scale = 1 if sys.platform == 'darwin' else 1024\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale / 1e6, code)\n"
    )
    command = [sys.executable, "-c", probe, str(app), "screen", *map(str, films),
               "--out", str(work / "screen.csv"), "--store", str(work / "screen.sqlite3")]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=True, timeout=900)
    peak, code = result.stdout.split()
    if code != "0":
        raise SystemExit(f"headless screening failed (exit {code})")
    rows = (work / "screen.csv").read_text(encoding="utf-8").count("\n") - 1
    if rows != len(films):
        raise SystemExit(f"headless screening wrote {rows} rows for {len(films)} films")
    return float(peak)


def sample_films(films_dir: Path, count: int) -> list[Path]:
    films = sorted(path for path in films_dir.rglob("*") if path.suffix.lower() in {".jpeg", ".jpg", ".png"})
    if len(films) < count:
        raise SystemExit(f"need {count} films under {films_dir} for the memory budget, found {len(films)}")
    step = len(films) / count
    return [films[int(index * step)] for index in range(count)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=REPO / "dist")
    parser.add_argument("--skip-build", action="store_true", help="check and measure an existing build")
    parser.add_argument("--films", type=Path, default=REPO.parent / "shared" / "data" / "kermany-224" / "chest_xray" / "test",
                        help=f"folder with at least {SCREEN_COUNT} real films for the memory budget")
    parser.add_argument("--report", type=Path, default=None, help="write the measured budgets as JSON here")
    parser.add_argument("--require-xvfb", action="store_true",
                        help="fail, rather than skip with a warning, when Xvfb is missing for the real-window check")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="cxr-build-"))
    try:
        folder = args.dist / APP_NAME if args.skip_build else run_pyinstaller(args.dist, work / "pyinstaller")
        print(f"interpreter debug info stripped: {strip_interpreter_debug_info(folder):.1f} MB saved")
        app = executable(folder)
        if not app.is_file():
            raise SystemExit(f"no executable at {app}")
        forbidden = forbidden_contents(folder)
        if forbidden:
            raise SystemExit("forbidden packages inside the bundle:\n  " + "\n  ".join(forbidden))
        print(f"forbidden packages: none of {', '.join(FORBIDDEN_TOP_LEVEL)}")
        missing = missing_translations(folder)
        if missing:
            raise SystemExit("translations missing from the bundle: " + ", ".join(missing))
        print(f"translations: {', '.join(TRANSLATED)}")
        if sys.platform == "linux":
            print("X11 libraries inside the folder: " + ", ".join(xcb_libs.check_bundled(folder)))
        env = headless_env(work)
        self_test(app, env)
        if sys.platform == "linux":
            started = time.perf_counter()
            shot = window_check.real_window_screenshot(app, [REPO / "samples"], env,
                                                       args.dist / f"{APP_NAME}-x11.png", args.require_xvfb)
            if shot is not None:
                print(f"real X11 window under Xvfb: {time.perf_counter() - started:.0f} s, screenshot {shot}")
        measured = {
            "size_mb": round(folder_size_mb(folder), 1),
            "cold_start_s": round(cold_start_seconds(app, env), 2),
            "peak_rss_mb": round(peak_rss_mb(app, sample_films(args.films, SCREEN_COUNT), env, work), 1),
        }
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report = {
        "platform": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
        "cpu_count": os.cpu_count(),
        "measured": measured,
        "goals": BUDGETS,
        "within_goal": {key: measured[key] <= BUDGETS[key] for key in BUDGETS},
    }
    for key, value in measured.items():
        verdict = "within goal" if report["within_goal"][key] else "OVER GOAL"
        print(f"{key:>13}: {value:>8}   goal ≤ {BUDGETS[key]}   {verdict}")
    if args.report:
        args.report.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
