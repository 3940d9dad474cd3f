"""book/_ext/shared_plotly.py: the built site loads plotly.js once from _static, and figures still draw."""

from __future__ import annotations

import sys
from types import SimpleNamespace

import numpy as np
import pytest

from conftest import REPO_ROOT
from tutorial_utils.interactive import interactive_scatter

sys.path.insert(0, str(REPO_ROOT / "book" / "_ext"))
import shared_plotly  # noqa: E402


def _site(tmp_path):
    figure = interactive_scatter(np.array([[0.0, 0.0], [1.0, 1.0]]), ["a", "b"], groups=["x", "y"], title="t")
    (tmp_path / "_static").mkdir()
    (tmp_path / "notebooks").mkdir()
    page = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>p</title></head><body><main>{}</main></body></html>"
    (tmp_path / "notebooks" / "ch.html").write_text(page.format(figure.to_html() + figure.to_html()), encoding="utf-8")
    (tmp_path / "plain.html").write_text(page.format("<p>no figure</p>"), encoding="utf-8")
    app = SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="html"))
    shared_plotly.share_plotly(app, None)
    return tmp_path


def test_the_library_moves_to_static_and_pages_point_at_it(tmp_path):
    site = _site(tmp_path)
    bundles = list((site / "_static").glob("plotly-*.min.js"))
    assert len(bundles) == 1 and bundles[0].stat().st_size > 1_000_000
    page = (site / "notebooks" / "ch.html").read_text(encoding="utf-8")
    assert "plotly.js v" not in page and len(page) < 200_000
    assert page.count(f'src="../_static/{bundles[0].name}"') == 2
    assert (site / "plain.html").read_text(encoding="utf-8").count("<script") == 0


def test_nothing_happens_after_a_failed_build_or_for_another_builder(tmp_path):
    (tmp_path / "a.html").write_text("<script>/**\n* plotly.js v1.0.0\n*/</script>", encoding="utf-8")
    shared_plotly.share_plotly(SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="latex")), None)
    shared_plotly.share_plotly(SimpleNamespace(outdir=str(tmp_path), builder=SimpleNamespace(format="html")),
                               RuntimeError("build failed"))
    assert "plotly.js v1.0.0" in (tmp_path / "a.html").read_text(encoding="utf-8")


@pytest.mark.browser
def test_figures_still_draw_and_hover_in_a_browser(tmp_path):
    from browser_checks import browser_for_tests, check_page, hover_texts, serve

    browser = browser_for_tests()  # skips without Chromium, fails in CI
    site = _site(tmp_path)
    with serve(site) as base:
        page = browser.new_page()
        report = check_page(page, base + "notebooks/ch.html")
        assert report.problems == [] and report.interactive_figures == 2
        assert hover_texts(page) == ["agroup: x", "agroup: x"]
        page.close()
