"""Keep freed array memory in the process between films instead of handing it back to the kernel (glibc).

Why: screening one 224-pixel film makes dozens of numpy temporaries of 200–600 KB (the quality score's
blurs and neighbour products, the gate's and the classifier's inputs), a few megabytes of them alive at
once. glibc serves each block above its mmap threshold (128 KiB at start) with a fresh ``mmap``, and hands
the top of its heap back to the kernel whenever more than its trim threshold (twice that) lies free there.
It slides both thresholds up after freeing a large mapped block, but only to that block's size: after the
first film the temporaries come from the heap, yet freeing them leaves megabytes free at its top, which
go back to the kernel and are faulted in again, zeroed, on the next film. Measured: 2,346 minor page faults
per film in the quality score alone, and the decode side's CPU per film 0.62× with this setting on 200
Kermany films (``benchmarks/array_memory.py``, docs/desktop.md § Throughput). Either threshold alone makes
it worse (setting one stops glibc sliding the other): 4,198 and 4,696 faults. Both are set, to glibc's own
ceiling for the sliding mmap threshold on 64-bit (32 MiB) and twice that for trimming, as its rule pairs them.

What it costs: up to 64 MiB of freed heap may stay mapped per malloc arena instead of being returned at
once; the peak RSS of screening 100 films is reported by ``packaging/build.py`` as before.

Nothing changes a computed value: only where the allocator finds its memory. On other C libraries
(macOS, Windows, musl) this does nothing, and ``MALLOC_MMAP_THRESHOLD_``/``MALLOC_TRIM_THRESHOLD_`` in
the environment, a maintainer's explicit choice, are left alone.
"""

from __future__ import annotations

import ctypes
import os
import sys

#: glibc's ``mallopt`` parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
#: glibc's own ceiling for its sliding mmap threshold on 64-bit (DEFAULT_MMAP_THRESHOLD_MAX).
MMAP_THRESHOLD = 32 * 1024 * 1024
TRIM_THRESHOLD = 2 * MMAP_THRESHOLD
_ENVIRONMENT = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")


def glibc_version() -> str | None:
    """``"glibc 2.36"`` where the process runs on glibc, else None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return os.confstr("CS_GNU_LIBC_VERSION") or None
    except (ValueError, OSError):  # a C library without the name (musl)
        return None


def keep_freed_memory() -> bool:
    """Set glibc's mmap and trim thresholds (module docstring); call once, before the screening threads start.

    Returns True when they were set; False on another C library or when the environment already sets them.
    """
    if glibc_version() is None or any(name in os.environ for name in _ENVIRONMENT):
        return False
    mallopt = ctypes.CDLL(None).mallopt
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
