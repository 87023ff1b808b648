"""Qt's ICU data, cut to what the app's languages need (Linux): the folder's largest file, 32 → 4.8 MB.

PySide6's Linux wheels carry ICU, whose data library (``libicudata.so.NN``: one symbol,
``icudtNN_dat``, holding an ICU common-data package of ~3,900 items) QtCore loads for collation
(QCollator: file dialogs, sorted names), locale-aware case mapping, time-zone names and text codecs
beyond UTF-8/16 and Latin-1. Nearly all of it is per-locale data for ~800 locales, codec tables and
Chinese/Japanese/South-East Asian word-break dictionaries. `cut` rewrites the package keeping every
item that is not a locale's (normalisation, the root collation, character properties, zone and
supplemental data) and the locale items of root and `desktop.i18n.LANGUAGES` (each with its regional
variants: ``fr_CA``, ``pt_PT``…), then links it back into a library with the same soname and symbol
(binutils' ``as`` and ``ld``). Left out: other locales (ICU falls back to root, as for any locale it
lacks), ``*.cnv`` codec tables, break dictionaries, transliterators and Unicode character names.

`check` proves the cut library serves Qt as the full one does: in every app language, QCollator
sorts a list of accented words the same with both, and not in code-point order (ICU is in use).
Windows and macOS wheels use the system's ICU: nothing to cut there.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path, PurePosixPath

from desktop.i18n import LANGUAGES

LIBRARY_GLOB = "libicudata.so.*"
#: An item named like a locale (``fr``, ``pt_PT``, ``zh_Hant_TW``, ``en_US_POSIX``) rather than a
#: shared table (``root``, ``pool``, ``supplementalData``, ``zoneinfo64``…), except `_INDEX`.
_LOCALE = re.compile(r"[a-z]{2,3}(_[A-Za-z0-9]*)*")
#: Each tree's list of its locales: shared, though named like one.
_INDEX = "res_index"
#: Trees and kinds of items the app never needs.
_UNUSED_TREES = frozenset({"translit"})
_UNUSED_SUFFIXES = (".cnv", ".dict")
_UNUSED_ITEMS = frozenset({"unames.icu"})
#: ICU aligns every item of a package on 16 bytes, padding with 0xAA (``pkgdata`` does).
_ALIGNMENT = 16
_PAD = b"\xaa"
#: Words whose order differs between ICU's collation and code points (case, accents, ñ, ç).
_PROBE_WORDS = ["côte", "cote", "Côté", "coté", "Zèbre", "apple", "Éclair", "eclair", "ñu", "nube", "oso",
                "ação", "acao", "Baba", "çava", "cava", "Ünter", "unter", "10", "9"]
_COLLATION_PROBE = """
import json, sys
from functools import cmp_to_key
from PySide6.QtCore import QCollator, QLocale
words = json.loads(sys.argv[1])
print(json.dumps({code: sorted(words, key=cmp_to_key(QCollator(QLocale(code)).compare)) for code in sys.argv[2:]}))
"""


def kept_item(name: str, languages: frozenset[str]) -> bool:
    """Whether the item ``name`` (``icudt73l/coll/fr_CA.res``) stays in the cut package."""
    parts = PurePosixPath(name).parts[1:]
    item = parts[-1]
    if parts[0] in _UNUSED_TREES or item.endswith(_UNUSED_SUFFIXES) or item in _UNUSED_ITEMS:
        return False
    stem, _, suffix = item.rpartition(".")
    if suffix != "res" or stem == _INDEX or not _LOCALE.fullmatch(stem):
        return True
    return stem.split("_")[0] in languages


def read_package(data: bytes) -> tuple[bytes, list[tuple[str, bytes]]]:
    """An ICU common-data package → its header and its items (name, bytes), in table-of-contents order."""
    header_size = struct.unpack_from("<H", data, 0)[0]
    if data[2:4] != b"\xda\x27" or data[12:16] != b"CmnD":
        raise ValueError("not an ICU common-data package")
    count = struct.unpack_from("<I", data, header_size)[0]
    entries = [struct.unpack_from("<II", data, header_size + 4 + 8 * index) for index in range(count)]
    ends = [offset for _, offset in entries[1:]] + [len(data) - header_size]
    items = []
    for (name_offset, offset), end in zip(entries, ends):
        start = header_size + name_offset
        name = data[start:data.index(b"\0", start)].decode("ascii")
        items.append((name, data[header_size + offset:header_size + end]))
    return data[:header_size], items


def write_package(header: bytes, items: list[tuple[str, bytes]]) -> bytes:
    """The inverse of `read_package`: table of contents (names sorted, as ICU's binary search needs),
    then each item on a 16-byte boundary."""
    items = sorted(items, key=lambda item: item[0].encode("ascii"))
    names = b"".join(name.encode("ascii") + b"\0" for name, _ in items)
    table_size = 4 + 8 * len(items)
    offset = _aligned(len(header) + table_size + len(names)) - len(header)
    entries, name_offset, body = [], table_size, bytearray()
    for name, content in items:
        entries.append(struct.pack("<II", name_offset, offset + len(body)))
        name_offset += len(name) + 1
        body += content + _PAD * (_aligned(len(content)) - len(content))
    table = struct.pack("<I", len(items)) + b"".join(entries) + names
    return header + table + _PAD * (offset - table_size - len(names)) + bytes(body)


def _aligned(size: int) -> int:
    return -(-size // _ALIGNMENT) * _ALIGNMENT


def data_symbol(library: Path) -> tuple[str, int, int]:
    """The library's data symbol: its name, file offset and size (``nm``, then the ELF section table)."""
    listing = subprocess.run(["nm", "-D", "-S", "--defined-only", str(library)], capture_output=True, text=True,
                             check=True).stdout
    found = re.search(r"^([0-9a-f]+) ([0-9a-f]+) R (icudt\d+_dat)$", listing, re.MULTILINE)
    if found is None:
        raise ValueError(f"{library} exports no icudtNN_dat symbol")
    address, size = int(found[1], 16), int(found[2], 16)
    return found[3], _file_offset(library.read_bytes(), address), size


def _file_offset(elf: bytes, address: int) -> int:
    """Where the byte at virtual ``address`` lies in a 64-bit little-endian ELF file."""
    section_table, entry_size, count = struct.unpack_from("<Q", elf, 0x28)[0], *struct.unpack_from("<HH", elf, 0x3A)
    for index in range(count):
        _, _, _, section_address, offset, size = struct.unpack_from("<IIQQQQ", elf, section_table + index * entry_size)
        if section_address and section_address <= address < section_address + size:
            return offset + address - section_address
    raise ValueError(f"address {address:#x} is in no section")


def link_library(package: bytes, symbol: str, soname: str, out: Path) -> None:
    """A shared library named ``soname`` exporting ``package`` as read-only ``symbol``, as ICU builds it."""
    with tempfile.TemporaryDirectory(prefix="icu-data-") as work:
        data, source, obj = Path(work, "data.dat"), Path(work, "data.s"), Path(work, "data.o")
        data.write_bytes(package)
        source.write_text(f'.section .rodata\n.globl {symbol}\n.type {symbol}, @object\n.balign {_ALIGNMENT}\n'
                          f'{symbol}:\n.incbin "{data}"\n.size {symbol}, . - {symbol}\n'
                          '.section .note.GNU-stack,"",@progbits\n', encoding="ascii")
        subprocess.run(["as", "-o", str(obj), str(source)], check=True)
        subprocess.run(["ld", "-shared", "-soname", soname, "-z", "noexecstack", "-o", str(out), str(obj)], check=True)


def tools_missing() -> list[str]:
    return [tool for tool in ("nm", "as", "ld") if shutil.which(tool) is None]


def cut(library: Path, languages: frozenset[str] = frozenset(LANGUAGES)) -> float:
    """Replace ``library`` with one holding only `kept_item` s; return the MB saved."""
    symbol, offset, size = data_symbol(library)
    before = library.stat().st_size
    header, items = read_package(library.read_bytes()[offset:offset + size])
    package = write_package(header, [(name, content) for name, content in items if kept_item(name, languages)])
    replacement = library.with_name(library.name + ".cut")
    link_library(package, symbol, library.name, replacement)
    os.replace(replacement, library)
    return (before - library.stat().st_size) / 1e6


def collation_orders(library: Path, languages: tuple[str, ...]) -> dict[str, list[str]]:
    """How QCollator sorts `_PROBE_WORDS` in each language, with ``library`` as ICU's data."""
    env = dict(os.environ, LD_PRELOAD=str(library), QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", _COLLATION_PROBE, json.dumps(_PROBE_WORDS), *languages],
                            capture_output=True, text=True, env=env, timeout=60, check=True)
    return json.loads(result.stdout)


def check(cut_library: Path, full_library: Path, languages: tuple[str, ...] = tuple(LANGUAGES)) -> None:
    """Fail the build unless the cut data sorts as the full data does, and as ICU (not code points) sorts."""
    full, trimmed = collation_orders(full_library, languages), collation_orders(cut_library, languages)
    wrong = [code for code in languages if trimmed[code] != full[code] or full[code] == sorted(_PROBE_WORDS)]
    if wrong:
        raise SystemExit(f"the cut ICU data {cut_library} does not collate as the full one in: {', '.join(wrong)}\n"
                         + "\n".join(f"  {code}: {trimmed[code]} != {full[code]}" for code in wrong))


def cut_in_folder(folder: Path) -> float:
    """`cut` the app folder's ICU data and `check` it against the wheel's; the MB saved (0: nothing to
    cut on this platform, or binutils missing, said in one ``WARNING:`` line)."""
    libraries = sorted((folder / "_internal" / "PySide6" / "Qt" / "lib").glob(LIBRARY_GLOB))
    if sys.platform != "linux" or not libraries:
        return 0.0
    missing = tools_missing()
    if missing:
        print(f"WARNING: {', '.join(missing)} not found: Qt's ICU data is shipped whole (apt install binutils)")
        return 0.0
    import PySide6

    saved = cut(libraries[0])
    check(libraries[0], Path(PySide6.__file__).resolve().parent / "Qt" / "lib" / libraries[0].name)
    return saved
