"""book/_ext/local_mathjax.py: MathJax vendored from an npm tarball and served from the site's _static."""

from __future__ import annotations

import io
import tarfile
import time
from types import SimpleNamespace

import pytest

from conftest import REPO_ROOT
from references import load_script

mathjax = load_script(REPO_ROOT / "book" / "_ext" / "local_mathjax.py", "local_mathjax")


def _tarball(path, files):
    with tarfile.open(path, "w:gz") as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 500_000_000  # npm dates its files 1985
            archive.addfile(info, io.BytesIO(data))
    return path


def test_vendor_keeps_the_files_the_pages_load(tmp_path):
    es5 = "package/es5/"
    tarball = _tarball(tmp_path / "mathjax-3.2.2.tgz", {
        es5 + "tex-mml-chtml.js": "// entry", es5 + "output/chtml/fonts/woff-v2/MathJax_Main.woff": "font",
        es5 + "input/tex/extensions/physics.js": "ext", es5 + "ui/menu.js": "menu", es5 + "a11y/explorer.js": "a11y",
        es5 + "sre/mathmaps/en.json": "speech rules, not kept", es5 + "tex-svg.js": "not kept"})
    entry = mathjax.vendor(tmp_path / "static", tarball=tarball)
    assert entry == mathjax.vendored(tmp_path / "static") and entry.read_text() == "// entry"
    assert entry.stat().st_mtime > time.time() - 60  # new to make, whatever the tarball says
    kept = {p.relative_to(entry.parent).as_posix() for p in entry.parent.rglob("*") if p.is_file()}
    assert kept == {"tex-mml-chtml.js", "output/chtml/fonts/woff-v2/MathJax_Main.woff",
                    "input/tex/extensions/physics.js", "ui/menu.js", "a11y/explorer.js"}


def test_vendor_refuses_a_tarball_that_is_not_mathjax_3(tmp_path):
    tarball = _tarball(tmp_path / "other.tgz", {"package/index.js": "x"})
    with pytest.raises(RuntimeError, match="not a MathJax 3 package"):
        mathjax.vendor(tmp_path / "static", tarball=tarball)


def test_the_extension_points_sphinx_at_the_vendored_copy(monkeypatch, tmp_path):
    config = SimpleNamespace(mathjax_path="https://cdn.example.org/mathjax.js", html_static_path=["_static"])
    mathjax._use_vendored_mathjax(None, config)
    assert config.mathjax_path == "mathjax/tex-mml-chtml.js"
    assert config.html_static_path == ["_static", str(mathjax.STATIC_ROOT)]
    # a build without the vendored copy stops and says how to make it
    monkeypatch.setattr(mathjax, "STATIC_ROOT", tmp_path)
    from sphinx.errors import ExtensionError
    with pytest.raises(ExtensionError, match="make setup"):
        mathjax._check_vendored(SimpleNamespace(builder=SimpleNamespace(format="html")))
    mathjax._check_vendored(SimpleNamespace(builder=SimpleNamespace(format="latex")))  # only HTML needs it
