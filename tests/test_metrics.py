"""tutorial_utils.metrics: pair accuracy, the threshold, nearest neighbours, precision@1."""

from __future__ import annotations

import numpy as np
import pytest

from references import brute_force_neighbours

from tutorial_utils.metrics import (
    choose_threshold,
    keras_pair_accuracy,
    map_at_r,
    nearest_neighbours,
    pair_accuracy,
    precision_at_1,
)


def test_pair_accuracy_predicts_same_below_the_threshold():
    # 0.1 same (right), 0.9 different (right), 0.2 different (wrong), 0.7 same (wrong)
    assert pair_accuracy([0.1, 0.9, 0.2, 0.7], [1, 0, 0, 1], threshold=0.5) == 0.5
    assert pair_accuracy([0.1, 0.9], [1, 0], threshold=0.5) == 1.0
    assert pair_accuracy([0.1, 0.9], [0, 1], threshold=0.5) == 0.0


def test_choose_threshold_separates_separable_pairs():
    distances = [0.1, 0.2, 0.3, 0.6, 0.8]
    labels = [1, 1, 1, 0, 0]
    threshold = choose_threshold(distances, labels)
    assert threshold == pytest.approx(0.45)
    assert pair_accuracy(distances, labels, threshold) == 1.0


def test_choose_threshold_finds_the_best_cut_with_overlap():
    rng = np.random.default_rng(0)
    distances = np.concatenate([rng.normal(0.3, 0.1, 500), rng.normal(0.7, 0.1, 500)])
    labels = np.repeat([1, 0], 500)
    threshold = choose_threshold(distances, labels)
    best = max(pair_accuracy(distances, labels, t) for t in np.linspace(0, 1, 2001))
    assert pair_accuracy(distances, labels, threshold) >= best
    assert 0.4 < threshold < 0.6


def test_choose_threshold_never_cuts_between_equal_distances():
    # cutting after the second 0.5 would look perfect, but all three 0.5s get the same prediction
    distances, labels = [0.5, 0.5, 0.5, 0.9], [1, 1, 0, 0]
    threshold = choose_threshold(distances, labels)
    assert threshold == pytest.approx(0.7)
    assert pair_accuracy(distances, labels, threshold) == 0.75


def test_pair_metrics_refuse_bad_input():
    with pytest.raises(ValueError, match="3 distances but 2 labels"):
        pair_accuracy([0.1, 0.2, 0.3], [1, 0], 0.5)
    with pytest.raises(ValueError, match="labels must be 0"):
        choose_threshold([0.1, 0.2], [1, -1])
    with pytest.raises(ValueError, match="empty"):
        choose_threshold([], [])
    with pytest.raises(ValueError, match="threshold must be a finite number"):
        pair_accuracy([0.1], [1], float("nan"))


def test_nearest_neighbours_match_the_brute_force_search():
    rng = np.random.default_rng(0)
    queries, index = rng.normal(size=(37, 8)), rng.normal(size=(101, 8))
    expected_idx, expected_d = brute_force_neighbours(queries, index, k=3)
    found_idx, found_d = nearest_neighbours(queries, index, k=3, chunk_size=10, dtype=np.float64)
    np.testing.assert_array_equal(found_idx, expected_idx)
    np.testing.assert_allclose(found_d, expected_d, atol=1e-9)


def test_nearest_neighbours_keep_the_lower_index_among_ties():
    index = np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0], [1.0, 0.0]])
    found, distances = nearest_neighbours(np.array([[0.0, 0.0]]), index, k=3)
    np.testing.assert_array_equal(found, [[1, 2, 0]])
    np.testing.assert_allclose(distances, [[0.0, 0.0, 1.0]])


