"""Load plotly.js once for the whole site instead of once per interactive figure.

A notebook's interactive figure (``tutorial_utils.interactive``) carries plotly.js inline (about
4.8 MB), so it works offline in Jupyter. In the built book this extension moves that library to
``_static/plotly-<version>.min.js`` and points each page at it: a chapter page shrinks from
about 5 MB to its own size, and the browser fetches the library once for every page.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

#: An inline plotly.js bundle as plotly's ``to_html(include_plotlyjs=True)`` writes it.
INLINE_PLOTLY = re.compile(r"<script([^>]*)>(/\*\*\s*\*\s*plotly\.js v([\w.\-]+).*?)</script>", re.S)


def share_plotly(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    static = outdir / "_static"
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "plotly.js v" not in text:
            continue

        def replace(match: re.Match) -> str:
            attributes, bundle, version = match.groups()
            target = static / f"plotly-{version}.min.js"
            if not target.exists():
                target.write_text(bundle, encoding="utf-8")
            src = os.path.relpath(target, page.parent).replace(os.sep, "/")
            attributes = re.sub(r"\s*charset=\"[^\"]*\"", "", attributes)
            return f'<script{attributes} charset="utf-8" src="{src}"></script>'

        shared = INLINE_PLOTLY.sub(replace, text)
        if shared != text:
            page.write_text(shared, encoding="utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("build-finished", share_plotly)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
