"""The Word Embedding Association Test (WEAT) of Caliskan et al. (2017), on any vectors.

Two target sets ``X`` and ``Y`` (say male and female first names) and two attribute sets
``A`` and ``B`` (career and family words), one vector per row. Each target ``w`` gets an
association ``s(w) = mean cos(w, A) - mean cos(w, B)``. The **effect size** is

    (mean of s over X - mean of s over Y) / standard deviation of s over X and Y together

(the sample standard deviation, ``ddof=1``, as in the paper), a Cohen's d: positive when X
leans to A and Y to B. The **permutation p-value** is the share of equal-size splits of
X and Y together whose test statistic ``sum s(X_i) - sum s(Y_i)`` is at least the observed
one (one-sided). With 8 + 8 targets there are 12,870 splits, so :func:`weat_p_value`
enumerates them all; larger sets are sampled.

Chapter 5's companion uses it on sentence vectors (templates such as "This is Amy."),
as May et al. (2019) do.
"""

from __future__ import annotations

import functools
import itertools
import math
from typing import Any

import numpy as np

from tutorial_utils._validation import positive_int

__all__ = [
    "ATTRIBUTE_TEMPLATES",
    "CAREER_WORDS",
    "FAMILY_WORDS",
    "FEMALE_NAMES",
    "MALE_NAMES",
    "NAME_TEMPLATES",
    "associations",
    "fill_templates",
    "weat_effect_size",
    "weat_p_value",
    "weat_statistic",
]

#: Caliskan et al. (2017), WEAT 6: target sets (first names) and attribute sets (career, family).
MALE_NAMES = ("John", "Paul", "Mike", "Kevin", "Steve", "Greg", "Jeff", "Bill")
FEMALE_NAMES = ("Amy", "Joan", "Lisa", "Sarah", "Diana", "Kate", "Ann", "Donna")
CAREER_WORDS = ("executive", "management", "professional", "corporation", "salary", "office",
                "business", "career")
FAMILY_WORDS = ("home", "parents", "children", "family", "cousins", "marriage", "wedding",
                "relatives")
#: Semantically bleached sentences in the manner of May et al. (2019): the word is the only content.
NAME_TEMPLATES = ("This is {}.", "That is {}.", "{} is here.", "{} is there.", "Here is {}.",
                  "{} is a person.")
ATTRIBUTE_TEMPLATES = ("This is about {}.", "It is about {}.", "The topic is {}.", "Think of {}.",
                       "This text mentions {}.", "They talked about {}.")


def fill_templates(words: Any, templates: Any) -> list[str]:
    """Every word in every template, word by word: ``len(words) * len(templates)`` sentences."""
    if isinstance(words, str) or isinstance(templates, str):
        raise TypeError("words and templates must be lists of strings, not one string")
    words, templates = list(words), list(templates)
    if not words or not templates:
        raise ValueError("words and templates must not be empty")
    if not all(isinstance(t, str) and t.count("{}") == 1 for t in templates):
        raise ValueError("every template must be a string with exactly one '{}' for the word")
    return [template.format(word) for word in words for template in templates]


def _rows(vectors: Any, name: str) -> np.ndarray:
    array = np.asarray(vectors, dtype=np.float64)
    if array.ndim != 2 or array.shape[0] < 1:
        raise ValueError(f"{name} must be a 2-D array with one vector per row; got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} holds non-finite values")
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    if np.any(norms == 0):
        raise ValueError(f"{name} holds a zero vector, which has no cosine with anything")
    return array / norms


def associations(targets: Any, a: Any, b: Any) -> np.ndarray:
    """``s(w, A, B) = mean_a cos(w, a) - mean_b cos(w, b)`` for every row ``w`` of ``targets``."""
    t, a_, b_ = _rows(targets, "targets"), _rows(a, "A"), _rows(b, "B")
    if not t.shape[1] == a_.shape[1] == b_.shape[1]:
        raise ValueError(f"targets, A and B must have the same width; got {t.shape[1]}, {a_.shape[1]}, {b_.shape[1]}")
    return (t @ a_.T).mean(axis=1) - (t @ b_.T).mean(axis=1)


def _two_sets(x: Any, y: Any, a: Any, b: Any) -> tuple[np.ndarray, np.ndarray]:
    sx, sy = associations(x, a, b), associations(y, a, b)
    if len(sx) + len(sy) < 3:
        raise ValueError("X and Y together need at least 3 targets for a standard deviation")
    return sx, sy


def weat_statistic(x: Any, y: Any, a: Any, b: Any) -> float:
    """The test statistic ``sum_x s(x, A, B) - sum_y s(y, A, B)``."""
    sx, sy = _two_sets(x, y, a, b)
    return float(sx.sum() - sy.sum())


def weat_effect_size(x: Any, y: Any, a: Any, b: Any) -> float:
    """Caliskan et al.'s effect size: difference of the mean associations over their pooled SD."""
    sx, sy = _two_sets(x, y, a, b)
    spread = np.std(np.concatenate([sx, sy]), ddof=1)
    if spread < 1e-12:  # equal up to float rounding
        raise ValueError("every target has the same association: the effect size is undefined")
    return float((sx.mean() - sy.mean()) / spread)


@functools.lru_cache(maxsize=8)
def _splits(n: int, k: int) -> np.ndarray:
    """Every choice of ``k`` of ``n`` positions, one row each (read-only; cached)."""
    splits = np.array(list(itertools.combinations(range(n), k)), dtype=np.intp).reshape(-1, k)
    splits.setflags(write=False)
    return splits


def weat_p_value(
    x: Any, y: Any, a: Any, b: Any, *, max_exact: int = 100_000, n_permutations: int = 10_000, seed: int = 0
) -> float:
    """One-sided permutation p-value of the WEAT statistic (X leans to A more than Y does).

    Every split of X and Y together into sets of their sizes is enumerated when there are at
    most ``max_exact`` of them (the observed split counts as one); otherwise ``n_permutations``
    random splits are drawn with ``seed`` and the p-value is ``(1 + hits) / (1 + n_permutations)``.
    """
    max_exact = positive_int(max_exact, "max_exact")
    n_permutations = positive_int(n_permutations, "n_permutations")
    sx, sy = _two_sets(x, y, a, b)
    s = np.concatenate([sx, sy])
    n, k = len(s), len(sx)
    total = s.sum()
    observed = 2 * sx.sum() - total  # sum over X minus sum over Y
    tolerance = 1e-12 * max(1.0, np.abs(s).sum())  # ties within float rounding count as hits
    if math.comb(n, k) <= max_exact:
        sums = s[_splits(n, k)].sum(axis=1)
        return float(np.mean(2 * sums - total >= observed - tolerance))
    rng = np.random.default_rng(seed)
    picks = np.argsort(rng.random((n_permutations, n)), axis=1)[:, :k]
    hits = int(np.sum(2 * s[picks].sum(axis=1) - total >= observed - tolerance))
    return (1 + hits) / (1 + n_permutations)