def test_nearest_neighbours_refuse_bad_input():
    with pytest.raises(ValueError, match="dimension mismatch"):
        nearest_neighbours(np.zeros((2, 3)), np.zeros((4, 5)))
    with pytest.raises(ValueError, match="k must be an integer from 1 to the index size 4"):
        nearest_neighbours(np.zeros((2, 3)), np.zeros((4, 3)), k=5)
    with pytest.raises(ValueError, match="2-D array"):
        nearest_neighbours(np.zeros((2, 28, 28)), np.zeros((4, 28, 28)))
    with pytest.raises(ValueError, match="chunk_size"):
        nearest_neighbours(np.zeros((2, 3)), np.zeros((4, 3)), chunk_size=0)
    with pytest.raises(ValueError, match="NaN"):
        nearest_neighbours(np.full((2, 3), np.nan), np.zeros((4, 3)))


def test_precision_at_1_counts_queries_whose_nearest_item_shares_their_label():
    index = np.array([[0.0], [1.0], [10.0]])
    index_labels = np.array(["a", "a", "b"])
    queries = np.array([[0.2], [9.0], [6.0], [4.0]])
    # nearest: 0 (a), 2 (b), 2 (b), 1 (a) against true a, b, a, a -> 3 of 4
    assert precision_at_1(queries, ["a", "b", "a", "a"], index, index_labels, chunk_size=3) == 0.75


def test_precision_at_1_refuses_mismatched_labels():
    with pytest.raises(ValueError, match="2 query vectors but 3 query labels"):
        precision_at_1(np.zeros((2, 3)), [0, 1, 2], np.zeros((4, 3)), [0, 1, 2, 3])
    with pytest.raises(ValueError, match="4 index vectors but 2 index labels"):
        precision_at_1(np.zeros((2, 3)), [0, 1], np.zeros((4, 3)), [0, 1])


def test_keras_pair_accuracy_agrees_with_the_numpy_one():
    import keras  # noqa: F401  (pinned: fails, never skips, if missing)
    metric = keras_pair_accuracy(threshold=0.5)
    distances = np.array([[0.1], [0.9], [0.2], [0.7]], dtype="float32")  # (batch, 1), as a model gives
    labels = np.array([1, 0, 0, 1], dtype="float32")  # (batch,)
    per_pair = np.asarray(metric(labels, distances))
    assert per_pair.shape == (4,)
    assert per_pair.mean() == pair_accuracy(distances, labels, 0.5) == 0.5


def test_keras_pair_accuracy_refuses_a_bad_threshold():
    with pytest.raises(ValueError, match="threshold must be a finite number"):
        keras_pair_accuracy(threshold=float("inf"))


def test_pair_distances_and_labels_flattens_columns_and_refuses_bad_pairs():
    import numpy as np
    import pytest

    from tutorial_utils.metrics import pair_distances_and_labels

    d, y = pair_distances_and_labels(np.array([[0.1], [0.9]]), [1, 0])
    assert d.shape == (2,) and y.tolist() == [1.0, 0.0]
    with pytest.raises(ValueError, match="2 distances but 3 labels"):
        pair_distances_and_labels([0.1, 0.2], [1, 0, 1])
    with pytest.raises(ValueError, match="empty"):
        pair_distances_and_labels([], [])
    with pytest.raises(ValueError, match="NaN or infinite"):
        pair_distances_and_labels([np.nan], [1])
    with pytest.raises(ValueError, match="labels must be 0"):
        pair_distances_and_labels([0.5], [2])


def _brute_force_map_at_r(q, q_labels, x, x_labels):
    scores = []
    orders, _ = brute_force_neighbours(q, x)
    for order, label in zip(orders, q_labels):
        r = int(np.sum(x_labels == label))
        relevant = x_labels[order[:r]] == label
        precisions = [relevant[: i + 1].mean() for i in range(r)]
        scores.append(sum(p for p, rel in zip(precisions, relevant) if rel) / r)
    return float(np.mean(scores))


def test_map_at_r_matches_a_brute_force_reference_on_random_data():
    rng = np.random.default_rng(3)
    x, x_labels = rng.normal(size=(300, 7)), rng.integers(0, 4, 300)
    q, q_labels = rng.normal(size=(40, 7)), rng.integers(0, 4, 40)
    got = map_at_r(q, q_labels, x, x_labels, chunk_size=7, dtype=np.float64)
    assert got == pytest.approx(_brute_force_map_at_r(q, q_labels, x, x_labels), abs=1e-12)


