"""Every bad-input refusal of the helper package that no other test reached: the message a reader sees.

Each test calls a public function the way a reader could get it wrong and checks the words of the
error, not just its type (issue 20: until these, 30 ``raise`` lines never ran in any test).
"""

from __future__ import annotations

import sys

import networkx as nx
import numpy as np
import pytest

from tutorial_utils import graphs, metrics, pairs, quantization, recommend, search, siamese, text, word2vec
from tutorial_utils.probes import linear_probe, mlp_probe
from tutorial_utils.text_models import ModelUnavailableError, load_minilm


def _rng() -> np.random.Generator:
    return np.random.default_rng(0)


# recommend -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("concentration", [0, -0.5, float("nan")])
def test_latent_interactions_refuses_a_non_positive_concentration(concentration):
    with pytest.raises(ValueError, match="concentration must be positive; got"):
        recommend.latent_interactions(10, 20, 2, 3, _rng(), concentration=concentration)


@pytest.mark.parametrize("exponent", [-1.0, float("inf")])
def test_latent_interactions_refuses_a_negative_popularity_exponent(exponent):
    with pytest.raises(ValueError, match=r"popularity_exponent must be non-negative \(0 = all items equally"):
        recommend.latent_interactions(10, 20, 2, 3, _rng(), popularity_exponent=exponent)


@pytest.mark.parametrize("users, items", [
    (np.array([0.0, 0.0, 1.0, 1.0]), np.array([1, 2, 3, 4])),  # float user ids
    (np.array([0, 0, 1, 1]), np.array([1.0, 2.0, 3.0, 4.0])),  # float item ids
    (np.array([-1, -1, 0, 0]), np.array([1, 2, 3, 4])),  # a negative user id
])
def test_leave_one_out_refuses_ids_that_are_not_non_negative_integers(users, items):
    with pytest.raises(ValueError, match="users and items must be non-negative integer ids"):
        recommend.leave_one_out(users, items, _rng())


def test_top_k_unseen_refuses_scores_that_are_not_a_matrix():
    with pytest.raises(ValueError, match=r"scores must be \(n_users, n_items\); got shape \(5,\)"):
        recommend.top_k_unseen(np.zeros(5), [], [], k=1)


def test_top_k_unseen_refuses_nan_scores():
    with pytest.raises(ValueError, match="scores contain NaN"):
        recommend.top_k_unseen(np.array([[0.0, np.nan, 1.0]]), [], [], k=1)


def test_top_k_unseen_refuses_seen_pairs_of_different_lengths():
    with pytest.raises(ValueError, match="seen_users and seen_items must be 1-D, of the same length"):
        recommend.top_k_unseen(np.zeros((2, 3)), [0, 1], [0], k=1)


def test_top_k_unseen_refuses_seen_ids_that_are_not_integers():
    with pytest.raises(ValueError, match="seen_users and seen_items must be integer ids"):
        recommend.top_k_unseen(np.zeros((2, 3)), [0.0, 1.0], [0, 2], k=1)


# word2vec ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("counts", [np.array([]), np.ones((2, 2))])
def test_counts_must_be_a_non_empty_vector(counts):
    with pytest.raises(ValueError, match=r"counts must be a non-empty 1-D array \(one count per word\)"):
        word2vec.keep_probabilities(counts)


@pytest.mark.parametrize("counts", [[3, -1, 2], [3, np.nan, 2], [3, np.inf, 2]])
def test_counts_must_be_finite_and_non_negative(counts):
    with pytest.raises(ValueError, match="counts must be finite and non-negative"):
        word2vec.noise_distribution(np.array(counts, dtype=float))


@pytest.mark.parametrize("power", [-0.75, float("nan")])
def test_noise_distribution_refuses_a_negative_power(power):
    with pytest.raises(ValueError, match="power must be a non-negative number; got"):
        word2vec.noise_distribution(np.array([3, 1, 2]), power=power)


@pytest.mark.parametrize("table", [np.array([], dtype=np.int64), np.zeros((2, 2), dtype=np.int64)])
def test_sample_negatives_refuses_a_table_that_is_not_a_non_empty_vector(table):
    with pytest.raises(ValueError, match=r"table must be a non-empty 1-D array of word ids; build it with noise_table"):
        word2vec.sample_negatives(table, (2, 3), _rng())


def test_skipgram_epoch_says_when_subsampling_kept_nothing():
    tokens = np.array([0, 1, 2, 0, 1, 2])
    table = word2vec.noise_table(np.full(3, 1 / 3), size=30)
    with pytest.raises(ValueError, match="subsampling kept no token; the corpus is too small for this sample rate"):
        word2vec.skipgram_epoch(tokens, None, np.zeros(3), table, window=2, negatives=2, rng=_rng())


# pairs (plot_pairs) --------------------------------------------------------------------------------

def test_plot_pairs_refuses_images_of_the_wrong_rank():
    with pytest.raises(ValueError, match=r"left must have shape \(n, height, width\) or \(n, pixels\); got \(2, 1, 4, 4\)"):
        pairs.plot_pairs(np.zeros((2, 1, 4, 4)), np.zeros((2, 4, 4)), [1, 0])


def test_plot_pairs_refuses_left_and_right_images_of_different_sizes():
    with pytest.raises(ValueError, match=r"left images are \(4, 4\) but right images are \(3, 3\)"):
        pairs.plot_pairs(np.zeros((2, 4, 4)), np.zeros((2, 3, 3)), [1, 0])


