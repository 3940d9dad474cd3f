"""Chapter 7 (graphs, categorical embeddings, self-supervised contrastive learning): the glued figures
against the prose and the issue's targets.

Each test reads the values the executed notebook glued (``glued_figures("07_beyond_words_and_pixels")``)
and fails when a claim the chapter makes about them, or a target of the chapter's issue, no longer holds.
"""

from __future__ import annotations

import pytest

STEM = "07_beyond_words_and_pixels"
pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def figures(glued_figures):
    return glued_figures(STEM)


def test_karate_club_is_classified_from_four_labels(figures):
    assert figures["ch07_karate_nodes"] == 34 and figures["ch07_karate_edges"] == 78
    assert figures["ch07_karate_labelled"] == 4
    assert figures["ch07_n_seeds"] >= 5  # averaged over several seeds, with the spread glued
    for name in ("deepwalk", "node2vec"):
        assert figures[f"ch07_karate_{name}_acc"] >= 0.85
        assert 0 <= figures[f"ch07_karate_{name}_acc_std"] < 0.15
    # "the two walks do about equally well: the spread over seeds is as large as the difference"
    difference = abs(figures["ch07_karate_deepwalk_acc"] - figures["ch07_karate_node2vec_acc"])
    assert difference <= max(figures["ch07_karate_deepwalk_acc_std"], figures["ch07_karate_node2vec_acc_std"])


def test_link_prediction_beats_chance_and_leakage_inflates_it(figures):
    assert figures["ch07_lesmis_nodes"] == 77
    assert figures["ch07_lesmis_hidden"] == 25  # 10% of 254 edges
    for name in ("deepwalk", "node2vec", "adamic_adar"):
        assert figures[f"ch07_link_{name}_auc"] > 0.75  # "far above chance"
        assert 0 <= figures[f"ch07_link_{name}_auc_std"] < 0.15
    # "the humble Adamic-Adar count" is hard to beat on this graph
    assert figures["ch07_link_adamic_adar_auc"] > figures["ch07_link_deepwalk_auc"]
    # what can go wrong: training on the hidden edges scores higher
    assert figures["ch07_link_leaky_auc"] > figures["ch07_link_deepwalk_auc"]


def test_embedding_layer_is_a_one_hot_product(figures):
    assert figures["ch07_lookup_max_diff"] < 1e-6


def test_matrix_factorisation_beats_popularity_and_one_hot(figures):
    assert figures["ch07_rec_users"] == 2000 and figures["ch07_rec_items"] == 500
    popularity, one_hot, mf = (figures[f"ch07_hr10_{k}"] for k in ("popularity", "onehot", "mf"))
    assert 0 < popularity < 0.5 and 0 < one_hot < 0.5
    assert mf > 2 * popularity and mf > 2 * one_hot
    # "a learned popularity list": the one-hot model is close to popularity
    assert abs(one_hot - popularity) < 0.05
    # similar items end up close: most of an item's neighbours share its hidden group
    assert figures["ch07_item_purity"] > 0.8 > 5 * figures["ch07_item_purity_chance"]


def test_simclr_meets_the_target_without_labels(figures):
    assert figures["ch07_ntxent_max_diff"] < 1e-5
    # target: precision@1 >= 0.90 with no labels in training, glued beside the supervised figure
    assert figures["ch07_simclr_p1"] >= 0.90
    assert figures["ch07_supervised_p1"] > figures["ch07_simclr_p1"]
    assert figures["ch07_pixels_p1"] > 0.95  # "nearest neighbours among centred digits are already very good"
    # the linear probe with 100 labels: "a hundred labels go further on the self-supervised
    # representation than on pixels"; the word "above" in the prose follows the numbers
    assert figures["ch07_probe_draws"] >= 3
    gap = figures["ch07_simclr_probe"] - figures["ch07_pixels_probe"]
    assert figures["ch07_probe_gap"] == pytest.approx(abs(gap))
    assert figures["ch07_probe_verdict"] == ("above" if gap > 0 else "below")
    assert gap > 0.03 and figures["ch07_probe_verdict"] == "above"
    assert figures["ch07_supervised_probe"] > max(figures["ch07_simclr_probe"], figures["ch07_pixels_probe"])
    assert figures["ch07_simclr_epochs"] <= 5 and figures["ch07_simclr_seconds"] > 0
    assert figures["ch07_supervised_seconds"] > 0 and figures["ch07_rec_seconds"] > 0


def test_what_can_go_wrong_projection_head(figures):
    # "the representation below the head is the one to use"
    assert figures["ch07_simclr_head_p1"] < figures["ch07_simclr_p1"]
