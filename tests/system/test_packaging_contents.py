"""What the packaged app carries, decided without running PyInstaller (``packaging/build.py`` builds it).

The spec's rules, each against the real repository and the real Qt wheel where one is at hand: every
bundle ships with its signature and only its default build, and such a copy is trusted and passes
the self-test; the trusted keys land where the frozen app looks; the Qt and Pillow parts left out are
ones the app never loads, and a library stays while something kept needs it; the cut ICU data
collates as the full one; the size table adds up.
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
from pathlib import Path

import pytest

from cxrcore.bundle import CARD_FILE, find_bundles, load_bundle
from cxrcore.signing import SHIPPED_KEYS_DIR, SIGNATURE_FILE
from desktop.paths import DATA_DIR_ENV, TRUSTED_KEYS_ENV
from desktop.selftest import check_bundle
from tests.conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "packaging"))  # not a package (packaging/build.py says why)
import contents
import dependencies
import icu_data
import numpy_without_blas
import shipped_data
import sizes
from unused_parts import NUMPY_UNUSED, is_unused

SHIPPED = shipped_data.shipped_bundles(REPO_ROOT / "models")


def _packaged_copy(bundle_dir: Path, target: Path) -> Path:
    """The bundle as the app folder carries it (`shipped_data.bundle_files`)."""
    for relative in shipped_data.bundle_files(bundle_dir):
        (target / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(bundle_dir / relative, target / relative)
    return target


@pytest.mark.parametrize("bundle_dir", SHIPPED, ids=[path.name for path in SHIPPED])
def test_a_bundle_ships_signed_with_its_default_build_and_reference_films_only(bundle_dir: Path) -> None:
    bundle = load_bundle(bundle_dir)
    files = shipped_data.bundle_files(bundle_dir)
    builds = {build["file"] for build in bundle.builds.values()}
    assert files[:2] == [CARD_FILE, SIGNATURE_FILE]
    assert builds & set(files) == {bundle.build()["file"]}
    assert {entry["file"] for entry in bundle.reference_outputs} <= set(files)


@pytest.mark.slow
@pytest.mark.parametrize("bundle_dir", SHIPPED, ids=[path.name for path in SHIPPED])
def test_the_packaged_copy_is_trusted_and_passes_the_self_test_on_its_default_build(
        bundle_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TRUSTED_KEYS_ENV, raising=False)  # the shipped keys only, as in a clinic
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    copy = _packaged_copy(bundle_dir, tmp_path / bundle_dir.name)
    default = load_bundle(copy).default_build
    assert load_bundle(copy).usable_builds == [default]
    lines = check_bundle(copy, accelerator="cpu")
    assert [(line.build, line.passed) for line in lines] == [(default, True)], [line.render() for line in lines]


def test_the_trusted_keys_land_where_the_frozen_app_looks() -> None:
    """Frozen, ``cxrcore/signing.py`` lies at ``_internal/cxrcore/``: its keys folder must be beside it."""
    datas = shipped_data.trusted_key_datas(REPO_ROOT)
    assert datas and {destination for _, destination in datas} == {f"cxrcore/{SHIPPED_KEYS_DIR.name}"}
    assert contents.REQUIRED_FILES[0].startswith(f"cxrcore/{SHIPPED_KEYS_DIR.name}/")


def test_model_datas_ship_the_safety_models_whole_and_the_bundles_file_by_file() -> None:
    datas = shipped_data.model_datas(REPO_ROOT / "models")
    assert (str(REPO_ROOT / "models" / "_safety"), "models/_safety") in datas
    sources = {Path(source) for source, _ in datas}
    assert not set(shipped_data.left_out_files(REPO_ROOT / "models")) & sources
    assert all((bundle / SIGNATURE_FILE) in sources for bundle in SHIPPED)
    unrouted = [bundle for bundle in find_bundles(REPO_ROOT / "models") if bundle not in SHIPPED]
    assert [bundle.name for bundle in unrouted] == ["covid-radiography-4class"]
    assert not any(Path(source).is_relative_to(bundle) for source in sources for bundle in unrouted)
    assert {bundle.name for bundle in SHIPPED} == {"pneumonia-pediatric", "adult-abnormal"}


@pytest.mark.parametrize("destination", [
    "PySide6/Qt/plugins/platforms/libqxcb.so", "PySide6/Qt/plugins/platforms/libqwayland.so",
    "PySide6/Qt/plugins/platforms/libqoffscreen.so", "PySide6/Qt/plugins/platforms/libqminimal.so",
    "PySide6/plugins/platforms/qwindows.dll", "PySide6/Qt/plugins/xcbglintegrations/libqxcb-glx-integration.so",
    "PySide6/Qt/plugins/platforminputcontexts/libcomposeplatforminputcontextplugin.so",
    "PySide6/Qt/plugins/imageformats/libqjpeg.so", "PySide6/Qt/translations/qtbase_fr.qm",
    "PySide6/Qt/translations/qtbase_pt_BR.qm", "PySide6/QtCore.abi3.so", "PySide6/QtWidgets.pyd",
    "PySide6/Qt6Network.dll", "PySide6/Qt/lib/libQt6Core.so.6", "PIL/_imaging.cpython-311-x86_64-linux-gnu.so",
    "ai_edge_litert/libpywrap_litert_common.so", "ai_edge_litert/libLiteRtWebGpuAccelerator.so",
    "ai_edge_litert/_pywrap_litert_interpreter_wrapper.so",
])
def test_parts_the_app_loads_are_kept(destination: str) -> None:
    assert not is_unused(destination)


@pytest.mark.parametrize("destination", [
    "PySide6/QtNetwork.abi3.so", "PySide6/QtDBus.pyd", "PySide6/Qt/plugins/tls/libqopensslbackend.so",
    "PySide6/Qt/plugins/networkinformation/libqnetworkmanager.so", "PySide6/Qt/plugins/platforms/libqeglfs.so",
    "PySide6/Qt/plugins/platforms/libqvnc.so", "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
    "PySide6/Qt/plugins/imageformats/libqtiff.so", "PySide6/Qt/translations/qtbase_de.qm",
    "PySide6/Qt/translations/qt_fr.qm", "PySide6/Qt/translations/qt_help_fr.qm", "PySide6/Qt/qml/QtQuick/qmldir",
    "PIL/_avif.cpython-311-x86_64-linux-gnu.so", "PIL/_webp.pyd", "ai_edge_litert/libLiteRt.so",
])
def test_parts_the_app_never_loads_are_left_out(destination: str) -> None:
    assert is_unused(destination)


def test_a_library_stays_exactly_while_something_kept_needs_it() -> None:
    binaries = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/w/libqxcb.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "/w/libQt6XcbQpa.so.6", "BINARY"),
        ("libxcb-cursor.so.0", "/w/libxcb-cursor.so.0", "BINARY"),
        ("PySide6/Qt/lib/libQt6Network.so.6", "/w/libQt6Network.so.6", "BINARY"),
        ("libgssapi_krb5.so.2", "/w/libgssapi_krb5.so.2", "BINARY"),
        ("pillow.libs/libavif.so.16", "/w/libavif.so.16", "BINARY"),
        ("ai_edge_litert/libLiteRtWebGpuAccelerator.so", "/w/libLiteRtWebGpuAccelerator.so", "BINARY"),
        ("libpython3.11.so.1.0", "/w/libpython3.11.so.1.0", "BINARY"),
    ]
    needs = {"/w/libqxcb.so": ["libQt6XcbQpa.so.6"], "/w/libQt6XcbQpa.so.6": ["libxcb-cursor.so.0"],
             "/w/libQt6Network.so.6": ["libgssapi_krb5.so.2"]}
    unneeded = dependencies.unneeded(binaries, lambda binary: needs.get(binary, []))
    assert unneeded == {"PySide6/Qt/lib/libQt6Network.so.6", "libgssapi_krb5.so.2", "pillow.libs/libavif.so.16"}
    links = [("libQt6XcbQpa.so.6", "PySide6/Qt/lib/libQt6XcbQpa.so.6", "SYMLINK"),
             ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK")]
    kept = [entry for entry in binaries if entry[0] not in unneeded]
    assert dependencies.dangling_links(links, kept) == {"libQt6Network.so.6"}


def _package(items: list[tuple[str, bytes]]) -> bytes:
    """A minimal ICU common-data package: header (size, magic, ``CmnD``) and items."""
    header = struct.pack("<HBB", 32, 0xDA, 0x27) + bytes(8) + b"CmnD" + bytes(16)
    return icu_data.write_package(header, items)


def test_an_icu_package_reads_back_what_was_written() -> None:
    items = [("icudt73l/b.res", b"\x01" * 16), ("icudt73l/a.res", b"\x02" * 32)]
    header, read = icu_data.read_package(_package(items))
    assert len(header) == 32 and read == sorted(items)


@pytest.mark.parametrize(("name", "kept"), [
    ("icudt73l/coll/fr_CA.res", True), ("icudt73l/pt_PT.res", True), ("icudt73l/sw.res", True),
    ("icudt73l/coll/root.res", True), ("icudt73l/coll/ucadata.icu", True), ("icudt73l/res_index.res", True),
    ("icudt73l/curr/pool.res", True), ("icudt73l/zoneinfo64.res", True), ("icudt73l/coll/es__TRADITIONAL.res", True),
    ("icudt73l/coll/de.res", False), ("icudt73l/zh_Hant_TW.res", False), ("icudt73l/coll/de__PHONEBOOK.res", False),
    ("icudt73l/ibm-1390_P110-2003.cnv", False), ("icudt73l/brkitr/cjdict.dict", False),
    ("icudt73l/translit/root.res", False),
])
def test_icu_items_of_the_app_languages_and_shared_tables_are_kept(name: str, kept: bool) -> None:
    assert icu_data.kept_item(name, frozenset({"en", "fr", "pt", "es", "sw"})) is kept


def _wheel_icu_data() -> Path:
    PySide6 = pytest.importorskip("PySide6")
    found = sorted((Path(PySide6.__file__).resolve().parent / "Qt" / "lib").glob(icu_data.LIBRARY_GLOB))
    if sys.platform != "linux" or not found or icu_data.tools_missing():
        pytest.skip("Linux wheels only, with binutils")
    return found[0]


@pytest.mark.slow
def test_the_cut_icu_data_collates_as_the_full_one(tmp_path: Path) -> None:
    full = _wheel_icu_data()
    cut = tmp_path / full.name
    shutil.copyfile(full, cut)
    assert icu_data.cut(cut) > 15
    icu_data.check(cut, full)  # raises SystemExit otherwise


@pytest.mark.slow
def test_the_icu_check_fails_when_a_language_was_cut(tmp_path: Path) -> None:
    """The check sees the cut library (not the wheel's): without Spanish data, ñ sorts as in root."""
    full = _wheel_icu_data()
    cut = tmp_path / full.name
    shutil.copyfile(full, cut)
    icu_data.cut(cut, frozenset({"en"}))
    with pytest.raises(SystemExit, match="es"):
        icu_data.check(cut, full, ("en", "es"))


def test_every_file_counts_towards_one_component_and_the_table_adds_up(tmp_path: Path) -> None:
    files = {"_internal/PySide6/Qt/lib/libicudata.so.73": 3, "_internal/PySide6/Qt/lib/libQt6Core.so.6": 2,
             "_internal/models/pneumonia-pediatric/model_float32.tflite": 5, "_internal/libcrypto.so.3": 1,
             "_internal/ml_dtypes/_ext.so": 1}
    for relative, megabytes in files.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(bytes(megabytes * 1_000_000))
    measured = sizes.component_sizes(tmp_path)
    assert measured == {"model bundles": 5.0, "Qt: ICU data": 3.0, "Qt: libraries": 2.0, "system libraries": 1.0,
                        sizes.OTHER: 1.0}
    assert sizes.table(measured).endswith("| **total** | **12.0** |")


def test_a_folder_carrying_openblas_fails_the_numpy_check_and_one_without_passes(tmp_path: Path) -> None:
    core = tmp_path / "_internal" / "numpy" / "_core"
    core.mkdir(parents=True)
    (core / "_multiarray_umath.cpython-311-x86_64-linux-gnu.so").write_bytes(b"\x7fELF")
    numpy_without_blas.check_bundled(tmp_path)  # numpy itself is expected
    vendored = tmp_path / "_internal" / "numpy.libs"
    vendored.mkdir()
    (vendored / "libscipy_openblas64_-fdde5778.so").write_bytes(b"\x7fELF")
    with pytest.raises(SystemExit, match="libscipy_openblas64_"):
        numpy_without_blas.check_bundled(tmp_path)


def test_the_staged_numpy_goes_first_on_pyinstallers_python_path(tmp_path: Path) -> None:
    env = numpy_without_blas.with_python_path({"PYTHONPATH": "/elsewhere"}, tmp_path)
    assert env["PYTHONPATH"].split(os.pathsep) == [str(tmp_path), "/elsewhere"]
    assert numpy_without_blas.with_python_path({}, tmp_path)["PYTHONPATH"] == str(tmp_path)


#: Runs first in the child: the modules the spec leaves out cannot be imported at all.
_WITHOUT_NUMPY_UNUSED = f"""
import sys
class _LeftOut:
    def find_spec(self, name, path=None, target=None):
        if name.startswith({NUMPY_UNUSED!r}):
            raise ImportError(f"{{name}} is left out of the packaged app")
sys.meta_path.insert(0, _LeftOut())
"""


@pytest.mark.slow
def test_the_app_screens_reports_and_self_tests_without_the_numpy_parts_left_out(tmp_path: Path) -> None:
    from dicom_check import film_as_dicom
    from tests.desktop_support import run_desktop

    inputs = tmp_path / "in"
    shutil.copytree(REPO_ROOT / "samples", inputs)
    film_as_dicom(REPO_ROOT / "samples" / "kermany-test-pneumonia-person100_bacteria_475.jpeg", inputs / "dx.dcm",
                  "005Y")  # a DICOM film, so that --dicom-out writes its report and heatmap
    out = tmp_path / "out"
    done = run_desktop(["screen", str(inputs), "--out", str(out / "r.csv"), "--pdf", str(out / "r.pdf"),
                        "--dicom-out", str(out / "dicom")], tmp_path / "data", prelude=_WITHOUT_NUMPY_UNUSED)
    assert done.returncode == 0, done.stderr
    assert "10 screened" in done.stdout and "0 error" in done.stdout
    assert (out / "r.pdf").stat().st_size > 0 and len(list((out / "dicom").glob("*.dcm"))) == 2
    checked = run_desktop(["--self-test"], tmp_path / "data", prelude=_WITHOUT_NUMPY_UNUSED)
    assert checked.returncode == 0 and "RESULT: PASS" in checked.stdout, checked.stdout + checked.stderr
    blocked = run_desktop(["--help"], tmp_path / "data", prelude=_WITHOUT_NUMPY_UNUSED + "import numpy.random\n")
    assert "numpy.random is left out" in blocked.stderr  # the guard itself works
