"""tutorial_utils.metrics for chapter 4: recall@k for labelled retrieval and the ROC AUC of pairs."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import roc_auc_score

from references import brute_force_neighbours
from tutorial_utils.metrics import label_recall_at_k, map_at_r, pair_roc_auc, precision_at_1


def _brute_force_recall(q, ql, x, xl, k):
    nearest, _ = brute_force_neighbours(q, x, k)
    return float(np.mean([np.any(xl[row] == label) for row, label in zip(nearest, ql)]))


def test_label_recall_matches_brute_force_on_random_data():
    rng = np.random.default_rng(0)
    x, xl = rng.normal(size=(300, 6)), rng.integers(0, 5, 300)
    q, ql = rng.normal(size=(80, 6)), rng.integers(0, 5, 80)
    for k in (1, 3, 10, 300):
        expected = _brute_force_recall(q, ql, x, xl, k)
        assert label_recall_at_k(q, ql, x, xl, k=k, chunk_size=7, dtype=np.float64) == pytest.approx(expected)
    # recall@1 is precision@1, and recall grows with k
    assert label_recall_at_k(q, ql, x, xl, k=1, dtype=np.float64) == precision_at_1(q, ql, x, xl, dtype=np.float64)
    assert label_recall_at_k(q, ql, x, xl, k=2) <= label_recall_at_k(q, ql, x, xl, k=20)
    assert label_recall_at_k(q, ql, x, xl, k=300) == 1.0


def test_label_recall_by_hand():
    index = np.array([[0.0], [1.0], [2.0], [3.0]])
    labels = np.array(["a", "b", "b", "a"])
    queries, query_labels = np.array([[0.1], [2.9]]), np.array(["b", "b"])
    # query 0.1: nearest are 0 (a), 1 (b): found at k=2; query 2.9: 3 (a), 2 (b): found at k=2
    assert label_recall_at_k(queries, query_labels, index, labels, k=1) == 0.0
    assert label_recall_at_k(queries, query_labels, index, labels, k=2) == 1.0


def test_label_recall_refuses_bad_input():
    x, xl = np.eye(4), np.array([0, 0, 1, 1])
    with pytest.raises(ValueError, match="k must be an integer from 1 to the index size 4"):
        label_recall_at_k(x, xl, x, xl, k=5)
    with pytest.raises(ValueError, match="3 query vectors but 2 query labels"):
        label_recall_at_k(x[:3], xl[:2], x, xl, k=1)
    with pytest.raises(ValueError, match="single label"):
        label_recall_at_k(x, [0, 0, 0, 0], x, [0, 0, 0, 0], k=1)
    with pytest.raises(ValueError, match="never occur in the index"):
        label_recall_at_k(x, [0, 0, 2, 2], x, xl, k=1)
    with pytest.raises(ValueError, match="dimension mismatch"):
        label_recall_at_k(x[:, :3], xl, x, xl, k=1)


def test_map_at_r_is_one_for_a_perfect_embedding():
    # reused by chapter 4: perfect clusters score 1, labels shuffled score far less
    rng = np.random.default_rng(1)
    labels = np.repeat(np.arange(3), 20)
    points = labels[:, None] * 10.0 + rng.normal(scale=0.1, size=(60, 2))
    assert map_at_r(points, labels, points, labels) == pytest.approx(1.0)
    assert map_at_r(points, rng.permutation(labels), points, labels) < 0.6


def test_pair_roc_auc_matches_scikit_learn():
    rng = np.random.default_rng(2)
    labels = rng.integers(0, 2, 500)
    distances = rng.normal(size=500) + 1.5 * (labels == 0)
    assert pair_roc_auc(distances, labels) == pytest.approx(roc_auc_score(labels, -distances))
    rounded = np.round(distances, 1)  # many ties: each counts one half
    assert pair_roc_auc(rounded, labels) == pytest.approx(roc_auc_score(labels, -rounded))


def test_pair_roc_auc_by_hand():
    assert pair_roc_auc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0]) == 1.0  # every same pair is closer
    assert pair_roc_auc([0.8, 0.9, 0.1, 0.2], [1, 1, 0, 0]) == 0.0
    assert pair_roc_auc([0.5, 0.5], [1, 0]) == 0.5
    assert pair_roc_auc([[0.1], [0.3], [0.2]], [[1], [0], [0]]) == 1.0  # (n, 1) columns


def test_pair_roc_auc_refuses_bad_input():
    with pytest.raises(ValueError, match="single class"):
        pair_roc_auc([0.1, 0.2], [1, 1])
    with pytest.raises(ValueError, match="3 distances but 2 labels"):
        pair_roc_auc([0.1, 0.2, 0.3], [1, 0])
    with pytest.raises(ValueError, match="labels must be 0"):
        pair_roc_auc([0.1, 0.2], [1, 2])
