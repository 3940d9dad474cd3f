"""The browser checks catch each defect on small hand-made pages (and pass a page without one)."""

from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path

import pytest

from book_site import bad_external_urls, broken_internal_links
from browser_checks import browser_for_tests, check_page, launch_links, search, serve
from conftest import REPO_ROOT
from references import load_script

pytestmark = pytest.mark.browser


def _png(width: int = 3, height: int = 2) -> bytes:
    """A valid grey PNG, written by hand (no image library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _page(body: str, head: str = "") -> str:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>t</title>{head}</head><body><main>{body}</main></body></html>"


GOOD = _page("""<h1 id="top">A chapter</h1>
<p>The accuracy is <span class="pasted-text">0.97</span> and <span class="pasted-inline">12</span>.</p>
<img src="ok.png" alt="a figure">
<p>Cite glue in prose as <code>{glue:text}`ch01_name`</code>; this is code, not an unresolved role.</p>
<p><a href="other.html#part">a link</a> <a href="#top">up</a></p>""")

MATH = ('<p>Inline <span class="math notranslate nohighlight">\\(x^2 + y\\)</span> and display:</p>'
        '<div class="math notranslate nohighlight">\\[\\lVert a - b \\rVert_2\\]</div>')

PAGES = {
    "good.html": GOOD,
    "other.html": _page('<h2 id="part">Part</h2><a href="good.html">back</a>'),
    "console_error.html": _page("<p>text</p><script>console.error('something broke')</script>"),
    "exception.html": _page("<p>text</p><script>undefinedFunction()</script>"),
    "broken_image.html": _page('<img src="missing.png" alt="gone">'),
    "corrupt_image.html": _page('<img src="corrupt.png" alt="not a png">'),
    "glue_warning.html": _page(
        '<p>The accuracy is .</p><aside class="system-message"><p class="system-message-title">'
        "System Message: WARNING/2</p><p>'ch01_accuracy' does not contain a glue key</p></aside>"),
    "glue_literal.html": _page("<p>The accuracy is {glue:text}`ch01_accuracy:.3f`.</p>"),
    "glue_empty.html": _page('<p>The accuracy is <span class="pasted-text"></span>.</p>'),
    "glue_dropped.html": _page('<p>The accuracy is <span class="pasted-text">0.9</span> and .</p>'),
    "bad_link.html": _page('<a href="nowhere.html">x</a> <a href="other.html#no-such-anchor">y</a>'),
    "page_warning.html": _page('<aside class="system-message"><p>System Message: WARNING/2</p>'
                               '<p>toctree contains reference to nonexisting document</p></aside>'),
    "plotly_undrawn.html": _page('<div class="plotly-graph-div" id="fig1"></div>'),
    "external.html": _page('<script src="https://cdn.example.org/lib.js"></script>'
                           '<script src="http://cdn.example.org/plain.js"></script>'),
    # math as Sphinx writes it: typeset by the site's own MathJax, left raw, or asked of a CDN
    "math_local.html": _page(MATH, head='<script defer src="mathjax/tex-mml-chtml.js"></script>'),
    "math_raw.html": _page(MATH),
    # code at the book's width: a line too long for its box scrolls sideways; a short one does not
    "wide_code.html": _page('<div style="width: 300px"><div class="cell_input"><div class="highlight"><pre>'
                            + "x = 1\n" + "y = " + "1 + " * 40 + "1</pre></div></div></div>"),
    "narrow_code.html": _page('<div style="width: 300px"><div class="cell_input"><div class="highlight"><pre>'
                              'x = 1\ny = 2</pre></div></div></div>'),
    "visible_glue.html": _page('<div class="cell"><div class="cell_input"><pre>accuracy = 0.9\n'
                               'glue("ch01_accuracy", accuracy, display=False)</pre></div></div>'),
    # a cell whose prints became two output blocks (myst-nb without nb_merge_streams), and one merged
    "split_streams.html": _page('<div class="cell_output"><div class="output stream"><pre>epoch 1</pre></div>'
                                '<div class="output stream"><pre>epoch 2</pre></div></div>'),
    "merged_streams.html": _page('<div class="cell_output"><div class="output stream"><pre>epoch 1\nepoch 2'
                                 '</pre></div><div class="output stderr"><pre>a warning</pre></div></div>'),
    "math_cdn.html": _page(MATH, head='<script defer src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/'
                                      'tex-mml-chtml.js"></script>'),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site")
    for name, text in PAGES.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "ok.png").write_bytes(_png())
    (folder / "corrupt.png").write_bytes(b"this is not an image")
    mathjax = load_script(REPO_ROOT / "book" / "_ext" / "local_mathjax.py", "local_mathjax").vendored()
    assert mathjax.is_file(), f"no vendored MathJax at {mathjax}: run `make setup`"
    shutil.copytree(mathjax.parent, folder / "mathjax")
    (folder / "search.html").write_text(_page("""<div id="search-results"></div><script>
