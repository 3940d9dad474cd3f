"""tutorial_utils.datasets: real MNIST with its checksums, the text corpora, and the errors."""

from __future__ import annotations

import gzip
import pickle
from pathlib import Path

import numpy as np
import pytest

from tutorial_utils import datasets
from tutorial_utils.datasets import (
    MNIST_TEST_COUNTS,
    MNIST_TRAIN_COUNTS,
    DataIntegrityError,
    DataUnavailableError,
)

OFFICIAL_TRAIN = (5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949)
OFFICIAL_TEST = (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009)


@pytest.fixture(scope="module")
def mnist():
    return datasets.load_mnist()


def test_mnist_has_keras_shapes_and_types(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    assert x_train.shape == (60_000, 28, 28) and x_test.shape == (10_000, 28, 28)
    assert y_train.shape == (60_000,) and y_test.shape == (10_000,)
    assert {a.dtype for a in (x_train, y_train, x_test, y_test)} == {np.dtype(np.uint8)}
    assert x_train.max() == 255 and x_train.min() == 0


def test_mnist_has_official_per_digit_counts(mnist):
    (_, y_train), (_, y_test) = mnist
    assert MNIST_TRAIN_COUNTS == OFFICIAL_TRAIN and MNIST_TEST_COUNTS == OFFICIAL_TEST
    assert tuple(np.bincount(y_train)) == OFFICIAL_TRAIN
    assert tuple(np.bincount(y_test)) == OFFICIAL_TEST
    # The famous first images: a 5 in training, a 7 in test.
    assert y_train[0] == 5 and y_test[0] == 7


def test_tampered_pixel_is_an_error(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    tampered = x_test.copy()
    tampered[0, 14, 14] ^= 1
    with pytest.raises(DataIntegrityError, match="x_test.*SHA-256"):
        datasets._verify_mnist(((x_train, y_train), (tampered, y_test)), source="test")


def test_wrong_counts_are_an_error(mnist):
    (x_train, y_train), (x_test, y_test) = mnist
    relabelled = y_test.copy()
    relabelled[0] = (relabelled[0] + 1) % 10
    with pytest.raises(DataIntegrityError, match="per-digit counts"):
        datasets._verify_mnist(((x_train, y_train), (x_test, relabelled)), source="test")


def test_classic_pickle_converts_exactly():
    rng = np.random.default_rng(0)
    pixels = [rng.integers(0, 256, size=(n, 784), dtype=np.uint8) for n in (3, 2, 2)]
    labels = [rng.integers(0, 10, size=len(p)) for p in pixels]
    splits = tuple((p.astype(np.float32) / 256, y) for p, y in zip(pixels, labels))
    (x_train, y_train), (x_test, y_test) = datasets.mnist_from_classic_pickle(
        gzip.compress(pickle.dumps(splits))
    )
    np.testing.assert_array_equal(x_train.reshape(-1, 784), np.concatenate(pixels[:2]))
    np.testing.assert_array_equal(y_train, np.concatenate(labels[:2]))
    np.testing.assert_array_equal(x_test.reshape(-1, 784), pixels[2])
    assert x_train.dtype == np.uint8 and x_train.shape == (5, 28, 28)


def test_classic_pickle_refuses_inexact_pixels():
    bad = np.full((1, 784), 0.3, dtype=np.float32)  # not a multiple of 1/256
    splits = tuple((bad, np.zeros(1, dtype=np.int64)) for _ in range(3))
    with pytest.raises(DataIntegrityError, match="1/256"):
        datasets.mnist_from_classic_pickle(gzip.compress(pickle.dumps(splits)))


def test_no_source_lists_what_was_tried(tmp_path, monkeypatch):
    monkeypatch.setenv("EMBEDDINGS_DATA_DIR", str(tmp_path))

    def offline(*_args, **_kwargs):
        raise OSError("network is unreachable")

    monkeypatch.setattr(datasets, "_mnist_from_keras_url", offline)
    monkeypatch.setattr(datasets, "_mnist_from_mirror", offline)
    with pytest.raises(DataUnavailableError) as error:
        datasets.load_mnist()
    message = str(error.value)
    for expected in ("cache", "Keras download", "mirror", "network is unreachable", "make data"):
        assert expected in message


def test_cache_only_mode_does_not_download(tmp_path, monkeypatch):
    monkeypatch.setenv("EMBEDDINGS_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(datasets, "_mnist_from_mirror", lambda: pytest.fail("must not download"))
    with pytest.raises(DataUnavailableError, match="not there yet"):
        datasets.load_mnist(allow_download=False)


def test_a_cache_with_a_flipped_byte_is_set_aside_and_fetched_again(tmp_path, monkeypatch, mnist, capsys):
    monkeypatch.setenv("EMBEDDINGS_DATA_DIR", str(tmp_path))
    cache = tmp_path / "mnist.npz"
    datasets._write_npz(cache, mnist)
    raw = bytearray(cache.read_bytes())
    raw[len(raw) // 2] ^= 0xFF  # inside the compressed x_train array: zipfile's CRC check fails
    cache.write_bytes(bytes(raw))
    monkeypatch.setattr(datasets, "_mnist_from_keras_url", lambda: (_ for _ in ()).throw(OSError("offline")))
    monkeypatch.setattr(datasets, "_mnist_from_mirror", lambda: mnist)
    (x_train, _), _ = datasets.load_mnist()
    np.testing.assert_array_equal(x_train, mnist[0][0])
    message = capsys.readouterr().err.strip()
    assert len(message.splitlines()) == 1  # one line: which file, what was wrong, what happens now
    assert str(cache) in message and "damaged" in message and "fetching it again" in message
    assert (tmp_path / "mnist.npz.damaged").read_bytes() == bytes(raw)  # kept for a look
    datasets._verify_mnist(datasets._read_npz(cache), source="the healed cache")


def test_a_cache_failing_its_checksum_is_reported_when_nothing_can_replace_it(tmp_path, monkeypatch, mnist):
    monkeypatch.setenv("EMBEDDINGS_DATA_DIR", str(tmp_path))
    (x_train, y_train), (x_test, y_test) = mnist
    datasets._write_npz(tmp_path / "mnist.npz", ((x_train, y_train), (255 - x_test, y_test)))
    with pytest.raises(DataUnavailableError, match=r"damaged \(MNIST from .*x_test") as error:
        datasets.load_mnist(allow_download=False)
    assert "mnist.npz.damaged" in str(error.value)
    assert not (tmp_path / "mnist.npz").exists()


def test_first_working_source_is_verified_and_cached(tmp_path, monkeypatch, mnist):
    monkeypatch.setenv("EMBEDDINGS_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(datasets, "_mnist_from_keras_url", lambda: (_ for _ in ()).throw(OSError("offline")))
    monkeypatch.setattr(datasets, "_mnist_from_mirror", lambda: mnist)
    datasets.load_mnist()
    assert (tmp_path / "mnist.npz").exists()
    # The second call reads the cache only.
    monkeypatch.setattr(datasets, "_mnist_from_mirror", lambda: pytest.fail("must use the cache"))
    (x_train, _), _ = datasets.load_mnist()
    assert x_train.shape == (60_000, 28, 28)


def test_data_dir_follows_the_variable(tmp_path, monkeypatch):
    target = tmp_path / "somewhere" / "else"
    monkeypatch.setenv("EMBEDDINGS_DATA_DIR", str(target))
    assert datasets.data_dir() == target and target.is_dir()


@pytest.mark.parametrize("name", sorted(datasets.TEXT_DATASETS))
def test_every_text_dataset_is_there(name):
    path = datasets.text_dataset_path(name)
    assert path.is_file() and path.stat().st_size > 1000


def test_unknown_text_dataset_names_the_known_ones():
    with pytest.raises(KeyError, match="unknown text data set 'wordsim'.*wordsim353"):
        datasets.text_dataset_path("wordsim")


def test_missing_gensim_says_how_to_fix(monkeypatch):
    monkeypatch.setattr(datasets.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(DataUnavailableError, match="gensim is not installed. .*install the pinned gensim"):
        datasets.text_dataset_path("lee")


def test_lee_corpus_sizes():
    assert len(datasets.load_lee_corpus()) == 50
    assert len(datasets.load_lee_corpus(background=True)) == 300


@pytest.fixture(scope="module")
def wikipedia_articles():
    """The default load, shared by the tests below (parsing the dump takes seconds)."""
    return datasets.load_wikipedia_articles()


def test_wikipedia_articles_are_plain_text_paragraphs(wikipedia_articles):
    titles = [article.title for article in wikipedia_articles]
    assert len(wikipedia_articles) > 50 and len(set(titles)) == len(titles)
    assert {"Albert Einstein", "Apollo 11", "Algorithm"} <= set(titles)
    for article in wikipedia_articles:
        for paragraph in article.paragraphs:
            assert len(paragraph.split()) >= 20
            assert not any(marker in paragraph for marker in ("'''", "[[", "{{", "<ref"))


def test_article_groups_name_articles_of_the_dump(wikipedia_articles):
    titles = {article.title for article in wikipedia_articles}
    grouped = [title for group in datasets.ARTICLE_GROUPS.values() for title in group]
    assert list(datasets.ARTICLE_GROUPS) == ["space", "countries", "chemistry", "animals", "thinkers"]
    assert len(grouped) == len(set(grouped)) == 19  # no article in two groups
    assert set(grouped) <= titles


def test_wikipedia_minimum_paragraph_length_is_honoured(wikipedia_articles):
    default = [p for a in wikipedia_articles for p in a.paragraphs]
    long = [p for a in datasets.load_wikipedia_articles(min_paragraph_words=80) for p in a.paragraphs]
    assert 0 < len(long) < len(default)
    assert all(len(p.split()) >= 80 for p in long)
    # the same paragraphs, fewer of them: exactly the default ones with at least 80 words
    assert long == [p for p in default if len(p.split()) >= 80]


def test_fetch_all_reports_every_data_set(capsys):
    datasets.fetch_all()
    out = capsys.readouterr().out
    assert "MNIST: 60,000 training and 10,000 test images, verified" in out
    for name in datasets.TEXT_DATASETS:
        assert f"{name}: " in out
