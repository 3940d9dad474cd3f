"""Interaction data and the leave-one-out hit rate for a recommender with ID embeddings.

Chapter 7 trains a matrix-factorisation recommender (an embedding per user and per item).
No real interaction data set ships offline with the book's packages, so
:func:`latent_interactions` generates one from a structure we know: items belong to
groups, each user prefers a few groups, and some items are far more popular than others.
:func:`leave_one_out` holds out one interaction per user, and :func:`hit_rate_at_k` asks
how often that item is among the ``k`` best-scored items the user has not seen
(:func:`hits_at_k` gives the per-user hits, for a bootstrap over users).
:func:`truncated_svd_scores` is the classic non-learned baseline: the user-item matrix
factorised by a truncated singular value decomposition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from tutorial_utils._validation import positive_int as _positive_int
from tutorial_utils.metrics import recall_at_k

__all__ = [
    "Interactions", "hit_rate_at_k", "hits_at_k", "latent_interactions", "leave_one_out",
    "top_k_unseen", "truncated_svd_scores",
]


@dataclass(frozen=True)
class Interactions:
    """Who interacted with what: ``users[i]`` with ``items[i]``, plus the latent structure behind it.

    ``item_group`` (n_items,) is each item's group, ``user_preferences`` (n_users, n_groups)
    each user's probability of choosing each group, ``popularity`` (n_items,) how likely an
    item is chosen within its group.
    """

    users: np.ndarray
    items: np.ndarray
    n_users: int
    n_items: int
    item_group: np.ndarray
    user_preferences: np.ndarray
    popularity: np.ndarray

    def __len__(self) -> int:
        return int(self.users.size)


def latent_interactions(
    n_users: int,
    n_items: int,
    n_groups: int,
    per_user: int,
    rng: np.random.Generator,
    concentration: float = 0.1,
    popularity_exponent: float = 1.0,
) -> Interactions:
    """Generate ``per_user`` distinct interactions for each user from a known latent structure.

    Item ``j`` belongs to group ``j % n_groups``. Each user's preferences over groups are
    drawn from a Dirichlet(``concentration``): below 1 most users like one or two groups.
    Within the catalogue items have Zipf popularity ``1 / rank**popularity_exponent`` (ranks
    shuffled). A user picks items without replacement with probability proportional to
    ``preference[group] * popularity``.
    """
    n_users, n_items = _positive_int(n_users, "n_users"), _positive_int(n_items, "n_items")
    n_groups, per_user = _positive_int(n_groups, "n_groups"), _positive_int(per_user, "per_user")
    if n_groups > n_items:
        raise ValueError(f"n_groups={n_groups} is more than n_items={n_items}: every group needs an item")
    if per_user >= n_items:
        raise ValueError(f"per_user={per_user} must be smaller than n_items={n_items} (distinct items per user)")
    if not np.isfinite(concentration) or concentration <= 0:
        raise ValueError(f"concentration must be positive; got {concentration!r}")
    if not np.isfinite(popularity_exponent) or popularity_exponent < 0:
        raise ValueError(f"popularity_exponent must be non-negative (0 = all items equally popular); got {popularity_exponent!r}")
    item_group = np.arange(n_items) % n_groups
    popularity = 1.0 / rng.permutation(np.arange(1, n_items + 1)) ** popularity_exponent
    preferences = rng.dirichlet(np.full(n_groups, concentration), size=n_users)
    users, items = [], []
    for user in range(n_users):
        weights = preferences[user, item_group] * popularity
        weights = weights + 1e-12 * weights.max()  # a user can, rarely, pick outside their groups
        chosen = rng.choice(n_items, size=per_user, replace=False, p=weights / weights.sum())
        users.append(np.full(per_user, user))
        items.append(chosen)
    return Interactions(np.concatenate(users), np.concatenate(items).astype(np.int64), n_users, n_items,
                        item_group, preferences, popularity)


def leave_one_out(users: Any, items: Any, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Hold out one random interaction per user: ``(train_mask, held_out)``.

    ``train_mask`` (n_interactions,) is False for the held-out rows; ``held_out[u]`` is the
    item held out for user ``u`` (users numbered 0..n_users-1; every user needs at least two
    interactions, one to learn from and one to test).
    """
    users, items = np.asarray(users), np.asarray(items)
    if users.shape != items.shape or users.ndim != 1 or users.size == 0:
        raise ValueError(f"users and items must be 1-D arrays of the same length; got {users.shape} and {items.shape}")
    if not (np.issubdtype(users.dtype, np.integer) and np.issubdtype(items.dtype, np.integer)) or users.min() < 0:
        raise ValueError("users and items must be non-negative integer ids")
    counts = np.bincount(users)
    if np.any(counts < 2):
        raise ValueError(f"user {int(np.flatnonzero(counts < 2)[0])} has fewer than 2 interactions; "
                         "drop such users (and number the rest 0..n-1) before leave-one-out")
    order = rng.permutation(users.size)
    # the first row of each user in a random order is that user's held-out interaction
    first = order[np.unique(users[order], return_index=True)[1]]
    train_mask = np.ones(users.size, dtype=bool)
    train_mask[first] = False
    return train_mask, items[first]


