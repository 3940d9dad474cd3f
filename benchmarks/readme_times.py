"""Write the README's table of how long each chapter takes, from ``benchmarks/results.json``.

Usage: ``python benchmarks/readme_times.py`` (``make bench`` runs it after ``benchmarks/run.py``).
The table sits in README.md between the two ``chapter-times`` markers;
``tests/test_readme.py`` checks that it matches the results.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
README = REPO_ROOT / "README.md"
RESULTS_JSON = REPO_ROOT / "benchmarks" / "results.json"
START = "<!-- chapter-times:start (written by benchmarks/readme_times.py from benchmarks/results.json) -->"
END = "<!-- chapter-times:end -->"


def _title(stem: str) -> str:
    path = REPO_ROOT / "notebooks" / f"{stem}.ipynb"
    if path.exists():
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            for line in "".join(cell["source"]).splitlines():
                if cell["cell_type"] == "markdown" and line.startswith("# "):
                    return line[2:].strip()
    return stem


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


def _how_busy(results: dict) -> str:
    """How busy the machine was: the largest 1-minute load average of any chapter's run, against its cores."""
    loads = [e["max_load_1min"] for e in results.get("notebooks", {}).values() if "max_load_1min" in e]
    cores = results.get("machine", {}).get("cpu_count")
    if not loads or len(loads) < len(results.get("notebooks", {})) or not cores:
        return "with other work on the machine at times"
    if max(loads) <= cores:
        return f"on an otherwise quiet machine (1-minute load at most {max(loads):.1f})"
    return f"with other work on the machine (1-minute load up to {max(loads):.1f} on {cores} cores)"


def table(results: dict) -> str:
    """The markdown block (markers included) for ``results`` (the parsed results.json)."""
    machine = results.get("machine", {})
    rows = [START, "",
            f"Measured by `make bench` on {results.get('date', '?')}: {machine.get('cpu_count', '?')} CPU cores, "
            f"{machine.get('gpu', '?')}, each chapter once from a fresh kernel, {_how_busy(results)}. "
            "A recent laptop is usually faster.", "",
            "| chapter | time to run | peak memory |", "| --- | ---: | ---: |"]
    total = 0.0
    for stem, entry in sorted(results.get("notebooks", {}).items()):
        total += entry["wall_s"]
        alone = entry.get("alone") or entry  # a chapter opened by itself trains what it would load
        rows.append(f"| {stem[:2].lstrip('0')}. {_title(stem)} | {_duration(alone['wall_s'])} "
                    f"| {alone['peak_rss_mb'] / 1000:.1f} GB |")
    total = results.get("book_total_s", total)
    rows += [f"| all chapters, in order | {_duration(total)} | |", "",
             "A chapter's time is for the chapter opened by itself. Run in order, a chapter loads the "
             "models an earlier one trained (`tutorial_utils.cache`), so the whole book takes less "
             "than the sum.", "", END]
    return "\n".join(rows)


def updated_readme(readme: str, results: dict) -> str:
    """``readme`` with the block between the markers replaced by :func:`table`."""
    if readme.count(START) != 1 or readme.count(END) != 1:
        raise ValueError("README.md must hold the chapter-times start and end markers once each")
    before, rest = readme.split(START)
    _, after = rest.split(END)
    return before + table(results) + after


def main() -> int:
    results = json.loads(RESULTS_JSON.read_text(encoding="utf-8"))
    README.write_text(updated_readme(README.read_text(encoding="utf-8"), results), encoding="utf-8")
    print(f"README.md: chapter times from {RESULTS_JSON.name} ({len(results.get('notebooks', {}))} chapters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
