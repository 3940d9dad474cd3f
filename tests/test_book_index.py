"""book/_ext/book_index.py: the site's index.html redirects to the introduction and links every chapter."""

from __future__ import annotations

from types import SimpleNamespace

from conftest import NOTEBOOKS, REPO_ROOT
from references import load_script


def _extension():
    return load_script(REPO_ROOT / "book" / "_ext" / "book_index.py", "book_index")


def _app(tmp_path, docs):
    titles = {doc: SimpleNamespace(astext=lambda doc=doc: f"Title of {doc}") for doc in docs}
    return SimpleNamespace(
        builder=SimpleNamespace(format="html"), outdir=str(tmp_path),
        config=SimpleNamespace(root_doc="book/intro", html_title="Embeddings <from scratch>", project=""),
        env=SimpleNamespace(found_docs=set(docs), titles=titles),
    )


def test_index_links_every_chapter(tmp_path):
    chapters = [f"notebooks/{p.stem}" for p in sorted(NOTEBOOKS.glob("*.ipynb"))]
    _extension().write_index(_app(tmp_path, chapters + ["book/intro", "book/glossary"]), None)
    page = (tmp_path / "index.html").read_text()
    assert 'content="0; url=book/intro.html"' in page
    for chapter in chapters:
        assert f'<a href="{chapter}.html">Title of {chapter}</a>' in page
    assert "book/glossary.html" not in page
    assert "Embeddings &lt;from scratch&gt;" in page


def test_failed_build_writes_nothing(tmp_path):
    _extension().write_index(_app(tmp_path, ["notebooks/01_x"]), RuntimeError("build failed"))
    assert not (tmp_path / "index.html").exists()
