"""The rendered book, page by page, in headless Chromium; and its links.

The HTML is built from the notebooks nbmake executed in this run (``_executed/``), with execution
turned off (see ``tests/book_site.py``): `make test` executes each chapter once, not twice. Set
``BOOK_HTML=_build/html`` to check the output of `make book` instead. Screenshots of every page go
to ``_build/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from book_site import (bad_external_urls, broken_internal_links, build, chapter_numbers, notebook_stems,
                       stage_executed_book, toc_docnames)
from browser_checks import browser_for_tests, check_page, hover_texts, launch_links, search, serve
from conftest import EXECUTED, NOTEBOOKS, REPO_ROOT, _execute_copy, _has_outputs

pytestmark = [pytest.mark.notebooks, pytest.mark.browser]

BUILD = REPO_ROOT / "_build" / "browser"
SCREENSHOTS = REPO_ROOT / "_build" / "screenshots"
PAGES = toc_docnames(REPO_ROOT)
CHAPTERS = notebook_stems(REPO_ROOT)
#: A glued text value cited in prose (not inside a code span): each renders as one span.pasted-text.
GLUE_TEXT = re.compile(r"(?<!`)\{glue:text\}`[^`]+`")
STOPWORDS = {"what", "from", "with", "into", "their", "your", "about", "when", "does"}


def _source_text(docname: str, root: Path = REPO_ROOT) -> str:
    """The prose of a page: a notebook's markdown cells, or the markdown file."""
    path = root / f"{docname}.ipynb"
    if path.exists():
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return (root / f"{docname}.md").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def book_build():
    """Build the HTML from the executed notebooks once per session; ``None`` when $BOOK_HTML is used."""
    if os.environ.get("BOOK_HTML"):
        return None
    for stem in CHAPTERS:
        source, executed = NOTEBOOKS / f"{stem}.ipynb", EXECUTED / f"{stem}.ipynb"
        stale = executed.exists() and executed.stat().st_mtime < source.stat().st_mtime
        if stale or not executed.exists() or not _has_outputs(executed):
            _execute_copy(source, executed)  # pytest run by hand, without `make test`'s nbmake pass
    stage = stage_executed_book(REPO_ROOT, EXECUTED, BUILD / "source")
    return build(stage, BUILD, "html")


@pytest.fixture(scope="session")
def html_dir(book_build) -> Path:
    folder = Path(os.environ["BOOK_HTML"]).resolve() if book_build is None else book_build.outdir
    assert (folder / "index.html").exists(), f"no book at {folder}: the build failed"
    return folder


@pytest.fixture(scope="session")
def browser():
    return browser_for_tests()


@pytest.fixture(scope="session")
def base_url(html_dir):
    with serve(html_dir) as url:
        yield url


@pytest.fixture()
def page(browser):
    opened = browser.new_page(viewport={"width": 1280, "height": 900})
    yield opened
    opened.close()


def test_the_book_builds_from_the_executed_notebooks_without_warnings(book_build):
    if book_build is None:
        pytest.skip("checking $BOOK_HTML, built elsewhere")
    assert book_build.returncode == 0, book_build.log[-3000:]
    assert book_build.warnings == [], "\n".join(book_build.warnings)


@pytest.mark.parametrize("docname", PAGES)
def test_page_loads_with_no_console_error_broken_image_or_unresolved_glue(page, base_url, book_build, docname):
    # count the glue references of the sources the HTML was built from (the executed copies)
    sources = REPO_ROOT if book_build is None else BUILD / "source"
    expected_glue = len(GLUE_TEXT.findall(_source_text(docname, sources)))
    report = check_page(page, f"{base_url}{docname}.html", screenshot=SCREENSHOTS / f"{docname.replace('/', '__')}.png",
                        expected_glue=expected_glue)
    assert report.problems == [], f"{docname}:\n" + "\n".join(report.problems)
    assert report.title, f"{docname} has no title"
    if report.interactive_figures:  # an interactive figure answers the mouse
        texts = hover_texts(page)
        assert all(texts), f"{docname}: hovering a point showed no label in some figure: {texts}"


