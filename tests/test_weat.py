"""tutorial_utils.weat: the WEAT effect size and permutation p-value, against independent computations."""

from __future__ import annotations

import itertools
import math
import statistics

import numpy as np
import pytest

from tutorial_utils import weat
from tutorial_utils.weat import (
    ATTRIBUTE_TEMPLATES,
    CAREER_WORDS,
    FAMILY_WORDS,
    FEMALE_NAMES,
    MALE_NAMES,
    NAME_TEMPLATES,
    associations,
    fill_templates,
    weat_effect_size,
    weat_p_value,
    weat_statistic,
)


def _cos(u, v):
    return sum(a * b for a, b in zip(u, v)) / math.sqrt(sum(a * a for a in u) * sum(b * b for b in v))


def _s(w, a, b):
    return statistics.mean(_cos(w, x) for x in a) - statistics.mean(_cos(w, y) for y in b)


def _effect_by_hand(x, y, a, b):
    sx, sy = [_s(w, a, b) for w in x], [_s(w, a, b) for w in y]
    return (statistics.mean(sx) - statistics.mean(sy)) / statistics.stdev(sx + sy)


def _exact_p_by_hand(x, y, a, b):
    s = [_s(w, a, b) for w in list(x) + list(y)]
    observed = sum(s[: len(x)]) - sum(s[len(x):])
    hits = total = 0
    for chosen in itertools.combinations(range(len(s)), len(x)):
        rest = [i for i in range(len(s)) if i not in chosen]
        total += 1
        hits += sum(s[i] for i in chosen) - sum(s[i] for i in rest) >= observed - 1e-12
    return hits / total


def _sets(seed, n=6, dim=5, shift=0.0):
    rng = np.random.default_rng(seed)
    x, y, a, b = (rng.normal(size=(n, dim)) for _ in range(4))
    x[:, 0] += shift  # X leans to A when A also leans along the first axis
    a[:, 0] += shift
    return x, y, a, b


def test_the_paper_lists_have_eight_words_each_and_the_templates_one_slot():
    for words in (MALE_NAMES, FEMALE_NAMES, CAREER_WORDS, FAMILY_WORDS):
        assert len(words) == len(set(words)) == 8
    assert len(NAME_TEMPLATES) == len(ATTRIBUTE_TEMPLATES)
    assert all(t.count("{}") == 1 for t in NAME_TEMPLATES + ATTRIBUTE_TEMPLATES)


def test_fill_templates_goes_word_by_word():
    assert fill_templates(["Amy", "Bill"], ["This is {}.", "{} is here."]) == [
        "This is Amy.", "Amy is here.", "This is Bill.", "Bill is here."]


@pytest.mark.parametrize("words, templates, message", [
    ("Amy", ["{}"], "lists of strings"),
    ([], ["{}"], "must not be empty"),
    (["Amy"], ["no slot"], "exactly one"),
])
def test_fill_templates_refuses_bad_input(words, templates, message):
    with pytest.raises((TypeError, ValueError), match=message):
        fill_templates(words, templates)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_effect_size_and_statistic_match_an_independent_implementation(seed):
    x, y, a, b = _sets(seed, shift=1.0)
    assert weat_effect_size(x, y, a, b) == pytest.approx(_effect_by_hand(x, y, a, b), abs=1e-10)
    by_hand = sum(_s(w, a, b) for w in x) - sum(_s(w, a, b) for w in y)
    assert weat_statistic(x, y, a, b) == pytest.approx(by_hand, abs=1e-10)
    assert np.allclose(associations(x, a, b), [_s(w, a, b) for w in x])


def test_effect_size_is_antisymmetric_and_scale_free():
    x, y, a, b = _sets(3, shift=1.0)
    d = weat_effect_size(x, y, a, b)
    assert weat_effect_size(y, x, a, b) == pytest.approx(-d)
    assert weat_effect_size(x, y, b, a) == pytest.approx(-d)
    assert weat_effect_size(3 * x, y, 0.5 * a, b) == pytest.approx(d)  # cosines ignore length


@pytest.mark.parametrize("seed", [0, 4])
def test_exact_p_value_equals_a_hand_enumeration(seed):
    x, y, a, b = _sets(seed, n=5, shift=0.5)  # C(10, 5) = 252 splits
    assert weat_p_value(x, y, a, b) == pytest.approx(_exact_p_by_hand(x, y, a, b), abs=1e-12)


def test_sampled_p_value_approaches_the_exact_one():
    x, y, a, b = _sets(5, n=5, shift=0.5)
    exact = _exact_p_by_hand(x, y, a, b)
    sampled = weat_p_value(x, y, a, b, max_exact=1, n_permutations=20_000, seed=0)
    assert abs(sampled - exact) < 0.02
    assert weat_p_value(x, y, a, b, max_exact=1, n_permutations=500, seed=7) == \
        weat_p_value(x, y, a, b, max_exact=1, n_permutations=500, seed=7)


def test_a_strong_association_gets_a_small_p_value_and_none_a_large_one():
    strong = _sets(6, n=8, shift=3.0)
    assert weat_effect_size(*strong) > 1 and weat_p_value(*strong) < 0.01
    x, y, a, b = strong
    assert weat_p_value(y, x, a, b) > 0.99  # the other direction: almost every split beats it


@pytest.mark.parametrize("args, message", [
    ((np.ones(3), np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3))), "2-D"),
    ((np.zeros((2, 3)), np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3))), "zero vector"),
    ((np.full((2, 3), np.nan), np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 3))), "non-finite"),
    ((np.ones((2, 3)), np.ones((2, 3)), np.ones((2, 4)), np.ones((2, 3))), "same width"),
    ((np.ones((1, 3)), np.ones((1, 3)), np.ones((2, 3)), np.ones((2, 3))), "at least 3"),
])
def test_bad_inputs_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        weat_effect_size(*args)


def test_equal_associations_leave_the_effect_size_undefined():
    v = np.ones((3, 2))
    with pytest.raises(ValueError, match="undefined"):
        weat_effect_size(v, v, v, np.array([[1.0, 0.0]]))


def test_p_value_refuses_bad_counts():
    x, y, a, b = _sets(0)
    with pytest.raises(ValueError, match="n_permutations"):
        weat_p_value(x, y, a, b, n_permutations=0)
    with pytest.raises(ValueError, match="max_exact"):
        weat_p_value(x, y, a, b, max_exact=-1)


def test_splits_are_cached_and_read_only():
    splits = weat._splits(6, 3)
    assert splits.shape == (20, 3) and weat._splits(6, 3) is splits
    with pytest.raises(ValueError):
        splits[0, 0] = 5
