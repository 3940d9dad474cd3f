"""tutorial_utils.sentence_vectors: MiniLM vectors of a list of texts, and the inputs it refuses."""

from __future__ import annotations

import numpy as np
import pytest

from tutorial_utils.sentence_vectors import encode_sentences


def test_unit_float32_vectors_one_per_text_and_the_same_for_the_same_text():
    vectors = encode_sentences(["A cat sat on the mat.", "Stocks fell on Monday.", "A cat sat on the mat."])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    assert np.allclose(vectors[0], vectors[2], atol=1e-6)
    assert vectors[0] @ vectors[1] < 0.9


@pytest.mark.parametrize("texts, error, message", [
    ("one string", TypeError, "list of strings"),
    ([], ValueError, "empty"),
    (["fine", 3], TypeError, "every text"),
])
def test_bad_inputs_are_refused(texts, error, message):
    with pytest.raises(error, match=message):
        encode_sentences(texts)


def test_batch_size_must_be_positive():
    with pytest.raises(ValueError, match="batch_size"):
        encode_sentences(["text"], batch_size=0)


TEXTS = ["A cat sat on the mat.", "Stocks fell sharply on Monday, said the central bank.", "Einstein wrote in 1905."]


def test_passages_their_word_pieces_and_mean_pooling():
    from tutorial_utils.sentence_vectors import encode_passages
    from tutorial_utils.text_models import load_minilm

    vectors, tokens, pooled, seconds = encode_passages(TEXTS, chunk=2)
    tokenizer = load_minilm(device="cpu").tokenizer
    special = set(tokenizer.all_special_ids)
    n_pieces = sum(sum(i not in special for i in ids) for ids in tokenizer(TEXTS)["input_ids"])
    assert vectors.shape == (3, 384) and tokens.shape == (n_pieces, 384) and pooled.shape == (3, 384)
    assert vectors.dtype == tokens.dtype == pooled.dtype == np.float32 and seconds > 0
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-5)
    # the passage vector is the normalised mean of its token vectors ([CLS] and [SEP] included)
    assert np.allclose(pooled / np.linalg.norm(pooled, axis=1, keepdims=True), vectors, atol=1e-5)
    # the same vectors as encode_sentences, and chunking does not change them
    assert np.allclose(vectors, encode_sentences(TEXTS), atol=1e-5)
    again, again_tokens, _, _ = encode_passages(TEXTS, chunk=256)
    assert np.allclose(again, vectors, atol=1e-5) and np.allclose(again_tokens, tokens, atol=1e-4)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"texts": "one string"}, TypeError, "list of strings"),
    ({"texts": TEXTS, "chunk": 0}, ValueError, "chunk"),
    ({"texts": TEXTS, "batch_size": -1}, ValueError, "batch_size"),
])
def test_encode_passages_refuses_bad_input(kwargs, error, message):
    from tutorial_utils.sentence_vectors import encode_passages

    with pytest.raises(error, match=message):
        encode_passages(**kwargs)
