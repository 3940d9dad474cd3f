"""Read the figures a chapter glued with ``myst_nb.glue`` from an executed notebook.

The tests use :func:`read_glued_figures` to check each chapter's quality thresholds,
and the benchmark uses it to collect every chapter's headline numbers.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

__all__ = ["measured_runtime", "read_glued_figures"]


def read_glued_figures(notebook: str | Path) -> dict[str, Any]:
    """Return ``{name: value}`` for every output glued in an executed notebook.

    Values are parsed back from their ``text/plain`` form (numbers, strings,
    lists); anything that is not a Python literal (a figure, a table) is
    returned as its text. Raises ``FileNotFoundError`` for a missing notebook and
    ``ValueError`` when the same name is glued twice.
    """
    path = Path(notebook)
    if not path.exists():
        raise FileNotFoundError(f"no executed notebook at {path}; execute it first (make test or make bench)")
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    figures: dict[str, Any] = {}
    for cell in cells:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            if name is None:
                continue
            if name in figures:
                raise ValueError(f"{path.name}: the figure {name!r} is glued more than once")
            # glue(..., display=False) stores the value under a prefixed MIME type
            data = output.get("data", {})
            prefix = output.get("metadata", {}).get("scrapbook", {}).get("mime_prefix", "")
            text = data.get(f"{prefix}text/plain", data.get("text/plain", ""))
            text = "".join(text) if isinstance(text, list) else text
            # numpy 2 scalars print as np.float64(0.5): read the number inside
            text = re.sub(r"^np\.\w+\((.*)\)$", r"\1", text.strip())
            try:
                figures[name] = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                figures[name] = text
    return figures


def _repo_root() -> Path:
    return Path(__file__).resolve().parents[2]


def measured_runtime(notebook_stem: str, results: str | Path | None = None) -> str:
    """How long a chapter took in the last benchmark run, for its "time to run" line.

    Reads ``benchmarks/results.json`` (written by ``make bench``) and returns, for
    example, ``"38 s (peak memory 610 MB; 2-core CPU, benchmark of 2026-11-23)"``, or a
    sentence saying the chapter has not been benchmarked yet.
    """
    path = Path(results) if results is not None else _repo_root() / "benchmarks" / "results.json"
    if not path.exists():
        return "not measured yet (run `make bench`)"
    data = json.loads(path.read_text(encoding="utf-8"))
    entry = data.get("notebooks", {}).get(notebook_stem)
    if entry is None:
        return "not measured yet (run `make bench`)"
    machine = data.get("machine", {})
    return (
        f"{entry['wall_s']:.0f} s (peak memory {entry['peak_rss_mb']:.0f} MB; "
        f"{machine.get('cpu_count', '?')}-core CPU, benchmark of {data.get('date', '?')})"
    )
