"""MathJax served from the built site, not from a CDN, so the book's math is typeset offline.

``python book/_ext/local_mathjax.py`` (run by ``make setup``) vendors MathJax once: it fetches the
``mathjax`` package from the npm registry (``npm pack``: a tarball, no node_modules) and keeps the
files the pages load in ``<venv>/share/book-static/mathjax``. As a Sphinx extension, this module
adds that folder to the site's ``_static`` and points ``mathjax_path`` at it; a build without the
vendored copy stops with a message that says how to make it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

MATHJAX_VERSION = "3.2.2"
#: The folder whose contents Sphinx copies into ``_static`` (so the files land in ``_static/mathjax``).
STATIC_ROOT = Path(sys.prefix) / "share" / "book-static"
ENTRY = "tex-mml-chtml.js"
#: What the pages load: the combined TeX/MathML-to-HTML component, and what it fetches on demand
#: (fonts, TeX extensions, the menu, the assistive-MathML module).
KEEP = (ENTRY, "output/chtml/fonts/woff-v2", "input/tex/extensions", "ui", "a11y")


def vendored(root: Path | None = None) -> Path:
    """The entry script of the vendored MathJax under ``root`` (default :data:`STATIC_ROOT`); may not exist yet."""
    return (STATIC_ROOT if root is None else root) / "mathjax" / ENTRY


def vendor(root: Path | None = None, version: str = MATHJAX_VERSION, tarball: Path | None = None) -> Path:
    """Unpack MathJax's ``es5`` files listed in :data:`KEEP` into ``root/mathjax``; returns the entry script.

    ``tarball``: an ``npm pack`` tarball already at hand; by default it is fetched with npm.
    """
    root = STATIC_ROOT if root is None else root
    with tempfile.TemporaryDirectory() as tmp:
        if tarball is None:
            if shutil.which("npm") is None:
                raise RuntimeError("npm is needed once, to fetch MathJax for the book (Debian: apt-get install npm)")
            subprocess.run(["npm", "pack", "--silent", f"mathjax@{version}"], cwd=tmp, check=True,
                           capture_output=True, text=True, timeout=600)
            tarball = next(Path(tmp).glob("mathjax-*.tgz"))
        with tarfile.open(tarball) as archive:
            archive.extractall(tmp, filter="data")
        es5 = Path(tmp) / "package" / "es5"
        if not (es5 / ENTRY).is_file():
            raise RuntimeError(f"{tarball} holds no package/es5/{ENTRY}: not a MathJax 3 package")
        staging = root / "mathjax.partial"
        shutil.rmtree(staging, ignore_errors=True)
        for item in KEEP:
            source, target = es5 / item, staging / item
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, target)
            else:
                shutil.copy2(source, target)
        shutil.rmtree(root / "mathjax", ignore_errors=True)
        staging.replace(root / "mathjax")
    vendored(root).touch()  # npm's files are dated 1985: make must see this copy as new
    return vendored(root)


def _use_vendored_mathjax(app: Any, config: Any) -> None:
    config.mathjax_path = f"mathjax/{ENTRY}"  # relative: Sphinx serves it from _static
    config.html_static_path = [*config.html_static_path, str(STATIC_ROOT)]


def _check_vendored(app: Any) -> None:
    if app.builder.format == "html" and not vendored().is_file():
        from sphinx.errors import ExtensionError

        raise ExtensionError(f"MathJax is not vendored at {vendored()}: run `make setup` "
                             "(or `python book/_ext/local_mathjax.py`) once")


def setup(app: Any) -> dict[str, Any]:
    app.connect("config-inited", _use_vendored_mathjax)
    app.connect("builder-inited", _check_vendored)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    print(f"MathJax {MATHJAX_VERSION} vendored at {vendor()}")
