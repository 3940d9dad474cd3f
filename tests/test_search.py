"""tutorial_utils.search: passages, exact search, BM25, rank fusion and timing, with the inputs they refuse."""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
import pytest

from tutorial_utils import search as search_module
from tutorial_utils.search import (
    bm25_scores,
    exact_search,
    queries_per_second,
    reciprocal_rank_fusion,
    split_passages,
    top_k_indices,
)
from tutorial_utils.similarity import normalize, top_k_neighbours

# ----------------------------------------------------------------------------- split_passages


def test_split_passages_packs_whole_sentences_up_to_the_limit():
    text = "One two three. Four five. Six seven eight nine. Ten."
    assert split_passages(text, max_words=5) == ["One two three. Four five.", "Six seven eight nine. Ten."]


def test_split_passages_keeps_paragraphs_apart_and_normalises_whitespace():
    text = "First  paragraph\nwraps here.\n\n  \nSecond one."
    assert split_passages(text, max_words=50) == ["First paragraph wraps here.", "Second one."]


def test_split_passages_cuts_a_sentence_longer_than_a_passage():
    words = [f"w{i}" for i in range(23)]
    passages = split_passages(" ".join(words) + ".", max_words=10)
    assert [len(p.split()) for p in passages] == [10, 10, 3]
    assert " ".join(passages).split() == words[:-1] + [words[-1] + "."]


def test_split_passages_never_exceeds_max_words_and_loses_no_word():
    rng = np.random.default_rng(0)
    sentences = [" ".join(["word"] * int(n)) + "." for n in rng.integers(1, 30, size=40)]
    text = " ".join(sentences[:20]) + "\n\n" + " ".join(sentences[20:])
    passages = split_passages(text, max_words=25)
    assert all(1 <= len(p.split()) <= 25 for p in passages)
    assert sum(len(p.split()) for p in passages) == len(text.split())


@pytest.mark.parametrize("text", ["", "   ", "\n\n\n"])
def test_split_passages_of_an_empty_text_is_empty(text):
    assert split_passages(text) == []


def test_split_passages_refuses_bad_input():
    with pytest.raises(TypeError, match="join a list of paragraphs"):
        split_passages(["a list", "of paragraphs"])
    with pytest.raises(ValueError, match="max_words must be a positive integer"):
        split_passages("Some text.", max_words=0)
    with pytest.raises(ValueError, match="max_words must be a positive integer"):
        split_passages("Some text.", max_words=True)


# ----------------------------------------------------------------------------- top_k_indices and exact_search


def test_top_k_indices_orders_best_first_and_breaks_ties_by_index():
    scores = np.array([[0.1, 0.9, 0.5, 0.9], [3.0, 2.0, 1.0, 0.0]])
    assert top_k_indices(scores, 3).tolist() == [[1, 3, 2], [0, 1, 2]]
    assert top_k_indices(scores, 4).tolist() == [[1, 3, 2, 0], [0, 1, 2, 3]]


def test_top_k_indices_refuses_bad_input():
    with pytest.raises(ValueError, match="larger than the 2 items"):
        top_k_indices(np.zeros((1, 2)), 3)
    with pytest.raises(ValueError, match="NaN"):
        top_k_indices(np.array([[0.1, np.nan]]), 1)
    with pytest.raises(ValueError, match="k must be a positive integer"):
        top_k_indices(np.zeros((1, 2)), 0)
    with pytest.raises(ValueError, match="empty"):
        top_k_indices(np.zeros((1, 0)), 1)


def test_exact_search_matches_the_brute_force_cosine_search():
    rng = np.random.default_rng(0)
    index = normalize(rng.normal(size=(300, 12)))
    queries = normalize(rng.normal(size=(25, 12)))
    expected_ids, expected_scores = top_k_neighbours(queries, index, k=7)
    for chunk_size in (1, 4, 1000):
        ids, scores = exact_search(queries, index, k=7, chunk_size=chunk_size)
        assert ids.shape == scores.shape == (25, 7)
        assert np.array_equal(ids, expected_ids)
        assert np.allclose(scores, expected_scores, atol=1e-6)
        assert scores.dtype == np.float32


def test_exact_search_selects_in_row_groups_with_the_same_result():
    # more queries than one selection group (search_module._SELECT_ROWS rows), in chunks that
    # split a group, so the last group of a chunk is partial
    rng = np.random.default_rng(1)
    index = normalize(rng.normal(size=(200, 8)))
    queries = normalize(rng.normal(size=(3 * search_module._SELECT_ROWS + 5, 8)))
    expected_ids, _ = top_k_neighbours(queries, index, k=5)
    for chunk_size in (search_module._SELECT_ROWS + 7, 1000):
        ids, scores = exact_search(queries, index, k=5, chunk_size=chunk_size)
        assert np.array_equal(ids, expected_ids)
        assert np.allclose(scores, np.sum(queries[:, None, :] * index[ids], axis=2), atol=1e-6)


def test_exact_search_accepts_one_query_vector_and_k_equal_to_the_corpus():
    index = np.eye(3, dtype=np.float32)
    ids, scores = exact_search(np.array([0.0, 1.0, 0.0]), index, k=3)
    assert ids.tolist() == [[1, 0, 2]]
    assert scores[0, 0] == pytest.approx(1.0)


