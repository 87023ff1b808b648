"""numpy for the app folder, compiled without BLAS and LAPACK: 28 MB of OpenBLAS the app never calls.

PyPI's numpy wheels link OpenBLAS (``numpy.libs/libscipy_openblas64_*.so``, 25 MB with gfortran and
quadmath, kernels for every CPU family), and PyInstaller must carry it because ``_multiarray_umath``
loads it at import. The app does no linear algebra: its only matrix products are a quality score's
(40 features · weights) and the heatmap's bilinear upsampling of a 7×7 feature map, which numpy's own loops do
in microseconds; LiteRT runs the models with its own kernels. A source build of the *same* numpy
version with ``-Dblas=none -Dlapack=none`` keeps every Python module and ufunc and drops that
library. Measured on 1,287 films (the samples, the NIH pneumonia films, 1,000 MedNIST hands)
the headless screener wrote a byte-identical CSV with either numpy (`docs/packaging.md`).

`provide` builds the wheel once with pip (PyPI's source archive; a C compiler and the Python headers;
about 5 minutes on 2 cores), keeps it in ``cache``, unpacks it into a folder of its own and returns
PyInstaller's environment with that folder first on ``PYTHONPATH``, so that PyInstaller's analysis,
its hooks and their subprocesses import this numpy and not the one installed beside the trainer.
`check_bundled` proves the frozen folder holds no OpenBLAS afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

#: Meson options of numpy's build: no BLAS, no LAPACK, and permission to build without them.
SETUP_ARGS = ("-Dblas=none", "-Dlapack=none", "-Dallow-noblas=true")
#: What PyPI's numpy vendors for BLAS; none of it may be in the folder.
_OPENBLAS = ("libscipy_openblas", "libopenblas", "libgfortran", "libquadmath")


def wheel(cache: Path) -> Path:
    """The installed numpy's version, compiled without BLAS: from ``cache`` or built into it."""
    wanted = version("numpy")
    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    folder = cache / "wheels"
    found = sorted(folder.glob(f"numpy-{wanted}-{tag}-*.whl"))
    if found:
        return found[-1]
    folder.mkdir(parents=True, exist_ok=True)
    print(f"compiling numpy {wanted} without BLAS (once; kept in {folder})")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-binary", "numpy",
                    "--wheel-dir", str(folder), f"numpy=={wanted}", *(f"-Csetup-args={arg}" for arg in SETUP_ARGS)],
                   check=True)
    found = sorted(folder.glob(f"numpy-{wanted}-{tag}-*.whl"))
    if not found:
        raise SystemExit(f"pip built no numpy {wanted} wheel for {tag} in {folder}")
    return found[-1]


def staged_site(built: Path, cache: Path) -> Path:
    """A folder holding only that numpy, unpacked afresh (a half-written one from a killed build is replaced)."""
    site = cache / "site" / built.stem
    shutil.rmtree(site, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile",
                    "--target", str(site), str(built)], check=True)
    return site


def blas_of(site: Path) -> str:
    """The BLAS that numpy imported from ``site`` was built against, as numpy itself reports it."""
    probe = ("import json, numpy; from pathlib import Path; "
             "print(json.dumps([str(Path(numpy.__file__).parent), "
             "numpy.show_config('dicts')['Build Dependencies']['blas']['name']]))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            env=with_python_path(dict(os.environ), site))
    location, name = json.loads(result.stdout)
    if Path(location).resolve() != (site / "numpy").resolve():
        raise SystemExit(f"numpy was imported from {location}, not from {site}")
    return name


def with_python_path(env: dict[str, str], site: Path) -> dict[str, str]:
    return {**env, "PYTHONPATH": os.pathsep.join([str(site), *filter(None, [env.get("PYTHONPATH")])])}


def provide(cache: Path, env: dict[str, str]) -> dict[str, str]:
    """``env`` with the BLAS-free numpy first on ``PYTHONPATH``; fails loudly if it still links a BLAS."""
    site = staged_site(wheel(cache), cache)
    blas = blas_of(site)
    if blas != "none":
        raise SystemExit(f"the numpy staged in {site} was built with BLAS {blas!r}")
    print(f"numpy {version('numpy')} without BLAS: {site}")
    return with_python_path(env, site)


def check_bundled(folder: Path) -> None:
    """Fail when the frozen folder carries OpenBLAS or its Fortran runtime (the cut did not happen)."""
    found = sorted(str(path.relative_to(folder)) for path in folder.rglob("*")
                   if path.is_file() and path.name.startswith(_OPENBLAS))
    if found:
        raise SystemExit("the folder still carries BLAS libraries: " + ", ".join(found))
