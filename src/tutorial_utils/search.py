"""Semantic search: passages, exact top-k search, a lexical baseline, fusion and timing.

Chapter 5 writes each of these in plain code first, then calls them from here:

- :func:`split_passages`: cut a document into passages of at most ``max_words`` words,
  sentence by sentence, so that a sentence encoder sees each passage whole;
- :func:`exact_search`: the exact top-k by inner product (cosine for unit vectors), one
  matrix product per chunk of queries, so memory stays bounded;
- :func:`top_k_indices`: the top-k columns of any score matrix, best first;
- :func:`bm25_scores`: Okapi BM25, the lexical baseline of search engines;
- :func:`reciprocal_rank_fusion`: combine several rankings (a simple hybrid search);
- :func:`queries_per_second`: time a search function on a batch of queries, fairly.

Retrieval metrics (recall@k, MRR) live in :mod:`tutorial_utils.metrics`.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from tutorial_utils._validation import positive_int as _positive_int

__all__ = [
    "bm25_scores",
    "exact_search",
    "queries_per_second",
    "reciprocal_rank_fusion",
    "split_passages",
    "top_k_indices",
]

#: rows of a score block whose top k is selected at once in :func:`exact_search`
_SELECT_ROWS = 32

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")


def split_passages(text: str, max_words: int = 100) -> list[str]:
    """Cut ``text`` into passages of at most ``max_words`` words, in order.

    Paragraphs (separated by blank lines) never share a passage. Within a paragraph,
    whole sentences are packed into a passage until the next one would overflow it;
    a single sentence longer than ``max_words`` is cut into word windows. Whitespace is
    normalised; an empty or blank text gives an empty list.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a string; got {type(text).__name__} (join a list of paragraphs with '\\n\\n')")
    max_words = _positive_int(max_words, "max_words")
    passages: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text):
        current: list[str] = []
        for sentence in _SENTENCE_END.split(" ".join(paragraph.split())):
            words = sentence.split()
            if not words:
                continue
            if current and len(current) + len(words) > max_words:
                passages.append(" ".join(current))
                current = []
            while len(words) > max_words:  # a sentence longer than a passage: cut it
                passages.append(" ".join(words[:max_words]))
                words = words[max_words:]
            current += words
            if len(current) == max_words:
                passages.append(" ".join(current))
                current = []
        if current:
            passages.append(" ".join(current))
    return passages


def _matrix(values: Any, name: str) -> np.ndarray:
    array = np.asarray(values)
    if array.ndim == 1:
        array = array[np.newaxis, :]
    if array.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (one row per vector); got shape {array.shape}")
    if array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"{name} is empty (shape {array.shape}); pass at least one vector")
    if not np.issubdtype(array.dtype, np.number):
        raise ValueError(f"{name} must hold numbers; got dtype {array.dtype}")
    return array


def top_k_indices(scores: np.ndarray, k: int) -> np.ndarray:
    """Column indices of the ``k`` largest scores in each row, largest first: shape (n_queries, k).

    ``scores`` has shape (n_queries, n_items). Equal scores in the result are ordered by
    index; when several items tie for the last place, which of them makes the cut is not specified.
    """
    matrix = _matrix(scores, "scores")
    k = _positive_int(k, "k")
    if k > matrix.shape[1]:
        raise ValueError(f"k={k} is larger than the {matrix.shape[1]} items scored; use k <= {matrix.shape[1]}")
    if np.isnan(matrix).any():
        raise ValueError("scores contain NaN; a NaN has no place in a ranking")
    n_items = matrix.shape[1]
    if k == n_items:
        candidates = np.broadcast_to(np.arange(k), matrix.shape)
    else:  # the k largest, in no particular order, without sorting the whole row
        candidates = np.argpartition(matrix, n_items - k, axis=1)[:, n_items - k:]
    chosen = np.take_along_axis(matrix, candidates, axis=1)
    # sort the k candidates: by score descending, then by index ascending (lexsort: last key first)
    order = np.lexsort((candidates, -chosen), axis=1)
    return np.take_along_axis(candidates, order, axis=1)


