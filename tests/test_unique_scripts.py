"""book/_ext/unique_scripts.py: an inline script listed twice is written once (no redeclaration error)."""

from __future__ import annotations

import sys
from types import SimpleNamespace

from conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "book" / "_ext"))
import unique_scripts  # noqa: E402


def _script(filename, **attributes):
    return SimpleNamespace(filename=filename, attributes=attributes)


def test_repeated_scripts_are_dropped_and_the_order_kept():
    thebe = _script(None, body='const THEBE_JS_URL = "x"')
    scripts = [_script("a.js"), thebe, _script("b.js", defer="defer"), _script("", body='const THEBE_JS_URL = "x"'),
               _script("a.js"), _script("b.js")]
    context = {"script_files": scripts}
    unique_scripts.drop_repeated_scripts(None, "page", "page.html", context, None)
    assert [(s.filename, s.attributes) for s in context["script_files"]] == [
        ("a.js", {}), (None, {"body": 'const THEBE_JS_URL = "x"'}), ("b.js", {"defer": "defer"}), ("b.js", {})]
    assert context["script_files"] is scripts  # changed in place, as the template reads it


def test_a_page_without_scripts_is_left_alone():
    context = {}
    unique_scripts.drop_repeated_scripts(None, "page", "page.html", context, None)
    assert context == {}
