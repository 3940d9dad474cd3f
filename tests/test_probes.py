"""tutorial_utils.probes: balanced label subsets and linear / small-network probes."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from tutorial_utils.probes import balanced_label_subset, probe_accuracy


def test_balanced_subset_takes_the_same_number_per_class():
    labels = np.repeat(np.arange(4), [10, 20, 30, 40])
    chosen = balanced_label_subset(labels, 12, rng=0)
    assert len(chosen) == 12 and len(set(chosen.tolist())) == 12
    assert np.bincount(labels[chosen]).tolist() == [3, 3, 3, 3]
    assert np.array_equal(chosen, balanced_label_subset(labels, 12, rng=0))  # seeded
    assert np.array_equal(balanced_label_subset(labels, 100), np.arange(100))  # all labels


def test_balanced_subset_refuses_bad_input():
    labels = np.repeat(np.arange(2), [2, 10])
    with pytest.raises(ValueError, match="not a multiple"):
        balanced_label_subset(labels, 5)
    with pytest.raises(ValueError, match="fewer than 3"):
        balanced_label_subset(labels, 6)
    with pytest.raises(ValueError, match="from 1 to the number of items 12"):
        balanced_label_subset(labels, 13)
    with pytest.raises(ValueError, match="single class"):
        balanced_label_subset(np.zeros(5, dtype=int), 2)


def _blobs(n, seed):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    centres = np.array([[0, 0, 0, 0], [3, 0, 0, 0], [0, 3, 0, 0]], dtype=float)
    return centres[y] + rng.normal(size=(n, 4)), y


def test_linear_probe_agrees_with_logistic_regression():
    x, y = _blobs(300, 0)
    tx, ty = _blobs(300, 1)
    reference = LogisticRegression().fit(x, y).score(tx, ty)
    ours = probe_accuracy(x, y, tx, ty, steps=300, batch_size=64)
    assert ours == pytest.approx(reference, abs=0.03)
    assert probe_accuracy(x, y, tx, ty, steps=300, batch_size=64) == ours  # seeded
    assert probe_accuracy(x, y, tx, ty, hidden=(16,), steps=300) > 0.8


def test_probe_refuses_bad_input():
    x, y = _blobs(20, 0)
    with pytest.raises(ValueError, match="same width"):
        probe_accuracy(x, y, x[:, :2], y)
    with pytest.raises(ValueError, match="20 training vectors for 19 labels"):
        probe_accuracy(x, y[:19], x, y)
    with pytest.raises(ValueError, match="single class"):
        probe_accuracy(x, np.zeros(20, dtype=int), x, y)
    with pytest.raises(ValueError, match="steps must be a positive integer"):
        probe_accuracy(x, y, x, y, steps=0)
