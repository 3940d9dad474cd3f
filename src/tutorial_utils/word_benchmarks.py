"""Intrinsic word-embedding benchmarks: WordSim-353, SimLex-999 and the Google analogies.

Chapter 3 scores its word2vec models with gensim's evaluators in plain code; chapter 4
calls :func:`intrinsic_scores` to put any set of word vectors through the same three
benchmarks, with the share of each benchmark the vocabulary cannot answer (OOV).
The benchmark files ship with gensim (:func:`tutorial_utils.datasets.text_dataset_path`);
gensim is imported only when you call the function.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from tutorial_utils.datasets import text_dataset_path

__all__ = ["intrinsic_scores"]


def intrinsic_scores(words: Sequence[str], vectors: Any, analogy_vocabulary: int = 300_000) -> dict[str, float]:
    """Spearman correlation with WordSim-353 and SimLex-999, and analogy accuracy, for these vectors.

    ``words``: one word per row of ``vectors`` (n, d). Pairs and questions with a word outside
    ``words`` are skipped; ``*_oov`` gives the share skipped (0 to 1). Analogies search the
    ``analogy_vocabulary`` most frequent words, assuming ``words`` is sorted by frequency.
    Returns ``wordsim_spearman``, ``wordsim_oov``, ``simlex_spearman``, ``simlex_oov``,
    ``analogy_accuracy`` and ``analogy_oov``.
    """
    from gensim.models import KeyedVectors

    words = list(words)
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim != 2 or len(words) != len(matrix):
        raise ValueError(f"{len(words)} words but vectors of shape {matrix.shape}: pass one row per word")
    if len(set(words)) != len(words):
        raise ValueError("words holds duplicates: each word needs exactly one vector")
    if not np.all(np.isfinite(matrix)):
        raise ValueError("vectors contain NaN or infinite values")
    keyed = KeyedVectors(vector_size=matrix.shape[1])
    keyed.add_vectors(words, matrix)
    _, wordsim, wordsim_oov = keyed.evaluate_word_pairs(text_dataset_path("wordsim353"))
    _, simlex, simlex_oov = keyed.evaluate_word_pairs(text_dataset_path("simlex999"))
    analogy_path = text_dataset_path("analogies")
    questions = sum(1 for line in analogy_path.read_text().splitlines() if line and not line.startswith(":"))
    accuracy, sections = keyed.evaluate_word_analogies(analogy_path, restrict_vocab=analogy_vocabulary)
    answered = len(sections[-1]["correct"]) + len(sections[-1]["incorrect"])
    return {
        "wordsim_spearman": float(wordsim.statistic), "wordsim_oov": wordsim_oov / 100,
        "simlex_spearman": float(simlex.statistic), "simlex_oov": simlex_oov / 100,
        "analogy_accuracy": float(accuracy), "analogy_oov": 1 - answered / questions,
    }