def test_map_at_r_sort_by_key_equals_a_stable_argsort_with_ties(monkeypatch):
    # float32 distances are ordered by one sorted 64-bit key; on data full of ties (every point
    # twice) it must give exactly what a stable argsort of the same float32 distances gives
    from tutorial_utils import metrics

    rng = np.random.default_rng(4)
    x = np.round(rng.normal(size=(200, 3)), 1).astype(np.float32)
    x[100:] = x[:100]  # every point twice
    x_labels = rng.integers(0, 3, 200)
    q, q_labels = x[:30].copy(), x_labels[:30]
    by_key = map_at_r(q, q_labels, x, x_labels)
    monkeypatch.setattr(metrics, "_by_value_then_index", lambda v, i: i[np.argsort(v, kind="stable")])
    assert by_key == map_at_r(q, q_labels, x, x_labels)


def test_values_ordered_with_ties_by_index():
    from tutorial_utils.metrics import _by_value_then_index

    values = np.array([1.0, 0.0, -0.0, 1.0, 0.5, 0.0, -1.0, -2.5], dtype=np.float32)
    indices = np.array([0, 3, 4, 9, 10, 11, 40, 41])
    expected = indices[np.argsort(values, kind="stable")]
    np.testing.assert_array_equal(_by_value_then_index(values, indices), expected)
    np.testing.assert_array_equal(_by_value_then_index(values.astype(np.float64), indices), expected)
    assert len(_by_value_then_index(values[:0], indices[:0])) == 0


def test_map_at_r_by_hand():
    # index: two items of class 0 at 0 and 3, one of class 1 at 1; query of class 0 at 0.9
    x, x_labels = np.array([[0.0], [3.0], [1.0]]), np.array([0, 0, 1])
    # R = 2; ranking: item 2 (class 1, d=0.1), item 0 (class 0, d=0.9) -> AP@R = (1/2) * (1/2) = 0.25
    assert map_at_r([[0.9]], [0], x, x_labels) == pytest.approx(0.25)
    # a perfectly separated embedding scores 1
    assert map_at_r([[0.0], [1.0]], [0, 1], np.array([[0.0], [0.1], [1.0]]), [0, 0, 1]) == pytest.approx(1.0)


def test_map_at_r_refuses_bad_input():
    x, labels = np.zeros((5, 2)), np.array([0, 0, 1, 1, 1])
    with pytest.raises(ValueError, match="never occur in the index"):
        map_at_r(np.zeros((1, 2)), [7], x, labels)
    with pytest.raises(ValueError, match="one label per vector"):
        map_at_r(np.zeros((2, 2)), [0], x, labels)
    with pytest.raises(ValueError, match="dimension mismatch"):
        map_at_r(np.zeros((1, 3)), [0], x, labels)


# ----------------------------------------------------------------------------- bootstrap_interval


def test_bootstrap_interval_brackets_the_mean_and_is_reproducible():
    from tutorial_utils.metrics import bootstrap_interval

    values = np.random.default_rng(1).random(200)
    low, high = bootstrap_interval(values)
    assert low < values.mean() < high
    assert (low, high) == bootstrap_interval(values)            # fixed seed: the same interval
    assert bootstrap_interval(values, seed=3) != (low, high)     # another seed: another draw
    # about 1.96 standard errors either side for a large sample
    half_width = 1.96 * values.std() / np.sqrt(values.size)
    assert (high - low) / 2 == pytest.approx(half_width, rel=0.15)
    # a narrower level gives a narrower interval; a constant has no spread at all
    low90, high90 = bootstrap_interval(values, level=0.9)
    assert low <= low90 and high90 <= high
    assert bootstrap_interval(np.full(10, 0.5)) == (0.5, 0.5)


def test_bootstrap_interval_of_a_paired_difference():
    from tutorial_utils.metrics import bootstrap_interval

    rng = np.random.default_rng(2)
    a = rng.random(300)
    low, high = bootstrap_interval(a + 0.2, a)                   # always better by 0.2: no spread
    assert low == pytest.approx(0.2) and high == pytest.approx(0.2)
    b = rng.permutation(a)                                       # same scores, other queries
    low, high = bootstrap_interval(a, b)
    assert low < 0 < high                                        # no measurable difference
    # pairing: the interval is that of the per-query differences
    assert bootstrap_interval(a, b) == bootstrap_interval(a - b)


