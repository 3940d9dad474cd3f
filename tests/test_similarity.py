"""tutorial_utils.similarity against scikit-learn, SciPy and numpy, and the inputs it refuses.

Also the shape checks of the two shared plots in tutorial_utils.plotting.
"""

from __future__ import annotations


import numpy as np
import pytest
from scipy.spatial.distance import cdist
from sklearn.metrics.pairwise import cosine_similarity as sk_cosine_similarity
from sklearn.metrics.pairwise import euclidean_distances as sk_euclidean_distances
from sklearn.neighbors import NearestNeighbors

from references import brute_force_neighbours

from tutorial_utils.plotting import plot_similarity_matrix, scatter_2d
from tutorial_utils.similarity import (
    cosine_similarity,
    dot_similarity,
    euclidean_distance,
    normalize,
    top_k_neighbours,
)


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    return rng.normal(size=(40, 16)), rng.normal(size=(7, 16))


# --------------------------------------------------------------------------- values


def test_normalize_gives_unit_rows_in_the_same_direction(data):
    index, _ = data
    unit = normalize(index)
    assert unit.shape == index.shape
    np.testing.assert_allclose(np.linalg.norm(unit, axis=1), 1.0)
    np.testing.assert_allclose(unit * np.linalg.norm(index, axis=1, keepdims=True), index)
    vector = normalize(np.array([3.0, 4.0]))
    assert vector.shape == (2,)
    np.testing.assert_allclose(vector, [0.6, 0.8])


def test_euclidean_matches_scikit_learn_and_scipy(data):
    index, queries = data
    ours = euclidean_distance(queries, index)
    assert ours.shape == (7, 40)
    np.testing.assert_allclose(ours, sk_euclidean_distances(queries, index), atol=1e-10)
    np.testing.assert_allclose(ours, cdist(queries, index), atol=1e-10)


def test_euclidean_of_a_vector_with_itself_is_zero_up_to_rounding(data):
    index, _ = data
    # the |a|^2 - 2ab + |b|^2 expansion is fast but leaves rounding noise, about sqrt(machine epsilon)
    assert np.abs(np.diag(euclidean_distance(index, index))).max() < 1e-6


def test_cosine_matches_scikit_learn(data):
    index, queries = data
    ours = cosine_similarity(queries, index)
    np.testing.assert_allclose(ours, sk_cosine_similarity(queries, index), atol=1e-12)
    assert ours.min() >= -1.0 and ours.max() <= 1.0


def test_cosine_of_parallel_vectors_never_leaves_minus_one_to_one():
    # rounding can push the raw cosine of parallel vectors just past 1; the helper clips it
    vectors = np.random.default_rng(1).normal(size=(500, 9))
    same = cosine_similarity(vectors, 7.3 * vectors).diagonal()
    opposite = cosine_similarity(vectors, -0.3 * vectors).diagonal()
    assert same.max() <= 1.0 and same.min() > 1.0 - 1e-12
    assert opposite.min() >= -1.0 and opposite.max() < -1.0 + 1e-12


def test_dot_matches_numpy(data):
    index, queries = data
    np.testing.assert_allclose(dot_similarity(queries, index), queries @ index.T)


def test_two_vectors_give_a_float_and_a_vector_and_a_matrix_give_a_row(data):
    index, queries = data
    u, v = queries[0], index[0]
    for function in (euclidean_distance, dot_similarity, cosine_similarity):
        assert isinstance(function(u, v), float)
        assert function(u, index).shape == (40,)
        assert function(queries, v).shape == (7,)
        assert function(queries, index).shape == (7, 40)
    assert euclidean_distance(u, v) == pytest.approx(np.linalg.norm(u - v))
    assert dot_similarity([1, 2, 3], [4, 5, 6]) == 32.0  # lists work too


def test_after_normalising_cosine_equals_dot_and_euclidean_ranks_the_same(data):
    index, queries = data
    unit_index, unit_queries = normalize(index), normalize(queries)
    np.testing.assert_allclose(cosine_similarity(queries, index), dot_similarity(unit_queries, unit_index), atol=1e-12)
    squared = euclidean_distance(unit_queries, unit_index) ** 2
    np.testing.assert_allclose(squared, 2 - 2 * cosine_similarity(queries, index), atol=1e-10)


# --------------------------------------------------------------------------- nearest neighbours


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_top_k_matches_scikit_learn_brute_force(data, metric):
    index, queries = data
    indices, scores = top_k_neighbours(queries, index, k=5, metric=metric)
    knn = NearestNeighbors(n_neighbors=5, metric=metric, algorithm="brute").fit(index)
    sk_dist, sk_idx = knn.kneighbors(queries)
    np.testing.assert_array_equal(indices, sk_idx)
    expected = sk_dist if metric == "euclidean" else 1.0 - sk_dist
    np.testing.assert_allclose(scores, expected, atol=1e-10)


