"""Few-label probes: how well does a small classifier trained on an embedding do with 100 labels?

Chapters 4 and 7 ask of every image embedding: with only ``n`` labelled training items, how
accurate is a linear classifier (a *linear probe*: multinomial logistic regression) or a small
network trained on top of the frozen embeddings? :func:`balanced_label_subset` picks the labelled
items (the same number per class), :func:`linear_probe` and :func:`mlp_probe` train one probe and
score it on test embeddings, and :func:`probe_over_draws` repeats a probe over several label draws,
because with 100 labels which 100 matters.

Both probes are scikit-learn's. Their inputs are centred and divided by one number, so that the
labelled items have a mean squared length of 1 (:func:`centre_and_scale`): the embedding's geometry is
kept, which is what a probe measures. Scaling each coordinate to unit variance instead (scikit-learn's
``StandardScaler``) would whiten PCA coordinates, giving the faint last components as much weight as
the first, and blow up pixels that are almost always blank: on MNIST with 100 labels it puts PCA-128
far below PCA-50. The linear probe chooses its regularisation strength ``C`` by stratified
cross-validation on the labelled items (never on the test set); the network stops early on a
validation split of them.

Both probes run with one BLAS thread (:func:`one_blas_thread`): their matrices are small (100 to 1,000
labelled items), and on a busy machine a multithreaded BLAS can spend more time waiting for its
threads than multiplying.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from tutorial_utils._validation import positive_int

__all__ = ["C_GRID", "ProbeResult", "balanced_label_subset", "centre_and_scale", "linear_probe", "mlp_probe",
           "one_blas_thread", "probe_over_draws"]

#: The regularisation strengths the linear probe tries (inverse: small C = strong regularisation).
C_GRID: tuple[float, ...] = tuple(float(c) for c in np.logspace(-2, 2, 5))


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """Inside this block numpy's and scikit-learn's BLAS and OpenMP pools use one thread each.

    The probes run inside it: small matrices gain nothing from threads, and a busy machine makes
    multithreaded BLAS much slower. The previous limits come back on leaving the block.
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        yield


def balanced_label_subset(labels: Any, n: int, rng: np.random.Generator | int = 0) -> np.ndarray:
    """Indices of ``n`` items, ``n / n_classes`` drawn at random from each class (sorted).

    ``n`` must be a multiple of the number of classes and no class may have fewer items
    than its share; ``n = len(labels)`` returns every index.
    """
    y = np.asarray(labels).ravel()
    classes, counts = np.unique(y, return_counts=True)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= len(y):
        raise ValueError(f"n must be an integer from 1 to the number of items {len(y)}; got {n!r}")
    if n == len(y):
        return np.arange(len(y))
    if len(classes) < 2:
        raise ValueError("labels hold a single class: a classifier needs at least two")
    if n % len(classes):
        raise ValueError(f"n = {n} is not a multiple of the {len(classes)} classes: pick the same number per class")
    per_class = n // len(classes)
    if counts.min() < per_class:
        raise ValueError(f"class {classes[counts.argmin()]!r} has {counts.min()} items, fewer than {per_class}")
    generator = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    chosen = [generator.choice(np.flatnonzero(y == c), size=per_class, replace=False) for c in classes]
    return np.sort(np.concatenate(chosen))


def _probe_data(train_x: Any, train_y: Any, test_x: Any, test_y: Any) -> tuple[np.ndarray, ...]:
    x, y, tx, ty = (np.asarray(a) for a in (train_x, train_y, test_x, test_y))
    y, ty = y.ravel(), ty.ravel()
    if not np.issubdtype(x.dtype, np.floating) or not np.issubdtype(tx.dtype, np.floating):
        x, tx = x.astype(np.float64), tx.astype(np.float64)  # integers (raw pixels) as floats
    if x.ndim != 2 or tx.ndim != 2 or x.shape[1] != tx.shape[1]:
        raise ValueError(f"train_x and test_x must be 2-D with the same width; got {x.shape} and {tx.shape}")
    if len(x) != len(y) or len(tx) != len(ty):
        raise ValueError(f"{len(x)} training vectors for {len(y)} labels, {len(tx)} test vectors for {len(ty)}")
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0:
        raise ValueError("labels must be integers 0..C-1")
    if len(np.unique(y)) < 2:
        raise ValueError("train_y holds a single class: a classifier needs at least two")
    return x, y, tx, ty


