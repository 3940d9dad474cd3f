"""Hoverable scatter plots: the plotly figure, its static PNG, and how both show in a browser."""

from __future__ import annotations

import base64
import re

import numpy as np
import pytest

from tutorial_utils.interactive import interactive_scatter

POINTS = np.array([[0.0, 0.0], [1.0, 0.5], [0.2, 1.0], [1.5, 1.5]])
LABELS = ["apple", "pear", "lens", "tripod"]
GROUPS = ["food", "food", "photo", "photo"]


def test_one_trace_per_group_with_the_labels_and_hover_columns():
    scatter = interactive_scatter(POINTS, LABELS, groups=GROUPS, hover={"cosine": [1.0, 0.9, 0.2, 0.1]},
                                  title="A map", group_name="topic")
    traces = scatter.figure.data
    assert [t.name for t in traces] == ["food", "photo"]
    assert [list(t.text) for t in traces] == [["apple", "pear"], ["lens", "tripod"]]
    np.testing.assert_array_equal(np.concatenate([t.x for t in traces]), POINTS[:, 0])
    assert [list(row) for row in traces[1].customdata] == [["lens", "photo", 0.2], ["tripod", "photo", 0.1]]
    assert "cosine: %{customdata[2]}" in traces[0].hovertemplate
    assert "topic: %{customdata[1]}" in traces[0].hovertemplate
    assert traces[0].marker.color != traces[1].marker.color


def test_three_dimensions_give_a_3d_figure_and_a_2d_static_twin():
    scatter = interactive_scatter(np.random.default_rng(0).normal(size=(6, 3)), list("abcdef"))
    assert scatter.figure.data[0].type == "scatter3d"
    assert scatter.png.startswith(b"\x89PNG")


def test_the_mimebundle_has_html_with_plotly_inline_a_noscript_png_and_the_png():
    bundle = interactive_scatter(POINTS, LABELS, groups=GROUPS, title="A <map>")._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/png", "text/plain"}
    page = bundle["text/html"]
    assert "plotly.js v" in page and "cdn" not in page.split("plotly.js v")[0]  # the library is inline
    assert not re.search(r'<script[^>]+src="https?://', page)  # nothing fetched from the network
    fallback = re.search(r'<noscript><img src="data:image/png;base64,([^"]+)" alt="A &lt;map&gt;"', page)
    assert fallback and base64.b64decode(fallback.group(1)) == base64.b64decode(bundle["image/png"])


@pytest.mark.parametrize("kwargs, message", [
    ({"points": np.zeros((3, 4))}, "shape (n, 2) or (n, 3)"),
    ({"points": np.array([[0, np.nan], [1, 1], [2, 2], [3, 3]])}, "NaN"),
    ({"labels": ["a"]}, "labels has 1 entries but there are 4 points"),
    ({"groups": ["x", "y"]}, "groups has 2 entries"),
    ({"hover": {"cos": [1, 2, 3]}}, "hover column 'cos' has 3 entries"),
])
def test_bad_input_is_refused(kwargs, message):
    arguments = {"points": POINTS, "labels": LABELS, **kwargs}
    with pytest.raises(ValueError, match=re.escape(message)):
        interactive_scatter(**arguments)


@pytest.mark.browser
def test_in_a_browser_it_draws_without_errors_and_without_javascript_shows_the_png(tmp_path):
    from browser_checks import browser_for_tests, check_page, hover_texts, serve

    browser = browser_for_tests()  # skips without Chromium, fails in CI
    scatter = interactive_scatter(POINTS, LABELS, groups=GROUPS, title="A map")
    (tmp_path / "plot.html").write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>p</title></head>"
                                        f"<body><main>{scatter.to_html()}</main></body></html>", encoding="utf-8")
    with serve(tmp_path) as base:
        page = browser.new_page()
        report = check_page(page, base + "plot.html")
        hovered = hover_texts(page)
        page.close()
        assert report.problems == [] and report.external_requests == []
        assert report.interactive_figures == 1
        assert hovered == ["applegroup: food"]  # the first point's label and group
        page = browser.new_page(java_script_enabled=False)
        page.goto(base + "plot.html", wait_until="load")
        image = page.locator("noscript img, img").first
        assert image.is_visible()
        assert image.evaluate("img => img.naturalWidth") > 0
        page.close()
