"""tutorial_utils.recommend: generated interactions, leave-one-out, top-k of unseen items, hit rate@k,
the truncated-SVD recommender."""

from __future__ import annotations

import numpy as np
import pytest

from tutorial_utils.recommend import (
    hit_rate_at_k,
    hits_at_k,
    latent_interactions,
    leave_one_out,
    top_k_unseen,
    truncated_svd_scores,
)


@pytest.fixture(scope="module")
def data():
    return latent_interactions(200, 120, 6, 15, np.random.default_rng(0))


def test_interactions_have_the_requested_shape(data):
    assert len(data) == 200 * 15 and data.n_users == 200 and data.n_items == 120
    assert np.array_equal(np.bincount(data.users), np.full(200, 15))
    for user in range(200):  # distinct items per user
        assert len(set(data.items[data.users == user].tolist())) == 15
    assert np.array_equal(data.item_group, np.arange(120) % 6)
    np.testing.assert_allclose(data.user_preferences.sum(axis=1), 1.0)


def test_users_choose_from_the_groups_they_prefer(data):
    favourite = data.user_preferences.argmax(axis=1)
    share = np.mean(data.item_group[data.items] == favourite[data.users])
    assert share > 0.5 > 1 / 6  # far above the 1 in 6 of a random choice
    # popular items are chosen more often than unpopular ones
    counts = np.bincount(data.items, minlength=120)
    top, bottom = np.argsort(-data.popularity)[:12], np.argsort(data.popularity)[:12]
    assert counts[top].sum() > 3 * counts[bottom].sum()


def test_leave_one_out_holds_out_one_item_per_user(data):
    train, held_out = leave_one_out(data.users, data.items, np.random.default_rng(1))
    assert (~train).sum() == 200 and held_out.shape == (200,)
    for user in range(200):
        rows = np.flatnonzero(data.users == user)
        assert (~train[rows]).sum() == 1
        assert data.items[rows[~train[rows]]][0] == held_out[user]
    again = leave_one_out(data.users, data.items, np.random.default_rng(1))
    assert np.array_equal(again[0], train) and np.array_equal(again[1], held_out)


def test_top_k_unseen_and_hit_rate_against_a_loop():
    rng = np.random.default_rng(3)
    scores = rng.normal(size=(30, 25))
    seen_users = np.repeat(np.arange(30), 4)
    seen_items = rng.integers(0, 25, size=120)
    held_out = rng.integers(0, 25, size=30)
    top = top_k_unseen(scores, seen_users, seen_items, 5)
    hits = 0
    for user in range(30):
        seen = set(seen_items[seen_users == user].tolist())
        ranked = [item for item in sorted(range(25), key=lambda i: -scores[user, i]) if item not in seen][:5]
        assert top[user].tolist() == ranked
        hits += held_out[user] in ranked
    assert hit_rate_at_k(scores, held_out, seen_users, seen_items, k=5) == pytest.approx(hits / 30)
    per_user = hits_at_k(scores, held_out, seen_users, seen_items, k=5)
    assert per_user.dtype == bool and per_user.shape == (30,)
    assert per_user.tolist() == [bool(held_out[u] in top[u]) for u in range(30)]
    # an oracle that scores the held-out item highest always hits
    oracle = np.zeros((30, 25))
    oracle[np.arange(30), held_out] = 1.0
    assert hit_rate_at_k(oracle, held_out, [], [], k=1) == 1.0


def test_bad_input_is_refused():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="per_user"):
        latent_interactions(10, 5, 2, 5, rng)
    with pytest.raises(ValueError, match="n_groups"):
        latent_interactions(10, 5, 6, 2, rng)
    with pytest.raises(ValueError, match="fewer than 2 interactions"):
        leave_one_out(np.array([0, 0, 1]), np.array([1, 2, 3]), rng)
    with pytest.raises(ValueError, match="same length"):
        leave_one_out(np.array([0, 0]), np.array([1]), rng)
    with pytest.raises(ValueError, match="k=9"):
        top_k_unseen(np.zeros((2, 5)), [], [], 9)
    with pytest.raises(ValueError, match="one item per user"):
        hit_rate_at_k(np.zeros((2, 5)), np.array([1]), [], [], k=2)


def _dense_reference(users, items, n_users, n_items, rank):
    """Independent reference: numpy's dense SVD of the 0/1 matrix, cut to ``rank`` terms."""
    matrix = np.zeros((n_users, n_items))
    matrix[users, items] = 1.0
    u, s, vt = np.linalg.svd(matrix, full_matrices=False)
    return matrix, (u[:, :rank] * s[:rank]) @ vt[:rank]


def test_truncated_svd_matches_numpy_reconstruction(data):
    for rank in (1, 5, 17):
        scores = truncated_svd_scores(data.users, data.items, data.n_users, data.n_items, rank)
        matrix, reference = _dense_reference(data.users, data.items, data.n_users, data.n_items, rank)
        assert scores.shape == (200, 120) and scores.dtype == np.float64
        np.testing.assert_allclose(scores, reference, atol=1e-8)
        assert np.linalg.matrix_rank(scores, tol=1e-8) == rank
        # R V_k V_k^T: the rows of R projected on the top right singular vectors (from eigh of R^T R)
        _, vectors = np.linalg.eigh(matrix.T @ matrix)
        top = vectors[:, ::-1][:, :rank]
        np.testing.assert_allclose(scores, matrix @ top @ top.T, atol=1e-8)
    again = truncated_svd_scores(data.users, data.items, data.n_users, data.n_items, 17)
    assert np.array_equal(again, scores)  # reproducible: a fixed start vector


def test_truncated_svd_counts_a_repeated_interaction_once():
    users, items = np.array([0, 0, 0, 1, 1, 2, 2, 3]), np.array([1, 1, 2, 2, 3, 0, 3, 4])
    # singular values 1.85, 1.41, 1.0, 0.77: the rank-2 cut is unique
    repeated = truncated_svd_scores(users, items, 4, 5, 2)
    once = truncated_svd_scores(users[1:], items[1:], 4, 5, 2)
    np.testing.assert_allclose(repeated, once, atol=1e-10)
    np.testing.assert_allclose(once, _dense_reference(users, items, 4, 5, 2)[1], atol=1e-10)


def test_truncated_svd_refuses_bad_input():
    users, items = np.array([0, 1, 2]), np.array([0, 1, 2])
    with pytest.raises(ValueError, match="rank=4 must be smaller than min"):
        truncated_svd_scores(users, items, 4, 6, 4)
    with pytest.raises(ValueError, match="rank must be a positive integer"):
        truncated_svd_scores(users, items, 4, 6, 0)
    with pytest.raises(ValueError, match="same length"):
        truncated_svd_scores(users, items[:2], 4, 6, 2)
    with pytest.raises(ValueError, match="integer ids"):
        truncated_svd_scores(users.astype(float), items, 4, 6, 2)
    with pytest.raises(ValueError, match="ids out of range"):
        truncated_svd_scores(users, np.array([0, 1, 6]), 4, 6, 2)
    with pytest.raises(ValueError, match="ids out of range"):
        truncated_svd_scores(np.array([-1, 1, 2]), items, 4, 6, 2)
    with pytest.raises(ValueError, match="one item per user"):
        hits_at_k(np.zeros((2, 5)), np.array([1]), [], [], k=2)