def centre_and_scale(train_x: np.ndarray, test_x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Both sets minus the training items' mean, divided by one number: the training items' root mean
    squared length after centring (so they have a mean squared length of 1). Relative scales are kept."""
    mean = train_x.mean(axis=0)
    scale = float(np.sqrt(np.mean(np.sum((train_x - mean) ** 2, axis=1))))
    if scale == 0:
        raise ValueError("every training vector is the same: there is nothing for a probe to learn from")
    return (train_x - mean) / scale, (test_x - mean) / scale


def linear_probe(train_x: Any, train_y: Any, test_x: Any, test_y: Any,
                 c_grid: tuple[float, ...] = C_GRID, folds: int = 3, seed: int = 0) -> tuple[float, float]:
    """Test accuracy of a logistic-regression probe, and the ``C`` it chose.

    Inputs are centred and scaled by one number (:func:`centre_and_scale`, from the training items);
    ``C`` is chosen from ``c_grid`` by ``folds``-fold stratified cross-validation on the training
    items, then the probe is refitted on all of them and scored on ``(test_x, test_y)``.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    x, y, tx, ty = _probe_data(train_x, train_y, test_x, test_y)
    folds = positive_int(folds, "folds")
    if folds < 2 or np.bincount(y)[np.unique(y)].min() < folds:
        raise ValueError(f"folds = {folds}: need at least 2, and at least that many labelled items per class")
    x, tx = centre_and_scale(x, tx)
    splits = StratifiedKFold(folds, shuffle=True, random_state=seed)
    with one_blas_thread():
        search = GridSearchCV(LogisticRegression(max_iter=3000), {"C": list(c_grid)}, cv=splits).fit(x, y)
        return float(search.score(tx, ty)), float(search.best_params_["C"])


def mlp_probe(train_x: Any, train_y: Any, test_x: Any, test_y: Any,
              hidden: tuple[int, ...] = (256, 256), seed: int = 0) -> float:
    """Test accuracy of a small network probe: ``hidden`` ReLU layers on centred, scaled inputs.

    scikit-learn's ``MLPClassifier`` (Adam), stopped early when the accuracy on a stratified
    validation split of the training items (a tenth, at least one per class) stops improving.
    """
    from sklearn.neural_network import MLPClassifier

    x, y, tx, ty = _probe_data(train_x, train_y, test_x, test_y)
    x, tx = centre_and_scale(x, tx)
    n_classes = len(np.unique(y))
    validation = max(0.1, n_classes / len(y))
    network = MLPClassifier(tuple(hidden), early_stopping=True, validation_fraction=validation,
                            n_iter_no_change=50, max_iter=2000, random_state=seed)
    with one_blas_thread():
        return float(network.fit(x, y).score(tx, ty))


@dataclass(frozen=True)
class ProbeResult:
    """A probe's test accuracy over several label draws."""

    accuracies: tuple[float, ...]

    @property
    def mean(self) -> float:
        return float(np.mean(self.accuracies))

    @property
    def std(self) -> float:
        return float(np.std(self.accuracies))


def probe_over_draws(probe: Callable[..., Any], train_x: Any, train_y: Any, test_x: Any, test_y: Any,
                     n_labels: int, draws: int = 5, seed: int = 0) -> ProbeResult:
    """Run ``probe`` on ``draws`` different balanced draws of ``n_labels`` training items.

    Draw ``i`` picks its items with ``balanced_label_subset(train_y, n_labels, rng=seed + i)`` and
    passes ``seed=seed + i`` to the probe. A probe returning ``(accuracy, setting)`` (as
    :func:`linear_probe` does) counts by its accuracy.
    """
    draws = positive_int(draws, "draws")
    x, y = np.asarray(train_x), np.asarray(train_y).ravel()
    accuracies = []
    for i in range(draws):
        rows = balanced_label_subset(y, n_labels, rng=seed + i)
        result = probe(x[rows], y[rows], test_x, test_y, seed=seed + i)
        accuracies.append(float(result[0] if isinstance(result, tuple) else result))
    return ProbeResult(tuple(accuracies))