const q = new URLSearchParams(location.search).get('q');
const r = document.getElementById('search-results');
const s = document.createElement('p'); s.className = 'search-summary';
const ul = document.createElement('ul'); ul.className = 'search';
if (q === 'embedding') { ul.innerHTML = '<li><a href="good.html">A chapter</a></li>'; }
r.appendChild(ul); s.textContent = 'Search finished'; r.appendChild(s);
</script>"""), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def browser():
    return browser_for_tests()


@pytest.fixture(scope="module")
def base_url(site: Path):
    with serve(site) as url:
        yield url


@pytest.fixture()
def page(browser):
    opened = browser.new_page()
    yield opened
    opened.close()


def test_a_good_page_has_no_problems(page, base_url, tmp_path):
    shot = tmp_path / "good.png"
    report = check_page(page, base_url + "good.html", screenshot=shot, expected_glue=2)
    assert report.problems == []
    assert report.title == "t" and report.pasted == 2 and report.status == 200
    assert shot.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("name, kind, text", [
    ("console_error.html", "console error", "something broke"),
    ("exception.html", "console error", "undefinedFunction"),
    ("broken_image.html", "image did not load", "missing.png"),
    ("corrupt_image.html", "image did not load", "corrupt.png"),
    ("glue_warning.html", "unresolved glue", "does not contain a glue key"),
    ("glue_literal.html", "unresolved glue", "{glue:text}`ch01_accuracy"),
    ("glue_empty.html", "unresolved glue", "rendered empty"),
    ("page_warning.html", "Sphinx warning shown in the page", "nonexisting document"),
    ("plotly_undrawn.html", "interactive figure not drawn", "fig1"),
    ("external.html", "external request over plain http", "http://cdn.example.org/plain.js"),
    ("no_such_page.html", "HTTP status", "404"),
    ("math_raw.html", "math not typeset", "2 formula(s)"),
    ("wide_code.html", "code or output scrolls sideways", "y = 1 + 1 + "),
    ("visible_glue.html", "glue bookkeeping shown in 1 code cell(s)", "remove-cell"),
    ("split_streams.html", "printed output split into several blocks", "1 cell(s)"),
    ("math_cdn.html", "MathJax fetched from outside the site", "cdn.jsdelivr.net"),
    ("math_cdn.html", "math not typeset", "2 formula(s)"),
])
def test_each_defect_is_a_problem(page, base_url, name, kind, text):
    problems = check_page(page, base_url + name).problems
    assert any(p.startswith(kind) and text in p for p in problems), problems


def test_code_that_fits_its_box_is_not_a_problem(page, base_url):
    assert check_page(page, base_url + "narrow_code.html").problems == []


def test_one_stdout_block_beside_a_stderr_block_is_not_a_problem(page, base_url):
    assert check_page(page, base_url + "merged_streams.html").problems == []


def test_math_typeset_by_the_sites_own_mathjax_is_not_a_problem(page, base_url):
    report = check_page(page, base_url + "math_local.html")
    assert report.problems == [] and report.untypeset_math == 0 and report.external_requests == []


def test_a_dropped_glue_value_is_found_by_counting(page, base_url):
    assert check_page(page, base_url + "glue_dropped.html", expected_glue=1).problems == []
    problems = check_page(page, base_url + "glue_dropped.html", expected_glue=2).problems
    assert problems == ["unresolved glue: 2 glue references in the source but 1 values in the page"]


def test_a_broken_image_is_also_a_failed_request_in_the_console(page, base_url):
    report = check_page(page, base_url + "broken_image.html")
    assert any("404" in error for error in report.console_errors), report.console_errors


def test_external_requests_are_answered_offline_and_listed(page, base_url):
    report = check_page(page, base_url + "external.html")
    assert report.external_requests == ["https://cdn.example.org/lib.js", "http://cdn.example.org/plain.js"]
    assert report.console_errors == []


def test_launch_links_and_search(page, base_url):
    page.set_content('<a href="https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/notebooks/x.ipynb">b</a>'
                     '<a href="https://colab.research.google.com/github/o/r/blob/main/notebooks/x.ipynb">c</a>'
                     '<a href="https://example.org">other</a>')
    assert [link.split("/")[2] for link in launch_links(page)] == ["mybinder.org", "colab.research.google.com"]
    assert search(page, base_url, "embedding") == [base_url + "good.html"]
    assert search(page, base_url, "absent") == []


def test_internal_links_to_missing_files_and_anchors_are_found(site):
    problems = broken_internal_links(site)
    assert sorted(problems) == [
        "bad_link.html: nowhere.html (no such file)",
        "bad_link.html: other.html#no-such-anchor (no element with id 'no-such-anchor')",
    ]


def test_external_link_form():
    good = ["https://mybinder.org/v2/gh/o/r/main?urlpath=lab/tree/notebooks", "https://doi.org/10.1000/x",
            "mailto:someone@example.org"]
    assert bad_external_urls(good) == []
    bad = ["http://example.org", "https://localhost/x", "https://exa mple.org", "https://example.org/a b",
           "mailto:nobody"]
    assert [p.split(" (")[0] for p in bad_external_urls(bad)] == bad