@pytest.mark.parametrize("metric", ["euclidean", "cosine"])
def test_exclude_self_matches_scikit_learn_without_queries(data, metric):
    index, _ = data
    indices, _ = top_k_neighbours(index, index, k=4, metric=metric, exclude_self=True)
    knn = NearestNeighbors(n_neighbors=4, metric=metric, algorithm="brute").fit(index)
    _, sk_idx = knn.kneighbors()  # no query: each point's neighbours among the others
    np.testing.assert_array_equal(indices, sk_idx)
    assert not np.any(indices == np.arange(len(index))[:, None])


def test_top_k_dot_is_sorted_by_descending_dot_product(data):
    index, queries = data
    indices, scores = top_k_neighbours(queries, index, k=40, metric="dot")
    np.testing.assert_array_equal(indices, brute_force_neighbours(queries, index, metric="dot")[0])
    assert np.all(np.diff(scores, axis=1) <= 0)


def test_without_exclude_self_an_item_finds_itself_first(data):
    index, _ = data
    indices, scores = top_k_neighbours(index, index, k=1)
    np.testing.assert_array_equal(indices[:, 0], np.arange(len(index)))
    np.testing.assert_allclose(scores[:, 0], 1.0)


def test_ties_keep_the_lower_index_first():
    index = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 0.0], [1.0, 0.0]])
    indices, _ = top_k_neighbours(np.array([1.0, 0.0]), index, k=3, metric="cosine")
    assert indices.tolist() == [[0, 2, 3]]


def test_a_single_query_vector_gives_one_row(data):
    index, queries = data
    indices, scores = top_k_neighbours(queries[0], index, k=3)
    assert indices.shape == scores.shape == (1, 3)
    assert np.issubdtype(indices.dtype, np.integer)


def test_k_may_be_a_numpy_integer_and_may_equal_the_data_size(data):
    index, queries = data
    indices, _ = top_k_neighbours(queries, index, k=np.int64(len(index)))
    assert sorted(indices[0].tolist()) == list(range(len(index)))
    indices, _ = top_k_neighbours(index, index, k=len(index) - 1, exclude_self=True)
    assert indices.shape == (len(index), len(index) - 1)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("function", [euclidean_distance, dot_similarity, cosine_similarity])
def test_mismatched_dimensions_are_refused(function):
    with pytest.raises(ValueError, match=r"dimension mismatch: a has 3-dimensional vectors, b has 4"):
        function(np.ones((2, 3)), np.ones((5, 4)))


def test_top_k_refuses_mismatched_dimensions():
    with pytest.raises(ValueError, match=r"dimension mismatch"):
        top_k_neighbours(np.ones((2, 3)), np.ones((5, 4)), k=1)


@pytest.mark.parametrize("empty", [np.empty((0, 3)), np.empty((2, 0)), [], np.array([])])
def test_empty_inputs_are_refused(empty):
    with pytest.raises(ValueError, match=r"is empty"):
        cosine_similarity(empty, np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"is empty"):
        normalize(empty)


def test_top_k_refuses_an_empty_index():
    with pytest.raises(ValueError, match=r"b is empty"):
        top_k_neighbours(np.ones((1, 3)), np.empty((0, 3)), k=1)


def test_three_dimensional_arrays_are_refused():
    with pytest.raises(ValueError, match=r"must be a vector or a 2-D array"):
        euclidean_distance(np.ones((2, 2, 2)), np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"must be a vector or a 2-D array"):
        normalize(np.float64(3.0))


def test_k_larger_than_the_data_is_refused(data):
    index, queries = data
    with pytest.raises(ValueError, match=r"k=41 is larger than the 40 item\(s\) available"):
        top_k_neighbours(queries, index, k=41)
    with pytest.raises(ValueError, match=r"k=40 is larger than the 39 item\(s\).*query itself is excluded"):
        top_k_neighbours(index, index, k=40, exclude_self=True)


@pytest.mark.parametrize("k", [0, -1, 2.0, 1.5, "3", None, True])
def test_k_must_be_a_positive_integer(data, k):
    index, queries = data
    with pytest.raises(ValueError, match=r"k must be a positive integer"):
        top_k_neighbours(queries, index, k=k)


def test_unknown_metric_is_refused(data):
    index, queries = data
    with pytest.raises(ValueError, match=r"unknown metric 'manhattan'; choose one of cosine, dot, euclidean"):
        top_k_neighbours(queries, index, k=1, metric="manhattan")


def test_zero_vectors_have_no_cosine():
    vectors = np.array([[1.0, 0.0], [0.0, 0.0], [0.0, 1.0]])
    with pytest.raises(ValueError, match=r"cannot normalise zero vector\(s\) at row\(s\) \[1\]"):
        normalize(vectors)
    with pytest.raises(ValueError, match=r"zero vector"):
        cosine_similarity(vectors, vectors)
    with pytest.raises(ValueError, match=r"zero vector"):
        top_k_neighbours(np.zeros(2), vectors[[0, 2]], k=1, metric="cosine")
    # the other metrics are defined for zero vectors
    assert euclidean_distance(np.zeros(2), np.array([3.0, 4.0])) == pytest.approx(5.0)
    assert dot_similarity(np.zeros(2), np.array([3.0, 4.0])) == 0.0


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_and_infinite_values_are_refused(bad):
    vectors = np.ones((3, 2))
    vectors[1, 0] = bad
    with pytest.raises(ValueError, match=r"a contains NaN or infinite values"):
        euclidean_distance(vectors, np.ones((2, 2)))
    with pytest.raises(ValueError, match=r"b contains NaN or infinite values"):
        top_k_neighbours(np.ones((1, 2)), vectors, k=1, metric="dot")


