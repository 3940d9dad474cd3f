"""Notebook and book hygiene: the table of contents, clean notebooks, portable paths, glue."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import NOTEBOOKS, REPO_ROOT
from book_site import toc_files
from typed_numbers import typed_numbers

NOTEBOOK_PATHS = sorted(NOTEBOOKS.glob("*.ipynb"))
ABSOLUTE_PATH = re.compile(r"(?<![\w.:/])(/(home|root|work|Users|tmp|mnt|opt)/|[A-Za-z]:\\\\)")
GLUE_CALL = re.compile(r"""\bglue\(\s*["']([^"']+)["']""")
GLUE_CITE = re.compile(r"\{glue:(?:text|any|figure|md)\}`([^`:]+)")


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _toc_files() -> list[str]:
    return toc_files(REPO_ROOT)


def test_there_is_a_chapter():
    assert NOTEBOOK_PATHS, "notebooks/ holds no chapter"


def test_every_notebook_is_in_the_toc_and_every_toc_entry_exists():
    toc = _toc_files()
    listed_notebooks = {f for f in toc if f.startswith("notebooks/")}
    on_disk = {f"notebooks/{p.stem}" for p in NOTEBOOK_PATHS}
    assert listed_notebooks == on_disk
    for entry in toc:
        candidates = [REPO_ROOT / f"{entry}{suffix}" for suffix in ("", ".md", ".ipynb")]
        assert any(c.is_file() for c in candidates), f"_toc.yml lists {entry}, which does not exist"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.name)
def test_notebook_is_numbered(path):
    assert re.fullmatch(r"\d{2}_[a-z0-9_]+\.ipynb", path.name), f"{path.name}: name chapters NN_topic.ipynb"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.name)
def test_notebook_is_committed_without_outputs(path):
    for index, cell in enumerate(_load(path)["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name} cell {index} has outputs: clear them"
            assert cell.get("execution_count") is None, f"{path.name} cell {index} has an execution count"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.name)
def test_notebook_kernel_is_python3(path):
    kernelspec = _load(path)["metadata"].get("kernelspec", {})
    assert kernelspec.get("name") == "python3"
    assert kernelspec.get("language") == "python"


def _text_files() -> list[Path]:
    paths = list(NOTEBOOK_PATHS)
    for folder, pattern in (("book", "*.md"), ("src", "**/*.py"), ("tests", "*.py"), ("benchmarks", "*.py")):
        paths += sorted((REPO_ROOT / folder).glob(pattern))
    paths += [REPO_ROOT / name for name in ("_config.yml", "_toc.yml", "environment.yml", "README.md", "Makefile")]
    return [p for p in paths if p.exists() and p.name != "test_hygiene.py"]


@pytest.mark.parametrize("path", _text_files(), ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_no_absolute_paths(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".ipynb":
        text = "\n".join("".join(cell["source"]) for cell in _load(path)["cells"])
    match = ABSOLUTE_PATH.search(text)
    assert match is None, f"{path.name} contains an absolute path near {text[max(0, match.start() - 30):match.end() + 30]!r}"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.name)
def test_every_cited_figure_is_glued_once_with_the_chapter_prefix(path):
    notebook = _load(path)
    cells, book = notebook["cells"], notebook["metadata"].get("book", {})
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    prose = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    glued = GLUE_CALL.findall(code)
    prefix = f"ch{path.name[:2]}_"
    assert glued, f"{path.name} glues no figure"
    assert len(glued) == len(set(glued)), f"{path.name} glues a name twice"
    assert all(name.startswith(prefix) for name in glued), f"{path.name}: glue names start with {prefix}"
    missing = set(GLUE_CITE.findall(prose)) - set(glued)
    assert not missing, f"{path.name} cites figures it never glues: {sorted(missing)}"
    headline = book.get("headline_figures", [])
    assert headline, f"{path.name}: list the chapter's headline figures in metadata book.headline_figures"
    targets = book.get("time_targets_s", {})
    assert "wall_s" in targets, (f"{path.name}: state the chapter's speed target in metadata book.time_targets_s "
                                 '(e.g. {"wall_s": 480}); `make bench` checks it')
    assert set(targets) - {"wall_s"} <= set(glued), f"{path.name}: time targets name figures never glued"
    floors = book.get("speed_floors", {})
    assert set(floors) <= set(glued), f"{path.name}: speed floors name figures never glued"
    assert set(headline) <= set(glued), f"{path.name}: headline figures never glued: {sorted(set(headline) - set(glued))}"


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.name)
def test_chapter_has_the_book_shape(path):
    prose = "\n".join("".join(c["source"]) for c in _load(path)["cells"] if c["cell_type"] == "markdown")
    for heading in ("Overview", "Prerequisites", "Summary", "Exercises", "References"):
        assert re.search(rf"^#+ .*{heading}", prose, re.M | re.I), f"{path.name} has no '{heading}' section"
    assert ":class: dropdown" in prose, f"{path.name}: exercises need folded solutions"
    assert "```{bibliography}" in prose, f"{path.name} has no bibliography block"


# Chapters 4-7's typed numbers, left for the second evidence issue to replace with glued figures or
# reasons: notebook -> cell id -> literals. The list may only shrink: an entry that no longer occurs
# fails below, and no notebook of chapters 1-3 may be listed.
KNOWN_TYPED_NUMBERS: dict[str, dict[str, list[str]]] = {}
KNOWN_TYPED_NUMBERS_AT_MOST = 0  # literals listed when the test was written; lower it as entries go


def test_the_known_typed_numbers_list_only_shrinks():
    listed = sum(len(hits) for cells in KNOWN_TYPED_NUMBERS.values() for hits in cells.values())
    assert listed <= KNOWN_TYPED_NUMBERS_AT_MOST
    assert not [name for name in KNOWN_TYPED_NUMBERS if name[:2] in {"01", "02", "03"}]


@pytest.mark.parametrize("path", NOTEBOOK_PATHS, ids=lambda p: p.name)
def test_no_typed_numbers(path):
    """A decimal or percentage in the prose is glued, is math or code, or has a stated reason."""
    known = KNOWN_TYPED_NUMBERS.get(path.name, {})
    problems = []
    for index, cell in enumerate(_load(path)["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        hits = typed_numbers("".join(cell["source"]))
        reasons = cell.get("metadata", {}).get("book", {}).get("typed_numbers", {})
        where = f"cell {index} (id {cell.get('id')})"
        for literal, reason in reasons.items():
            if literal not in hits:
                problems.append(f"{where}: metadata book.typed_numbers lists {literal!r}, which the cell "
                                "no longer contains: remove it")
            elif not (isinstance(reason, str) and len(reason.split()) >= 2):
                problems.append(f"{where}: give {literal!r} a reason of a few words in book.typed_numbers")
        unexplained = [hit for hit in hits if hit not in reasons]
        expected = known.get(cell.get("id"), [])
        if expected and unexplained != expected:
            problems.append(f"{where}: known typed numbers {expected} changed to {unexplained}: "
                            "update KNOWN_TYPED_NUMBERS (it may only shrink)")
        elif unexplained and not expected:
            problems.append(f"{where}: typed {unexplained}; glue the figure and cite it with "
                            "{glue:text}, or map the literal to a reason in the cell's metadata "
                            "book.typed_numbers (a constant, a published figure with its citation)")
    ids = {cell.get("id") for cell in _load(path)["cells"]}
    problems += [f"KNOWN_TYPED_NUMBERS lists cell {cell_id}, which {path.name} no longer has"
                 for cell_id in known if cell_id not in ids]
    assert not problems, f"{path.name}:\n" + "\n".join(problems)