def test_bootstrap_interval_refuses_bad_inputs():
    from tutorial_utils.metrics import bootstrap_interval

    with pytest.raises(ValueError, match="non-empty 1-D"):
        bootstrap_interval([])
    with pytest.raises(ValueError, match="non-empty 1-D"):
        bootstrap_interval([[1.0, 2.0]])
    with pytest.raises(ValueError, match="same queries"):
        bootstrap_interval([1.0, 2.0], [1.0])
    with pytest.raises(ValueError, match="finite"):
        bootstrap_interval([1.0, np.nan])
    with pytest.raises(ValueError, match="n_resamples"):
        bootstrap_interval([1.0], n_resamples=0)
    for level in (0, 1, 95, True):
        with pytest.raises(ValueError, match="level"):
            bootstrap_interval([1.0], level=level)


def test_range_verdict_counts_a_difference_only_when_the_runs_do_not_overlap():
    from tutorial_utils.metrics import range_verdict
    assert range_verdict([0.90, 0.91, 0.92], [0.93, 0.95, 0.94]) == "a measurable gain"
    assert range_verdict([0.90, 0.91, 0.92], [0.80, 0.85, 0.89]) == "a measurable loss"
    assert range_verdict([0.90, 0.91, 0.92], [0.915, 0.95, 0.96]) == "no measurable difference"
    assert range_verdict([1, 2], [3, 4], higher="above", lower="below") == "above"
    with pytest.raises(ValueError, match="at least 2 runs on each side"):
        range_verdict([0.9], [0.95, 0.96])
    with pytest.raises(ValueError, match="finite"):
        range_verdict([0.9, float("nan")], [0.95, 0.96])


def test_default_chunk_keeps_a_block_of_distances_near_64_mb(monkeypatch):
    from tutorial_utils import metrics

    assert metrics._chunk_rows(None, 60_000) * 60_000 * 4 <= 64 * 2**20
    assert metrics._chunk_rows(None, 60_000) >= 100  # blocks large enough for fast matrix products
    assert metrics._chunk_rows(None, 10**9) == 1 and metrics._chunk_rows(7, 60_000) == 7
    rng = np.random.default_rng(0)
    queries, index = rng.normal(size=(50, 8)), rng.normal(size=(40, 8))
    monkeypatch.setattr(metrics, "BLOCK_ELEMENTS", 40 * 3)  # three queries a block
    small_blocks = metrics.nearest_neighbours(queries, index, k=2, dtype=np.float64)
    one_block = metrics.nearest_neighbours(queries, index, k=2, chunk_size=50, dtype=np.float64)
    np.testing.assert_array_equal(small_blocks[0], one_block[0])


def test_spread_verdict_counts_a_difference_of_means_larger_than_the_larger_spread():
    from tutorial_utils.metrics import spread_verdict
    # means 0.75 and 0.50, spreads 0.05: a difference of five spreads, although one run of each overlaps
    assert spread_verdict([0.50, 0.45, 0.55, 0.62], [0.75, 0.70, 0.80, 0.60]) == "measurably higher"
    assert spread_verdict([0.75, 0.70, 0.80], [0.50, 0.45, 0.55]) == "measurably lower"
    # a gap of 0.01 inside spreads of 0.05
    assert spread_verdict([0.75, 0.70, 0.80], [0.76, 0.71, 0.81]) == "no measurable difference"
    # the gap equal to the larger spread is not enough
    assert spread_verdict([0.0, 2.0], [1.0, 3.0], same="inside") == "inside"  # gap 1, std 1
    assert spread_verdict([0.0, 0.0], [1.0, 1.0], higher="above") == "above"
    with pytest.raises(ValueError, match="at least 2 runs"):
        spread_verdict([0.9], [0.95, 0.96])
    with pytest.raises(ValueError, match="finite"):
        spread_verdict([0.9, float("inf")], [0.95, 0.96])
