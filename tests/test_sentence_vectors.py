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
