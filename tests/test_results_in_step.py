"""benchmarks/results.json holds the figures of the notebooks as they are: regenerated when one changes."""

from __future__ import annotations

import json

import pytest

from conftest import NOTEBOOKS, REPO_ROOT

pytestmark = pytest.mark.notebooks
RESULTS = json.loads((REPO_ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))


def test_every_chapter_is_benchmarked():
    assert set(RESULTS["notebooks"]) == {path.stem for path in NOTEBOOKS.glob("*.ipynb")}, (
        "benchmarks/results.json and notebooks/ list different chapters: run `make bench`")


@pytest.mark.parametrize("stem", sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb")))
def test_the_benchmark_recorded_exactly_the_figures_the_notebook_glues(glued_figures, stem):
    # Names only: the values of trained models move between CPUs, so they are compared nowhere.
    glued = set(glued_figures(stem))
    recorded = set(RESULTS["notebooks"].get(stem, {}).get("figures", {}))
    assert glued == recorded, (
        f"{stem}: glued but not in benchmarks/results.json: {sorted(glued - recorded)}; "
        f"recorded but no longer glued: {sorted(recorded - glued)}. Run `make bench` "
        f"(`.venv/bin/python benchmarks/run.py {stem}` for this chapter alone)")
