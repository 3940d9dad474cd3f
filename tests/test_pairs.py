"""tutorial_utils.pairs: balanced, seeded same/different pairs, and the pair plot."""

from __future__ import annotations


import numpy as np
import pytest

from conftest import NOTEBOOKS
from references import notebook_functions
from tutorial_utils.pairs import make_pair_indices, make_pairs, plot_pairs

LABELS = np.array([0, 1, 2, 0, 1, 2, 0, 1, 2, 2, 5, 5])


def test_each_anchor_gets_one_same_and_one_different_pair():
    left, right, labels = make_pair_indices(LABELS, rng=0)
    assert len(left) == len(right) == len(labels) == 2 * len(LABELS)
    np.testing.assert_array_equal(left, np.repeat(np.arange(len(LABELS)), 2))
    np.testing.assert_array_equal(labels, np.tile([1.0, 0.0], len(LABELS)))


def test_pair_labels_say_whether_the_classes_match():
    y = np.random.default_rng(1).integers(0, 10, size=500)
    left, right, labels = make_pair_indices(y, rng=3)
    np.testing.assert_array_equal(labels == 1.0, y[left] == y[right])


def test_a_positive_partner_is_never_the_anchor_itself():
    left, right, labels = make_pair_indices(LABELS, rng=0)
    positive = labels == 1.0
    assert np.all(left[positive] != right[positive])


def test_pairs_are_balanced():
    _, _, labels = make_pair_indices(np.random.default_rng(2).integers(0, 10, size=1001), rng=0)
    assert labels.sum() == len(labels) / 2


def test_negative_classes_cover_all_other_classes():
    y = np.repeat(np.arange(4), 250)
    left, right, labels = make_pair_indices(y, rng=0)
    negative = labels == 0.0
    seen = {(int(a), int(b)) for a, b in zip(y[left[negative]], y[right[negative]])}
    assert seen == {(a, b) for a in range(4) for b in range(4) if a != b}


def test_same_seed_same_pairs_different_seed_different_pairs():
    y = np.random.default_rng(0).integers(0, 10, size=300)
    first = make_pair_indices(y, rng=7)
    again = make_pair_indices(y, rng=np.random.default_rng(7))
    other = make_pair_indices(y, rng=8)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[1], other[1])


def test_make_pairs_returns_the_items_of_the_index_pairs():
    x = np.arange(len(LABELS) * 3).reshape(len(LABELS), 3)
    x_left, x_right, labels = make_pairs(x, LABELS, rng=4)
    left, right, same_labels = make_pair_indices(LABELS, rng=4)
    np.testing.assert_array_equal(x_left, x[left])
    np.testing.assert_array_equal(x_right, x[right])
    np.testing.assert_array_equal(labels, same_labels)


def _chapter_functions(notebook: str, names: set[str]) -> dict:
    return notebook_functions(NOTEBOOKS / notebook, names, {"np": np})


def test_chapter_2_pairs_are_the_package_pairs():
    # Chapter 2 writes make_pair_indices and make_pairs in plain code, then calls the package's:
    # the same seed must give exactly the same pairs.
    chapter = _chapter_functions("02_siamese_mnist.ipynb", {"make_pair_indices", "make_pairs"})
    y = np.random.default_rng(0).integers(0, 10, size=500)
    x = np.random.default_rng(1).random((500, 6))
    for seed in (0, 123):
        ours = chapter["make_pair_indices"](y, np.random.default_rng(seed))
        for a, b in zip(ours, make_pair_indices(y, np.random.default_rng(seed))):
            np.testing.assert_array_equal(a, b)
        ours = chapter["make_pairs"](x, y, np.random.default_rng(seed))
        for a, b in zip(ours, make_pairs(x, y, np.random.default_rng(seed))):
            np.testing.assert_array_equal(a, b)


def test_mismatched_lengths_are_refused():
    with pytest.raises(ValueError, match="x has 3 items but y has 12 labels"):
        make_pairs(np.zeros((3, 4)), LABELS)


def test_a_single_class_is_refused():
    with pytest.raises(ValueError, match="single class"):
        make_pair_indices(np.zeros(10, dtype=int))


def test_a_class_with_one_item_is_refused():
    with pytest.raises(ValueError, match=r"class\(es\) \[7\] have a single item"):
        make_pair_indices(np.array([0, 0, 1, 1, 7]))


def test_empty_and_non_1d_labels_are_refused():
    with pytest.raises(ValueError, match="empty"):
        make_pair_indices(np.array([], dtype=int))
    with pytest.raises(ValueError, match="1-D"):
        make_pair_indices(np.zeros((4, 2), dtype=int))


@pytest.mark.parametrize("bad", [-1, 1.5, "seed", True])
def test_a_bad_rng_is_refused(bad):
    with pytest.raises(TypeError, match="rng must be a numpy Generator or a non-negative integer seed"):
        make_pair_indices(LABELS, rng=bad)


def test_plot_pairs_titles_each_pair_and_marks_mistakes():
    rng = np.random.default_rng(0)
    left, right = rng.random((3, 28, 28)), rng.random((3, 784))
    fig = plot_pairs(left, right, [1, 0, 1], distances=[0.1, 0.2, 0.9], threshold=0.5, title="Test")
    titles = [ax.get_title() for ax in fig.axes if ax.get_title()]
    assert titles[0].startswith("true: same") and "right" in titles[0]
    assert "WRONG" in titles[1] and "WRONG" in titles[2]
    assert fig._suptitle.get_text() == "Test"


def test_plot_pairs_refuses_bad_input():
    images = np.zeros((2, 28, 28))
    with pytest.raises(ValueError, match="left has 2 pairs, right 2, labels 3"):
        plot_pairs(images, images, [1, 0, 1])
    with pytest.raises(ValueError, match="not a square image"):
        plot_pairs(np.zeros((2, 10)), np.zeros((2, 10)), [1, 0])
    with pytest.raises(ValueError, match="pass the threshold too"):
        plot_pairs(images, images, [1, 0], distances=[0.1, 0.2])
    with pytest.raises(ValueError, match="no pairs"):
        plot_pairs(np.zeros((0, 28, 28)), np.zeros((0, 28, 28)), [])
