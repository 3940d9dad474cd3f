"""Sentence vectors from all-MiniLM-L6-v2, computed once and cached.

Encoding chapter 5's passages costs about a minute on a laptop CPU, and chapters 5 and 6 and
chapter 5's vector-database companion all need them. Each calls::

    from tutorial_utils.cache import train_once
    vectors, tokens, pooled, seconds = train_once(encode_passages, passages)

which encodes the passages the first time and loads the stored arrays on every later run
(the cache is keyed on this module's source and on the texts themselves), so a reader
running the book in order pays once. :func:`encode_sentences` does the same for short
texts that need no token vectors.
"""

from __future__ import annotations

import time
from typing import Sequence

import numpy as np

from tutorial_utils._validation import positive_int

__all__ = ["encode_passages", "encode_sentences"]


def encode_sentences(texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
    """One unit-length float32 MiniLM vector per text, shape ``(len(texts), 384)``.

    ``texts`` is a list of strings (a single string is refused: wrap it in a list).
    The model is loaded offline with :func:`tutorial_utils.text_models.load_minilm` on the
    CPU, so the vectors are the same on every machine up to float rounding.
    """
    _check_texts(texts)
    batch_size = positive_int(batch_size, "batch_size")
    from tutorial_utils.text_models import load_minilm

    model = load_minilm(device="cpu")
    vectors = model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True)
    return np.ascontiguousarray(vectors, dtype=np.float32)


def _check_texts(texts: Sequence[str]) -> None:
    if isinstance(texts, str) or not isinstance(texts, (list, tuple)):
        raise TypeError(f"texts must be a list of strings; got {type(texts).__name__}")
    if len(texts) == 0:
        raise ValueError("texts is empty: nothing to encode")
    if not all(isinstance(t, str) for t in texts):
        raise TypeError("every text must be a string")


def encode_passages(
    texts: Sequence[str], chunk: int = 256, batch_size: int = 32, device: str = "cpu"
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """MiniLM's vector of every passage, with the vectors of their word pieces.

    Returns ``(passage_vectors, token_vectors, pooled, seconds)``:

    - ``passage_vectors``, ``(len(texts), 384)``: the model's sentence embeddings (unit length);
    - ``token_vectors``, ``(n_pieces, 384)``: the contextual vector of every word piece of every
      passage, in order, without ``[CLS]``, ``[SEP]``, ``[UNK]`` and padding;
    - ``pooled``, ``(len(texts), 384)``: the plain mean of each passage's token vectors,
      ``[CLS]`` and ``[SEP]`` included, before normalisation (what mean pooling computes);
    - ``seconds``: the wall time of the encoding.

    The passages go through ``model.encode(..., output_value=None)`` ``chunk`` at a time, so
    only one chunk's outputs (every token vector, padded) are held at once.
    """
    _check_texts(texts)
    chunk = positive_int(chunk, "chunk")
    batch_size = positive_int(batch_size, "batch_size")
    from tutorial_utils.text_models import load_minilm

    model = load_minilm(device=device)
    special_ids = np.asarray(model.tokenizer.all_special_ids)
    width = model.get_embedding_dimension()
    passage_vectors = np.empty((len(texts), width), dtype=np.float32)
    pooled = np.empty_like(passage_vectors)
    # word pieces counted first (the model's own tokenisation), so the matrix is allocated once
    features = model.preprocess(list(texts))
    ids, mask = features["input_ids"].numpy(), features["attention_mask"].numpy()
    token_vectors = np.empty((int(np.sum((mask == 1) & ~np.isin(ids, special_ids))), width), dtype=np.float32)
    del features, ids, mask
    row, start = 0, time.perf_counter()
    for first in range(0, len(texts), chunk):
        outputs = model.encode(list(texts[first:first + chunk]), batch_size=batch_size, output_value=None)
        for n, out in enumerate(outputs, start=first):
            real = out["attention_mask"].cpu().numpy() == 1  # batches are padded: drop it
            vectors = out["token_embeddings"].cpu().numpy()[real]
            words = ~np.isin(out["input_ids"].cpu().numpy()[real], special_ids)
            passage_vectors[n] = out["sentence_embedding"].cpu().numpy()
            pooled[n] = vectors.mean(axis=0)
            token_vectors[row:row + int(words.sum())] = vectors[words]
            row += int(words.sum())
        del outputs
    seconds = time.perf_counter() - start
    if row != len(token_vectors):  # pragma: no cover - the tokeniser and encode disagree
        raise RuntimeError(f"counted {len(token_vectors)} word pieces but encode returned {row}")
    return passage_vectors, token_vectors, pooled, seconds
