"""Chapter 1 (embedding basics): the figures the executed notebook glued, checked against what the prose says.

Each test reads the glued values (``glued_figures("01_embedding_basics")``) and fails when a claim the
chapter makes about them no longer holds.
"""

from __future__ import annotations

import math

import pytest
from sklearn.random_projection import johnson_lindenstrauss_min_dim

STEM = "01_embedding_basics"


@pytest.fixture(scope="module")
def figures(glued_figures):
    return glued_figures(STEM)


@pytest.mark.notebooks
def test_corpus_is_the_five_groups_of_wikipedia_paragraphs(figures):
    sizes = figures["ch01_group_sizes"]
    assert set(sizes) == {"space", "countries", "chemistry", "animals", "thinkers"}
    assert sum(sizes.values()) == figures["ch01_n_docs"]
    assert all(0 < size <= 4 * figures["ch01_max_paragraphs"] for size in sizes.values())
    assert figures["ch01_n_articles_used"] < figures["ch01_n_articles_in_dump"]


@pytest.mark.notebooks
def test_city_distances_are_real(figures):
    # London-Paris great-circle distance is about 344 km.
    assert figures["ch01_london_paris_km"] == pytest.approx(344, abs=5)
    assert figures["ch01_london_nearest_city"] == "Paris"


@pytest.mark.notebooks
def test_hand_made_embedding_distances(figures):
    assert figures["ch01_scan_receipt_invoice"] == pytest.approx(math.hypot(0.05, 0.05))
    assert figures["ch01_scan_receipt_poem"] > 1.0  # the crease alone is worth 1.0


@pytest.mark.notebooks
def test_cosine_ignores_length_and_agrees_with_dot_after_normalising(figures):
    assert figures["ch01_cos_camera_double"] == pytest.approx(1.0)
    assert figures["ch01_euclid_camera_double"] > 1.0
    assert figures["ch01_cos_camera_lens"] > 0.9 > 0 > figures["ch01_cos_camera_rice"]
    assert figures["ch01_cos_dot_gap"] < 1e-12
    assert figures["ch01_cos_euclid_gap"] < 1e-12


@pytest.mark.notebooks
def test_word_map_neighbours_stay_in_their_group(figures):
    assert figures["ch01_wordmap_nn_same_group"] == 1.0


@pytest.mark.notebooks
def test_one_hot_vectors_are_sparse_and_all_equally_far_apart(figures):
    vocabulary = figures["ch01_vocab_size"]
    assert vocabulary == figures["ch01_tfidf_dim"] > 1000
    assert figures["ch01_onehot_sparsity"] == pytest.approx(1 - 1 / vocabulary)
    assert figures["ch01_onehot_distinct_distances"] == 1
    assert figures["ch01_onehot_distance"] == pytest.approx(math.sqrt(2))


@pytest.mark.notebooks
def test_embedding_lookup_equals_one_hot_times_matrix(figures):
    assert figures["ch01_lookup_equal"] is True
    assert figures["ch01_lookup_max_abs_diff"] == 0.0


@pytest.mark.notebooks
def test_numpy_top_k_matches_scikit_learn_on_the_real_data(figures):
    assert figures["ch01_knn_agreement"] == 1.0
    assert figures["ch01_knn_score_gap"] < 1e-9


@pytest.mark.notebooks
def test_tfidf_is_sparse_and_its_neighbours_beat_chance(figures):
    assert 0 < figures["ch01_tfidf_density"] < 0.05
    sizes = list(figures["ch01_group_sizes"].values())
    n = sum(sizes)
    assert figures["ch01_chance_purity"] == pytest.approx(sum(s * (s - 1) for s in sizes) / (n * (n - 1)))
    assert figures["ch01_tfidf_purity"] > 0.9


@pytest.mark.notebooks
def test_lsa_neighbours_are_in_the_same_group(figures):
    chance = figures["ch01_chance_purity"]
    assert figures["ch01_lsa_purity"] > 0.9
    assert figures["ch01_lsa_purity"] >= 3 * chance
    assert figures["ch01_lsa_purity_over_chance"] == pytest.approx(figures["ch01_lsa_purity"] / chance)
    assert figures["ch01_lsa_sklearn_agreement"] >= 0.99
    # a tiny LSA already beats chance by far; random projections to 20 dimensions do not keep topics
    assert figures["ch01_lsa_purity_2d"] > 2 * chance
    assert figures["ch01_lsa_dims_to_match_tfidf"] <= figures["ch01_lsa_dim"]
    assert figures["ch01_rp_purity_20d"] < figures["ch01_lsa_purity"] - 0.3
    assert figures["ch01_rp_purity_2000d"] > 0.9


@pytest.mark.notebooks
def test_lsa_neighbour_of_the_sample_paragraph(figures):
    assert figures["ch01_sample_title"] == "Aardwolf"
    assert figures["ch01_lsa_neighbour_group"] == figures["ch01_sample_group"] == "animals"
    # the prose says LSA finds it although the two paragraphs share few words
    assert figures["ch01_lsa_neighbour_cos"] > figures["ch01_lsa_neighbour_tfidf_cos"] + 0.3


@pytest.mark.notebooks
def test_johnson_lindenstrauss_bound_holds_at_the_chosen_dimension(figures):
    eps, n = figures["ch01_jl_eps"], figures["ch01_n_docs"]
    assert figures["ch01_jl_dim"] == int(johnson_lindenstrauss_min_dim(n_samples=n, eps=eps))
    assert figures["ch01_jl_dim"] < figures["ch01_tfidf_dim"]
    assert figures["ch01_jl_n_pairs"] == n * (n - 1) // 2
    assert 0 < figures["ch01_jl_max_distortion"] < eps
    assert 0 < figures["ch01_jl_max_distortion_numpy"] < eps
    assert figures["ch01_jl_all_within_bound"] is True
    assert figures["ch01_jl_empirical_dim"] <= figures["ch01_jl_dim"]


@pytest.mark.notebooks
def test_pca_and_the_uses_of_embeddings(figures):
    assert 0 < figures["ch01_pca_explained"] < 1
    assert figures["ch01_search_top_title"] in {"Apollo 8", "Apollo 11"}
    assert figures["ch01_kmeans_ari"] > 0.5
    assert figures["ch01_anomaly_auc"] > 0.7


@pytest.mark.notebooks
def test_what_can_go_wrong(figures):
    # Euclidean distance on raw counts picks short paragraphs and loses topics
    assert figures["ch01_counts_euclid_purity"] < figures["ch01_tfidf_purity"] - 0.2
    assert figures["ch01_median_len_euclid_neighbour"] < 0.6 * figures["ch01_median_len"]
    # distances concentrate as the dimension grows
    assert figures["ch01_contrast_2d"] > 10 * figures["ch01_contrast_10000d"]
    assert figures["ch01_contrast_10000d"] < 0.1
    # the Greek god lands among the moon missions far more often than the share of space paragraphs
    assert figures["ch01_apollo_god_in_space"] > 2 * figures["ch01_space_share"]
