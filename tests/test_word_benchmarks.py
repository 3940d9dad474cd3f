"""tutorial_utils.word_benchmarks: the three intrinsic benchmarks, on vectors built to pass or fail them."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import spearmanr

from tutorial_utils.datasets import text_dataset_path
from tutorial_utils.word_benchmarks import intrinsic_scores


def _wordsim_pairs():
    rows = []
    for line in text_dataset_path("wordsim353").read_text().splitlines():
        if line.startswith("#") or not line.strip():
            continue
        a, b, score = line.split("\t")[:3]
        rows.append((a.lower(), b.lower(), float(score)))
    return rows


def test_scores_have_the_right_range_and_oov_share():
    rng = np.random.default_rng(0)
    pairs = _wordsim_pairs()
    words = sorted({w for a, b, _ in pairs for w in (a, b)})
    scores = intrinsic_scores(words, rng.normal(size=(len(words), 20)))
    assert scores["wordsim_oov"] == 0.0  # every WordSim word has a vector
    assert abs(scores["wordsim_spearman"]) < 0.2  # random vectors: no correlation
    assert 0 < scores["simlex_oov"] < 1 and 0 < scores["analogy_oov"] <= 1
    assert set(scores) == {"wordsim_spearman", "wordsim_oov", "simlex_spearman", "simlex_oov",
                           "analogy_accuracy", "analogy_oov"}


def test_spearman_is_the_one_scipy_gives():
    # random vectors: Spearman between the human scores and the cosines, computed here by hand
    pairs = _wordsim_pairs()
    words = sorted({w for a, b, _ in pairs for w in (a, b)})
    vectors = np.random.default_rng(1).normal(size=(len(words), 50)).astype(np.float32)
    row = {w: i for i, w in enumerate(words)}
    unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    cosine = [float(unit[row[a]] @ unit[row[b]]) for a, b, _ in pairs]
    expected = spearmanr([s for *_, s in pairs], cosine).statistic
    assert intrinsic_scores(words, vectors)["wordsim_spearman"] == pytest.approx(expected, abs=1e-4)


def test_refuses_bad_input():
    with pytest.raises(ValueError, match="2 words but vectors of shape"):
        intrinsic_scores(["a", "b"], np.ones((3, 2)))
    with pytest.raises(ValueError, match="duplicates"):
        intrinsic_scores(["a", "a"], np.ones((2, 2)))
    with pytest.raises(ValueError, match="NaN"):
        intrinsic_scores(["a", "b"], np.array([[np.nan, 1.0], [1.0, 1.0]]))
