"""tutorial_utils.siamese: chapter 2's Siamese network as functions (tiny data, one epoch: seconds)."""

from __future__ import annotations

import os
import time

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np
import pytest
from test_pairs import _chapter_functions

from tutorial_utils.siamese import (
    batch_hard_contrastive_loss,
    euclidean_distance,
    fresh_pairs,
    make_conv_base,
    make_dense_base,
    make_siamese,
    predict_in_slices,
    random_shifts,
    shift_images,
    shift_images_by,
    shifted_digits,
    train_conv_embedding,
    train_dense_siamese,
)


def _tiny_digits(n=64, seed=0):
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 4
    x = np.zeros((n, 28, 28), dtype=np.float32)
    for i, digit in enumerate(y):  # a bar whose position is the "digit", plus noise
        x[i, 4 + 5 * digit:7 + 5 * digit, 5:23] = 1.0
    x += rng.uniform(0, 0.2, size=x.shape).astype(np.float32)
    return np.clip(x, 0, 1).reshape(n, 784), y


def test_shift_images_moves_each_image_by_at_most_one_pixel():
    image = np.zeros((28, 28), dtype=np.float32)
    image[10, 12] = 1.0
    shifted = shift_images(np.repeat(image.reshape(1, 784), 50, axis=0), np.random.default_rng(0))
    rows, cols = np.nonzero(shifted.reshape(50, 28, 28))[1:]
    assert np.all(np.abs(rows - 10) <= 1) and np.all(np.abs(cols - 12) <= 1)
    assert len(set(zip(rows.tolist(), cols.tolist()))) > 1  # not all moved the same way
    assert shifted.sum() == 50  # nothing lost
    with pytest.raises(ValueError, match="flat 28 x 28 images"):
        shift_images(np.zeros((2, 28, 28)), np.random.default_rng(0))


def test_shift_images_by_moves_pixels_as_np_roll_and_matches_chapter_2():
    x = np.random.default_rng(0).random((3, 784)).astype(np.float32)
    rows, cols = np.array([1, 0, -1]), np.array([0, -1, 1])
    shifted = shift_images_by(x, rows, cols)
    for i in range(3):
        rolled = np.roll(x[i].reshape(28, 28), (rows[i], cols[i]), axis=(0, 1))
        np.testing.assert_array_equal(shifted[i].reshape(28, 28), rolled)
    chapter = _chapter_functions("02_siamese_mnist.ipynb", {"random_shifts", "shift_images_by"})
    np.testing.assert_array_equal(chapter["shift_images_by"](x, rows, cols), shifted)
    ours = chapter["random_shifts"](50, np.random.default_rng(4), 2)
    for a, b in zip(ours, random_shifts(50, np.random.default_rng(4), 2)):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="one shift per image"):
        shift_images_by(x, rows[:2], cols)
    with pytest.raises(ValueError, match="max_shift"):
        random_shifts(3, np.random.default_rng(0), max_shift=-1)


def test_distance_is_euclidean_and_its_gradient_is_finite_at_zero():
    import tensorflow as tf

    a = tf.constant([[0.3, 0.4], [1.0, 0.0]])
    b = tf.constant([[0.0, 0.0], [1.0, 0.0]])
    with tf.GradientTape() as tape:
        tape.watch(a)
        d = euclidean_distance((a, b))
    assert np.allclose(d.numpy().ravel(), [0.5, 0.0], atol=1e-3)
    assert np.all(np.isfinite(tape.gradient(d, a).numpy()))


def test_bases_output_unit_vectors_and_the_siamese_shares_one_base():
    x, _ = _tiny_digits(8)
    for base in (make_dense_base(16), make_conv_base(16)):
        embeddings = base.predict(x, verbose=0)
        assert embeddings.shape == (8, 16)
        assert np.allclose(np.linalg.norm(embeddings, axis=1), 1.0, atol=1e-5)
        siamese = make_siamese(base)
        assert siamese.count_params() == base.count_params()
        by_hand = np.linalg.norm(embeddings[:4] - embeddings[4:], axis=1)
        assert np.allclose(siamese.predict([x[:4], x[4:]], verbose=0).ravel(), by_hand, atol=1e-4)


