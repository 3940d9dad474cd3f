"""tutorial_utils.memory: freed memory goes back to the operating system where the C library allows."""

from __future__ import annotations

import ctypes

from tutorial_utils.memory import release_freed_memory


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS line")


def test_freed_arrays_leave_the_process():
    import numpy as np

    # many mid-sized arrays (below the size glibc maps separately), freed in an order that leaves the
    # heap's top in use, so that only a trim can return the space
    blocks = [np.ones(16_000, dtype=np.float64) for _ in range(2_000)]  # 128 kB each, 256 MB
    keep = blocks[-1]
    before = _rss_mb()
    del blocks
    assert release_freed_memory() is True
    after = _rss_mb()
    assert keep.sum() == 16_000
    assert after < before - 100  # the 250 MB of freed blocks are mostly gone


def test_without_glibc_only_the_collector_runs(monkeypatch):
    def no_libc(name, *args, **kwargs):
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(ctypes, "CDLL", no_libc)
    assert release_freed_memory() is False
