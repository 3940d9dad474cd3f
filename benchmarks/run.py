"""Execute every chapter in a fresh kernel; record wall time, peak memory and glued figures.

Usage: ``python benchmarks/run.py [NOTEBOOK_STEM ...]`` (``make bench`` runs them all).

Writes ``benchmarks/results.json`` (one entry per notebook: ``wall_s``, ``peak_rss_mb``,
``figures`` with every glued figure, ``headline`` with the names the chapter lists in its
notebook metadata ``book.headline_figures``) and ``benchmarks/results.md``, the table the
book's Performance page includes (headline figures only).
Peak memory is the kernel's true peak: the high-water mark of its resident set (``VmHWM`` in
``/proc/<pid>/status``, which the Linux kernel keeps for the life of the process) summed over the
kernel process and any child it starts, read every 50 ms and once more after every cell (so the
kernel's last reading comes after its last cell, and a short peak between two readings is not
missed), together with the machine's 1-minute load
average (other work on the machine slows a chapter down: the load says how quiet it was).
Executed copies go to ``_build/bench``.

Models chapters share (``tutorial_utils.cache.train_once``) go to a model cache that starts
empty for each run and is shared by the chapters in book order, as a reader running the whole
book has it; an entry's ``cache_hits`` counts the models a chapter loaded from it. A chapter
that loaded any is run once more, alone, with an empty cache (the Binder case, a chapter opened
by itself): its ``alone`` entry holds that run's ``wall_s`` and ``peak_rss_mb``, and the time
and memory budgets are checked on it. ``book_total_s`` is the whole book's time in order.

Speed targets live in each notebook's metadata, ``book.time_targets_s``: ``{"wall_s": 180}``
for the whole chapter, or a glued figure's name (``{"ch02_train_seconds": 60}``) for a part
of it. Speed figures that must reach a floor (a throughput ratio, a speed-up) live in
``book.speed_floors``: ``{"ch03_throughput_ratio": 0.5}`` means the glued figure must be at
least 0.5. Speed depends on the machine and on what else runs on it, so these targets are
checked here, on a recorded run, and not by the test suite. Every target is checked and
reported; the command exits with status 1 when one is missed, naming it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

from tutorial_utils.figures import read_glued_figures

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT / "tests"))
from book_site import toc_files  # noqa: E402  (the one reader of _toc.yml, shared with the tests)
RESULTS_JSON = REPO_ROOT / "benchmarks" / "results.json"
RESULTS_MD = REPO_ROOT / "benchmarks" / "results.md"
EXECUTED = REPO_ROOT / "_build" / "bench"
CELL_TIMEOUT_S = 1800


def chapters_in_toc_order() -> list[str]:
    """Notebook file names in the order the book lists them (a chapter's companions right after it)."""
    return [Path(f).name for f in toc_files(REPO_ROOT) if f.startswith("notebooks/")]


class PeakMemory:
    """Reads the resident-memory high-water mark of this process's children (the kernel) in a thread."""

    def __init__(self, interval_s: float = 0.05) -> None:
        self.interval_s = interval_s
        self.peak_bytes = 0
        self.peak_load = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def high_water_mark(pid: int) -> int:
        """The largest resident set process ``pid`` has had so far, in bytes (``VmHWM``); 0 for a process
        that has exited but not been reaped yet (a zombie keeps no memory, and no VmHWM line)."""
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024  # reported in kB
        return 0

    def sample(self) -> int:
        """Read the children's high-water marks and the load once, keeping the peaks; returns the bytes read."""
        total = 0
        for child in psutil.Process().children(recursive=True):
            try:
                total += self.high_water_mark(child.pid)
            except (OSError, psutil.Error):  # a child that exited between the listing and the reading
                pass
        self.peak_bytes = max(self.peak_bytes, total)
        self.peak_load = max(self.peak_load, os.getloadavg()[0])
        return total

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval_s)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


MODEL_DIR_VARIABLE = "EMBEDDINGS_MODEL_DIR"  # tutorial_utils.cache reads it
CACHE_HIT = "train_once: loaded"  # the line tutorial_utils.cache prints for a model it loaded


def cache_hits(notebook: dict) -> int:
    """How many models an executed notebook loaded from the model cache (from its printed lines)."""
    return sum(
        str(output.get("text", "")).count(CACHE_HIT)
        for cell in notebook.get("cells", []) if cell.get("cell_type") == "code"
        for output in cell.get("outputs", []) if output.get("output_type") == "stream"
    )