def test_datasets_draw_fresh_balanced_batches():
    x, y = _tiny_digits()
    pairs = fresh_pairs(x, y, batch_size=32, seed=0)
    assert len(pairs) == 4  # 128 pairs in batches of 32
    (left, right), labels = pairs[0]
    assert left.shape == (32, 784) and right.shape == (32, 784) and labels.shape == (32,)
    assert pairs.labels.mean() == 0.5
    same = y[pairs.left[pairs.order[:32]]] == y[pairs.right[pairs.order[:32]]]
    np.testing.assert_array_equal(labels, same.astype("float32"))  # label 1 = same digit
    first = pairs.right.copy()
    pairs.on_epoch_end()
    assert not np.array_equal(first, pairs.right)  # new pairs every epoch
    singles = shifted_digits(x, y, batch_size=10, seed=0)
    assert len(singles) == 7 and singles[6][0].shape == (4, 784)


def test_fixed_unshifted_pairs_only_change_order():
    x, y = _tiny_digits()
    pairs = fresh_pairs(x, y, batch_size=32, seed=0, fresh=False, max_shift=0)
    first = (pairs.left.copy(), pairs.right.copy())
    (left, _), _ = pairs[0]
    np.testing.assert_array_equal(left, x[pairs.left[pairs.order[:32]]])  # not shifted
    pairs.on_epoch_end()
    np.testing.assert_array_equal(first[0], pairs.left)
    np.testing.assert_array_equal(first[1], pairs.right)
    with pytest.raises(ValueError, match="max_shift"):
        fresh_pairs(x, y, max_shift=14)


def test_dense_base_without_unit_length_is_the_classic_base():
    x, _ = _tiny_digits(8)
    raw = make_dense_base(16, unit_length=False).predict(x, verbose=0)
    assert not np.allclose(np.linalg.norm(raw, axis=1), 1.0, atol=1e-3)


def test_batch_hard_loss_is_zero_for_perfect_clusters():
    import keras

    loss = batch_hard_contrastive_loss(1.0)
    embeddings = keras.ops.convert_to_tensor(np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype="float32"))
    digits = keras.ops.convert_to_tensor(np.array([0, 0, 1, 1], dtype="float32"))
    assert np.allclose(np.asarray(loss(digits, embeddings)), 0.0, atol=1e-3)  # same at 0, others at 1.41
    with pytest.raises(ValueError, match="margin"):
        batch_hard_contrastive_loss(3.0)


def test_training_returns_an_embedding_model_and_its_seconds():
    x, y = _tiny_digits()
    for train in (train_dense_siamese, train_conv_embedding):
        start = time.perf_counter()
        model, seconds = train(x, y, epochs=1, seed=0, batch_size=32, embedding_dim=8, verbose=0)
        elapsed = time.perf_counter() - start
        # the training time is part of the call's time, and not all of it (the model is built first)
        assert isinstance(seconds, float) and 0 < seconds < elapsed
        assert model.predict(x[:3], verbose=0).shape == (3, 8)
    again, _ = train_dense_siamese(x, y, epochs=1, seed=0, batch_size=32, embedding_dim=8, verbose=0)
    first, _ = train_dense_siamese(x, y, epochs=1, seed=0, batch_size=32, embedding_dim=8, verbose=0)
    assert np.allclose(again.predict(x, verbose=0), first.predict(x, verbose=0), atol=1e-5)  # seeded


def test_training_refuses_bad_input():
    x, y = _tiny_digits()
    with pytest.raises(ValueError, match="one digit per image"):
        train_dense_siamese(x, y[:10], epochs=1)
    with pytest.raises(ValueError, match="scaled to"):
        train_dense_siamese(x * 255, y, epochs=1)
    with pytest.raises(ValueError, match="single class"):
        train_conv_embedding(x, np.zeros(len(x), dtype=int), epochs=1)
    with pytest.raises(ValueError, match="epochs must be a positive integer"):
        train_dense_siamese(x, y, epochs=0)


def test_predict_in_slices_equals_one_predict_call():
    rng = np.random.default_rng(0)
    x = rng.random((70, 784), dtype=np.float32)
    base = make_dense_base(embedding_dim=8, widths=(16,))
    whole = base.predict(x, batch_size=8, verbose=0)
    sliced = predict_in_slices(base, x, batch_size=8, slice_size=24)
    assert sliced.shape == (70, 8)
    np.testing.assert_array_equal(sliced, whole)
    with pytest.raises(ValueError, match="multiple of batch_size"):
        predict_in_slices(base, x, batch_size=8, slice_size=20)
    with pytest.raises(ValueError, match="empty"):
        predict_in_slices(base, x[:0], batch_size=8, slice_size=24)

