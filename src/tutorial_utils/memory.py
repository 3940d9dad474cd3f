"""Keeping a notebook's memory inside a 2 GB Binder session."""

from __future__ import annotations

import ctypes
import gc

__all__ = ["release_freed_memory"]


def release_freed_memory() -> bool:
    """Collect garbage, then hand memory that Python and NumPy freed back to the operating system.

    Freed arrays stay in the C library's heap, counted in the process's memory, until the heap is
    trimmed; a later part of a notebook then adds its own arrays on top of them. Trimming needs
    glibc (Linux); elsewhere only the garbage collection runs. Returns whether the heap was trimmed.
    """
    gc.collect()
    try:
        libc = ctypes.CDLL("libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc: macOS, Windows, musl
        return False
    trim(0)  # returns 1 when memory was released, 0 when there was none to release
    return True
