"""Sentence vectors from all-MiniLM-L6-v2, computed once and cached.

Encoding chapter 5's passages costs about a minute on a laptop CPU. A notebook that needs
the vectors again (chapter 5's vector-database companion) calls::

    from tutorial_utils.cache import train_once
    vectors = train_once(encode_sentences, passages)

which encodes the texts the first time and loads the stored array on every later run
(the cache is keyed on this module's source and on the texts themselves).
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from tutorial_utils._validation import positive_int

__all__ = ["encode_sentences"]


def encode_sentences(texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
    """One unit-length float32 MiniLM vector per text, shape ``(len(texts), 384)``.

    ``texts`` is a list of strings (a single string is refused: wrap it in a list).
    The model is loaded offline with :func:`tutorial_utils.text_models.load_minilm` on the
    CPU, so the vectors are the same on every machine up to float rounding.
    """
    if isinstance(texts, str) or not isinstance(texts, (list, tuple)):
        raise TypeError(f"texts must be a list of strings; got {type(texts).__name__}")
    if len(texts) == 0:
        raise ValueError("texts is empty: nothing to encode")
    if not all(isinstance(t, str) for t in texts):
        raise TypeError("every text must be a string")
    batch_size = positive_int(batch_size, "batch_size")
    from tutorial_utils.text_models import load_minilm

    model = load_minilm(device="cpu")
    vectors = model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True)
    return np.ascontiguousarray(vectors, dtype=np.float32)
