"""The contrastive loss of Hadsell, Chopra & LeCun (2006), in numpy and in Keras.

Label convention (the book's, see :mod:`tutorial_utils.pairs`): **label 1 = same
class (similar pair), label 0 = different class (dissimilar pair)**. For a pair at
distance ``d`` and a margin ``m``::

    loss = label * d**2 + (1 - label) * max(m - d, 0)**2

Similar pairs are pulled together (their loss grows with ``d``); dissimilar pairs
are pushed apart until they are at least ``m`` away, after which they cost nothing.

Call :func:`contrastive_loss_numpy` to check a value by hand, and
:func:`keras_contrastive_loss` to get the loss to ``compile`` a Keras model with
(Keras is imported only when you call it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from tutorial_utils.metrics import pair_distances_and_labels

__all__ = ["contrastive_loss_numpy", "keras_contrastive_loss"]


def _check_margin(margin: float) -> float:
    if isinstance(margin, bool) or not isinstance(margin, (int, float, np.integer, np.floating)):
        raise TypeError(f"margin must be a number; got {margin!r}")
    if not np.isfinite(margin) or margin <= 0:
        raise ValueError(f"margin must be a positive finite number (how far apart dissimilar pairs must be); got {margin!r}")
    return float(margin)


def contrastive_loss_numpy(
    distances: np.ndarray | list[float],
    labels: np.ndarray | list[float],
    margin: float = 1.0,
    reduction: Literal["mean", "none"] = "mean",
) -> float | np.ndarray:
    """Contrastive loss of pairs at ``distances`` with ``labels`` (1 = same, 0 = different).

    Returns the mean over pairs (``reduction="mean"``) or one loss per pair
    (``reduction="none"``). Distances must be non-negative and finite, labels 0 or 1,
    one label per distance; a column vector (n, 1) counts as n pairs.
    """
    margin = _check_margin(margin)
    if reduction not in ("mean", "none"):
        raise ValueError(f"reduction must be 'mean' or 'none'; got {reduction!r}")
    d, y = pair_distances_and_labels(distances, labels)
    if np.any(d < 0):
        raise ValueError("distances must be finite and non-negative (they are Euclidean distances)")
    per_pair = y * d**2 + (1.0 - y) * np.maximum(margin - d, 0.0) ** 2
    return float(per_pair.mean()) if reduction == "mean" else per_pair


def keras_contrastive_loss(margin: float = 1.0) -> Callable[[Any, Any], Any]:
    """A Keras loss ``loss(y_true, distances)`` computing the contrastive loss per pair.

    Pass it to ``model.compile(loss=...)`` for a model whose output is the distance
    between the two embeddings. Both arguments are flattened to one value per pair
    first, so labels of shape (batch,) and distances of shape (batch, 1) do not
    broadcast into a (batch, batch) matrix (a silent bug otherwise).
    """
    margin = _check_margin(margin)
    from keras import ops  # imported here so that importing tutorial_utils stays light

    def contrastive_loss(y_true: Any, distances: Any) -> Any:
        d = ops.reshape(distances, (-1,))
        y = ops.reshape(ops.cast(y_true, d.dtype), (-1,))
        return y * ops.square(d) + (1.0 - y) * ops.square(ops.maximum(margin - d, 0.0))

    return contrastive_loss
