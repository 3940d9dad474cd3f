"""Check rendered pages in headless Chromium (Playwright driving the system's Chromium).

:func:`check_page` opens one page and reports what a reader would see go wrong: the page does not
load, the console shows an error, an image did not load, an interactive figure did not draw, or a
glued figure did not resolve. The browser runs offline: requests to other hosts (MathJax from its
CDN, for instance) are answered with an empty response and listed, never fetched.
"""

from __future__ import annotations

import atexit
import functools
import http.server
import os
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

__all__ = ["PageReport", "check_page", "chromium_executable", "hover_texts", "launch_links", "shared_browser", "search", "serve"]

#: Where Debian's ``chromium`` package puts the browser (the first is the binary its wrapper runs).
CHROMIUM_CANDIDATES = ("/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser",
                       "/usr/bin/google-chrome")


def chromium_executable() -> str | None:
    """The Chromium to drive: ``$CHROMIUM`` if set, else Debian's, else ``None``."""
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    for candidate in CHROMIUM_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


_PLAYWRIGHT: list[Any] = []  # [Playwright, Browser] once started: one browser per test process


def browser_for_tests() -> Any:
    """:func:`shared_browser` for a pytest fixture: skips without Chromium, but fails in CI (``$CI`` set)."""
    import pytest

    if chromium_executable() is None:
        if os.environ.get("CI"):
            pytest.fail("no Chromium: CI must install Debian's chromium (.ci/run does, through make setup)")
        pytest.skip("no Chromium here; `make setup` installs Debian's chromium when run as root")
    return shared_browser()


def shared_browser() -> Any:
    """A headless Playwright ``Browser`` on the system's Chromium (see :func:`chromium_executable`).

    Started on first use and closed when the process exits; every test module shares it (Playwright's
    sync API cannot start twice in one process).
    """
    if not _PLAYWRIGHT:
        from playwright.sync_api import sync_playwright

        executable = chromium_executable()
        if executable is None:
            raise FileNotFoundError("no Chromium found: install Debian's chromium package (`make setup` does, "
                                    "as root) or point $CHROMIUM at a Chromium binary")
        playwright = sync_playwright().start()
        # --no-sandbox: CI and this machine run as root, where Chromium's sandbox refuses to start.
        browser = playwright.chromium.launch(executable_path=executable,
                                             args=["--no-sandbox", "--disable-dev-shm-usage"])
        _PLAYWRIGHT.extend([playwright, browser])
        atexit.register(_stop)
    return _PLAYWRIGHT[1]