def run_notebook(stem: str, model_dir: Path | None = None) -> dict:
    """Execute one chapter in a fresh kernel (with ``model_dir`` as its model cache, or a new empty one)."""
    if model_dir is None:
        with tempfile.TemporaryDirectory(prefix="bench-models-") as empty:
            return run_notebook(stem, Path(empty))
    os.environ[MODEL_DIR_VARIABLE] = str(model_dir)  # the kernel inherits it
    source = REPO_ROOT / "notebooks" / f"{stem}.ipynb"
    notebook = nbformat.read(source, as_version=4)
    memory = PeakMemory()
    client = NotebookClient(notebook, timeout=CELL_TIMEOUT_S, kernel_name="python3",
                            resources={"metadata": {"path": str(source.parent)}},
                            on_cell_executed=lambda **_: memory.sample())  # the kernel is still alive
    with memory:
        start = time.perf_counter()
        client.execute()
        wall_s = time.perf_counter() - start
    EXECUTED.mkdir(parents=True, exist_ok=True)
    executed = EXECUTED / source.name
    nbformat.write(notebook, executed)
    entry = {
        "wall_s": round(wall_s, 1),
        "peak_rss_mb": round(memory.peak_bytes / 2**20, 1),
        "max_load_1min": round(memory.peak_load, 1),
        "headline": headline_figures(notebook),
        "figures": read_glued_figures(executed),
        "cache_hits": cache_hits(notebook),
    }
    entry["time_targets"] = check_time_targets(notebook.get("metadata", {}), entry)
    entry["speed_floors"] = check_speed_floors(notebook.get("metadata", {}), entry)
    entry["budgets"] = check_budgets(stem, entry)
    return entry


def _glued_number(entry: dict, name: str, target: str) -> float:
    measured = entry["figures"].get(name)
    if isinstance(measured, bool) or not isinstance(measured, (int, float)):
        raise ValueError(f"{target} {name!r}: the notebook glued no number of that name")
    return measured


def check_time_targets(metadata: dict, entry: dict) -> list[dict]:
    """Each speed target of ``book.time_targets_s`` with what was measured and whether it held."""
    checked = []
    for name, limit_s in metadata.get("book", {}).get("time_targets_s", {}).items():
        measured = entry["wall_s"] if name == "wall_s" else _glued_number(entry, name, "time target")
        checked.append({"name": name, "limit_s": limit_s, "measured_s": measured, "met": measured <= limit_s})
    return checked


def check_speed_floors(metadata: dict, entry: dict) -> list[dict]:
    """Each floor of ``book.speed_floors`` (a glued figure that must be at least the given value)."""
    checked = []
    for name, floor in metadata.get("book", {}).get("speed_floors", {}).items():
        measured = _glued_number(entry, name, "speed floor")
        checked.append({"name": name, "at_least": floor, "measured": measured, "met": measured >= floor})
    return checked


#: The reader's budget for every notebook, run alone from a clean cache: the time on this project's
#: 2-core machine (chapters 8 and 9 teach pretraining and get a minute more), and the kernel's peak
#: memory (mybinder.org gives a session 2 GB in all, the Jupyter server included).
BUDGET_WALL_S = {"default": 240, "08": 300, "09": 300}
BUDGET_PEAK_MB = 1800
BUDGET_BOOK_S = 1500  # the whole book, in order


def check_budgets(stem: str, entry: dict) -> list[dict]:
    """The reader's time and memory budget for chapter ``stem``, with what was measured: the run
    alone from an empty model cache (``entry["alone"]``) when there is one, else the entry's own."""
    wall_limit = BUDGET_WALL_S.get(stem[:2], BUDGET_WALL_S["default"])
    alone = entry.get("alone") or entry
    return [
        {"name": "wall_s", "limit": wall_limit, "measured": alone["wall_s"], "unit": "s",
         "met": alone["wall_s"] <= wall_limit},
        {"name": "peak_rss_mb", "limit": BUDGET_PEAK_MB, "measured": alone["peak_rss_mb"], "unit": "MB",
         "met": alone["peak_rss_mb"] <= BUDGET_PEAK_MB},
    ]


def missed_targets(entry: dict) -> list[str]:
    """One line for each budget, time target or speed floor of a benchmark entry that was missed."""
    lines = [f"budget {b['name']} = {b['measured']:.0f} {b['unit']}, limit {b['limit']} {b['unit']}"
             for b in entry.get("budgets", []) if not b["met"]]
    lines += [f"{t['name']} = {t['measured_s']:.1f} s, target < {t['limit_s']} s"
              for t in entry.get("time_targets", []) if not t["met"]]
    lines += [f"{t['name']} = {t['measured']:.3g}, target >= {t['at_least']}"
              for t in entry.get("speed_floors", []) if not t["met"]]
    return lines


