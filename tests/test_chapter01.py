"""Chapter 1 (embedding basics): the figures the executed notebook glued, checked against what the prose says.

Each notebook test reads the glued values (``glued_figures("01_embedding_basics")``) and fails when a claim
the chapter makes about them no longer holds: against an independent reference (a published distance, the
lemma's formula, a simulation) or a quality target with a margin wider than the seed-to-seed spread. The
last test checks the chapter's LSA recipe (numpy's SVD) against scikit-learn's ``TruncatedSVD``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

STEM = "01_embedding_basics"


@pytest.mark.notebooks
def test_corpus_is_the_five_groups_of_wikipedia_paragraphs(figures):
    sizes = figures["ch01_group_sizes"]
    assert set(sizes) == {"space", "countries", "chemistry", "animals", "thinkers"}
    assert sum(sizes.values()) == figures["ch01_n_docs"]
    assert all(0 < size <= 4 * figures["ch01_max_paragraphs"] for size in sizes.values())
    assert figures["ch01_n_articles_used"] < figures["ch01_n_articles_in_dump"]


@pytest.mark.notebooks
def test_city_distances_are_real(figures):
    # published great-circle distances: London-Paris about 344 km, London-New York about 5,570 km,
    # London-Tokyo about 9,560 km, Berlin-Madrid (the farthest European pair here) about 1,870 km
    assert figures["ch01_london_paris_km"] == pytest.approx(344, abs=5)
    assert figures["ch01_london_new_york_km"] == pytest.approx(5570, abs=30)
    assert figures["ch01_london_tokyo_km"] == pytest.approx(9560, abs=40)
    assert figures["ch01_europe_max_km"] == pytest.approx(1870, abs=20)
    assert figures["ch01_london_nearest_city"] == "Paris"


@pytest.mark.notebooks
def test_hand_made_embedding_distances(figures):
    # the receipt and the invoice are close; the crease alone (a full unit) sets the poem apart
    assert figures["ch01_scan_receipt_invoice"] < 0.2
    assert figures["ch01_scan_receipt_poem"] > 1.0 > 5 * figures["ch01_scan_receipt_invoice"]


@pytest.mark.notebooks
def test_cosine_ignores_length_and_agrees_with_dot_after_normalising(figures):
    assert figures["ch01_cos_camera_double"] == pytest.approx(1.0)
    assert figures["ch01_euclid_camera_double"] > 1.0
    assert figures["ch01_cos_camera_lens"] > 0.9 > 0 > figures["ch01_cos_camera_rice"]
    assert figures["ch01_cos_dot_gap"] < 1e-12
    assert figures["ch01_cos_euclid_gap"] < 1e-12


@pytest.mark.notebooks
def test_word_map_groups_are_red_blocks_and_neighbours_stay_in_their_group(figures):
    # the prose: within-group cosines are high (red), between-group ones pale or blue
    assert figures["ch01_wordmap_min_cos_within"] > 0.6
    assert figures["ch01_wordmap_max_cos_between"] < 0.3
    assert figures["ch01_wordmap_nn_same_group"] == 1.0


@pytest.mark.notebooks
def test_one_hot_vectors_are_sparse_and_all_equally_far_apart(figures):
    vocabulary = figures["ch01_vocab_size"]
    assert vocabulary == figures["ch01_tfidf_dim"] > 1000
    assert figures["ch01_onehot_sparsity"] == pytest.approx(1 - 1 / vocabulary)  # one 1 per vector
    assert figures["ch01_onehot_distinct_distances"] == 1
    assert figures["ch01_onehot_distance"] == pytest.approx(math.sqrt(2))


@pytest.mark.notebooks
def test_embedding_lookup_equals_one_hot_times_matrix(figures):
    assert figures["ch01_lookup_equal"] is True
    assert figures["ch01_lookup_max_abs_diff"] == 0.0


@pytest.mark.notebooks
def test_chance_level_agrees_with_random_embeddings(figures):
    # independent reference: the formula's chance level against random vectors' nearest-paragraph accuracy
    sem = figures["ch01_random_nn_accuracy_std"] / math.sqrt(figures["ch01_random_n_seeds"])
    assert abs(figures["ch01_random_nn_accuracy_mean"] - figures["ch01_chance_nn_accuracy"]) < 4 * sem
    # and it sits between 1/groups and the largest group's share, as a same-group probability must
    sizes = list(figures["ch01_group_sizes"].values())
    assert 1 / len(sizes) - 0.01 < figures["ch01_chance_nn_accuracy"] < max(sizes) / sum(sizes)


@pytest.mark.notebooks
def test_tfidf_is_sparse_and_its_nearest_paragraphs_beat_chance(figures):
    assert 0 < figures["ch01_tfidf_density"] < 0.05
    assert figures["ch01_tfidf_nn_accuracy"] > 0.9
    assert figures["ch01_tfidf_nn_accuracy"] > 3 * figures["ch01_chance_nn_accuracy"]


@pytest.mark.notebooks
def test_lsa_nearest_paragraphs_are_in_the_same_group(figures):
    chance = figures["ch01_chance_nn_accuracy"]
    assert figures["ch01_lsa_nn_accuracy"] > 0.9
    assert figures["ch01_lsa_nn_accuracy"] > 3 * chance
    assert figures["ch01_lsa_nn_accuracy_2d"] > 2 * chance  # "keeps ... with only two"
    assert figures["ch01_lsa_dims_to_reach_tfidf"] <= figures["ch01_lsa_dim"]
    # the uncentred SVD: the first direction points almost along the mean paragraph
    assert figures["ch01_lsa_first_direction_mean_cos"] > 0.9


@pytest.mark.notebooks
def test_lsa_against_tfidf_is_worded_by_its_bootstrap_interval(figures):
    low, high = figures["ch01_lsa_minus_tfidf_low"], figures["ch01_lsa_minus_tfidf_high"]
    assert low <= figures["ch01_lsa_minus_tfidf"] <= high
    assert high - low < 0.1  # the interval is narrow enough to say something
    contains_zero = low <= 0 <= high
    assert figures["ch01_lsa_vs_tfidf_verdict"].endswith(
        "no measurable difference" if contains_zero else "a measurable difference")


@pytest.mark.notebooks
def test_random_projection_needs_many_more_dimensions_than_lsa(figures):
    # at the same 20 dimensions every random-projection seed is far below LSA ("learning pays")
    assert figures["ch01_rp_nn_accuracy_20d_max"] < figures["ch01_lsa_nn_accuracy"] - 0.3
    assert figures["ch01_rp_nn_accuracy_20d_min"] > figures["ch01_chance_nn_accuracy"]
    # at the largest dimension it comes near TF-IDF ("far more dimensions to come near")
    largest = figures["ch01_rp_nn_accuracy_largest_mean"]
    assert figures["ch01_rp_nn_accuracy_largest_min"] <= largest <= figures["ch01_rp_nn_accuracy_largest_max"]
    assert abs(largest - figures["ch01_tfidf_nn_accuracy"]) < 0.05
    assert figures["ch01_rp_largest_dim"] > 20 * figures["ch01_lsa_dims_to_reach_tfidf"]


@pytest.mark.notebooks
def test_lsa_neighbour_of_the_sample_paragraph(figures):
    assert figures["ch01_sample_title"] == "Aardwolf"
    assert figures["ch01_lsa_neighbour_group"] == figures["ch01_sample_group"] == "animals"
    # the prose says LSA finds it although the two paragraphs share few words
    assert figures["ch01_lsa_neighbour_cos"] > figures["ch01_lsa_neighbour_tfidf_cos"] + 0.3


@pytest.mark.notebooks
def test_johnson_lindenstrauss_bound_holds_at_the_chosen_dimension(figures):
    eps, n = figures["ch01_jl_eps"], figures["ch01_n_docs"]
    # the lemma's formula as the chapter prints it, k >= 4 ln n / (eps^2/2 - eps^3/3)
    assert abs(figures["ch01_jl_dim"] - 4 * math.log(n) / (eps**2 / 2 - eps**3 / 3)) < 1
    assert figures["ch01_jl_dim"] < figures["ch01_tfidf_dim"]
    assert 0 < figures["ch01_jl_max_distortion"] < eps
    assert 0 < figures["ch01_jl_max_distortion_numpy"] < eps
    # "off by at most ... of the guaranteed eps" must be inside the guarantee
    assert 0 < figures["ch01_jl_worst_share_of_bound"] < 1
    assert figures["ch01_jl_empirical_dim"] <= figures["ch01_jl_dim"]
    assert figures["ch01_jl_smallest_dim"] < figures["ch01_jl_first_guaranteed_dim"]
    assert figures["ch01_jl_distortion_smallest_dim"] > 1  # "the distortion is large"


@pytest.mark.notebooks
def test_pca_picture_and_the_uses_of_embeddings(figures):
    assert 0 < figures["ch01_pca_explained"] < 0.5  # "keep only ..."
    assert figures["ch01_pca_pc1_group_centre"] > figures["ch01_pca_pc1_next_centre"]
    groups = {figures["ch01_pca_pc1_group"], figures["ch01_pca_pc2_low_group"],
              figures["ch01_pca_pc2_high_group"]}
    assert groups <= set(figures["ch01_group_sizes"])
    # a flat picture hides separations the 20-dimensional search still uses
    assert figures["ch01_pca2_nn_accuracy"] < figures["ch01_lsa_nn_accuracy"] - 0.1
    assert figures["ch01_search_top_title"] in {"Apollo 8", "Apollo 11"}
    assert figures["ch01_kmeans_ari"] > 0.5
    assert figures["ch01_anomaly_auc"] > 0.7  # chance is 0.5


@pytest.mark.notebooks
def test_what_can_go_wrong(figures):
    # Euclidean distance on raw counts loses topics: cosine is better by a bootstrap interval far from 0
    assert figures["ch01_counts_cos_minus_euclid_low"] > 0.1
    assert figures["ch01_counts_euclid_nn_accuracy"] < figures["ch01_tfidf_nn_accuracy"] - 0.2
    assert figures["ch01_median_len_euclid_neighbour"] < 0.6 * figures["ch01_median_len"]
    # distances concentrate as the dimension grows
    assert figures["ch01_contrast_2d"] > 10 * figures["ch01_contrast_10000d"]
    assert figures["ch01_contrast_10000d"] < 0.1
    # the Greek god lands among the moon missions far more often than the share of space paragraphs
    assert figures["ch01_apollo_god_in_space"] > 2 * figures["ch01_space_share"]


def test_numpy_lsa_matches_truncated_svd_on_wikipedia_paragraphs():
    """The chapter's LSA (numpy's exact SVD) equals TruncatedSVD's arpack solver, up to each direction's sign."""
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    from tutorial_utils.datasets import load_wikipedia_articles
    from tutorial_utils.similarity import top_k_neighbours

    paragraphs = [p for article in load_wikipedia_articles()[:20] for p in article.paragraphs[:25]]
    X = TfidfVectorizer(stop_words="english", min_df=2, sublinear_tf=True).fit_transform(paragraphs)
    X = X[np.asarray(X.sum(axis=1)).ravel() > 0]  # drop paragraphs with no vocabulary word
    k = 20
    U, sigma, _ = np.linalg.svd(X.toarray(), full_matrices=False)
    ours = normalize(U[:, :k] * sigma[:k])  # the chapter's recipe
    theirs = normalize(TruncatedSVD(n_components=k, algorithm="arpack", random_state=0).fit_transform(X))
    signs = np.sign(np.sum(ours * theirs, axis=0))
    np.testing.assert_allclose(ours * signs, theirs, atol=1e-6)
    nearest_ours, _ = top_k_neighbours(ours, ours, k=1, exclude_self=True)
    nearest_theirs, _ = top_k_neighbours(theirs, theirs, k=1, exclude_self=True)
    np.testing.assert_array_equal(nearest_ours, nearest_theirs)
