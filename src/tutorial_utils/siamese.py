"""Chapter 2's Siamese network on MNIST, as functions later chapters can call to re-train it.

Chapter 2 builds everything here in plain code; chapter 4 (and any chapter that needs
a trained digit embedding from a fresh kernel) calls :func:`train_dense_siamese` or
:func:`train_conv_embedding` and gets the *embedding model* back. The pieces:

- :func:`random_shifts`, :func:`shift_images_by` and :func:`shift_images`: move each 28 x 28 image
  by up to one pixel (augmentation, numpy).
- :func:`euclidean_distance`: the distance between two batches of embeddings, safe at zero.
- :func:`make_dense_base` (784 -> 512 -> 256 -> 128, unit length unless asked otherwise) and
  :func:`make_conv_base`.
- :func:`make_siamese`: two inputs, one shared base, the distance on top.
- :func:`fresh_pairs` / :func:`shifted_digits`: Keras datasets of pairs (drawn anew and shifted at
  every epoch, or fixed once as in the classic recipe), or of single images shuffled and shifted.
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
    "predict_in_slices",
    "random_shifts",
    "shift_images",
    "shift_images_by",
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


def random_shifts(n: int, rng: np.random.Generator, max_shift: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``n`` images, how many pixels to move it down and right: ``(rows, cols)``,
    each drawn uniformly from ``-max_shift`` to ``max_shift``."""
    if isinstance(max_shift, bool) or not isinstance(max_shift, (int, np.integer)) or not 0 <= max_shift < 14:
        raise ValueError(f"max_shift must be an integer from 0 to 13 pixels; got {max_shift!r}")
    rows = rng.integers(-max_shift, max_shift + 1, size=n)
    cols = rng.integers(-max_shift, max_shift + 1, size=n)
    return rows, cols


