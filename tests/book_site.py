"""Build the HTML book from already executed notebooks, and check its links (no browser needed).

`make test` executes every notebook once (nbmake, into ``_executed/``). Executing them again to
build the book would double CI's time, so :func:`stage_executed_book` copies the book's sources
into ``_build/browser/source`` with the executed copies in place of ``notebooks/*.ipynb`` and a
``_config.yml`` that turns execution off; :func:`build` then renders that copy with Sphinx
(``jupyter-book build``), as HTML for the browser test and with the ``linkcheck`` builder for the
internal-link check. The staged configuration also keeps Sphinx warnings in the pages
(``keep_warnings``), so a glue reference that did not resolve is visible to the browser.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import yaml

__all__ = [
    "BuildResult",
    "bad_external_urls",
    "broken_internal_links",
    "build",
    "notebook_stems",
    "stage_executed_book",
    "chapter_numbers",
    "toc_docnames",
    "toc_files",
]


def toc_files(repo: Path) -> list[str]:
    """Every ``file`` entry of ``_toc.yml`` as written (``notebooks/01_embedding_basics``), root first,
    companions right after their chapter; whether the files exist is not checked."""
    toc = yaml.safe_load((repo / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries: list[dict]) -> None:  # a chapter's companions are its sections
        for entry in entries:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections", []))

    for part in toc.get("parts", []):
        walk(part.get("chapters", []))
    walk(toc.get("chapters", []))
    return files


def toc_docnames(repo: Path) -> list[str]:
    """Every page of ``_toc.yml`` that exists, as a docname (``notebooks/01_embedding_basics``), root first."""
    names = [re.sub(r"\.(md|ipynb)$", "", entry) for entry in toc_files(repo)]
    # an entry whose file is not there yet (a chapter being written) is the hygiene test's business
    return [name for name in names if any((repo / f"{name}{ext}").exists() for ext in (".md", ".ipynb"))]


def chapter_numbers(repo: Path) -> dict[str, tuple[str, bool]]:
    """The number of the chapter each page of the numbered part of ``_toc.yml`` belongs to, and whether
    the page is a companion (a section of that chapter, unnumbered itself): ``{"notebooks/02_...":
    ("2.", False), "notebooks/02_..._convolutional": ("2.", True)}``."""
    toc = yaml.safe_load((repo / "_toc.yml").read_text(encoding="utf-8"))
    numbers = {}
    for part in toc.get("parts", []):
        if not part.get("numbered"):
            continue
        for i, chapter in enumerate(part.get("chapters", []), start=1):
            numbers[re.sub(r"\.(md|ipynb)$", "", chapter["file"])] = (f"{i}.", False)
            for section in chapter.get("sections", []):
                numbers[re.sub(r"\.(md|ipynb)$", "", section["file"])] = (f"{i}.", True)
    return numbers


def notebook_stems(repo: Path) -> list[str]:
    """The chapters listed in the table of contents that are notebooks (``01_embedding_basics``, ...)."""
    return [name.split("/", 1)[1] for name in toc_docnames(repo)
            if name.startswith("notebooks/") and (repo / f"{name}.ipynb").exists()]


def _has_outputs(path: Path) -> bool:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return any(cell.get("outputs") for cell in cells if cell["cell_type"] == "code")


def stage_executed_book(repo: Path, executed: Path, stage: Path) -> Path:
    """Copy the book's sources to ``stage``, with the executed notebooks from ``executed``.

    Raises ``FileNotFoundError`` when a chapter in the table of contents has no executed copy
    with outputs (run ``make test``, or execute it into ``executed/`` first).
    """
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    for name in ("_toc.yml", "LICENSE"):
        if (repo / name).exists():
            shutil.copy2(repo / name, stage / name)
    ignore = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "artifacts", "*.ipynb")
    shutil.copytree(repo / "book", stage / "book", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(repo / "notebooks", stage / "notebooks", ignore=ignore)
    # book/performance.md includes the benchmark's table
    (stage / "benchmarks").mkdir()
    for path in (repo / "benchmarks").glob("*.md"):
        shutil.copy2(path, stage / "benchmarks" / path.name)
    for stem in notebook_stems(repo):
        source = executed / f"{stem}.ipynb"
        if not source.exists() or not _has_outputs(source):
            raise FileNotFoundError(f"no executed copy of {stem} with outputs in {executed}: run `make test` "
                                    "(or execute the notebook there) before building the book from it")
        shutil.copy2(source, stage / "notebooks" / source.name)

    config = yaml.safe_load((repo / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("execute", {})["execute_notebooks"] = "off"
    config["execute"].pop("cache", None)
    sphinx_config = config.setdefault("sphinx", {}).setdefault("config", {})
    # Show any warning in the page itself (an unresolved glue reference, a broken role) ...
    sphinx_config["keep_warnings"] = True
    # ... and check only the book's own links: the internet cannot be reached from the tests.
    sphinx_config["linkcheck_ignore"] = [r"^https?://", r"^mailto:"]
    (stage / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return stage


@dataclass
class BuildResult:
    """What ``jupyter-book build`` did: its exit code, its warnings, and where it wrote."""

    returncode: int
    warnings: list[str]
    log: str
    outdir: Path


def build(stage: Path, output: Path, builder: str = "html") -> BuildResult:
    """Run ``jupyter-book build`` on a staged book (nitpicky, keep going); never raises on warnings."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    command = [str(jupyter_book) if jupyter_book.exists() else "jupyter-book", "build", str(stage),
               "--path-output", str(output), "--builder", builder, "-n", "--keep-going"]
    done = subprocess.run(command, capture_output=True, text=True)
    log = re.sub(r"\x1b\[[0-9;]*m", "", done.stdout + done.stderr)  # no colour codes
    # jupyter-book repeats the warnings after its summary: keep each once
    warnings = list(dict.fromkeys(line for line in log.splitlines()
                                  if re.search(r"\b(WARNING|ERROR|CRITICAL)\b", line)))
    # jupyter-book writes the html and linkcheck builders' output to the same _build/html
    outdir = output / "_build" / ("html" if builder in ("html", "linkcheck") else builder)
    return BuildResult(done.returncode, warnings, log, outdir)


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if attributes.get(key):
                self.ids.add(attributes[key])
        if tag == "a" and attributes.get("href"):
            self.hrefs.append(attributes["href"])


