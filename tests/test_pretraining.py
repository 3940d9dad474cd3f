"""tutorial_utils.pretraining: chapter 8's windows, baselines, sentence pairs and word-piece vectors."""

from __future__ import annotations

import numpy as np
import pytest

from tutorial_utils.pretraining import (
    bigram_guesses,
    majority_share,
    next_sentence_pairs,
    pack_pairs,
    split_sentences,
    token_windows,
    word_piece_vectors,
)


def test_sentences_end_at_a_full_stop_before_a_capital():
    text = "The cat sat. It purred! Did it? yes, e.g. this stays.  \"Quoted\" starts one."
    assert split_sentences(text) == ["The cat sat.", "It purred!", "Did it? yes, e.g. this stays.",
                                     "\"Quoted\" starts one."]
    assert split_sentences("   ") == []
    with pytest.raises(TypeError, match="expects a str"):
        split_sentences(["a list"])


def test_windows_never_span_two_documents_and_pad_the_last_piece():
    documents = [np.arange(1, 8), np.arange(10, 12), np.arange(20, 24)]
    windows, owner = token_windows(documents, length=3, pad_id=0)
    assert windows.tolist() == [[1, 2, 3], [4, 5, 6], [7, 0, 0], [10, 11, 0], [20, 21, 22], [23, 0, 0]]
    assert owner.tolist() == [0, 0, 0, 1, 2, 2]
    whole, owner = token_windows(documents, length=3, min_tokens=3)
    assert whole.tolist() == [[1, 2, 3], [4, 5, 6], [20, 21, 22]] and owner.tolist() == [0, 0, 2]


@pytest.mark.parametrize("documents, kwargs, error, message", [
    ([np.arange(5)], dict(length=0), ValueError, "length must be a positive integer"),
    ([np.arange(5)], dict(length=3, min_tokens=4), ValueError, "larger than length"),
    (np.arange(5), dict(length=3), TypeError, "list of documents"),
    ([np.ones((2, 2))], dict(length=3), ValueError, "1-D array"),
    ([np.arange(2)], dict(length=3, min_tokens=3), ValueError, "enough tokens"),
])
def test_windows_refuse_bad_input(documents, kwargs, error, message):
    with pytest.raises(error, match=message):
        token_windows(documents, **kwargs)


def test_bigram_guesses_the_most_frequent_follower_and_backs_off_to_the_unigram():
    # ids 0-1 are special; words 2..5. After 2 comes 3 twice, 4 once; 5 is most frequent overall
    train = np.array([[2, 3, 5, 5], [2, 3, 5, 5], [2, 4, 5, 1]])
    inputs = np.array([[2, 0, 1, 4], [3, 2, 5, 5]])
    guesses = bigram_guesses(train, inputs, vocab_size=6, first_word=2, no_context=[1])
    # row 0: start -> unigram 5; after 2 -> 3; after 0 (never followed by a word) -> 5; after 1 (blocked) -> 5
    # row 1: start -> 5; after 3 -> 5; after 2 -> 3; after 5 -> 5 (5 then 5 twice, 5 then 1 is no word)
    assert guesses.tolist() == [[5, 3, 5, 5], [5, 5, 3, 5]]
    assert guesses.dtype == np.int64


@pytest.mark.parametrize("train, inputs, kwargs, message", [
    (np.array([2, 3]), np.array([[2, 3]]), dict(vocab_size=6, first_word=2), "2-D"),
    (np.array([[2]]), np.array([[2, 3]]), dict(vocab_size=6, first_word=2), "2-D"),
    (np.array([[2, 3]]), np.array([[2, 3]]), dict(vocab_size=6, first_word=6), "first_word"),
    (np.array([[2, 7]]), np.array([[2, 3]]), dict(vocab_size=6, first_word=2), "train_windows holds ids"),
    (np.array([[2, 3]]), np.array([[-1, 3]]), dict(vocab_size=6, first_word=2), "inputs holds ids"),
    (np.array([[0, 1]]), np.array([[2, 3]]), dict(vocab_size=6, first_word=2), "nothing to count"),
    (np.array([[2, 3]]), np.array([[2, 3]]), dict(vocab_size=0, first_word=0), "vocab_size"),
])
def test_bigram_refuses_bad_input(train, inputs, kwargs, message):
    with pytest.raises(ValueError, match=message):
        bigram_guesses(train, inputs, **kwargs)


def test_majority_share_is_the_best_one_answer_per_item():
    items = ["bank", "bank", "bank", "river", "river"]
    labels = ["money", "money", "water", "water", "water"]
    assert majority_share(items, labels) == pytest.approx(4 / 5)
    with pytest.raises(ValueError, match="one label per occurrence"):
        majority_share(items, labels[:2])
    with pytest.raises(ValueError, match="no occurrences"):
        majority_share([], [])