def test_exclude_self_needs_the_queries_to_be_the_index(data):
    index, queries = data
    with pytest.raises(ValueError, match=r"exclude_self=True needs the queries to be the index itself; got 7 queries"):
        top_k_neighbours(queries, index, k=1, exclude_self=True)


# --------------------------------------------------------------------------- plotting


def test_scatter_2d_draws_one_series_per_group_with_labels():
    points = np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 0.5]])
    ax = scatter_2d(points, groups=["a", "b", "a"], labels=["x", "y", "z"], title="t", xlabel="u", ylabel="v")
    assert len(ax.collections) == 2
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["a", "b"]
    assert [text.get_text() for text in ax.texts] == ["x", "y", "z"]
    assert (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) == ("t", "u", "v")


@pytest.mark.parametrize("shape", [(5,), (5, 3), (5, 1), (2, 2, 2)])
def test_scatter_2d_refuses_points_that_are_not_2d(shape):
    with pytest.raises(ValueError, match=r"points must have shape \(n, 2\)"):
        scatter_2d(np.zeros(shape))


def test_scatter_2d_refuses_groups_or_labels_of_the_wrong_length():
    points = np.zeros((4, 2))
    with pytest.raises(ValueError, match=r"groups has 3 entries but there are 4 points"):
        scatter_2d(points, groups=["a", "b", "c"])
    with pytest.raises(ValueError, match=r"labels has 5 entries but there are 4 points"):
        scatter_2d(points, labels=list("abcde"))


def test_plot_similarity_matrix_draws_labelled_cells():
    matrix = np.array([[1.0, 0.2], [0.2, 1.0]])
    ax = plot_similarity_matrix(matrix, ["a", "b"], title="sims")
    assert ax.get_title() == "sims"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b"]
    assert sorted(t.get_text() for t in ax.texts) == ["0.20", "0.20", "1.00", "1.00"]


@pytest.mark.parametrize("shape", [(2, 3), (4,), (2, 2, 2)])
def test_plot_similarity_matrix_refuses_non_square_input(shape):
    with pytest.raises(ValueError, match=r"matrix must be square"):
        plot_similarity_matrix(np.zeros(shape), ["a", "b"])


def test_plot_similarity_matrix_refuses_the_wrong_number_of_labels():
    with pytest.raises(ValueError, match=r"3 labels for a 2x2 matrix"):
        plot_similarity_matrix(np.eye(2), ["a", "b", "c"])


def test_euclidean_is_accurate_far_from_the_origin():
    points = np.array([[1e8], [1e8 + 1.0], [1e8 + 3.0]])
    np.testing.assert_allclose(euclidean_distance(points, points),
                               [[0, 1, 3], [1, 0, 2], [3, 2, 0]], atol=1e-6)


# --------------------------------------------------------------------------- real text


@pytest.fixture(scope="module")
def wikipedia_tfidf():
    """TF-IDF rows (unit length) of real paragraphs: the first 25 of each of 20 Wikipedia articles."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from tutorial_utils.datasets import load_wikipedia_articles

    paragraphs = [p for article in load_wikipedia_articles()[:20] for p in article.paragraphs[:25]]
    matrix = TfidfVectorizer(stop_words="english", min_df=2, sublinear_tf=True).fit_transform(paragraphs)
    dense = matrix.toarray()
    return dense[np.linalg.norm(dense, axis=1) > 0]  # a paragraph of rare words only has no direction


def test_top_k_matches_scikit_learn_on_real_tfidf_paragraphs(wikipedia_tfidf):
    # chapter 1's check: sparse, high-dimensional text vectors, each paragraph's neighbours among the others
    vectors = wikipedia_tfidf
    assert vectors.shape[0] > 300 and vectors.shape[1] > 1000
    indices, scores = top_k_neighbours(vectors, vectors, k=5, metric="cosine", exclude_self=True)
    knn = NearestNeighbors(n_neighbors=5, metric="cosine", algorithm="brute").fit(vectors)
    sk_dist, sk_idx = knn.kneighbors()
    np.testing.assert_allclose(scores, 1.0 - sk_dist, atol=1e-9)
    # the same neighbour at every rank, except between exact ties (text has many cosines of exactly 0)
    rows, ranks = np.nonzero(indices != sk_idx)
    assert rows.size <= 0.01 * indices.size
    ours_cos = np.sum(vectors[rows] * vectors[indices[rows, ranks]], axis=1)
    theirs_cos = np.sum(vectors[rows] * vectors[sk_idx[rows, ranks]], axis=1)
    np.testing.assert_allclose(ours_cos, theirs_cos, atol=1e-12)
