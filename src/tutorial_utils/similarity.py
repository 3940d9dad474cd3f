"""Distances, similarities and exact nearest-neighbour search in numpy.

Chapter 1 writes these in a few lines each; later chapters call them from here.
Every function checks its input and says what was wrong: mismatched dimensions,
empty arrays, ``k`` larger than the data, zero vectors for cosine.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from tutorial_utils._validation import positive_int

__all__ = [
    "Metric",
    "cosine_similarity",
    "dot_similarity",
    "euclidean_distance",
    "normalize",
    "top_k_neighbours",
]

Metric = Literal["cosine", "dot", "euclidean"]
_METRICS = ("cosine", "dot", "euclidean")


def _as_matrix(vectors: np.ndarray, name: str) -> np.ndarray:
    """Return ``vectors`` as a 2-D float array (one row per vector), refusing bad shapes."""
    array = np.asarray(vectors, dtype=np.float64)
    if array.ndim == 1:
        array = array[np.newaxis, :]
    if array.ndim != 2:
        raise ValueError(f"{name} must be a vector or a 2-D array (one row per vector); got shape {array.shape}")
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"{name} is empty (shape {array.shape}); pass at least one non-empty vector")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def _pair(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    left, right = _as_matrix(a, "a"), _as_matrix(b, "b")
    if left.shape[1] != right.shape[1]:
        raise ValueError(
            f"dimension mismatch: a has {left.shape[1]}-dimensional vectors, b has {right.shape[1]}; "
            "both must live in the same embedding space"
        )
    return left, right


def _squeeze(result: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray | float:
    """Match the caller's shapes: two vectors give a float, a vector and a matrix give a row."""
    if np.ndim(a) == 1 and np.ndim(b) == 1:
        return float(result[0, 0])
    if np.ndim(a) == 1:
        return result[0]
    if np.ndim(b) == 1:
        return result[:, 0]
    return result


def normalize(vectors: np.ndarray) -> np.ndarray:
    """Scale each row to unit Euclidean length; a zero row raises ``ValueError``."""
    matrix = _as_matrix(vectors, "vectors")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    zero_rows = np.flatnonzero(norms[:, 0] == 0)
    if zero_rows.size:
        raise ValueError(
            f"cannot normalise zero vector(s) at row(s) {zero_rows[:10].tolist()}: a zero vector has no "
            "direction, so its cosine similarity is undefined; drop or replace those rows"
        )
    unit = matrix / norms
    return unit[0] if np.ndim(vectors) == 1 else unit


def euclidean_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray | float:
    """Euclidean (L2) distance between every row of ``a`` and every row of ``b``.

    Two vectors give a float; matrices of shape (n, d) and (m, d) give (n, m).
    """
    left, right = _pair(a, b)
    # Distances do not change under translation; centring first keeps the expansion
    # |a|^2 - 2ab + |b|^2 accurate for vectors far from the origin.
    centre = right.mean(axis=0)
    left, right = left - centre, right - centre
    squared = (
        np.sum(left**2, axis=1)[:, np.newaxis]
        - 2.0 * left @ right.T
        + np.sum(right**2, axis=1)[np.newaxis, :]
    )
    return _squeeze(np.sqrt(np.maximum(squared, 0.0)), a, b)


def dot_similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray | float:
    """Dot product between every row of ``a`` and every row of ``b`` (larger = more similar)."""
    left, right = _pair(a, b)
    return _squeeze(left @ right.T, a, b)


def cosine_similarity(a: np.ndarray, b: np.ndarray) -> np.ndarray | float:
    """Cosine of the angle between every row of ``a`` and every row of ``b``, in [-1, 1].

    Zero vectors raise ``ValueError`` (their direction, and so the cosine, is undefined).
    """
    left, right = _pair(a, b)
    similarity = normalize(left) @ normalize(right).T
    return _squeeze(np.clip(similarity, -1.0, 1.0), a, b)


def top_k_neighbours(
    queries: np.ndarray,
    index: np.ndarray,
    k: int,
    metric: Metric = "cosine",
    exclude_self: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """Exact (brute-force) k-nearest-neighbour search.

    Returns ``(indices, scores)``, each of shape (n_queries, k), best first:
    scores are similarities for ``"cosine"`` and ``"dot"`` (descending) and
    distances for ``"euclidean"`` (ascending). Ties keep the lower index first.
    With ``exclude_self=True`` the queries are the index itself and row i never
    returns item i (use it to find an item's neighbours among the others).
    """
    if metric not in _METRICS:
        raise ValueError(f"unknown metric {metric!r}; choose one of {', '.join(_METRICS)}")
    k = positive_int(k, "k")
    query_matrix, index_matrix = _pair(queries, index)
    if exclude_self and query_matrix.shape[0] != index_matrix.shape[0]:
        raise ValueError(
            f"exclude_self=True needs the queries to be the index itself; got {query_matrix.shape[0]} "
            f"queries and {index_matrix.shape[0]} index items"
        )
    available = index_matrix.shape[0] - (1 if exclude_self else 0)
    if k > available:
        raise ValueError(
            f"k={k} is larger than the {available} item(s) available to return"
            + (" (the query itself is excluded)" if exclude_self else "")
            + f"; use k <= {available}"
        )
    if metric == "euclidean":
        scores = euclidean_distance(query_matrix, index_matrix)
    elif metric == "dot":
        scores = dot_similarity(query_matrix, index_matrix)
    else:
        scores = cosine_similarity(query_matrix, index_matrix)
    # Sort so that best comes first: ascending distance, or descending similarity.
    keys = scores if metric == "euclidean" else -scores
    if exclude_self:
        keys = keys.copy()
        np.fill_diagonal(keys, np.inf)
    order = np.argsort(keys, axis=1, kind="stable")[:, :k]
    best_scores = np.take_along_axis(scores, order, axis=1)
    return order, best_scores
