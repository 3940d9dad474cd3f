"""tutorial_utils.metrics: recall@k and mean reciprocal rank (chapters 4 and 5), with the inputs they refuse."""

from __future__ import annotations

import numpy as np
import pytest

from tutorial_utils.metrics import mean_reciprocal_rank, recall_at_k

RETRIEVED = np.array([[1, 2, 3], [4, 5, 6], [7, 8, 9]])


def test_recall_with_one_relevant_item_is_the_hit_rate():
    relevant = np.array([2, 6, 0])  # found at rank 2, rank 3, never
    assert recall_at_k(RETRIEVED, relevant, 1) == 0.0
    assert recall_at_k(RETRIEVED, relevant, 2) == pytest.approx(1 / 3)
    assert recall_at_k(RETRIEVED, relevant, 3) == pytest.approx(2 / 3)


def test_recall_is_capped_at_k_when_many_items_are_relevant():
    relevant = [{1, 2, 3, 10, 11}, {5, 20}, {0}]
    # query 1: 2 of the top 2 are relevant (cap 2) -> 1; query 2: 1 of at most 2 -> 0.5; query 3: 0
    assert recall_at_k(RETRIEVED, relevant, 2) == pytest.approx((1 + 0.5 + 0) / 3)
    # query 1: 3 of min(3, 5); query 2: 1 of min(3, 2)
    assert recall_at_k(RETRIEVED, relevant, 3) == pytest.approx((1 + 0.5 + 0) / 3)


def test_recall_of_approximate_search_against_the_exact_top_k():
    exact = np.array([[0, 1, 2, 3], [4, 5, 6, 7]])
    approximate = np.array([[0, 2, 1, 9], [4, 8, 9, 10]])
    assert recall_at_k(approximate, exact, 4) == pytest.approx((3 / 4 + 1 / 4) / 2)
    assert recall_at_k(exact, exact, 4) == 1.0


def test_mean_reciprocal_rank():
    relevant = [[3], [4, 6], [0]]  # first hit at rank 3, rank 1, never
    assert mean_reciprocal_rank(RETRIEVED, relevant) == pytest.approx((1 / 3 + 1 + 0) / 3)
    assert mean_reciprocal_rank(RETRIEVED, relevant, k=2) == pytest.approx((0 + 1 + 0) / 3)


def test_metrics_accept_lists_and_sets_of_ids():
    assert recall_at_k([[1, 2]], [[2]], 2) == 1.0
    assert mean_reciprocal_rank([[1, 2]], [frozenset({2})]) == 0.5
    assert recall_at_k(np.array([[1, 2]]), [np.array([1])], 1) == 1.0


@pytest.mark.parametrize("metric", [recall_at_k, mean_reciprocal_rank])
def test_metrics_refuse_bad_input(metric):
    with pytest.raises(ValueError, match="3 rows of retrieved ids but 2 relevant sets"):
        metric(RETRIEVED, [[1], [2]], 1)
    with pytest.raises(ValueError, match="query 1 has no relevant item"):
        metric(RETRIEVED, [[1], [], [3]], 1)
    with pytest.raises(ValueError, match="k=4 but only 3 items were retrieved"):
        metric(RETRIEVED, [[1], [2], [3]], 4)
    with pytest.raises(ValueError, match="k must be a positive integer"):
        metric(RETRIEVED, [[1], [2], [3]], 0)
    with pytest.raises(ValueError, match="non-empty 2-D array"):
        metric(np.array([1, 2, 3]), [[1], [2], [3]], 1)
    with pytest.raises(ValueError, match="non-empty 2-D array"):
        metric(np.zeros((0, 3), dtype=int), [], 1)
    with pytest.raises(ValueError, match="integer item ids"):
        metric(np.array([[0.5, 1.5]]), [[1]], 1)
    with pytest.raises(ValueError, match="relevant items must be integer"):
        metric(np.array([[1, 2]]), [["a"]], 1)


def test_per_query_scores_average_to_the_summary_metrics():
    from tutorial_utils.metrics import per_query_scores

    relevant = [{2}, {5, 6}, {0}]
    scores = per_query_scores(RETRIEVED, relevant, ks=(1, 2))
    assert scores["reciprocal_rank"].tolist() == [0.5, 0.5, 0.0]
    assert scores["recall@1"].tolist() == [0.0, 0.0, 0.0]
    assert scores["recall@2"].tolist() == [1.0, 0.5, 0.0]
    assert scores["reciprocal_rank"].mean() == pytest.approx(mean_reciprocal_rank(RETRIEVED, relevant))
    assert scores["recall@2"].mean() == pytest.approx(recall_at_k(RETRIEVED, relevant, 2))
    with pytest.raises(ValueError, match="retrieve at least k"):
        per_query_scores(RETRIEVED, relevant, ks=(10,))
    with pytest.raises(ValueError, match="k must be"):
        per_query_scores(RETRIEVED, relevant, ks=(0,))


def test_interval_verdict_reads_the_sign_of_a_paired_interval():
    from tutorial_utils.metrics import interval_verdict

    assert interval_verdict((0.01, 0.2)) == "measurably higher"
    assert interval_verdict((-0.2, -0.01)) == "measurably lower"
    assert interval_verdict((-0.1, 0.1)) == "no measurable difference"
    assert interval_verdict((0.0, 0.1), same="tie") == "tie"
    with pytest.raises(ValueError, match="low <= high"):
        interval_verdict((0.2, 0.1))
