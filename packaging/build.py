"""Build the double-click folder with PyInstaller, prove it works, measure it and pack the download.

    python packaging/build.py [--dist DIR] [--skip-build] [--films DIR] [--report [FILE]] [--require-xvfb]

Steps, each of which fails the build loudly:
1. PyInstaller with ``packaging/cxr-screening.spec`` → ``DIST/cxr-screening/``, without the parts the
   app never loads (`unused_parts`, `dependencies`) and with each bundle's default build only
   (`shipped_data`), on Linux with numpy compiled without the BLAS it never calls (`numpy_without_blas`); there the libraries Qt's X11 plugin needs are made available first, fetched
   from Debian if missing, and must end up inside the folder (`xcb_libs`). Afterwards symbol
   tables and debug info are stripped where safe (`strip_binaries`), highdicom's JSON tables are
   pruned to the modules the app's DICOM results use and compacted (`json_tables`) and Qt's ICU data is cut to the app's languages (`icu_data`, checked
   against the full data).
2. The folder holds none of the forbidden stacks (TensorFlow, Keras, JAX, PyTorch, test code), and
   holds every language's translation and what features load on demand: signatures and trusted
   keys, libsodium, highdicom's tables, the heatmap's and DICOM networking's modules (`contents`).
3. The frozen app's ``--self-test`` passes headless with only the shipped keys trusted (every
   bundled model: signature, hashes, reference outputs of each build the folder holds), and it
   writes DICOM results with a class-activation heatmap (`dicom_check`) and the PDF report of the
   sample films in PDF's standard fonts (`report_check`: reportlab's font files are left out).
4. Linux: the frozen app opens a real X11 window under Xvfb, screens the sample films and saves a
   screenshot to ``DIST/cxr-screening-x11.png`` (`window_check`; skipped with a warning when Xvfb is
   not installed, unless ``--require-xvfb``).
5. Budgets, measured on the frozen app: folder size (goal ≤150 MB), cold start to the first window
   (goal ≤3 s; the app prints a probe line when ``CXR_STARTUP_PROBE=1``), and peak RSS while screening
   100 films headless (goal ≤400 MB). Printed; ``--report`` also prints the folder's size by
   component (`sizes`), and ``--report FILE`` writes all of it as JSON.
6. The download: ``DIST/cxr-screening-<os>-<machine>.tar.gz`` (``.zip`` on Windows), size printed (`archive`).

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

import archive
import contents
import dicom_check
import icu_data
import json_tables
import numpy_without_blas
import report_check
import sizes
import strip_binaries
import window_check
import xcb_libs

from desktop.i18n import TRANSLATED
from desktop.paths import TRUSTED_KEYS_ENV

REPO = Path(__file__).resolve().parent.parent
SPEC = REPO / "packaging" / "cxr-screening.spec"
APP_NAME = "cxr-screening"
#: Debian packages fetched for the X11 plugin (`xcb_libs`), kept between builds.
XCB_CACHE = REPO / "build" / "xcb-libs"
#: numpy compiled without BLAS (`numpy_without_blas`), kept between builds.
NUMPY_CACHE = REPO / "build" / "numpy-without-blas"
BUDGETS = {"size_mb": 150.0, "cold_start_s": 3.0, "peak_rss_mb": 400.0}
STARTUP_PROBE = "CXR_STARTUP_PROBE"
SCREEN_COUNT = 100
#: The pediatric sample film `dicom_check` screens as DICOM.
DICOM_SAMPLE = REPO / "samples" / "kermany-test-pneumonia-person100_bacteria_475.jpeg"


def run_pyinstaller(dist: Path, work: Path) -> Path:
    env = dict(os.environ)
    if sys.platform == "linux":  # elsewhere no compiler can be assumed: PyPI's numpy, OpenBLAS included
        env = numpy_without_blas.provide(NUMPY_CACHE, xcb_libs.provide(XCB_CACHE))
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(dist), "--workpath", str(work), str(SPEC)],
        check=True, cwd=REPO, env=env,
    )
    print(f"PyInstaller: {time.perf_counter() - started:.0f} s")
    return dist / APP_NAME


def executable(folder: Path) -> Path:
    return folder / (f"{APP_NAME}.exe" if sys.platform == "win32" else APP_NAME)


def folder_size_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink()) / 1e6


def headless_env(work: Path) -> dict[str, str]:
    """The frozen app's environment for the checks: its own empty data folder (no user's bundles or
    keys), no extra trusted-keys folder, so that only the shipped keys can make a bundle usable."""
    env = {key: value for key, value in os.environ.items() if key != TRUSTED_KEYS_ENV}
    env["QT_QPA_PLATFORM"] = os.environ.get("QT_QPA_PLATFORM", "offscreen")
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
    parser.add_argument("--report", type=Path, nargs="?", const=True, default=None, metavar="FILE",
                        help="also print the folder's size by component; with FILE, write budgets and components there as JSON")
    parser.add_argument("--require-xvfb", action="store_true",
                        help="fail, rather than skip with a warning, when Xvfb is missing for the real-window check")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="cxr-build-"))
    try:
        folder = args.dist / APP_NAME if args.skip_build else run_pyinstaller(args.dist, work / "pyinstaller")
        app = executable(folder)
        if not app.is_file():
            raise SystemExit(f"no executable at {app}")
        print(f"symbol tables and debug info stripped: {strip_binaries.strip(folder):.1f} MB saved")
        print(f"highdicom's tables pruned to the modules the app's DICOM results use, compacted: "
              f"{json_tables.compact(folder):.1f} MB saved")
        print(f"Qt's ICU data cut to the app's languages: {icu_data.cut_in_folder(folder):.1f} MB saved")
        check_contents(folder, app)
        env = headless_env(work)
        self_test(app, env)
        written = dicom_check.dicom_results(app, DICOM_SAMPLE, REPO / "models", env, work)
        print(f"DICOM results with a class-activation heatmap: {', '.join(path.name for path in written)}")
        pages, fonts = report_check.pdf_report(app, REPO / "samples", env, work)
        print(f"PDF report of the samples: {pages} pages, fonts {', '.join(sorted(fonts))} (no font file needed)")
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
    download = archive.write_archive(folder)
    report = {
        "platform": f"{platform.system()} {platform.machine()}, Python {platform.python_version()}",
        "cpu_count": os.cpu_count(),
        "measured": measured,
        "goals": BUDGETS,
        "within_goal": {key: measured[key] <= BUDGETS[key] for key in BUDGETS},
        "download": {"file": download.name, "size_mb": round(download.stat().st_size / 1e6, 1)},
        "components_mb": sizes.component_sizes(folder),
    }
    for key, value in measured.items():
        verdict = "within goal" if report["within_goal"][key] else "OVER GOAL"
        print(f"{key:>13}: {value:>8}   goal ≤ {BUDGETS[key]}   {verdict}")
    print(f"{'download':>13}: {report['download']['size_mb']:>8}   {download}")
    if args.report:
        print(sizes.table(report["components_mb"]))
    if isinstance(args.report, Path):
        args.report.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


def check_contents(folder: Path, app: Path) -> None:
    """Step 2: nothing forbidden inside, and every translation and on-demand part there (`contents`)."""
    forbidden = contents.forbidden_contents(folder)
    if forbidden:
        raise SystemExit("forbidden packages inside the bundle:\n  " + "\n  ".join(forbidden))
    print(f"forbidden packages: none of {', '.join(contents.FORBIDDEN_TOP_LEVEL)}")
    missing = contents.missing_translations(folder)
    if missing:
        raise SystemExit("translations missing from the bundle: " + ", ".join(missing))
    print(f"translations: {', '.join(TRANSLATED)}")
    missing = contents.missing_app_parts(folder, app)
    if missing:
        raise SystemExit("the app folder lacks what its features load: " + ", ".join(missing))
    print(f"on-demand parts: {', '.join(contents.REQUIRED_FILES + contents.REQUIRED_MODULES)}, bundle signatures")
    if sys.platform == "linux":
        numpy_without_blas.check_bundled(folder)
        print("numpy: built without BLAS, no OpenBLAS inside the folder")
        print("X11 libraries inside the folder: " + ", ".join(xcb_libs.check_bundled(folder)))


if __name__ == "__main__":
    sys.exit(main())