def _targets_cell(entry: dict) -> str:
    parts = [f"budget {'time' if b['name'] == 'wall_s' else 'memory'} <= {b['limit']} {b['unit']}: **missed**"
             for b in entry.get("budgets") or [] if not b["met"]]
    for t in entry.get("time_targets") or []:
        what = "whole chapter" if t["name"] == "wall_s" else f"`{t['name']}`"
        verdict = "met" if t["met"] else f"**missed** ({t['measured_s']:.0f} s)"
        parts.append(f"{what} < {t['limit_s']} s: {verdict}")
    for t in entry.get("speed_floors") or []:
        verdict = "met" if t["met"] else "**missed**"
        parts.append(f"`{t['name']}` >= {t['at_least']}: {verdict} ({t['measured']:.3g})")
    return "; ".join(parts) or "none set"


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
        f"({machine['platform']}). Each chapter ran once, from a fresh kernel; the load column is the",
        "largest 1-minute load average seen during the run (about 1 to 2 when nothing else runs).",
        "",
        "| chapter | wall time (s) | speed targets | peak memory (kernel, MB) | load | headline figures |",
        "| --- | ---: | --- | ---: | ---: | --- |",
    ]
    for stem, entry in results["notebooks"].items():
        names = entry.get("headline") or [k for k in entry["figures"] if not k.endswith("_runtime")][:5]
        figures = "; ".join(f"`{k}` = {_format(entry['figures'][k])}" for k in names if k in entry["figures"])
        load = f"{entry['max_load_1min']:.1f}" if "max_load_1min" in entry else "n/a"
        wall, peak = f"{entry['wall_s']:.1f}", f"{entry['peak_rss_mb']:.0f}"
        if entry.get("alone"):  # it loaded models from the cache: its run alone, from an empty cache
            wall += f" (alone: {entry['alone']['wall_s']:.1f})"
            peak += f" (alone: {entry['alone']['peak_rss_mb']:.0f})"
        lines.append(f"| {stem} | {wall} | {_targets_cell(entry)} | {peak} | {load} | {figures} |")
    total = results.get("book_total_s")
    if total is not None:
        lines += ["", f"The whole book in order: {total:.0f} s (budget {BUDGET_BOOK_S} s). A chapter that loaded "
                  "a model an earlier one trained (`tutorial_utils.cache`) was also run alone, from an empty "
                  "model cache, as on Binder; its budgets are checked on that run."]
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


def record(measured: dict[str, dict], known: list[str]) -> None:
    """Merge ``measured`` into results.json as it is on disk now (another run may have written it
    meanwhile), keeping the chapters in book order, and rewrite results.md."""
    previous = json.loads(RESULTS_JSON.read_text()) if RESULTS_JSON.exists() else {}
    notebooks = {k: v for k, v in previous.get("notebooks", {}).items() if k in known}
    notebooks.update(measured)
    results = {
        "date": dt.date.today().isoformat(),
        "machine": machine_facts(),
        "notebooks": {stem: notebooks[stem] for stem in known if stem in notebooks},
    }
    if all(stem in results["notebooks"] for stem in known):
        results["book_total_s"] = round(sum(e["wall_s"] for e in results["notebooks"].values()), 1)
    RESULTS_JSON.write_text(json.dumps(results, indent=2) + "\n")
    RESULTS_MD.write_text(markdown_table(results))
    print(f"wrote {RESULTS_JSON.relative_to(REPO_ROOT)} and {RESULTS_MD.relative_to(REPO_ROOT)}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help="notebook stems (default: every chapter in _toc.yml)")
    args = parser.parse_args(argv)
    known = chapters_in_toc_order()
    unknown = sorted(set(args.notebooks) - set(known))
    if unknown:
        parser.error(f"not a chapter in _toc.yml: {', '.join(unknown)}; chapters: {', '.join(known)}")
    selected = args.notebooks or known

    measured: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-models-") as shared:  # empty at the start
        for stem in selected:
            print(f"{stem}: running...", flush=True)
            measured[stem] = entry = run_notebook(stem, Path(shared))
            print(f"{stem}: {entry['wall_s']:.1f} s, peak {entry['peak_rss_mb']:.0f} MB, "
                  f"max load {entry['max_load_1min']}, models loaded from the cache: {entry['cache_hits']}",
                  flush=True)
            record(measured, known)  # after every chapter: an interrupted run keeps what it measured
    for stem in [stem for stem in selected if measured[stem]["cache_hits"]]:
        print(f"{stem}: running again alone, with an empty model cache...", flush=True)
        alone = run_notebook(stem)
        entry = measured[stem]
        entry["alone"] = {k: alone[k] for k in ("wall_s", "peak_rss_mb", "max_load_1min")}
        entry["budgets"] = check_budgets(stem, entry)
        print(f"{stem} alone: {alone['wall_s']:.1f} s, peak {alone['peak_rss_mb']:.0f} MB", flush=True)
        record(measured, known)
    notebooks = measured
    missed = [(stem, line) for stem in selected for line in missed_targets(notebooks[stem])]
    total = json.loads(RESULTS_JSON.read_text()).get("book_total_s")
    if set(selected) == set(known) and total is not None and total > BUDGET_BOOK_S:
        missed.append(("whole book", f"in order = {total:.0f} s, budget {BUDGET_BOOK_S} s"))
    for stem, line in missed:
        load = notebooks[stem]["max_load_1min"] if stem in notebooks else max(
            e["max_load_1min"] for e in notebooks.values())
        print(f"speed target missed: {stem} {line} (max 1-minute load {load}; "
              "rerun on a quiet machine to confirm)")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
