"""tutorial_utils.probes: balanced label subsets and linear / small-network probes."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from tutorial_utils.probes import (C_GRID, balanced_label_subset, centre_and_scale, linear_probe, mlp_probe,
                                  probe_over_draws)


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


def test_linear_probe_is_logistic_regression_with_c_chosen_by_cross_validation():
    x, y = _blobs(300, 0)
    tx, ty = _blobs(300, 1)
    accuracy, chosen_c = linear_probe(x, y, tx, ty, seed=0)
    assert chosen_c in C_GRID
    # the same model fitted by hand at the chosen C, on inputs centred and scaled by the training items
    mean = x.mean(axis=0)
    scale = np.sqrt(np.mean(np.sum((x - mean) ** 2, axis=1)))
    by_hand = LogisticRegression(C=chosen_c, max_iter=3000).fit((x - mean) / scale, y)
    assert accuracy == by_hand.score((tx - mean) / scale, ty)
    assert accuracy > 0.8  # three well-separated blobs
    assert linear_probe(x, y, tx, ty, seed=0) == (accuracy, chosen_c)  # seeded


def test_linear_probe_chooses_strong_regularisation_when_the_features_are_noise():
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(90, 200)), np.repeat([0, 1, 2], 30)  # 200 noise features, 90 items
    _, chosen_c = linear_probe(x, y, rng.normal(size=(30, 200)), np.repeat([0, 1, 2], 10),
                               c_grid=(0.001, 1000.0))
    assert chosen_c == 0.001


def test_mlp_probe_learns_a_problem_a_linear_probe_cannot():
    rng = np.random.default_rng(0)
    def rings(n):
        radius = rng.choice([1.0, 3.0], n)
        angle = rng.uniform(0, 2 * np.pi, n)
        points = np.c_[radius * np.cos(angle), radius * np.sin(angle)] + rng.normal(0, 0.2, (n, 2))
        return points, (radius > 2).astype(int)
    x, y = rings(400)
    tx, ty = rings(400)
    linear, _ = linear_probe(x, y, tx, ty)
    network = mlp_probe(x, y, tx, ty, hidden=(32, 32))
    assert linear < 0.7 < 0.95 < network
    assert mlp_probe(x, y, tx, ty, hidden=(32, 32)) == network  # seeded


def test_probe_over_draws_repeats_on_different_balanced_draws():
    x, y = _blobs(600, 0)
    tx, ty = _blobs(300, 1)
    seen = []

    def probe(train_x, train_y, test_x, test_y, seed):
        seen.append((seed, np.bincount(train_y).tolist(), train_x[:, 0].sum()))
        return 0.5 + seed / 10, "setting"

    result = probe_over_draws(probe, x, y, tx, ty, n_labels=30, draws=3, seed=4)
    assert [s[0] for s in seen] == [4, 5, 6] and all(s[1] == [10, 10, 10] for s in seen)
    assert len({s[2] for s in seen}) == 3  # three different draws
    assert result.accuracies == (0.9, 1.0, 1.1)
    assert result.mean == pytest.approx(1.0) and result.std == pytest.approx(np.std([0.9, 1.0, 1.1]))
    plain = probe_over_draws(lambda *a, seed: 0.25, x, y, tx, ty, n_labels=30, draws=2)
    assert plain.accuracies == (0.25, 0.25)


def test_probe_refuses_bad_input():
    x, y = _blobs(20, 0)
    with pytest.raises(ValueError, match="same width"):
        linear_probe(x, y, x[:, :2], y)
    with pytest.raises(ValueError, match="20 training vectors for 19 labels"):
        mlp_probe(x, y[:19], x, y)
    with pytest.raises(ValueError, match="single class"):
        linear_probe(x, np.zeros(20, dtype=int), x, y)
    with pytest.raises(ValueError, match="folds = 1"):
        linear_probe(x, y, x, y, folds=1)
    with pytest.raises(ValueError, match="draws must be a positive integer"):
        probe_over_draws(linear_probe, x, y, x, y, n_labels=6, draws=0)


def test_centre_and_scale_keeps_the_geometry():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 3)) * [10.0, 1.0, 0.01] + 5  # very different scales per coordinate
    scaled, test = centre_and_scale(x, x[:5] * 2)
    np.testing.assert_allclose(scaled.mean(axis=0), 0, atol=1e-12)
    assert np.mean(np.sum(scaled ** 2, axis=1)) == pytest.approx(1.0)
    # one factor for every coordinate: the ratios of the coordinates' spreads are unchanged
    np.testing.assert_allclose(scaled.std(axis=0) / x.std(axis=0), scaled.std(axis=0)[0] / x.std(axis=0)[0])
    np.testing.assert_allclose(test, (x[:5] * 2 - x.mean(axis=0)) / np.sqrt(np.mean(np.sum((x - x.mean(0)) ** 2, 1))))
    with pytest.raises(ValueError, match="every training vector is the same"):
        centre_and_scale(np.ones((4, 2)), np.ones((1, 2)))


def test_probes_run_with_one_blas_thread(monkeypatch):
    from threadpoolctl import threadpool_info

    from tutorial_utils import probes

    inside, original = [], probes.one_blas_thread

    @probes.contextmanager
    def watched():
        with original():
            inside.append({pool["num_threads"] for pool in threadpool_info()})
            yield

    before = [pool["num_threads"] for pool in threadpool_info()]
    monkeypatch.setattr(probes, "one_blas_thread", watched)
    x, y = _blobs(60, 0)
    linear_probe(x, y, x, y)
    mlp_probe(x, y, x, y, hidden=(4,))
    assert inside == [{1}, {1}] or inside == [set(), set()]  # every pool at one thread (none loaded: empty)
    assert [pool["num_threads"] for pool in threadpool_info()] == before  # restored afterwards