def test_the_site_root_links_every_chapter(page, base_url):
    report = check_page(page, base_url)  # index.html redirects to the introduction
    assert report.problems == []
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)")
    for stem in CHAPTERS:
        assert any(href.endswith(f"notebooks/{stem}.html") for href in hrefs), f"no link to {stem} on {page.url}"


@pytest.mark.parametrize("stem", CHAPTERS)
def test_chapters_are_numbered_in_the_title_and_the_sidebar(page, base_url, stem):
    number, companion = chapter_numbers(REPO_ROOT)[f"notebooks/{stem}"]
    page.goto(f"{base_url}notebooks/{stem}.html", wait_until="load")
    # the page's own heading (not the print-only copy of the title, which carries no number)
    title = page.locator("main article h1").first.text_content().strip()
    current = page.locator("nav a.current").first.text_content().strip()  # the sidebar's entry for this page
    if not companion:
        assert title.startswith(f"{number} "), f"{stem}: the title {title!r} does not start with {number!r}"
        assert current.startswith(f"{number} "), f"{stem}: the sidebar shows {current!r}"
    else:  # a companion is unnumbered, listed under its chapter
        assert not re.match(r"\d", title) and not re.match(r"\d", current), (title, current)
        chapter = page.evaluate("""() => {
            const item = document.querySelector('nav a.current').closest('li').parentElement.closest('li');
            return item ? item.querySelector(':scope > a').textContent.trim() : '';
        }""")
        assert chapter.startswith(f"{number} "), f"{stem}: listed under {chapter!r}, not chapter {number}"


def _repository() -> tuple[str, str]:
    config = yaml.safe_load((REPO_ROOT / "_config.yml").read_text(encoding="utf-8"))
    parts = urlsplit(config["repository"]["url"])
    return parts.path.strip("/"), config["repository"].get("branch", "main")


@pytest.mark.parametrize("stem", CHAPTERS)
def test_launch_buttons_open_this_notebook_on_binder_and_colab(page, base_url, stem):
    repo, branch = _repository()
    page.goto(f"{base_url}notebooks/{stem}.html", wait_until="load")
    links = launch_links(page)
    binder = f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/notebooks/{stem}.ipynb"
    colab = f"https://colab.research.google.com/github/{repo}/blob/{branch}/notebooks/{stem}.ipynb"
    assert binder in links, f"{stem}: no Binder button for its notebook among {links}"
    assert colab in links, f"{stem}: no Colab button for its notebook among {links}"


def _search_word(stem: str) -> str:
    """A distinctive word of the chapter's title (its longest word that is not a common one)."""
    title = next(line for line in _source_text(f"notebooks/{stem}").splitlines() if line.startswith("# "))
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z-]{3,}", title) if w.lower() not in STOPWORDS]
    assert words, f"{stem}: no word to search for in its title {title!r}"
    return max(words, key=len)


@pytest.mark.parametrize("stem", CHAPTERS)
def test_search_finds_the_chapter_by_a_word_of_its_title(page, base_url, stem):
    word = _search_word(stem)
    results = search(page, base_url, word)
    assert any(f"notebooks/{stem}.html" in href for href in results), f"searching {word!r} gave {results}"


def test_every_internal_link_resolves_to_a_file_and_anchor(html_dir):
    assert broken_internal_links(html_dir) == []


def test_sphinx_linkcheck_internal_links_and_the_form_of_external_ones(book_build, html_dir):
    """Sphinx's own link check: local links must exist; external ones (not reachable here) are checked
    for form only, together with every external link in the rendered pages."""
    external = set()
    if book_build is not None:
        result = build(BUILD / "source", BUILD, "linkcheck")
        assert result.returncode == 0, result.log[-3000:]
        records = [json.loads(line) for line in (result.outdir / "output.json").read_text().splitlines() if line]
        broken = [r for r in records if r["status"] in ("broken", "redirected") and not r["uri"].startswith("http")]
        assert broken == [], broken
        external |= {r["uri"] for r in records if re.match(r"^(https?|mailto):", r["uri"])}
    for path in html_dir.rglob("*.html"):
        if "_static" not in path.parts:
            external |= set(re.findall(r'href="((?:https?|mailto):[^"]+)"', path.read_text(encoding="utf-8")))
    assert external, "found no external link at all: the check is not looking in the right place"
    assert bad_external_urls(sorted(external)) == []
