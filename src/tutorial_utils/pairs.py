"""Pairs for Siamese networks: build balanced same/different pairs, and look at them.

Chapter 2 writes :func:`make_pair_indices` in plain code, then calls it from here.
The label convention of the whole book: **label 1 means "same class" (a similar
pair), label 0 means "different class" (a dissimilar pair)**. The contrastive loss
in :mod:`tutorial_utils.losses` and the pair accuracy in :mod:`tutorial_utils.metrics`
use the same convention.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from tutorial_utils._validation import positive_int

__all__ = ["make_pair_indices", "make_pairs", "plot_pairs"]

SAME, DIFFERENT = 1.0, 0.0


def _generator(rng: np.random.Generator | int) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, bool) and rng >= 0:
        return np.random.default_rng(int(rng))
    raise TypeError(
        f"rng must be a numpy Generator or a non-negative integer seed; got {rng!r}. "
        "Pass np.random.default_rng(seed) or the seed itself"
    )


def _check_labels(y: np.ndarray) -> np.ndarray:
    labels = np.asarray(y)
    if labels.ndim != 1:
        raise ValueError(f"y must be a 1-D array of class labels; got shape {labels.shape}")
    if labels.size == 0:
        raise ValueError("y is empty: pass at least two items of each of at least two classes")
    classes, counts = np.unique(labels, return_counts=True)
    if len(classes) < 2:
        raise ValueError(
            f"y holds a single class ({classes[0]!r}): a negative (different-class) pair needs at "
            "least two classes"
        )
    lonely = classes[counts < 2]
    if lonely.size:
        raise ValueError(
            f"class(es) {lonely[:10].tolist()} have a single item: a positive pair needs two different "
            "items of the same class. Drop those items or add more"
        )
    return labels


def make_pair_indices(
    y: np.ndarray, rng: np.random.Generator | int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Balanced pairs, as indices: each item is the anchor of one positive and one negative pair.

    Returns ``(left, right, labels)``, each of length ``2 * len(y)``. Rows ``2i`` and
    ``2i + 1`` both have anchor ``left = i``: row ``2i`` pairs it with another item of
    the same class (label 1.0, "same"), never itself; row ``2i + 1`` with an item of a
    different class, drawn uniformly among the other classes (label 0.0, "different").
    ``rng`` is a numpy Generator or a seed; the same seed gives the same pairs.
    """
    labels = _check_labels(y)
    generator = _generator(rng)
    classes, class_of_item = np.unique(labels, return_inverse=True)
    members = [np.flatnonzero(class_of_item == c) for c in range(len(classes))]
    n = len(labels)

    positive = np.empty(n, dtype=np.int64)
    for items in members:
        # shift each member by 1..size-1 places within its class: another member, never itself
        shift = generator.integers(1, len(items), size=len(items))
        positive[items] = items[(np.arange(len(items)) + shift) % len(items)]

    # a different class for every anchor (uniform over the others), then a random member of it
    other_class = (class_of_item + generator.integers(1, len(classes), size=n)) % len(classes)
    negative = np.empty(n, dtype=np.int64)
    for c, items in enumerate(members):
        wanted = other_class == c
        negative[wanted] = generator.choice(items, size=int(wanted.sum()))

    left = np.repeat(np.arange(n), 2)
    right = np.stack([positive, negative], axis=1).ravel()
    pair_labels = np.tile(np.array([SAME, DIFFERENT], dtype=np.float32), n)
    return left, right, pair_labels


def make_pairs(
    x: np.ndarray, y: np.ndarray, rng: np.random.Generator | int = 0
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Balanced pairs of items: ``(x_left, x_right, labels)`` with label 1.0 = same class, 0.0 = different.

    Each item of ``x`` anchors one same-class and one different-class pair (see
    :func:`make_pair_indices`), so half the labels are 1 and half are 0. ``x`` and ``y``
    must have one entry per item.
    """
    items = np.asarray(x)
    labels = np.asarray(y)
    if items.ndim == 0 or len(items) != len(labels):
        raise ValueError(
            f"x has {len(items) if items.ndim else 0} items but y has {len(labels)} labels; "
            "pass one label per item"
        )
    left, right, pair_labels = make_pair_indices(labels, rng)
    return items[left], items[right], pair_labels


def _as_images(array: np.ndarray, name: str) -> np.ndarray:
    images = np.asarray(array, dtype=float)
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        if side * side != images.shape[1]:
            raise ValueError(
                f"{name} holds flat vectors of length {images.shape[1]}, which is not a square image; "
                "pass images of shape (n, height, width)"
            )
        images = images.reshape(len(images), side, side)
    if images.ndim != 3:
        raise ValueError(f"{name} must have shape (n, height, width) or (n, pixels); got {images.shape}")
    return images


def plot_pairs(
    left: np.ndarray,
    right: np.ndarray,
    labels: Sequence[float] | np.ndarray,
    distances: Sequence[float] | np.ndarray | None = None,
    threshold: float | None = None,
    n_cols: int = 5,
    title: str = "Pairs",
) -> Any:
    """Show pairs of images side by side, each titled with its true label (and distance).

    ``left`` and ``right`` are images (n, h, w) or flat square images (n, h*w);
    ``labels`` 1 = same, 0 = different. With ``distances`` and ``threshold``, each
    title also gives the distance and whether ``distance < threshold`` (predicted
    "same") is right; wrong predictions are titled in red. Returns the ``Figure``.
    """
    import matplotlib.pyplot as plt

    first, second = _as_images(left, "left"), _as_images(right, "right")
    truth = np.asarray(labels, dtype=float).ravel()
    n = len(first)
    if n == 0:
        raise ValueError("no pairs to show: left is empty")
    if len(second) != n or len(truth) != n:
        raise ValueError(f"left has {n} pairs, right {len(second)}, labels {len(truth)}: pass one of each per pair")
    if first.shape[1:] != second.shape[1:]:
        raise ValueError(f"left images are {first.shape[1:]} but right images are {second.shape[1:]}")
    if distances is not None:
        distances = np.asarray(distances, dtype=float).ravel()
        if len(distances) != n:
            raise ValueError(f"{len(distances)} distances for {n} pairs")
        if threshold is None:
            raise ValueError("pass the threshold too: it decides which distances predict 'same'")
    n_cols = positive_int(n_cols, "n_cols")

    cols = min(n_cols, n)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(2.3 * cols, 1.75 * rows + 0.5), squeeze=False)
    divider = np.full((first.shape[1], 3), np.nan)  # blank, with a thin light-grey line in the middle
    for i, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if i >= n:
            continue
        divider[:, 1] = 0.25 * max(float(np.nanmax(first[i])), float(np.nanmax(second[i])), 1e-12)
        ax.imshow(np.hstack([first[i], divider, second[i]]), cmap="gray_r")
        text = "same" if truth[i] == SAME else "different"
        colour = "black"
        if distances is not None:
            right_answer = (distances[i] < threshold) == (truth[i] == SAME)
            text = f"true: {text}\nd = {distances[i]:.2f} {'right' if right_answer else 'WRONG'}"
            colour = "black" if right_answer else "#D55E00"
        ax.set_title(text, fontsize=9, fontweight="normal", color=colour)
    fig.suptitle(title, fontweight="bold")
    fig.tight_layout()
    return fig
