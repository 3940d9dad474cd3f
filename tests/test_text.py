"""tutorial_utils.text: tokens, the vocabulary round trip, unknown words, similarity search, the toy corpus."""

from __future__ import annotations

import numpy as np
import pytest

from references import brute_force_neighbours

from tutorial_utils.text import (
    UnknownWordError,
    Vocabulary,
    load_toy_corpus,
    similar_words,
    tokenize,
    unknown_word_error,
)

SENTENCES = [["the", "cat", "sat"], ["the", "dog", "sat"], ["the", "cat", "ran"], ["a", "bird"]]


def test_tokenize_lowercases_and_keeps_letter_runs():
    assert tokenize("The Cat's 2 hats, in São Paulo!") == ["the", "cat", "hats", "in", "são", "paulo"]
    assert tokenize("a b cc", min_length=1) == ["a", "b", "cc"]
    assert tokenize("x" * 16 + " ok") == ["ok"]


def test_tokenize_refuses_bad_input():
    with pytest.raises(TypeError, match="expects a str"):
        tokenize(["not", "a", "string"])
    with pytest.raises(ValueError, match="min_length"):
        tokenize("text", min_length=0)


def test_vocabulary_orders_by_count_then_first_appearance():
    vocab = Vocabulary.from_sentences(SENTENCES)
    assert vocab.idx_to_word[:3] == ["the", "cat", "sat"]
    assert vocab.counts.tolist()[:3] == [3, 2, 2]
    assert len(vocab) == 7 and "dog" in vocab and "fish" not in vocab


def test_vocabulary_round_trip():
    vocab = Vocabulary.from_sentences(SENTENCES)
    for index, word in enumerate(vocab.idx_to_word):
        assert vocab.word_to_idx[word] == index
        assert vocab.word(vocab.index(word)) == word
    tokens = ["the", "dog", "ran"]
    assert vocab.decode(vocab.encode(tokens)) == tokens
    assert vocab.encode(tokens).dtype == np.int64


def test_min_count_drops_rare_words_and_encode_skips_them():
    vocab = Vocabulary.from_sentences(SENTENCES, min_count=2)
    assert vocab.idx_to_word == ["the", "cat", "sat"]
    assert vocab.decode(vocab.encode(["the", "dog", "sat"])) == ["the", "sat"]
    with pytest.raises(UnknownWordError, match="'dog' is not in the vocabulary"):
        vocab.encode(["dog"], skip_unknown=False)


def test_encode_corpus_gives_flat_ids_and_sentence_numbers():
    vocab = Vocabulary.from_sentences(SENTENCES, min_count=2)
    tokens, sentences = vocab.encode_corpus(SENTENCES)
    assert vocab.decode(tokens) == ["the", "cat", "sat", "the", "sat", "the", "cat"]
    assert sentences.tolist() == [0, 0, 0, 1, 1, 2, 2]


def test_unknown_word_names_it_and_suggests_close_entries():
    vocab = Vocabulary.from_sentences([["banana", "bread", "camera"]])
    with pytest.raises(KeyError, match=r"'bananna' is not in the vocabulary.*did you mean 'banana'"):
        vocab.index("bananna")
    error = unknown_word_error("zzz", ["banana"])
    assert isinstance(error, KeyError) and "no entry is spelled similarly" in str(error)
    assert str(error).startswith("'zzz'")  # not wrapped in KeyError's extra quotes


def test_empty_corpus_is_refused():
    with pytest.raises(ValueError, match="corpus is empty"):
        Vocabulary.from_sentences([])
    with pytest.raises(ValueError, match="corpus is empty"):
        Vocabulary.from_sentences([[], []])
    with pytest.raises(ValueError, match="no word occurs at least min_count=9"):
        Vocabulary.from_sentences(SENTENCES, min_count=9)
    with pytest.raises(ValueError, match="no token from this vocabulary"):
        Vocabulary.from_sentences(SENTENCES).encode_corpus([["fish"]])


def test_vocabulary_refuses_strings_and_bad_arguments():
    with pytest.raises(TypeError, match="not one string"):
        Vocabulary.from_sentences("the cat sat")
    with pytest.raises(TypeError, match="list of tokens"):
        Vocabulary.from_sentences(["the cat sat"])
    with pytest.raises(ValueError, match="min_count must be a positive integer"):
        Vocabulary.from_sentences(SENTENCES, min_count=0)
    with pytest.raises(ValueError, match="unique"):
        Vocabulary(["a", "a"])
    with pytest.raises(IndexError, match="outside the vocabulary"):
        Vocabulary(["a"]).word(1)


def _numpy_reference(vectors, query, k):
    others = np.delete(np.arange(len(vectors)), query)
    order, scores = brute_force_neighbours(vectors[query], vectors[others], k, metric="cosine")
    return others[order[0]], scores[0]


def test_similar_words_matches_a_numpy_reference():
    rng = np.random.default_rng(0)
    words = [f"w{i}" for i in range(40)]
    vectors = rng.normal(size=(40, 8))
    vocab = Vocabulary(words)
    for query in (0, 7, 39):
        order, scores = _numpy_reference(vectors, query, k=5)
        result = similar_words(vectors, vocab, words[query], top_k=5)
        assert [w for w, _ in result] == [words[i] for i in order]
        np.testing.assert_allclose([s for _, s in result], scores, atol=1e-12)
        assert words[query] not in [w for w, _ in result]


def test_similar_words_accepts_a_plain_word_list():
    vectors = np.array([[1.0, 0.0], [0.9, 0.1], [0.0, 1.0]])
    assert similar_words(vectors, ["a", "b", "c"], "a", top_k=1) == [("b", pytest.approx(0.9939, abs=1e-4))]


def test_similar_words_refuses_bad_requests():
    vectors = np.eye(3)
    vocab = Vocabulary(["cat", "dog", "car"])
    with pytest.raises(UnknownWordError, match="'cta' is not in the vocabulary.*'cat'"):
        similar_words(vectors, vocab, "cta")
    with pytest.raises(ValueError, match="top_k=3 is larger than the 2 other word"):
        similar_words(vectors, vocab, "cat", top_k=3)
    with pytest.raises(ValueError, match="top_k must be a positive integer"):
        similar_words(vectors, vocab, "cat", top_k=0)
    with pytest.raises(ValueError, match="one row per vocabulary word"):
        similar_words(np.eye(2), vocab, "cat")


def test_toy_corpus_has_groups_that_share_attributes():
    corpus = load_toy_corpus()
    assert len(corpus.sentences) == len(corpus.pairs) >= 60
    groups = set(corpus.groups.values())
    assert {"food", "photography"} <= groups and len(groups) >= 4
    for subject, attribute in corpus.pairs:
        assert corpus.groups[subject] == corpus.groups[attribute]
    for group in groups:
        members = [w for w, g in corpus.groups.items() if g == group]
        assert len(members) >= 8  # room for k=3 neighbours among subjects and among attributes


def test_toy_corpus_refuses_malformed_files(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("## food\napple is sweet\napple sweet\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 3: expected 'subject is attribute'"):
        load_toy_corpus(bad)
    bad.write_text("## food\napple is red\n## vehicle\ncar is red\n", encoding="utf-8")
    with pytest.raises(ValueError, match="'red' is in group 'food' and 'vehicle'"):
        load_toy_corpus(bad)
    bad.write_text("apple is red\n", encoding="utf-8")
    with pytest.raises(ValueError, match="before any '## group' line"):
        load_toy_corpus(bad)
    with pytest.raises(FileNotFoundError, match="no toy corpus"):
        load_toy_corpus(tmp_path / "missing.txt")
