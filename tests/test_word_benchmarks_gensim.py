"""word_benchmarks.intrinsic_scores gives the values of gensim's own evaluation, and of a plain Spearman.

Small made-up vectors (16 dimensions) for the benchmarks' own words, every seventh word left out so
that each benchmark has pairs or questions to skip, and the capitals of the first analogy section
placed in one shared direction from their countries so that some analogies are answered right.
"""

from __future__ import annotations

import numpy as np
import pytest
from gensim.models import KeyedVectors
from scipy.stats import spearmanr

from tutorial_utils.datasets import text_dataset_path
from tutorial_utils.word_benchmarks import intrinsic_scores


def _pairs(name: str) -> list[tuple[str, str, float]]:
    rows = [line.split("\t") for line in text_dataset_path(name).read_text().splitlines()
            if line and not line.startswith("#")]
    return [(a.lower(), b.lower(), float(score)) for a, b, score in rows]


def _questions() -> list[tuple[str, list[str]]]:
    sections: list[tuple[str, list[str]]] = []
    for line in text_dataset_path("analogies").read_text().splitlines():
        if line.startswith(":"):
            sections.append((line[1:].strip(), []))
        elif line:
            sections[-1][1].append(line.lower())
    return sections


@pytest.fixture(scope="module")
def vectors() -> tuple[list[str], np.ndarray]:
    words: dict[str, None] = {}  # ordered: the "frequency" order of the made-up vocabulary
    for name in ("wordsim353", "simlex999"):
        for a, b, _ in _pairs(name):
            words.update({a: None, b: None})
    sections = _questions()
    for _, questions in sections:
        for question in questions:
            words.update(dict.fromkeys(question.split()))
    vocabulary = [w for i, w in enumerate(words) if i % 7 != 3]  # some words unknown: OOV > 0
    rng = np.random.default_rng(0)
    matrix = rng.normal(size=(len(vocabulary), 16)).astype(np.float32)
    row = {w: i for i, w in enumerate(vocabulary)}
    # capital-common-countries ("athens greece baghdad iraq"): each country a unit vector with a 0 in
    # the last dimension, its capital (country + e_16) / sqrt(2); the analogy's 3CosAdd then lands
    # near the answer (cosine about 0.92), whatever the random directions
    for question in sections[0][1]:
        for capital, country in (question.split()[:2], question.split()[2:]):
            if capital in row and country in row:
                direction = matrix[row[country]].copy()
                direction[-1] = 0
                matrix[row[country]] = direction / np.linalg.norm(direction)
                matrix[row[capital]] = (matrix[row[country]] + np.eye(16, dtype=np.float32)[-1]) / np.sqrt(2)
    return vocabulary, matrix


@pytest.fixture(scope="module")
def gensim_keyed(vectors) -> KeyedVectors:
    words, matrix = vectors
    keyed = KeyedVectors(vector_size=matrix.shape[1])
    keyed.add_vectors(words, matrix)
    return keyed


@pytest.mark.parametrize("name, key", [("wordsim353", "wordsim"), ("simlex999", "simlex")])
def test_word_pair_scores_are_gensims(vectors, gensim_keyed, name, key):
    scores = intrinsic_scores(*vectors)
    _, spearman, oov_percent = gensim_keyed.evaluate_word_pairs(text_dataset_path(name))
    assert scores[f"{key}_spearman"] == pytest.approx(spearman.statistic, abs=1e-12)
    assert scores[f"{key}_oov"] == pytest.approx(oov_percent / 100, abs=1e-12)
    assert 0 < scores[f"{key}_oov"] < 1


@pytest.mark.parametrize("name, key", [("wordsim353", "wordsim"), ("simlex999", "simlex")])
def test_word_pair_scores_are_a_plain_spearman_over_the_known_pairs(vectors, name, key):
    # the same figures from first principles: cosine similarity of each known pair, ranked against the humans'
    words, matrix = vectors
    row = {w: i for i, w in enumerate(words)}
    unit = matrix / np.linalg.norm(matrix, axis=1, keepdims=True)
    pairs = _pairs(name)
    known = [(row[a], row[b], human) for a, b, human in pairs if a in row and b in row]
    cosines = [float(unit[i] @ unit[j]) for i, j, _ in known]
    scores = intrinsic_scores(words, matrix)
    assert scores[f"{key}_spearman"] == pytest.approx(spearmanr(cosines, [h for *_, h in known]).statistic, abs=1e-6)
    assert scores[f"{key}_oov"] == pytest.approx(1 - len(known) / len(pairs), abs=1e-12)


@pytest.mark.parametrize("restrict", [300_000, 1500])
def test_analogy_scores_are_gensims(vectors, gensim_keyed, restrict):
    scores = intrinsic_scores(*vectors, analogy_vocabulary=restrict)
    accuracy, sections = gensim_keyed.evaluate_word_analogies(text_dataset_path("analogies"), restrict_vocab=restrict)
    total = sections[-1]
    answered = len(total["correct"]) + len(total["incorrect"])
    questions = sum(len(q) for _, q in _questions())
    assert scores["analogy_accuracy"] == pytest.approx(accuracy, abs=1e-12)
    assert scores["analogy_oov"] == pytest.approx(1 - answered / questions, abs=1e-12)
    # not a trivial 0: the capitals placed in one direction from their countries are found
    assert scores["analogy_accuracy"] > 0.02 and 0 < scores["analogy_oov"] < 1


def test_a_smaller_analogy_vocabulary_answers_fewer_questions(vectors):
    assert intrinsic_scores(*vectors, analogy_vocabulary=1500)["analogy_oov"] > intrinsic_scores(*vectors)["analogy_oov"]
