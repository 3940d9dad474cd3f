"""The figures contract, checked on every executed chapter: what the prose cites was glued by the run."""

from __future__ import annotations

import json

import pytest

from conftest import NOTEBOOKS

CHAPTERS = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))


@pytest.mark.notebooks
@pytest.mark.parametrize("stem", CHAPTERS)
def test_every_figure_is_named_for_the_chapter_and_has_a_value(glued_figures, stem):
    figures = glued_figures(stem)
    prefix = f"ch{stem[:2]}_"
    assert figures, f"{stem} glued nothing"
    assert all(name.startswith(prefix) for name in figures), sorted(n for n in figures if not n.startswith(prefix))
    assert all(value != "" for value in figures.values()), "a glued figure has no text/plain value"
    runtime = figures[f"{prefix}runtime"]
    assert isinstance(runtime, str) and runtime


@pytest.mark.notebooks
@pytest.mark.parametrize("stem", CHAPTERS)
def test_headline_figures_were_glued_by_the_run(glued_figures, stem):
    metadata = json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))["metadata"]
    headline = metadata.get("book", {}).get("headline_figures", [])
    missing = set(headline) - set(glued_figures(stem))
    assert not missing, f"{stem}: headline figures missing from the executed notebook: {sorted(missing)}"