def shift_images_by(x: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Move flat 28 x 28 image ``i`` of ``x`` by ``rows[i]`` pixels down and ``cols[i]`` right, as
    ``np.roll`` would (MNIST's border is blank, so nothing of the digit wraps round)."""
    images = np.asarray(x)
    if images.ndim != 2 or images.shape[1] != IMAGE_SIDE * IMAGE_SIDE:
        raise ValueError(f"x must be flat 28 x 28 images of shape (n, 784); got {images.shape}")
    rows, cols = np.asarray(rows), np.asarray(cols)
    if rows.shape != (len(images),) or cols.shape != (len(images),):
        raise ValueError(f"rows and cols need one shift per image ({len(images)}); got {rows.shape}, {cols.shape}")
    squares = images.reshape(-1, IMAGE_SIDE, IMAGE_SIDE)
    pixels = np.arange(IMAGE_SIDE)
    source_rows = (pixels - rows[:, None]) % IMAGE_SIDE  # output pixel (r, c) comes from (r - dr, c - dc)
    source_cols = (pixels - cols[:, None]) % IMAGE_SIDE
    which = np.arange(len(squares))[:, None, None]
    return squares[which, source_rows[:, :, None], source_cols[:, None, :]].reshape(len(images), -1)


def shift_images(x: np.ndarray, rng: np.random.Generator, max_shift: int = 1) -> np.ndarray:
    """Move each flat 28 x 28 image by up to ``max_shift`` pixels along each axis, each image its own
    random way (:func:`random_shifts`, then :func:`shift_images_by`). Returns a new (n, 784) array."""
    images = np.asarray(x)
    if images.ndim != 2 or images.shape[1] != IMAGE_SIDE * IMAGE_SIDE:
        raise ValueError(f"x must be flat 28 x 28 images of shape (n, 784); got {images.shape}")
    return shift_images_by(images, *random_shifts(len(images), rng, max_shift))


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


def make_dense_base(
    embedding_dim: int = EMBEDDING_DIM, unit_length: bool = True, widths: tuple[int, ...] = (512, 256)
) -> Any:
    """Chapter 2's dense base: 784 pixels -> ``widths`` (ReLU) -> ``embedding_dim``, scaled to unit
    length. The classic recipe's base is the same with ``unit_length=False``."""
    import keras
    from keras import layers

    embedding_dim = _positive_int(embedding_dim, "embedding_dim")
    widths = tuple(_positive_int(width, "each width") for width in widths)
    pixels = keras.Input(shape=(784,), name="pixels")
    h = pixels
    for width in widths:
        h = layers.Dense(width, activation="relu")(h)
    embedding = layers.Dense(embedding_dim, name="embedding_layer")(h)
    if unit_length:
        embedding = layers.UnitNormalization(name="unit_length")(embedding)
    return keras.Model(pixels, embedding, name="embedding_model")


def make_conv_base(embedding_dim: int = EMBEDDING_DIM, filters: tuple[int, int] = (32, 64)) -> Any:
    """Chapter 2's convolutional base: two blocks of convolution, batch normalisation, ReLU and pooling,
    then dense 256 (batch-normalised, ReLU) and ``embedding_dim``, scaled to unit length."""
    import keras
    from keras import layers

    embedding_dim = _positive_int(embedding_dim, "embedding_dim")
    pixels = keras.Input(shape=(784,), name="pixels")
    h = layers.Reshape((IMAGE_SIDE, IMAGE_SIDE, 1))(pixels)
    for width in filters:
        h = layers.Conv2D(_positive_int(width, "each filter count"), 3, use_bias=False)(h)
        h = layers.BatchNormalization()(h)
        h = layers.Activation("relu")(h)
        h = layers.MaxPooling2D()(h)
    h = layers.Flatten()(h)
    h = layers.Dense(256, use_bias=False)(h)
    h = layers.BatchNormalization()(h)
    h = layers.Activation("relu")(h)
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


def predict_in_slices(model: Any, x: np.ndarray, batch_size: int = 2048, slice_size: int = 8192) -> np.ndarray:
    """``model.predict(x, batch_size=batch_size)``, asked for ``slice_size`` rows at a time.

    Keras turns an array it is given whole into a tensor first, so predicting the 60,000
    MNIST training images (188 MB of float32 pixels) at once raised chapter 2's memory by
    several hundred MB that stayed taken. Slices keep that copy small. ``slice_size`` must be
    a multiple of ``batch_size``, so that the batches, and the results, are those of one call.
    """
    batch_size = _positive_int(batch_size, "batch_size")
    slice_size = _positive_int(slice_size, "slice_size")
    if slice_size % batch_size:
        raise ValueError(f"slice_size ({slice_size}) must be a multiple of batch_size ({batch_size})")
    if len(x) == 0:
        raise ValueError("x is empty: pass at least one row")
    parts = [model.predict(x[start:start + slice_size], batch_size=batch_size, verbose=0)
             for start in range(0, len(x), slice_size)]
    return np.concatenate(parts)


def fresh_pairs(
    x: np.ndarray,
    y: np.ndarray,
    batch_size: int = 256,
    seed: int = 1,
    fresh: bool = True,
    max_shift: int = 1,
) -> Any:
    """A Keras ``PyDataset`` of balanced training pairs, ``((left, right), labels)`` per batch.

    Label 1 = same digit (:func:`tutorial_utils.pairs.make_pair_indices` draws the pairs).
    ``fresh=True`` draws new pairs at every epoch; ``fresh=False`` draws them once and only
    reshuffles them (the classic recipe). Every epoch each image is moved by up to ``max_shift``
    pixels (0: no shift). The epoch's pairs are row numbers in ``.left``, ``.right``, ``.labels``,
    visited in the order ``.order``. Chapter 2's ``PairBatches`` class, written out in the chapter.
    """
    import keras

    from tutorial_utils.pairs import make_pair_indices

    images, digits = _images_and_digits(x, y)
    batch_size = _positive_int(batch_size, "batch_size")
    random_shifts(0, np.random.default_rng(0), max_shift)  # checks max_shift now, not in the first epoch

    class PairBatches(keras.utils.PyDataset):
        """Training pairs in shuffled batches; with ``fresh``, new pairs (and shifts) every epoch."""

        def __init__(self) -> None:
            super().__init__()
            self.rng = np.random.default_rng(seed)
            self.on_epoch_end()

        def on_epoch_end(self) -> None:
            if fresh or not hasattr(self, "labels"):
                self.left, self.right, self.labels = make_pair_indices(digits, self.rng)
            self.order = self.rng.permutation(len(self.labels))
            self.shifts = [random_shifts(len(self.labels), self.rng, max_shift) for _ in range(2)]

        def __len__(self) -> int:
            return -(-len(self.labels) // batch_size)  # number of batches, rounded up

        def __getitem__(self, batch: int) -> Any:
            rows = slice(batch * batch_size, (batch + 1) * batch_size)
            chosen = self.order[rows]
            (left_rows, left_cols), (right_rows, right_cols) = self.shifts
            left = shift_images_by(images[self.left[chosen]], left_rows[rows], left_cols[rows])
            right = shift_images_by(images[self.right[chosen]], right_rows[rows], right_cols[rows])
            return (left, right), self.labels[chosen]

    return PairBatches()


def shifted_digits(x: np.ndarray, y: np.ndarray, batch_size: int = 256, seed: int = 2) -> Any:
    """A Keras ``PyDataset`` of single images and their digits, ``(images, digits)`` per batch,
    shuffled and shifted by up to one pixel anew every epoch (for :func:`batch_hard_contrastive_loss`)."""
    import keras

    images, digits = _images_and_digits(x, y)
    digits = digits.astype("float32")
    batch_size = _positive_int(batch_size, "batch_size")

    class ShiftedDigits(keras.utils.PyDataset):
        """Single training images with their digits, shuffled and shifted anew every epoch."""

        def __init__(self) -> None:
            super().__init__()
            self.rng = np.random.default_rng(seed)
            self.on_epoch_end()

        def on_epoch_end(self) -> None:
            self.order = self.rng.permutation(len(digits))
            self.shifts = random_shifts(len(digits), self.rng)

        def __len__(self) -> int:
            return -(-len(digits) // batch_size)

        def __getitem__(self, batch: int) -> Any:
            rows = slice(batch * batch_size, (batch + 1) * batch_size)
            chosen = self.order[rows]
            return shift_images_by(images[chosen], *(s[rows] for s in self.shifts)), digits[chosen]

    return ShiftedDigits()


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
    learning_rate: float = 2e-3,
    verbose: int = 2,
    widths: tuple[int, ...] = (512, 256),
) -> tuple[Any, float]:
    """Chapter 2's recipe: a dense base (hidden layers ``widths`` wide, unit-length output) in a Siamese
    network, the contrastive loss, fresh pairs shifted by up to a pixel every epoch, Adam with a learning
    rate cosine-decayed from ``learning_rate``.

    ``x``: images scaled to [0, 1], (n, 784) or (n, 28, 28); ``y``: their digits. ``seed`` seeds
    Keras (the initial weights) and the pair draws; with chapter 2's data and defaults it trains the
    chapter's network (same figures on the same machine). Returns ``(embedding_model,
    training_seconds)``; the embedding model maps (n, 784) pixels to (n, ``embedding_dim``) unit vectors.
    """
    import keras

    from tutorial_utils.losses import keras_contrastive_loss

    epochs = _positive_int(epochs, "epochs")
    keras.utils.set_random_seed(int(seed))
    base = make_dense_base(embedding_dim, widths=tuple(widths))
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
    learning_rate: float = 3e-3,
    verbose: int = 2,
) -> tuple[Any, float]:
    """Chapter 2's convolutional base trained with the batch-hard contrastive loss on shifted images,
    Adam with a cosine-decayed learning rate from 3e-3 (the companion notebook's recipe).

    Arguments and return value as :func:`train_dense_siamese`.
    """
    import keras

    epochs = _positive_int(epochs, "epochs")
    keras.utils.set_random_seed(int(seed))
    base = make_conv_base(embedding_dim)
    batches = shifted_digits(x, y, batch_size=batch_size, seed=seed)
    seconds = _fit(base, batches, batch_hard_contrastive_loss(margin), epochs, learning_rate, verbose)
    return base, seconds
