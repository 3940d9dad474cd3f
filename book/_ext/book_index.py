"""Write ``_build/html/index.html``: a redirect to the introduction that also links every chapter.

Jupyter Book's own fallback writes a bare redirect; readers (and link checkers) arriving at the
site root without JavaScript or meta refresh then see no way in. This page lists the chapters.
"""

from __future__ import annotations

import html
from pathlib import Path

from sphinx.application import Sphinx


def write_index(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    root = app.config.root_doc
    chapters = sorted(d for d in app.env.found_docs if d.startswith("notebooks/"))
    items = "\n".join(
        f'    <li><a href="{doc}.html">{html.escape(app.env.titles[doc].astext())}</a></li>'
        for doc in chapters
    )
    title = html.escape(app.config.html_title or app.config.project or "")
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title}</title>
  <meta http-equiv="Refresh" content="0; url={root}.html">
</head>
<body>
  <p><a href="{root}.html">{title}: start here</a></p>
  <ol>
{items}
  </ol>
</body>
</html>
"""
    Path(app.outdir, "index.html").write_text(page, encoding="utf-8")


def setup(app: Sphinx) -> dict:
    # Runs before sphinx-external-toc's handler, which then finds index.html present.
    app.connect("build-finished", write_index, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
