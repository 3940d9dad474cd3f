"""tutorial_utils.plotting.use_book_style: one style for every figure of the book."""

from __future__ import annotations

import matplotlib as mpl

from tutorial_utils.plotting import BOOK_STYLE, PALETTE, use_book_style


def test_style_is_applied():
    mpl.rcdefaults()
    use_book_style()
    assert mpl.rcParams["figure.facecolor"] == "white"  # reads the same in light and dark themes
    assert mpl.rcParams["axes.grid"] is True
    assert [c.lower() for c in mpl.rcParams["axes.prop_cycle"].by_key()["color"]] == [c.lower() for c in PALETTE]
    for key in ("axes.spines.top", "axes.spines.right"):
        assert mpl.rcParams[key] is BOOK_STYLE[key]
    mpl.rcdefaults()


def test_palette_is_distinct_hex_colours():
    assert len(set(PALETTE)) == len(PALETTE) >= 8
    assert all(c.startswith("#") and len(c) == 7 for c in PALETTE)