def _stop() -> None:
    if _PLAYWRIGHT:
        playwright, browser = _PLAYWRIGHT
        _PLAYWRIGHT.clear()
        browser.close()
        playwright.stop()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on a free local port; yields the base URL (``http://127.0.0.1:N/``)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# Runs in the page once it has loaded: images, interactive figures and glue, as plain data.
_INSPECT = r"""
() => {
  const visibleText = (root) => {
    const copy = root.cloneNode(true);
    copy.querySelectorAll('pre, code, script, style, textarea').forEach((e) => e.remove());
    return copy.textContent || '';
  };
  const main = document.querySelector('main, article, [role=main]') || document.body;
  return {
    title: document.title,
    images: Array.from(document.images).map((img) => ({
      src: img.currentSrc || img.src || img.getAttribute('src') || '',
      complete: img.complete,
      width: img.naturalWidth,
    })),
    plotly: Array.from(document.querySelectorAll('.plotly-graph-div')).map((div) => ({
      id: div.id,
      drawn: div.querySelector('.main-svg') !== null,
    })),
    systemMessages: Array.from(document.querySelectorAll('.system-message')).map((e) => e.textContent.trim()),
    emptyPasted: document.querySelectorAll('.pasted-text:empty, .pasted-inline:empty').length,
    pasted: document.querySelectorAll('.pasted-text, .pasted-inline').length,
    splitStreams: Array.from(document.querySelectorAll('.cell_output'))
      .filter((cell) => cell.querySelectorAll(':scope > .output.stream').length > 1).length,
    glueInCode: Array.from(document.querySelectorAll('.cell_input'))
      .filter((cell) => /\bglue\(/.test(cell.textContent)).length,
    overflowing: Array.from(document.querySelectorAll('.cell_input pre, .cell_output pre'))
      .filter((pre) => pre.scrollWidth > pre.clientWidth + 1)
      .map((pre) => (pre.textContent.split('\n').reduce((a, b) => (b.length > a.length ? b : a), '')).slice(0, 100)),
    math: document.querySelectorAll('.math').length,
    mathTypeset: document.querySelectorAll('.math mjx-container').length,
    text: visibleText(main),
  };
}
"""

#: Literal roles that survived rendering: an unresolved glue or citation shows as its source text.
UNRENDERED_ROLE = re.compile(r"\{(glue(:\w+)?|cite(:\w+)?|doc|ref|numref|eq)\}`?")


@dataclass
class PageReport:
    """What one page showed. ``problems`` is empty when a reader would see nothing wrong."""

    url: str
    title: str = ""
    status: int | None = None
    console_errors: list[str] = field(default_factory=list)
    broken_images: list[str] = field(default_factory=list)
    undrawn_figures: list[str] = field(default_factory=list)
    unresolved_glue: list[str] = field(default_factory=list)
    page_warnings: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    pasted: int = 0
    interactive_figures: int = 0
    untypeset_math: int = 0
    split_streams: int = 0
    visible_glue: int = 0
    overflowing: list[str] = field(default_factory=list)  # the longest line of each block that scrolls

    @property
    def problems(self) -> list[str]:
        found = []
        if self.status is not None and self.status >= 400:
            found.append(f"HTTP status {self.status}")
        found += [f"console error: {e}" for e in self.console_errors]
        found += [f"image did not load: {e}" for e in self.broken_images]
        found += [f"interactive figure not drawn: {e}" for e in self.undrawn_figures]
        found += [f"unresolved glue: {e}" for e in self.unresolved_glue]
        found += [f"Sphinx warning shown in the page: {e}" for e in self.page_warnings]
        found += [f"external request over plain http: {u}" for u in self.external_requests
                  if not u.startswith("https://")]
        found += [f"MathJax fetched from outside the site: {u}" for u in self.external_requests
                  if "mathjax" in u.lower()]
        found += [f"code or output scrolls sideways: {line!r}" for line in self.overflowing]
        if self.visible_glue:
            found.append(f"glue bookkeeping shown in {self.visible_glue} code cell(s): tag those cells remove-cell")
        if self.split_streams:
            found.append(f"printed output split into several blocks in {self.split_streams} cell(s)")
        if self.untypeset_math:
            found.append(f"math not typeset: {self.untypeset_math} formula(s) left as raw TeX")
        return found


def check_page(page: Any, url: str, screenshot: Path | None = None, expected_glue: int | None = None,
               timeout_ms: int = 30_000) -> PageReport:
    """Open ``url`` in a Playwright ``page`` and report what went wrong (see :class:`PageReport`).

    ``expected_glue``: how many ``{glue:...}`` references the page's source cites; fewer rendered
    values than that means some did not resolve (Sphinx drops an unresolved one silently unless
    ``keep_warnings`` is on). ``screenshot``: where to save a full-page PNG.
    """
    report = PageReport(url=url)
    local_host = urlsplit(url).netloc

    def on_console(message: Any) -> None:
        if message.type == "error":
            location = message.location or {}
            where = location.get("url", "")
            report.console_errors.append(f"{message.text}" + (f" ({where})" if where else ""))

    def on_route(route: Any) -> None:
        request_url = route.request.url
        parts = urlsplit(request_url)
        if parts.scheme in ("http", "https") and parts.netloc != local_host:
            report.external_requests.append(request_url)
            content_type = "text/css" if parts.path.endswith(".css") else "application/javascript"
            route.fulfill(status=200, body="", headers={"content-type": content_type,
                                                         "access-control-allow-origin": "*"})
        else:
            route.continue_()

    def on_page_error(error: Any) -> None:
        report.console_errors.append(f"uncaught exception: {error}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.route("**/*", on_route)
    try:
        response = page.goto(url, wait_until="load", timeout=timeout_ms)
        report.status = response.status if response is not None else None
        try:
            page.wait_for_load_state("networkidle", timeout=timeout_ms)
        except PlaywrightTimeoutError:  # a page that keeps polling still gets checked; any other error fails
            pass
        # MathJax typesets after the load event; its promise settles when every formula is done
        page.evaluate("() => window.MathJax && MathJax.startup && MathJax.startup.promise")
        found = page.evaluate(_INSPECT)
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_page_error)
        page.unroute("**/*", on_route)

    report.title = found["title"]
    report.untypeset_math = found["math"] - found["mathTypeset"]
    report.split_streams = found["splitStreams"]
    report.visible_glue = found["glueInCode"]
    report.overflowing = found["overflowing"]
    report.pasted = found["pasted"]
    report.interactive_figures = len(found["plotly"])
    report.broken_images = [image["src"] or "(an <img> without src)" for image in found["images"]
                            if not image["complete"] or image["width"] == 0]
    report.undrawn_figures = [figure["id"] or "(a plotly figure without id)" for figure in found["plotly"]
                              if not figure["drawn"]]
    for message in found["systemMessages"]:
        kept = " ".join(message.split())[:300]
        (report.unresolved_glue if "glue" in message.lower() else report.page_warnings).append(kept)
    for match in UNRENDERED_ROLE.finditer(found["text"]):
        context = found["text"][max(0, match.start() - 40):match.end() + 40].replace("\n", " ")
        report.unresolved_glue.append(f"literal role in the text: ...{context}...")
    if found["emptyPasted"]:
        report.unresolved_glue.append(f"{found['emptyPasted']} glued value(s) rendered empty")
    if expected_glue is not None and found["pasted"] < expected_glue:
        report.unresolved_glue.append(f"{expected_glue} glue references in the source but "
                                      f"{found['pasted']} values in the page")
    return report


def hover_texts(page: Any, timeout_ms: int = 5_000) -> list[str]:
    """Move the mouse onto the first point of every plotly figure; returns the hover label each shows
    (waiting up to ``timeout_ms`` for it; ``""`` if none appears)."""
    texts = []
    for figure in page.locator(".plotly-graph-div").all():
        figure.scroll_into_view_if_needed()
        point = figure.locator(".scatterlayer .point").first
        box = point.bounding_box()
        if box is None:
            texts.append("")
            continue
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        label = figure.locator(".hoverlayer .hovertext")
        try:  # plotly draws the label in the figure's hover layer once it has handled the move
            label.first.wait_for(state="visible", timeout=timeout_ms)
        except PlaywrightTimeoutError:  # no label: report it empty, for the caller's assertion
            pass
        texts.append((figure.locator(".hoverlayer").text_content() or "").strip())
        page.mouse.move(0, 0)
    return texts


def launch_links(page: Any) -> list[str]:
    """Every href of the page that opens a notebook on Binder, Colab or a JupyterHub."""
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map((a) => a.href)")
    return [h for h in hrefs if re.match(r"https://(mybinder\.org|colab\.research\.google\.com|[^/]*hub)", h)]


def search(page: Any, base_url: str, word: str, timeout_ms: int = 30_000) -> list[str]:
    """Search the site for ``word`` through its own search page; returns the result links' hrefs."""
    page.goto(f"{base_url}search.html?q={word}", wait_until="load", timeout=timeout_ms)
    page.wait_for_function(
        "() => { const s = document.querySelector('#search-results .search-summary');"
        " return s && /finished|did not match/i.test(s.textContent); }", timeout=timeout_ms)
    return page.eval_on_selector_all("#search-results ul.search li a", "links => links.map((a) => a.href)")
