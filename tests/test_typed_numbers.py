"""The typed-number finder that `test_hygiene.test_no_typed_numbers` relies on."""

from __future__ import annotations

import pytest

from typed_numbers import prose, typed_numbers


@pytest.mark.parametrize("markdown, expected", [
    ("The network reaches 0.97 on the test pairs.", ["0.97"]),
    ("About 97% of pairs, or 97.5 % of them.", ["97%", "97.5%"]),
    ("A rate of .5 per step.", [".5"]),
    ("We glue it: {glue:text}`ch02_accuracy:.4f`.", []),
    ("Inline math $\\alpha = 0.75$ and code `lr = 0.025`.", []),
    ("$$\nP(w) = f(w)^{0.75}\n$$", []),
    ("Cited {cite}`mikolov2013efficient`; see [v2.0](https://example.org/v0.5/page).", []),
    ("Python 3.11 and torch 2.13.0", ["3.11"]),  # a version is a number too: give it a reason
    ("10,000 images and 128 dimensions", []),  # integers are not caught; read them yourself
])
def test_finds_decimals_and_percentages_only_in_prose(markdown, expected):
    assert typed_numbers(markdown) == expected


def test_fenced_code_is_skipped_but_admonition_prose_is_read():
    markdown = ("````{admonition} Solution\n:class: dropdown\n\nIt reaches 0.9 here.\n\n"
                "```python\nmodel.fit(lr=0.001)\n```\n\nAnd 0.8 after it.\n````\nOutside, 0.7.\n")
    assert typed_numbers(markdown) == ["0.9", "0.8", "0.7"]
    assert "0.001" not in prose(markdown)


def test_indented_code_after_a_blank_line_is_skipped():
    markdown = "Run this:\n\n    x = 0.25\n    y = 1.5\n\nThen 0.3 of them.\n"
    assert typed_numbers(markdown) == ["0.3"]