def _documents():
    return [[f"d{d}s{i}" for i in range(n)] for d, n in enumerate((7, 3, 1, 0))]


def test_random_negatives_come_from_another_document():
    first, second, labels = next_sentence_pairs(_documents(), "random", np.random.default_rng(0))
    assert labels.tolist() == [1, 0] * (len(labels) // 2)
    for a, b, label in zip(first, second, labels):
        doc_a, i = a[1:].split("s")
        doc_b, j = b[1:].split("s")
        if label:
            assert doc_a == doc_b and int(j) == int(i) + 1
        else:
            assert doc_a != doc_b
    # the empty document is never drawn for a negative: its draws are skipped
    assert 2 * 6 + 2 * 2 >= len(labels) >= 2


def test_same_document_negatives_are_far_away():
    first, second, labels = next_sentence_pairs(_documents(), "same_document", np.random.default_rng(0),
                                                min_distance=4)
    negatives = [(a, b) for a, b, label in zip(first, second, labels) if label == 0]
    assert negatives  # only the 7-sentence document has sentences 4 apart
    for a, b in negatives:
        assert a.startswith("d0") and b.startswith("d0")
        assert abs(int(a.split("s")[1]) - int(b.split("s")[1])) >= 4


@pytest.mark.parametrize("documents, negatives, kwargs, message", [
    (_documents(), "shuffled", {}, "'random' or 'same_document'"),
    (_documents(), "random", dict(min_distance=1), "at least 2"),
    (_documents()[:1], "random", {}, "two documents"),
    ([["a"], ["b"]], "random", {}, "no pair"),
    ([["a", "b"], ["c"]], "same_document", {}, "no pair"),
])
def test_pairs_refuse_bad_input(documents, negatives, kwargs, message):
    with pytest.raises(ValueError, match=message):
        next_sentence_pairs(documents, negatives, np.random.default_rng(0), **kwargs)


def test_pairs_are_packed_as_cls_a_sep_b_sep():
    rows = pack_pairs([np.array([5, 6, 7, 8]), [9]], [np.array([10]), [11, 12]], length=9,
                      cls_id=1, sep_id=2, pad_id=0)
    assert rows.tolist() == [[1, 5, 6, 7, 2, 10, 2, 0, 0], [1, 9, 2, 11, 12, 2, 0, 0, 0]]
    with pytest.raises(ValueError, match="at least 5"):
        pack_pairs([[1]], [[2]], 4, 1, 2, 0)
    with pytest.raises(ValueError, match="first sentences"):
        pack_pairs([[1]], [], 8, 1, 2, 0)


def test_word_vectors_average_the_pieces_of_each_word():
    from tutorial_utils.text_models import load_minilm

    model = load_minilm()
    tokenizer, encoder = model.tokenizer, model[0].auto_model
    texts = [["the", "aardwolf", "eats", "termites"], ["a", "cat"]]
    vectors = word_piece_vectors(texts, tokenizer, encoder, batch_size=1)
    assert [v.shape for v in vectors] == [(4, 384), (2, 384)] and vectors[0].dtype == np.float32
    # by hand: the pieces of "aardwolf" (more than one) averaged
    import torch

    inputs = tokenizer([texts[0]], is_split_into_words=True, return_tensors="pt")
    with torch.no_grad():
        hidden = encoder(**inputs).last_hidden_state[0].numpy()
    pieces = [i for i, w in enumerate(inputs.word_ids(0)) if w == 1]
    assert len(pieces) > 1
    assert np.allclose(vectors[0][1], hidden[pieces].mean(axis=0), atol=1e-5)
    # batching does not change a text's vectors (beyond float rounding from padding)
    together = word_piece_vectors(texts, tokenizer, encoder, batch_size=2)
    assert np.allclose(together[0], vectors[0], atol=1e-4)
    with pytest.raises(ValueError, match="non-empty lists"):
        word_piece_vectors(["a string"], tokenizer, encoder)
    with pytest.raises(ValueError, match="non-empty lists"):
        word_piece_vectors([[]], tokenizer, encoder)
    with pytest.raises(ValueError, match="length limit"):
        word_piece_vectors([["word"] * 600], tokenizer, encoder)


def test_benchmark_figures_read_the_results_file_or_nothing(tmp_path):
    from tutorial_utils.pretraining import benchmark_figures

    results = tmp_path / "results.json"
    results.write_text('{"notebooks": {"03_x": {"wall_s": 1, "figures": {"ch03_a": 0.5}}, "04_y": {}}}')
    assert benchmark_figures("03_x", results) == {"ch03_a": 0.5}
    assert benchmark_figures("04_y", results) == {}
    assert benchmark_figures("05_z", results) == {}
    assert benchmark_figures("03_x", tmp_path / "missing.json") == {}
    # the book's own file: a chapter benchmarked there has figures
    assert "ch03_vocab_size" in benchmark_figures("03_word_embeddings")
