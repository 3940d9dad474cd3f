"""Execute every chapter in a fresh kernel; record wall time, peak memory and glued figures.

Usage: ``python benchmarks/run.py [NOTEBOOK_STEM ...]`` (``make bench`` runs them all).

Writes ``benchmarks/results.json`` (one entry per notebook: ``wall_s``, ``peak_rss_mb``,
``figures`` with every glued figure, ``headline`` with the names the chapter lists in its
notebook metadata ``book.headline_figures``) and ``benchmarks/results.md``, the table the
book's Performance page includes (headline figures only).
Peak memory is the largest resident set of the kernel process and its children,
sampled every 50 ms while the notebook runs. Executed copies go to ``_build/bench``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import threading
import time
from pathlib import Path

import nbformat
import psutil
import yaml
from nbclient import NotebookClient

from tutorial_utils.figures import read_glued_figures

REPO_ROOT = Path(__file__).resolve().parents[1]
RESULTS_JSON = REPO_ROOT / "benchmarks" / "results.json"
RESULTS_MD = REPO_ROOT / "benchmarks" / "results.md"
EXECUTED = REPO_ROOT / "_build" / "bench"
CELL_TIMEOUT_S = 1800


def chapters_in_toc_order() -> list[str]:
    """Notebook stems in the order the book lists them."""
    toc = (REPO_ROOT / "_toc.yml").read_text()
    entries = [e for e in yaml.safe_load(toc).get("parts", []) for e in e.get("chapters", [])]
    return [Path(e["file"]).name for e in entries if e["file"].startswith("notebooks/")]


class PeakMemory:
    """Samples the resident memory of this process's children (the kernel) in a thread."""

    def __init__(self, interval_s: float = 0.05) -> None:
        self.interval_s = interval_s
        self.peak_bytes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for child in me.children(recursive=True):
                try:
                    total += child.memory_info().rss
                except psutil.Error:
                    pass
            self.peak_bytes = max(self.peak_bytes, total)
            self._stop.wait(self.interval_s)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_notebook(stem: str) -> dict:
    source = REPO_ROOT / "notebooks" / f"{stem}.ipynb"
    notebook = nbformat.read(source, as_version=4)
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(source.parent)}})
    with PeakMemory() as memory:
        start = time.perf_counter()
        client.execute()
        wall_s = time.perf_counter() - start
    EXECUTED.mkdir(parents=True, exist_ok=True)
    executed = EXECUTED / source.name
    nbformat.write(notebook, executed)
    return {
        "wall_s": round(wall_s, 1),
        "peak_rss_mb": round(memory.peak_bytes / 2**20, 1),
        "headline": headline_figures(notebook),
        "figures": read_glued_figures(executed),
    }


def headline_figures(notebook: dict) -> list[str]:
    """The figure names a chapter lists in its metadata (``book.headline_figures``)."""
    return list(notebook.get("metadata", {}).get("book", {}).get("headline_figures", []))


def _format(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def markdown_table(results: dict) -> str:
    machine = results["machine"]
    lines = [
        f"Measured on {results['date']}: {machine['cpu_count']} CPU cores, "
        f"{machine['memory_gb']} GB memory, {machine['gpu']}, Python {machine['python']} "
        f"({machine['platform']}). Each chapter ran once, from a fresh kernel.",
        "",
        "| chapter | wall time (s) | peak memory (kernel, MB) | headline figures |",
        "| --- | ---: | ---: | --- |",
    ]
    for stem, entry in results["notebooks"].items():
        names = entry.get("headline") or [k for k in entry["figures"] if not k.endswith("_runtime")][:5]
        figures = "; ".join(f"`{k}` = {_format(entry['figures'][k])}" for k in names if k in entry["figures"])
        lines.append(f"| {stem} | {entry['wall_s']:.1f} | {entry['peak_rss_mb']:.0f} | {figures} |")
    return "\n".join(lines) + "\n"


def machine_facts() -> dict:
    gpu = "no GPU"
    try:
        import torch

        if torch.cuda.is_available():
            gpu = f"GPU {torch.cuda.get_device_name(0)}"
    except ImportError:
        pass
    return {
        "cpu_count": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30),
        "gpu": gpu,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebook stems (default: every chapter in _toc.yml)")
    args = parser.parse_args(argv)
    known = chapters_in_toc_order()
    unknown = sorted(set(args.notebooks) - set(known))
    if unknown:
        parser.error(f"not a chapter in _toc.yml: {', '.join(unknown)}; chapters: {', '.join(known)}")
    selected = args.notebooks or known

    previous = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
    notebooks = {k: v for k, v in previous.get("notebooks", {}).items() if k in known}
    for stem in selected:
        print(f"{stem}: running...", flush=True)
        notebooks[stem] = run_notebook(stem)
        print(f"{stem}: {notebooks[stem]['wall_s']:.1f} s, peak {notebooks[stem]['peak_rss_mb']:.0f} MB", flush=True)

    results = {
        "date": dt.date.today().isoformat(),
        "machine": machine_facts(),
        "notebooks": {stem: notebooks[stem] for stem in known if stem in notebooks},
    }
    RESULTS_JSON.write_text(json.dumps(results, indent=2) + "\n")
    RESULTS_MD.write_text(markdown_table(results))
    print(f"wrote {RESULTS_JSON.relative_to(REPO_ROOT)} and {RESULTS_MD.relative_to(REPO_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
