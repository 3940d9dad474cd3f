"""Shared fixtures: paths, and the glued figures of executed notebooks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

import matplotlib
import pytest

matplotlib.use("Agg")  # before any test imports pyplot: no display needed, the same in CI and by hand

from tutorial_utils.figures import read_glued_figures

REPO_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO_ROOT / "notebooks"
#: `make test` copies the notebooks here and nbmake executes each copy once, in place.
EXECUTED = REPO_ROOT / "_executed"


def _has_outputs(path: Path) -> bool:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return any(cell.get("outputs") for cell in cells if cell["cell_type"] == "code")


def _execute_copy(source: Path, target: Path) -> None:
    """Execute a notebook into ``target`` (used when pytest runs without `make test`'s nbmake pass)."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(source, as_version=4)
    target.parent.mkdir(parents=True, exist_ok=True)
    client = NotebookClient(notebook, timeout=1800, kernel_name="python3",
                            resources={"metadata": {"path": str(target.parent)}})
    client.execute()
    nbformat.write(notebook, target)


@pytest.fixture(scope="session")
def glued_figures() -> Callable[[str], dict[str, Any]]:
    """``glued_figures("01_embedding_basics")`` -> {name: value} from the executed notebook.

    Reads the copy nbmake executed in this run; if there is none with outputs, or it
    is older than the notebook (pytest run by hand), executes the notebook once here.
    """
    cache: dict[str, dict[str, Any]] = {}

    def load(stem: str) -> dict[str, Any]:
        if stem not in cache:
            source = NOTEBOOKS / f"{stem}.ipynb"
            executed = EXECUTED / f"{stem}.ipynb"
            if not source.exists():
                raise FileNotFoundError(f"no notebook {source}")
            stale = executed.exists() and executed.stat().st_mtime < source.stat().st_mtime
            if stale or not executed.exists() or not _has_outputs(executed):
                _execute_copy(source, executed)
            cache[stem] = read_glued_figures(executed)
        return cache[stem]

    return load


@pytest.fixture(autouse=True)
def _close_figures():
    """Close every matplotlib figure a test left open (they would pile up over the session)."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="module")
def figures(request, glued_figures) -> dict[str, Any]:
    """The glued figures of the chapter a ``test_chapterNN.py`` module names in its ``STEM``."""
    stem = getattr(request.module, "STEM", None)
    if stem is None:
        raise pytest.UsageError(f"{request.module.__name__} uses `figures` but defines no STEM = '<notebook stem>'")
    return glued_figures(stem)