def test_exact_search_refuses_bad_input():
    index = np.ones((5, 4))
    with pytest.raises(ValueError, match="dimension mismatch: the queries have 3 dimensions, the index 4"):
        exact_search(np.ones((2, 3)), index, k=1)
    with pytest.raises(ValueError, match="k=6 is larger than the 5 vectors"):
        exact_search(np.ones((2, 4)), index, k=6)
    with pytest.raises(ValueError, match="index is empty"):
        exact_search(np.ones((2, 4)), np.ones((0, 4)), k=1)
    with pytest.raises(ValueError, match="queries is empty"):
        exact_search(np.ones((0, 4)), index, k=1)
    with pytest.raises(ValueError, match="k must be a positive integer"):
        exact_search(np.ones((2, 4)), index, k=0)
    with pytest.raises(ValueError, match="chunk_size must be a positive integer"):
        exact_search(np.ones((2, 4)), index, k=1, chunk_size=0)
    with pytest.raises(ValueError, match="2-D array"):
        exact_search(np.ones((2, 2, 4)), index, k=1)


# ----------------------------------------------------------------------------- BM25


def test_bm25_matches_the_formula_on_a_tiny_corpus():
    documents = ["cat sat on the mat", "dog dog dog", "cat and dog"]
    scores = bm25_scores(["cat dog"], documents, k1=1.2, b=0.75)
    lengths = np.array([5, 3, 3])
    mean_length = lengths.mean()

    def term(tf, df, length):
        idf = math.log(1 + (3 - df + 0.5) / (df + 0.5))
        return idf * tf * 2.2 / (tf + 1.2 * (1 - 0.75 + 0.75 * length / mean_length))

    expected = [term(1, 2, 5), term(3, 2, 3), term(1, 2, 3) + term(1, 2, 3)]
    assert scores.shape == (1, 3)
    assert np.allclose(scores[0], expected)


def test_bm25_ignores_unknown_words_and_repeated_query_words():
    documents = ["apples and pears", "bananas"]
    assert np.all(bm25_scores(["kiwi"], documents) == 0)
    assert np.allclose(bm25_scores(["apples apples"], documents), bm25_scores(["apples"], documents))
    # rare words weigh more than common ones
    scores = bm25_scores(["bananas", "and"], ["apples and pears", "bananas and cream", "and so on"])
    assert scores[0].max() > scores[1].max()


def test_bm25_refuses_bad_input():
    with pytest.raises(ValueError, match="the corpus is empty"):
        bm25_scores(["query"], [])
    with pytest.raises(ValueError, match="no queries"):
        bm25_scores([], ["a document"])
    with pytest.raises(TypeError, match="documents must be a list of strings"):
        bm25_scores(["query"], "a single string")
    with pytest.raises(TypeError, match="queries must be a list of strings"):
        bm25_scores([1, 2], ["a document"])
    with pytest.raises(ValueError, match="k1 >= 0 and 0 <= b <= 1"):
        bm25_scores(["query"], ["a document"], b=1.5)
    with pytest.raises(ValueError, match="no words to index"):
        bm25_scores(["query"], ["", "!"])


# ----------------------------------------------------------------------------- fusion and timing


def test_reciprocal_rank_fusion_sums_reciprocal_ranks():
    first = np.array([[3.0, 2.0, 1.0]])
    second = np.array([[1.0, 2.0, 3.0]])
    fused = reciprocal_rank_fusion([first, second], k=60)
    assert np.allclose(fused, [[1 / 61 + 1 / 63, 2 / 62, 1 / 63 + 1 / 61]])
    # only ranks count: rescaling one ranking changes nothing
    assert np.allclose(reciprocal_rank_fusion([first * 100, second], k=60), fused)


def test_reciprocal_rank_fusion_refuses_bad_input():
    with pytest.raises(ValueError, match="no rankings to fuse"):
        reciprocal_rank_fusion([])
    with pytest.raises(ValueError, match="same shape"):
        reciprocal_rank_fusion([np.zeros((2, 3)), np.zeros((2, 4))])
    with pytest.raises(TypeError, match="pass a list of score matrices"):
        reciprocal_rank_fusion(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="k must be a positive integer"):
        reciprocal_rank_fusion([np.zeros((2, 3))], k=0)
    with pytest.raises(ValueError, match="NaN"):
        reciprocal_rank_fusion([np.array([[np.nan, 1.0]])])


def test_queries_per_second_returns_a_rate_and_the_result(monkeypatch):
    calls = []

    def search(queries):
        calls.append(len(queries))
        return queries.sum()

    # a fake clock: the three runs take 0.5 s, 0.25 s and 0.4 s; the fastest one counts
    ticks = iter([10.0, 10.5, 20.0, 20.25, 30.0, 30.4])
    monkeypatch.setattr(search_module, "time", SimpleNamespace(perf_counter=lambda: next(ticks)))
    qps, result = queries_per_second(search, np.ones((50, 2)), repeats=3)
    assert qps == 50 / 0.25 and result == 100.0
    assert calls == [50, 50, 50]


def test_queries_per_second_refuses_bad_input():
    with pytest.raises(ValueError, match="no queries"):
        queries_per_second(lambda q: q, np.ones((0, 2)))
    with pytest.raises(ValueError, match="repeats must be a positive integer"):
        queries_per_second(lambda q: q, np.ones((3, 2)), repeats=0)
