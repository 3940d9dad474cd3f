"""Chapter 2's Siamese network on MNIST, as functions later chapters can call to re-train it.

Chapter 2 builds everything here in plain code; chapter 4 (and any chapter that needs
a trained digit embedding from a fresh kernel) calls :func:`train_dense_siamese` or
:func:`train_conv_embedding` and gets the *embedding model* back. The pieces:

- :func:`shift_images`: move each 28 x 28 image by up to one pixel (augmentation, numpy).
- :func:`euclidean_distance`: the distance between two batches of embeddings, safe at zero.
- :func:`make_dense_base` (784 -> 512 -> 256 -> 128, unit length) and :func:`make_conv_base`.
- :func:`make_siamese`: two inputs, one shared base, the distance on top.
- :func:`fresh_pairs` / :func:`shifted_digits`: Keras datasets that draw new (shifted) pairs, or
  shuffle and shift single images, at every epoch.
- :func:`batch_hard_contrastive_loss`: the contrastive loss on the hardest pairs inside a batch.

Label convention (the book's): pair label 1 = same digit, 0 = different. Keras is
imported inside the functions, so importing this module stays light; set
``KERAS_BACKEND`` before calling them if you want a backend other than Keras' default.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from tutorial_utils._validation import positive_int as _positive_int
from tutorial_utils.pairs import make_pairs

__all__ = [
    "EMBEDDING_DIM",
    "MARGIN",
    "batch_hard_contrastive_loss",
    "euclidean_distance",
    "fresh_pairs",
    "make_conv_base",
    "make_dense_base",
    "make_siamese",
    "shift_images",
    "shifted_digits",
    "train_conv_embedding",
    "train_dense_siamese",
]

EMBEDDING_DIM = 128
MARGIN = 1.0
IMAGE_SIDE = 28


def _images_and_digits(x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
    images = np.asarray(x, dtype=np.float32)
    digits = np.asarray(y)
    if images.ndim == 3:
        images = images.reshape(len(images), -1)
    if images.ndim != 2 or images.shape[1] != IMAGE_SIDE * IMAGE_SIDE:
        raise ValueError(f"x must hold 28 x 28 images, as (n, 784) or (n, 28, 28); got shape {images.shape}")
    if digits.ndim != 1 or len(digits) != len(images):
        raise ValueError(f"x has {len(images)} images but y has shape {digits.shape}: pass one digit per image")
    if len(np.unique(digits)) < 2:
        raise ValueError("y holds a single class: contrastive training needs at least two digits")
    if images.size and (images.min() < 0 or images.max() > 1):
        raise ValueError("pixels must be scaled to [0, 1] (divide uint8 images by 255)")
    return images, digits


def shift_images(x: np.ndarray, rng: np.random.Generator, max_shift: int = 1) -> np.ndarray:
    """Move each flat 28 x 28 image by up to ``max_shift`` pixels along each axis (MNIST's border is blank).

    Returns a new array of the same shape (n, 784); each image gets its own random shift.
    """
    images = np.asarray(x)
    if images.ndim != 2 or images.shape[1] != IMAGE_SIDE * IMAGE_SIDE:
        raise ValueError(f"x must be flat 28 x 28 images of shape (n, 784); got {images.shape}")
    if isinstance(max_shift, bool) or not isinstance(max_shift, (int, np.integer)) or not 0 <= max_shift < 14:
        raise ValueError(f"max_shift must be an integer from 0 to 13 pixels; got {max_shift!r}")
    squares = images.reshape(-1, IMAGE_SIDE, IMAGE_SIDE)
    shifted = np.empty_like(squares)
    rows = rng.integers(-max_shift, max_shift + 1, size=len(images))
    cols = rng.integers(-max_shift, max_shift + 1, size=len(images))
    for dr in range(-max_shift, max_shift + 1):
        for dc in range(-max_shift, max_shift + 1):
            chosen = (rows == dr) & (cols == dc)
            shifted[chosen] = np.roll(squares[chosen], (dr, dc), axis=(1, 2))
    return shifted.reshape(len(images), -1)


def euclidean_distance(pair: Any) -> Any:
    """Distance between two batches of embeddings (one per row), as a (batch, 1) tensor; safe at zero.

    ``sqrt(max(squared distance, epsilon))``: the plain square root has an infinite slope at 0,
    which turns the gradient of an identical pair into NaN.
    """
    import keras
    from keras import ops

    a, b = pair
    squared = ops.sum(ops.square(a - b), axis=1, keepdims=True)
    return ops.sqrt(ops.maximum(squared, keras.config.epsilon()))


def make_dense_base(embedding_dim: int = EMBEDDING_DIM) -> Any:
    """Chapter 2's dense base: 784 pixels -> 512 -> 256 -> ``embedding_dim``, scaled to unit length."""
    import keras
    from keras import layers

    embedding_dim = _positive_int(embedding_dim, "embedding_dim")
    pixels = keras.Input(shape=(784,), name="pixels")
    h = layers.Dense(512, activation="relu")(pixels)
    h = layers.Dense(256, activation="relu")(h)
    h = layers.Dense(embedding_dim, name="embedding_layer")(h)
    embedding = layers.UnitNormalization(name="unit_length")(h)
    return keras.Model(pixels, embedding, name="embedding_model")


def make_conv_base(embedding_dim: int = EMBEDDING_DIM, filters: tuple[int, int] = (32, 64)) -> Any:
    """Chapter 2's convolutional base: two conv + pool blocks, dense 256, ``embedding_dim``, unit length."""
    import keras
    from keras import layers

    embedding_dim = _positive_int(embedding_dim, "embedding_dim")
    pixels = keras.Input(shape=(784,), name="pixels")
    h = layers.Reshape((IMAGE_SIDE, IMAGE_SIDE, 1))(pixels)
    h = layers.Conv2D(filters[0], 3, activation="relu")(h)
    h = layers.MaxPooling2D()(h)
    h = layers.Conv2D(filters[1], 3, activation="relu")(h)
    h = layers.MaxPooling2D()(h)
    h = layers.Flatten()(h)
    h = layers.Dense(256, activation="relu")(h)
    h = layers.Dense(embedding_dim, name="embedding_layer")(h)
    embedding = layers.UnitNormalization(name="unit_length")(h)
    return keras.Model(pixels, embedding, name="embedding_model")


def make_siamese(base: Any) -> Any:
    """Two 784-pixel inputs, the *same* ``base`` called on both, and the Euclidean distance on top."""
    import keras
    from keras import layers

    left = keras.Input(shape=(784,), name="left_image")
    right = keras.Input(shape=(784,), name="right_image")
    distance = layers.Lambda(euclidean_distance, output_shape=(1,), name="distance")([base(left), base(right)])
    return keras.Model([left, right], distance, name="siamese")


def _redrawn_each_epoch(draw: Any, batch_size: int, seed: int) -> Any:
    """A Keras ``PyDataset`` whose data ``draw(rng) -> (inputs, targets)`` makes anew at every epoch.

    ``inputs`` is an array or a tuple of arrays, one row per example; batches are consecutive rows.
    """
    import keras

    class RedrawnEachEpoch(keras.utils.PyDataset):
        """Training data drawn anew (and shifted) for every epoch, served in consecutive batches."""

        def __init__(self) -> None:
            super().__init__()
            self.rng = np.random.default_rng(seed)
            self.on_epoch_end()

        def on_epoch_end(self) -> None:
            self.inputs, self.targets = draw(self.rng)

        def __len__(self) -> int:
            return -(-len(self.targets) // batch_size)  # number of batches, rounded up

        def __getitem__(self, batch: int) -> Any:
            rows = slice(batch * batch_size, (batch + 1) * batch_size)
            if isinstance(self.inputs, tuple):
                return tuple(part[rows] for part in self.inputs), self.targets[rows]
            return self.inputs[rows], self.targets[rows]

    return RedrawnEachEpoch()


def fresh_pairs(x: np.ndarray, y: np.ndarray, batch_size: int = 256, seed: int = 1) -> Any:
    """A Keras ``PyDataset`` of balanced training pairs, drawn anew and shifted by a pixel at every epoch.

    Each batch is ``((left, right), labels)`` with label 1 = same digit
    (:func:`tutorial_utils.pairs.make_pairs` draws the pairs); the epoch's data are in
    ``.inputs`` (left, right) and ``.targets`` (labels).
    """
    images, digits = _images_and_digits(x, y)
    batch_size = _positive_int(batch_size, "batch_size")

    def draw(rng: np.random.Generator) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
        left, right, labels = make_pairs(images, digits, rng)
        order = rng.permutation(len(labels))
        return (shift_images(left[order], rng), shift_images(right[order], rng)), labels[order]

    return _redrawn_each_epoch(draw, batch_size, seed)


def shifted_digits(x: np.ndarray, y: np.ndarray, batch_size: int = 256, seed: int = 2) -> Any:
    """A Keras ``PyDataset`` of single images and their digits, shuffled and shifted anew every epoch."""
    images, digits = _images_and_digits(x, y)
    digits = digits.astype("float32")
    batch_size = _positive_int(batch_size, "batch_size")

    def draw(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        order = rng.permutation(len(digits))
        return shift_images(images[order], rng), digits[order]

    return _redrawn_each_epoch(draw, batch_size, seed)


def batch_hard_contrastive_loss(margin: float = MARGIN) -> Any:
    """A Keras loss ``loss(digits, embeddings)``: for each image, the contrastive loss on its
    farthest same-digit and its nearest other-digit image in the batch ("batch-hard" mining).

    Embeddings must be unit length (distances at most 2).
    """
    if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not 0 < margin <= 2:
        raise ValueError(f"margin must be a number in (0, 2] for unit-length embeddings; got {margin!r}")
    import keras
    from keras import ops

    def loss(digits: Any, embeddings: Any) -> Any:
        digits = ops.reshape(digits, (-1,))
        squared = ops.sum(ops.square(embeddings[:, None, :] - embeddings[None, :, :]), axis=-1)
        distance = ops.sqrt(ops.maximum(squared, keras.config.epsilon()))
        same = ops.cast(ops.equal(digits[:, None], digits[None, :]), distance.dtype)
        hardest_positive = ops.max(same * distance, axis=1)
        hardest_negative = ops.min(distance + 4.0 * same, axis=1)  # distances are <= 2
        return ops.square(hardest_positive) + ops.square(ops.maximum(margin - hardest_negative, 0.0))

    return loss


def _fit(model: Any, data: Any, loss: Any, epochs: int, learning_rate: float, verbose: int) -> float:
    import keras

    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps=epochs * len(data))
    model.compile(optimizer=keras.optimizers.Adam(schedule), loss=loss)
    start = time.perf_counter()
    model.fit(data, epochs=epochs, verbose=verbose)
    return time.perf_counter() - start


def train_dense_siamese(
    x: np.ndarray,
    y: np.ndarray,
    epochs: int = 5,
    seed: int = 1,
    batch_size: int = 256,
    embedding_dim: int = EMBEDDING_DIM,
    margin: float = MARGIN,
    learning_rate: float = 1e-3,
    verbose: int = 2,
) -> tuple[Any, float]:
    """Chapter 2's recipe: a dense base in a Siamese network, contrastive loss, fresh shifted pairs
    every epoch, Adam with a cosine-decayed learning rate.

    ``x``: images scaled to [0, 1], (n, 784) or (n, 28, 28); ``y``: their digits. ``seed`` seeds
    Keras (the initial weights) and the pair draws. Returns ``(embedding_model, training_seconds)``;
    the embedding model maps (n, 784) pixels to (n, ``embedding_dim``) unit vectors.
    """
    import keras

    from tutorial_utils.losses import keras_contrastive_loss

    epochs = _positive_int(epochs, "epochs")
    keras.utils.set_random_seed(int(seed))
    base = make_dense_base(embedding_dim)
    pairs = fresh_pairs(x, y, batch_size=batch_size, seed=seed)
    seconds = _fit(make_siamese(base), pairs, keras_contrastive_loss(margin), epochs, learning_rate, verbose)
    return base, seconds


def train_conv_embedding(
    x: np.ndarray,
    y: np.ndarray,
    epochs: int = 5,
    seed: int = 2,
    batch_size: int = 256,
    embedding_dim: int = EMBEDDING_DIM,
    margin: float = MARGIN,
    learning_rate: float = 1e-3,
    verbose: int = 2,
) -> tuple[Any, float]:
    """Chapter 2's convolutional base trained with the batch-hard contrastive loss on shifted images.

    Arguments and return value as :func:`train_dense_siamese`.
    """
    import keras

    epochs = _positive_int(epochs, "epochs")
    keras.utils.set_random_seed(int(seed))
    base = make_conv_base(embedding_dim)
    batches = shifted_digits(x, y, batch_size=batch_size, seed=seed)
    seconds = _fit(base, batches, batch_hard_contrastive_loss(margin), epochs, learning_rate, verbose)
    return base, seconds
