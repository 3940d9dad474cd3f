"""tutorial_utils.recommend: generated interactions, leave-one-out, top-k of unseen items, hit rate@k."""

from __future__ import annotations

import numpy as np
import pytest

from tutorial_utils.recommend import hit_rate_at_k, latent_interactions, leave_one_out, top_k_unseen


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