def _parse(path: Path) -> _LinkParser:
    parser = _LinkParser()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def _is_external(href: str) -> bool:
    return bool(urlsplit(href).scheme) or href.startswith("//")


def broken_internal_links(html_dir: Path) -> list[str]:
    """Every ``<a href>`` between the site's own pages that points at a missing file or anchor.

    Returns one line per broken link, ``"page.html: href (why)"``; an empty list when all resolve.
    """
    html_dir = html_dir.resolve()
    parsed: dict[Path, _LinkParser] = {}

    def page(path: Path) -> _LinkParser:
        if path not in parsed:
            parsed[path] = _parse(path)
        return parsed[path]

    problems = []
    for source in sorted(html_dir.rglob("*.html")):
        if "_static" in source.relative_to(html_dir).parts:
            continue
        for href in page(source).hrefs:
            if _is_external(href) or href.startswith("javascript:"):
                continue
            target, fragment = urldefrag(href)
            path = (source.parent / unquote(target)).resolve() if target else source
            where = f"{source.relative_to(html_dir)}: {href}"
            if path.is_dir():
                path = path / "index.html"
            if not path.is_relative_to(html_dir):
                problems.append(f"{where} (points outside the site)")
            elif not path.exists():
                problems.append(f"{where} (no such file)")
            elif fragment and path.suffix == ".html" and unquote(fragment) not in page(path).ids:
                problems.append(f"{where} (no element with id {unquote(fragment)!r})")
    return problems


_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def bad_external_urls(urls: list[str]) -> list[str]:
    """The external links that are not well-formed ``https://host.tld/...`` URLs, with the reason."""
    problems = []
    for url in urls:
        if url.startswith("mailto:"):
            if not re.fullmatch(r"mailto:[^@\s]+@[^@\s]+\.[a-z]{2,}", url):
                problems.append(f"{url} (malformed mailto address)")
            continue
        parts = urlsplit(url)
        if parts.scheme != "https":
            problems.append(f"{url} (use https://)")
        elif not _HOST.match((parts.hostname or "").lower()):
            problems.append(f"{url} (host {parts.hostname!r} is not a domain name)")
        elif re.search(r"\s|[<>\"{}|\\^`]", url):
            problems.append(f"{url} (contains a space or a character that must be escaped)")
    return problems
