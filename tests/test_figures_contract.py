"""The figures contract, checked on every executed chapter: what the prose cites was glued by the run."""

from __future__ import annotations

import json

import pytest

from conftest import EXECUTED, NOTEBOOKS

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


@pytest.mark.notebooks
@pytest.mark.parametrize("stem", CHAPTERS)
def test_glued_numbers_are_plain_python_values(glued_figures, stem):
    glued_figures(stem)  # makes sure the executed copy is there and fresh
    # myst-nb formats {glue:text}`name:.3f` from the text/plain repr; "np.float64(0.93)" cannot be
    # formatted and the book build fails. Glue float(x) / int(x), never a NumPy scalar.
    executed = json.loads((EXECUTED / f"{stem}.ipynb").read_text(encoding="utf-8"))
    numpy_reprs = []
    for cell in executed["cells"]:
        for output in cell.get("outputs", []):
            for mime, value in output.get("data", {}).items():
                text = "".join(value) if isinstance(value, list) else value
                if mime.endswith("record/text/plain") and isinstance(text, str) and text.startswith("np."):
                    numpy_reprs.append((output.get("metadata", {}).get("scrapbook", {}).get("name"), text))
    assert not numpy_reprs, f"{stem} glues NumPy scalars (wrap them in float()): {numpy_reprs}"
