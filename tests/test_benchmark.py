"""benchmarks/run.py: chapter order, memory sampling and the Performance table."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time

import pytest

from conftest import NOTEBOOKS, REPO_ROOT


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_run", REPO_ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_chapters_follow_the_toc(bench):
    chapters = bench.chapters_in_toc_order()
    assert chapters == sorted(chapters)
    assert set(chapters) == {p.stem for p in NOTEBOOKS.glob("*.ipynb")}


def test_peak_memory_sees_a_child_process(bench):
    code = "import time; block = bytearray(200 * 2**20); time.sleep(1.0)"
    with bench.PeakMemory(interval_s=0.02) as memory:
        child = subprocess.Popen([sys.executable, "-c", code])
        child.wait()
    assert memory.peak_bytes > 200 * 2**20


def test_markdown_table_lists_every_chapter(bench):
    results = {
        "date": "2026-11-23",
        "machine": {"cpu_count": 2, "memory_gb": 24, "gpu": "no GPU", "python": "3.11.7", "platform": "Linux"},
        "notebooks": {
            "01_a": {"wall_s": 12.34, "peak_rss_mb": 345.6, "headline": [],
                     "figures": {"ch01_x": 0.98765, "ch01_runtime": "s"}},
            "03_c": {"wall_s": 1.0, "peak_rss_mb": 1.0, "headline": ["ch03_b"],
                     "figures": {"ch03_a": 1, "ch03_b": 2}},
            "02_b": {"wall_s": 100.0, "peak_rss_mb": 1000.0, "figures": {"ch02_title": "Apollo"}},
        },
    }
    table = bench.markdown_table(results)
    assert "| 01_a | 12.3 | 346 | `ch01_x` = 0.9877 |" in table
    assert "| 02_b | 100.0 | 1000 | `ch02_title` = Apollo |" in table
    assert "ch01_runtime" not in table
    assert "`ch03_b` = 2 |" in table and "ch03_a" not in table
    assert "2 CPU cores" in table


def test_unknown_chapter_is_refused(bench, capsys):
    with pytest.raises(SystemExit):
        bench.main(["99_nothing"])
    assert "not a chapter in _toc.yml: 99_nothing" in capsys.readouterr().err