def top_k_unseen(scores: Any, seen_users: Any, seen_items: Any, k: int) -> np.ndarray:
    """The ``k`` best-scored items of each user (row of ``scores``), skipping the items they were seen with.

    ``scores`` is (n_users, n_items); ``seen_users[i]`` interacted with ``seen_items[i]`` in
    training. Ties go to the lower item id. Returns (n_users, k) item ids, best first.
    """
    s = np.array(scores, dtype=np.float64)
    k = _positive_int(k, "k")
    if s.ndim != 2:
        raise ValueError(f"scores must be (n_users, n_items); got shape {s.shape}")
    if k > s.shape[1]:
        raise ValueError(f"k={k} is more than the {s.shape[1]} items")
    if np.isnan(s).any():
        raise ValueError("scores contain NaN")
    seen_users, seen_items = np.asarray(seen_users), np.asarray(seen_items)
    if seen_users.shape != seen_items.shape or seen_users.ndim != 1:
        raise ValueError("seen_users and seen_items must be 1-D, of the same length (one pair per interaction)")
    if seen_users.size == 0:
        seen_users, seen_items = seen_users.astype(np.int64), seen_items.astype(np.int64)
    elif not (np.issubdtype(seen_users.dtype, np.integer) and np.issubdtype(seen_items.dtype, np.integer)):
        raise ValueError("seen_users and seen_items must be integer ids")
    s[seen_users, seen_items] = -np.inf
    top = np.argsort(-s, axis=1, kind="stable")[:, :k]
    return top


def hit_rate_at_k(scores: Any, held_out: Any, seen_users: Any, seen_items: Any, k: int = 10) -> float:
    """Leave-one-out hit rate@k: the share of users whose held-out item is among their
    :func:`top_k_unseen` ``k`` items. ``held_out[u]`` is user ``u``'s held-out item."""
    held_out = _held_out_items(scores, held_out)
    return recall_at_k(top_k_unseen(scores, seen_users, seen_items, k), held_out, k)


def hits_at_k(scores: Any, held_out: Any, seen_users: Any, seen_items: Any, k: int = 10) -> np.ndarray:
    """Per-user hits behind :func:`hit_rate_at_k`: a boolean (n_users,) array, True where the
    user's held-out item is among their ``k`` best-scored unseen items. Its mean is the hit
    rate; resampling its users gives a bootstrap interval."""
    held_out = _held_out_items(scores, held_out)
    return np.any(top_k_unseen(scores, seen_users, seen_items, k) == held_out[:, None], axis=1)


def _held_out_items(scores: Any, held_out: Any) -> np.ndarray:
    held_out = np.asarray(held_out)
    if held_out.ndim != 1 or held_out.size != np.shape(scores)[0]:
        raise ValueError(f"held_out must give one item per user ({np.shape(scores)[0]}); "
                         f"got shape {held_out.shape}")
    return held_out.astype(np.int64)


def truncated_svd_scores(users: Any, items: Any, n_users: int, n_items: int, rank: int) -> np.ndarray:
    """Scores of a truncated-SVD recommender: the rank-``rank`` reconstruction of the user-item matrix.

    The training interactions (``users[i]`` chose ``items[i]``) fill a 0/1 matrix ``R`` of
    shape (n_users, n_items) (a repeated pair counts once). Its truncated singular value
    decomposition ``R ~ U_k S_k V_k^T`` keeps the ``rank`` largest singular values; user
    ``u``'s score for item ``i`` is entry (u, i) of ``U_k S_k V_k^T`` (equal to
    ``R V_k V_k^T``: the user's row projected on the top item factors). Nothing is learned
    by gradient descent; ``rank`` plays the part of the embedding dimension. Computed with
    ARPACK on the sparse matrix from a fixed start vector, so a call is reproducible.
    Returns a float64 (n_users, n_items) array, for :func:`hit_rate_at_k`.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.linalg import svds

    n_users, n_items = _positive_int(n_users, "n_users"), _positive_int(n_items, "n_items")
    rank = _positive_int(rank, "rank")
    if rank >= min(n_users, n_items):
        raise ValueError(f"rank={rank} must be smaller than min(n_users, n_items) = "
                         f"{min(n_users, n_items)} (a truncated decomposition)")
    users, items = np.asarray(users), np.asarray(items)
    if users.shape != items.shape or users.ndim != 1 or users.size == 0:
        raise ValueError("users and items must be 1-D arrays of the same length; "
                         f"got {users.shape} and {items.shape}")
    if not (np.issubdtype(users.dtype, np.integer) and np.issubdtype(items.dtype, np.integer)):
        raise ValueError("users and items must be integer ids")
    if users.min() < 0 or users.max() >= n_users or items.min() < 0 or items.max() >= n_items:
        raise ValueError(f"ids out of range: users must lie in 0..{n_users - 1} and items in "
                         f"0..{n_items - 1}; got users {users.min()}..{users.max()}, "
                         f"items {items.min()}..{items.max()}")
    matrix = csr_matrix((np.ones(users.size), (users, items)), shape=(n_users, n_items))
    matrix.sum_duplicates()
    matrix.data[:] = 1.0  # a repeated interaction counts once
    u, s, vt = svds(matrix, k=rank, v0=np.ones(min(n_users, n_items)), solver="arpack")
    return (u * s) @ vt