def test_plot_pairs_refuses_a_distance_count_that_is_not_one_per_pair():
    with pytest.raises(ValueError, match="3 distances for 2 pairs"):
        pairs.plot_pairs(np.zeros((2, 4, 4)), np.zeros((2, 4, 4)), [1, 0], distances=[0.1, 0.2, 0.3], threshold=0.5)


# text ----------------------------------------------------------------------------------------------

def test_an_empty_vocabulary_is_refused():
    with pytest.raises(ValueError, match="a vocabulary needs at least one word; got none"):
        text.Vocabulary([])


def test_a_vocabulary_needs_one_count_per_word():
    with pytest.raises(ValueError, match="2 counts for 3 words; give one count per word"):
        text.Vocabulary(["a", "b", "c"], counts=[3, 2])


def test_encode_refuses_a_string():
    vocabulary = text.Vocabulary(["apple", "banana"])
    with pytest.raises(TypeError, match="encode expects a list of tokens, not a string; tokenise it first"):
        vocabulary.encode("apple banana")


def test_a_toy_corpus_file_without_sentences_is_refused(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_text("# only comments\n## a group with no sentence\n\n", encoding="utf-8")
    with pytest.raises(ValueError, match="empty.txt holds no sentence"):
        text.load_toy_corpus(path)


# quantization --------------------------------------------------------------------------------------

def test_packed_bits_must_be_a_matrix():
    with pytest.raises(ValueError, match=r"index must be a 2-D array of packed bits \(one row per vector\); got shape \(1, 2, 3\)"):
        quantization.hamming_search(np.zeros((1, 3), dtype=np.uint8), np.zeros((1, 2, 3), dtype=np.uint8), k=1)


def test_packed_bits_must_not_be_empty():
    with pytest.raises(ValueError, match=r"queries is empty \(shape \(0, 3\)\); pass at least one vector"):
        quantization.hamming_search(np.zeros((0, 3), dtype=np.uint8), np.zeros((4, 3), dtype=np.uint8), k=1)


@pytest.mark.parametrize("codes", [np.zeros((2, 3), dtype=np.uint8), np.zeros(3, dtype=np.int8)])
def test_dequantize_int8_refuses_codes_that_are_not_an_int8_matrix(codes):
    calibration = quantization.calibrate_int8(np.array([[0.0, 1.0, 2.0], [1.0, 2.0, 3.0]]))
    with pytest.raises(ValueError, match=r"codes must be a 2-D int8 array \(from quantize_int8\); got dtype"):
        quantization.dequantize_int8(codes, calibration)


# graphs --------------------------------------------------------------------------------------------

def test_a_graph_without_nodes_is_refused():
    with pytest.raises(ValueError, match="graph has no nodes"):
        graphs.random_walks(nx.Graph(), walks_per_node=1, walk_length=3, rng=_rng())


def test_split_edges_says_when_there_are_too_few_non_edges():
    complete = nx.complete_graph(5)  # every pair is an edge: no negative to draw
    with pytest.raises(ValueError, match="the graph has fewer than 2 non-edges to draw as negatives"):
        graphs.split_edges(complete, 0.2, _rng(), keep_connected=False)


# siamese -------------------------------------------------------------------------------------------

def test_siamese_data_refuses_images_that_are_not_28_by_28():
    with pytest.raises(ValueError, match=r"x must hold 28 x 28 images, as \(n, 784\) or \(n, 28, 28\); got shape \(4, 100\)"):
        siamese.fresh_pairs(np.zeros((4, 100)), np.array([0, 1, 0, 1]))


@pytest.mark.parametrize("max_shift", [14, -1, 1.0, True])
def test_shift_images_refuses_a_bad_max_shift(max_shift):
    with pytest.raises(ValueError, match="max_shift must be an integer from 0 to 13 pixels; got"):
        siamese.shift_images(np.zeros((2, 784)), _rng(), max_shift=max_shift)


# probes, metrics, search ---------------------------------------------------------------------------

@pytest.mark.parametrize("labels", [np.array([0.0, 1.0, 0.0, 1.0]), np.array([0, -1, 0, 1])])
def test_probes_refuse_labels_that_are_not_class_numbers(labels):
    x = np.zeros((4, 2))
    for probe in (linear_probe, mlp_probe):
        with pytest.raises(ValueError, match=r"labels must be integers 0\.\.C-1"):
            probe(x, labels, x, np.array([0, 1, 0, 1]))


@pytest.mark.parametrize("queries", [np.zeros((0, 3)), np.zeros((2, 0))])
def test_nearest_neighbours_refuses_empty_queries(queries):
    with pytest.raises(ValueError, match=r"queries is empty \(shape"):
        metrics.nearest_neighbours(queries, np.zeros((4, 3)), k=1)


def test_top_k_indices_refuses_scores_that_are_not_numbers():
    with pytest.raises(ValueError, match="scores must hold numbers; got dtype <U1"):
        search.top_k_indices(np.array([["a", "b"]]), k=1)


# text_models ---------------------------------------------------------------------------------------

def test_load_minilm_says_how_to_install_a_missing_sentence_transformers(tmp_path, monkeypatch):
    (tmp_path / "modules.json").write_text("[]")
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # `import` now raises ImportError
    with pytest.raises(ModelUnavailableError, match=r"sentence-transformers is not installed; .*pip install sentence-transformers=="):
        load_minilm(folder=tmp_path)