def exact_search(
    queries: np.ndarray, index: np.ndarray, k: int, chunk_size: int = 1024
) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-k search by inner product: ``(indices, scores)``, each (n_queries, k), best first.

    For unit-length vectors the inner product is the cosine similarity. The queries are
    scored ``chunk_size`` at a time (one matrix product each), so at most
    ``chunk_size x len(index)`` scores are held in memory, and the top ``k`` of each block is
    selected a few rows at a time (the selection's indices stay small). Computed in float32,
    like FAISS.
    """
    query_matrix = _matrix(queries, "queries").astype(np.float32, copy=False)
    index_matrix = _matrix(index, "index").astype(np.float32, copy=False)
    if query_matrix.shape[1] != index_matrix.shape[1]:
        raise ValueError(
            f"dimension mismatch: the queries have {query_matrix.shape[1]} dimensions, the index "
            f"{index_matrix.shape[1]}; encode both with the same model"
        )
    k = _positive_int(k, "k")
    chunk_size = _positive_int(chunk_size, "chunk_size")
    if k > index_matrix.shape[0]:
        raise ValueError(
            f"k={k} is larger than the {index_matrix.shape[0]} vectors in the index; use k <= {index_matrix.shape[0]}"
        )
    n_queries = query_matrix.shape[0]
    indices = np.empty((n_queries, k), dtype=np.int64)
    scores = np.empty((n_queries, k), dtype=np.float32)
    for start in range(0, n_queries, chunk_size):
        block = query_matrix[start:start + chunk_size] @ index_matrix.T
        # the top k of a few rows at a time: np.argpartition returns an int64 index for every
        # score it partitions, twice the float32 block's memory if done for the block at once
        for row in range(0, block.shape[0], _SELECT_ROWS):
            rows = block[row:row + _SELECT_ROWS]
            best = top_k_indices(rows, k)
            at = slice(start + row, start + row + rows.shape[0])
            indices[at] = best
            scores[at] = np.take_along_axis(rows, best, axis=1)
    return indices, scores


def bm25_scores(
    queries: Sequence[str], documents: Sequence[str], k1: float = 1.2, b: float = 0.75
) -> np.ndarray:
    """Okapi BM25 score of every document for every query: an array (n_queries, n_documents).

    Words are lower-cased runs of two or more letters or digits (scikit-learn's default
    tokens). For each query word in a document: ``idf * tf * (k1 + 1) / (tf + k1 * (1 - b +
    b * length / mean_length))`` with ``idf = log(1 + (N - df + 0.5) / (df + 0.5))``.
    Query words that no document contains add nothing.
    """
    from sklearn.feature_extraction.text import CountVectorizer

    for name, texts in (("queries", queries), ("documents", documents)):
        if isinstance(texts, str) or not all(isinstance(text, str) for text in texts):
            raise TypeError(f"{name} must be a list of strings")
    if len(documents) == 0:
        raise ValueError("the corpus is empty: pass at least one document to score")
    if len(queries) == 0:
        raise ValueError("no queries: pass at least one query")
    if k1 < 0 or not 0 <= b <= 1:
        raise ValueError(f"need k1 >= 0 and 0 <= b <= 1; got k1={k1!r}, b={b!r}")
    vectorizer = CountVectorizer()
    try:
        counts = vectorizer.fit_transform(documents).tocsc().astype(np.float64)
    except ValueError as error:  # every document is empty or has no word of two characters
        raise ValueError(f"the documents contain no words to index ({error})") from None
    n_documents = counts.shape[0]
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    document_frequency = np.diff(counts.indptr)
    idf = np.log1p((n_documents - document_frequency + 0.5) / (document_frequency + 0.5))
    norm = k1 * (1 - b + b * lengths / max(lengths.mean(), 1e-12))
    # term weight of every (document, word) entry, column by column of the sparse matrix
    weights = counts.copy()
    rows = weights.indices
    weights.data = idf[np.repeat(np.arange(counts.shape[1]), document_frequency)] * (
        counts.data * (k1 + 1) / (counts.data + norm[rows])
    )
    query_words = CountVectorizer(vocabulary=vectorizer.vocabulary_, binary=True).transform(queries)
    return np.asarray((query_words @ weights.T).todense())


def reciprocal_rank_fusion(scores: Sequence[np.ndarray], k: int = 60) -> np.ndarray:
    """Fuse several score matrices by reciprocal rank: ``sum over rankings of 1 / (k + rank)``.

    Each matrix has shape (n_queries, n_items), larger = better; ranks start at 1.
    Scores on different scales (BM25, cosine) can be fused because only ranks count.
    Returns the fused scores, same shape, larger = better.
    """
    if isinstance(scores, np.ndarray) and scores.ndim == 2:
        raise TypeError("pass a list of score matrices (one per ranking), not a single matrix")
    matrices = [_matrix(s, f"scores[{i}]").astype(np.float64) for i, s in enumerate(scores)]
    if not matrices:
        raise ValueError("no rankings to fuse: pass at least one score matrix")
    shapes = {m.shape for m in matrices}
    if len(shapes) != 1:
        raise ValueError(f"every score matrix must have the same shape (n_queries, n_items); got {sorted(shapes)}")
    k = _positive_int(k, "k")
    fused = np.zeros(matrices[0].shape)
    for matrix in matrices:
        if np.isnan(matrix).any():
            raise ValueError("scores contain NaN; a NaN has no place in a ranking")
        order = np.argsort(-matrix, axis=1, kind="stable")
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.arange(1, matrix.shape[1] + 1)[np.newaxis, :], axis=1)
        fused += 1.0 / (k + ranks)
    return fused


def queries_per_second(
    search: Callable[[np.ndarray], Any], queries: np.ndarray, repeats: int = 3
) -> tuple[float, Any]:
    """Time ``search(queries)`` ``repeats`` times; return (queries per second of the fastest run, its result).

    The fastest run is the one least disturbed by other programs on the machine. Set the
    number of threads (``faiss.omp_set_num_threads``, ``threadpoolctl``) before calling,
    the same for every method you compare.
    """
    repeats = _positive_int(repeats, "repeats")
    n_queries = len(queries)
    if n_queries == 0:
        raise ValueError("no queries to time")
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = search(queries)
        best = min(best, time.perf_counter() - start)
    return n_queries / max(best, 1e-9), result
