"""Few-label probes: how well does a small classifier trained on an embedding do with 100 labels?

Chapter 4 asks of every image embedding: with only ``n`` labelled training items, how
accurate is a linear classifier (a *linear probe*, i.e. multinomial logistic regression)
or a small network trained on top of the frozen embeddings? Call
:func:`balanced_label_subset` to pick the labelled items (the same number per class) and
:func:`probe_accuracy` to train a probe and score it on test embeddings.

Probes are trained with Keras (imported inside the functions) for a fixed number of
gradient steps, so that 100 labels and 60,000 labels cost about the same time.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tutorial_utils._validation import positive_int

__all__ = ["balanced_label_subset", "probe_accuracy"]


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


def probe_accuracy(
    train_x: Any,
    train_y: Any,
    test_x: Any,
    test_y: Any,
    hidden: tuple[int, ...] = (),
    steps: int = 400,
    batch_size: int = 128,
    learning_rate: float = 3e-3,
    weight_decay: float = 1e-3,
    seed: int = 0,
) -> float:
    """Test accuracy of a probe trained on ``(train_x, train_y)``: inputs standardised, then
    ``hidden`` ReLU layers (``()`` = a linear probe, i.e. logistic regression), then softmax.

    Trained with AdamW for ``steps`` mini-batches of ``batch_size`` (or all items, if fewer),
    drawn from the shuffled, repeated training set. Labels are integers 0..C-1.
    """
    import keras

    x, y = np.asarray(train_x, dtype=np.float32), np.asarray(train_y).ravel()
    tx, ty = np.asarray(test_x, dtype=np.float32), np.asarray(test_y).ravel()
    if x.ndim != 2 or tx.ndim != 2 or x.shape[1] != tx.shape[1]:
        raise ValueError(f"train_x and test_x must be 2-D with the same width; got {x.shape} and {tx.shape}")
    if len(x) != len(y) or len(tx) != len(ty):
        raise ValueError(f"{len(x)} training vectors for {len(y)} labels, {len(tx)} test vectors for {len(ty)}")
    if not np.issubdtype(y.dtype, np.integer) or y.min() < 0:
        raise ValueError("labels must be integers 0..C-1")
    n_classes = int(max(y.max(), ty.max())) + 1
    if len(np.unique(y)) < 2:
        raise ValueError("train_y holds a single class: a classifier needs at least two")
    steps, batch_size = positive_int(steps, "steps"), positive_int(batch_size, "batch_size")

    keras.utils.set_random_seed(int(seed))
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-6  # standardise with the training items only
    layers = [keras.Input(shape=(x.shape[1],))]
    layers += [keras.layers.Dense(width, activation="relu") for width in hidden]
    layers += [keras.layers.Dense(n_classes, activation="softmax")]
    model = keras.Sequential(layers)
    model.compile(optimizer=keras.optimizers.AdamW(learning_rate, weight_decay=weight_decay),
                  loss="sparse_categorical_crossentropy")
    batch = min(int(batch_size), len(x))
    rng = np.random.default_rng(seed)
    epochs = -(-int(steps) * batch // len(x))  # enough shuffled passes to draw `steps` batches
    order = np.concatenate([rng.permutation(len(x)) for _ in range(epochs)])[: int(steps) * batch]
    model.fit((x[order] - mean) / scale, y[order], batch_size=batch, epochs=1, shuffle=False, verbose=0)
    predicted = model.predict((tx - mean) / scale, batch_size=4096, verbose=0).argmax(axis=1)
    return float(np.mean(predicted == ty))
