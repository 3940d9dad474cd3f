"""tutorial_utils.losses: the contrastive loss, by hand, in numpy and in Keras."""

from __future__ import annotations

import numpy as np
import pytest

from tutorial_utils.losses import contrastive_loss_numpy, keras_contrastive_loss

# label 1 = same: loss d^2; label 0 = different: loss max(margin - d, 0)^2
DISTANCES = np.array([0.0, 0.5, 0.3, 1.5, 0.8])
LABELS = np.array([1, 1, 0, 0, 0])
# by hand, margin 1: 0, 0.25, 0.7^2 = 0.49, 0 (beyond the margin), 0.2^2 = 0.04
BY_HAND = np.array([0.0, 0.25, 0.49, 0.0, 0.04])


def test_numpy_loss_matches_the_hand_computed_values():
    np.testing.assert_allclose(contrastive_loss_numpy(DISTANCES, LABELS, reduction="none"), BY_HAND)
    assert contrastive_loss_numpy(DISTANCES, LABELS) == pytest.approx(0.78 / 5)


def test_the_margin_sets_how_far_dissimilar_pairs_are_pushed():
    assert contrastive_loss_numpy([1.5], [0], margin=2.0) == pytest.approx(0.25)
    assert contrastive_loss_numpy([1.5], [0], margin=1.0) == 0.0


def test_a_column_of_distances_counts_as_one_per_pair():
    assert contrastive_loss_numpy(DISTANCES[:, None], LABELS) == pytest.approx(0.78 / 5)


def test_swapping_the_label_convention_changes_the_loss():
    # the bug of published examples: same pairs treated as different
    assert contrastive_loss_numpy([0.0], [1]) == 0.0
    assert contrastive_loss_numpy([0.0], [0]) == 1.0


def test_numpy_loss_refuses_bad_input():
    with pytest.raises(ValueError, match="5 distances but 4 labels"):
        contrastive_loss_numpy(DISTANCES, LABELS[:4])
    with pytest.raises(ValueError, match="labels must be 0 .different. or 1 .same."):
        contrastive_loss_numpy([0.1, 0.2], [1, 2])
    with pytest.raises(ValueError, match="non-negative"):
        contrastive_loss_numpy([-0.1], [1])
    with pytest.raises(ValueError, match="empty"):
        contrastive_loss_numpy([], [])
    with pytest.raises(ValueError, match="margin must be a positive"):
        contrastive_loss_numpy([0.1], [1], margin=0.0)
    with pytest.raises(TypeError, match="margin must be a number"):
        contrastive_loss_numpy([0.1], [1], margin="1")
    with pytest.raises(ValueError, match="reduction must be"):
        contrastive_loss_numpy([0.1], [1], reduction="sum")
    with pytest.raises(ValueError, match="1-D"):
        contrastive_loss_numpy(np.zeros((2, 2)), np.zeros((2, 2)))


def test_keras_loss_agrees_with_numpy_without_broadcasting():
    import keras  # noqa: F401  (pinned: fails, never skips, if missing)
    loss = keras_contrastive_loss(margin=1.0)
    # labels (n,) and distances (n, 1), the shapes a Siamese model gives: no (n, n) broadcast
    per_pair = np.asarray(loss(LABELS.astype("float32"), DISTANCES[:, None].astype("float32")))
    assert per_pair.shape == (5,)
    np.testing.assert_allclose(per_pair, BY_HAND, rtol=1e-6, atol=1e-7)


def test_keras_loss_refuses_a_bad_margin():
    with pytest.raises(ValueError, match="margin must be a positive"):
        keras_contrastive_loss(margin=-1.0)
