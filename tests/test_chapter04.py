"""Chapter 4 (evaluating embeddings): the glued figures against the prose and the issues' targets.

Each test reads the values the executed notebook glued (``glued_figures("04_evaluating_embeddings")``) and
fails when a claim the chapter makes about them, or a target of issues 6 and 15, no longer holds. The time
and memory budgets (issue 16) are measured by `make bench`, not asserted here.
"""

from __future__ import annotations

import pytest

STEM = "04_evaluating_embeddings"
pytestmark = pytest.mark.notebooks

REPRESENTATIONS = ("raw pixels", "PCA 50", "PCA 128", "random projection 128", "classifier penultimate",
                   "Siamese dense", "Siamese conv")


def test_raw_pixel_knn_accuracy_reproduces_the_reference(figures):
    assert figures["ch04_knn_accuracy_raw_pixels"] == pytest.approx(0.9691, abs=1e-4)


def test_the_learned_embeddings_beat_raw_pixels_at_retrieval(figures):
    assert figures["ch04_knn_accuracy_siamese"] > figures["ch04_knn_accuracy_raw_pixels"]
    assert figures["ch04_knn_accuracy_conv"] > figures["ch04_knn_accuracy_raw_pixels"]
    # MAP@R separates them far more than precision@1 (the prose's point)
    assert figures["ch04_map_at_r_siamese"] - figures["ch04_map_at_r_raw_pixels"] > 0.3
    assert figures["ch04_recall_at_10_raw_pixels"] > 0.99  # "nearly perfect for everyone"
    # the fair classifier "comes close but stays below in this run" (one run each: 0.900 against 0.976)
    assert figures["ch04_map_at_r_raw_pixels"] + 0.3 < figures["ch04_map_at_r_classifier"] < figures[
        "ch04_map_at_r_siamese"]
    # the conv model: precision@1 "within a few thousandths" of the dense one's, MAP@R "far below"
    # (measured 0.9808 against 0.9822, MAP@R 0.664 against 0.976)
    assert abs(figures["ch04_knn_accuracy_conv"] - figures["ch04_knn_accuracy_siamese"]) < 0.01
    assert figures["ch04_map_at_r_conv"] < figures["ch04_map_at_r_siamese"] - 0.1


def test_the_one_table_has_every_representation_and_column(figures):
    table = figures["ch04_summary_table"]
    for name in REPRESENTATIONS:
        assert f"| {name} |" in table
    for column in ("P@1", "R@10", "MAP@R", "pair acc.", "ROC AUC", "NMI", "ARI", "silh.", "lin. 100",
                   "lin. 1k", "dim", "bytes", "embed (s)"):
        assert f" {column} |" in table
    assert "| raw pixels |" in table and "| 784 | 3,136 |" in table
    assert figures["ch04_best_map_at_r_representation"] in ("Siamese dense", "Siamese conv",
                                                             "classifier penultimate")


def test_verification(figures):
    """Measured AUC: dense 0.999, classifier 0.993, conv 0.922, raw pixels 0.735."""
    assert figures["ch04_roc_auc_siamese"] > figures["ch04_roc_auc_raw_pixels"] > 0.5
    assert min(figures["ch04_roc_auc_siamese"], figures["ch04_roc_auc_classifier"]) > 0.98  # "hug the corner"
    assert figures["ch04_roc_auc_raw_pixels"] < figures["ch04_roc_auc_conv"] < figures["ch04_roc_auc_classifier"]
    assert figures["ch04_roc_auc_raw_pixels"] < 0.9  # "bow far below", unlike their retrieval scores
    assert figures["ch04_pair_accuracy_siamese"] > 0.95


def test_clustering_and_its_reading(figures):
    """The prose: NMI/ARI highest for the dense Siamese embedding and the classifier, then conv, then raw
    pixels; the conv model's low silhouette comes from b (nearest other cluster), not a (own cluster).

    Measured (2026-11-29): NMI dense 0.960, classifier 0.948, conv 0.831, raw 0.500; ARI 0.970, 0.959,
    0.822, 0.377; silhouette dense 0.926, conv 0.268; a 0.063 and 0.063, b 0.926 and 0.088.
    """
    for score in ("nmi", "ari"):
        value = {k: figures[f"ch04_{score}_{k}"] for k in ("raw_pixels", "siamese", "conv", "classifier")}
        assert min(value["siamese"], value["classifier"]) > value["conv"] > value["raw_pixels"] + 0.2
    assert figures["ch04_silhouette_siamese"] > figures["ch04_silhouette_conv"] + 0.2
    a_dense, a_conv = figures["ch04_a_siamese"], figures["ch04_a_conv"]
    assert a_dense / 2 < a_conv < 2 * a_dense  # "within a cluster the two are alike"
    assert figures["ch04_b_siamese"] > 3 * figures["ch04_b_conv"]  # "only ... in the convolutional one"
    # the silhouette's definition: with a << b it is close to 1 - a / b
    assert figures["ch04_silhouette_siamese"] == pytest.approx(1 - a_dense / figures["ch04_b_siamese"], abs=0.1)


PROBE_KEYS = ("raw_pixels", "pca50", "pca128", "classifier", "siamese", "conv")


def test_few_label_probes(figures, glued_figures):
    """The linear probe (scikit-learn logistic regression, C chosen by 3-fold cross-validation on the
    labelled images, inputs centred and scaled by one number, one BLAS thread) over 5 label draws.

    Measured (draws seeded 0-4, 2026-11-29): raw pixels 100 labels 0.760 +- 0.012, 1,000 labels
    0.876 +- 0.003; PCA-50 0.759 +- 0.012 / 0.872 +- 0.004; PCA-128 0.758 +- 0.012 / 0.875 +- 0.004;
    the network on raw pixels with 100 labels 0.750 +- 0.014. The old probe (a fixed 300 Keras steps,
    inputs divided by std + 1e-6) had PCA-128 far below PCA-50 and raw pixels at 0.623.
    """
    assert figures["ch04_probe_draws"] >= 5
    mean = {key: figures[f"ch04_linear_probe_100_labels_{key}"] for key in PROBE_KEYS}
    spread = {key: figures[f"ch04_linear_probe_100_labels_{key}_std"] for key in PROBE_KEYS}
    for key in PROBE_KEYS:  # issue 15: the 1,000-label figures are glued with their spread too
        assert 0 <= figures[f"ch04_linear_probe_1000_labels_{key}_std"] < 0.05
    # issue 15: the same probe as chapter 7's, on the same label draws (seeds 0-4 pick the same images in
    # both chapters), so their raw-pixel figures agree
    assert abs(mean["raw_pixels"] - glued_figures("07_beyond_words_and_pixels")["ch07_pixels_probe"]) < 0.03
    # PCA-128 is not below PCA-50 by more than their spread over the draws
    assert mean["pca128"] >= mean["pca50"] - max(spread["pca128"], spread["pca50"])
    # "representations that never saw a label gain from every labelled image" (raw pixels 0.760 -> 0.876)
    for key in ("raw_pixels", "pca50"):
        assert figures[f"ch04_probe_verdict_1000_vs_100_{key}"] == "above"
    allowed = {"above", "below", "not measurably different from"}
    for key in ("siamese", "conv"):
        assert figures[f"ch04_probe_verdict_1000_vs_100_{key}"] in allowed
    # the Siamese embedding's probe is above the pixels' by far more than the draws' spread
    assert figures["ch04_probe_verdict_siamese_vs_pixels"] == "above"
    assert mean["siamese"] - mean["raw_pixels"] > 0.1
    # the prose's explanation of the network ("little to learn from") holds only if it is not above
    assert figures["ch04_probe_verdict_network_vs_linear"] in ("below", "not measurably different from")
    assert {figures["ch04_probe_verdict_pca128_vs_pca50"], figures["ch04_probe_verdict_pca50_vs_pixels"]} <= allowed


def test_the_map_keeps_neighbours_not_distances(figures):
    """The prose: the map keeps same-digit neighbours about as often as the embedding; the order of the
    digit centres' distances only loosely, and a digit's width relative to the gaps not at all.

    Measured (2026-11-29, one t-SNE run): 1,000 mapped digits: neighbours 0.974 in the map, 0.979 in 128
    dimensions; rank correlation of the centre distances 0.34; width/gap 0.048 in 128 dimensions, 0.078
    in the map (1.6x; 2,000 digits gave 0.43 and 0.047 / 0.101).
    """
    assert figures["ch04_map_neighbour_2d"] > 0.9
    assert abs(figures["ch04_map_neighbour_2d"] - figures["ch04_map_neighbour_128"]) < 0.03
    assert figures["ch04_map_gap_order"] < 0.8  # "a loose guide"
    assert figures["ch04_map_spread_2d"] > 1.5 * figures["ch04_map_spread_128"]


def test_gotcha_task_specific(figures):
    assert figures["ch04_ink_r2_raw_pixels"] > figures["ch04_ink_r2_siamese"]
    assert figures["ch04_slant_r2_raw_pixels"] > figures["ch04_slant_r2_siamese"]


def test_gotcha_seeds_and_procrustes(figures):
    """Measured (10,000 images, 2 epochs, seeds 11/12): precision@1 0.9333 / 0.9305, correlation -0.025
    before and 0.971 after Procrustes, same nearest image for 0.129 of the test digits (3 epochs: 0.9441 /
    0.9483, -0.032, 0.973, 0.095)."""
    assert abs(figures["ch04_seed_p1_a"] - figures["ch04_seed_p1_b"]) < 0.01  # equally good
    assert abs(figures["ch04_seed_correlation_before"]) < 0.3  # unrelated coordinate by coordinate
    assert figures["ch04_seed_correlation_after"] > 0.7  # agree after one rotation
    assert 0 < figures["ch04_seed_same_neighbour"] < 0.5  # "only": most neighbours differ


def test_gotcha_out_of_distribution(figures):
    clean = figures["ch04_ood_p1_siamese_clean"]
    assert figures["ch04_ood_p1_siamese_rotated"] < clean - 0.2
    assert figures["ch04_ood_p1_siamese_inverted"] < clean - 0.2
    assert figures["ch04_ood_distance_siamese_inverted"] > figures["ch04_ood_distance_siamese_clean"]


def test_gotcha_dimension_sweep(figures):
    """"Nearly all its quality in 8 dimensions": the 128-to-8 gap stays below 0.03.

    Measured gaps: 0.001 and 0.003 with the earlier dense recipe on two CPUs, 0.004 with chapter 2's
    present recipe (2026-11-29), while the precision@1 values themselves moved up to 0.016 between
    runs: the margin (at least 0.026) is larger than that movement.
    """
    assert figures["ch04_sweep_siamese_p1_8"] > figures["ch04_sweep_pixels_p1_8"]
    assert figures["ch04_sweep_siamese_p1_128"] - figures["ch04_sweep_siamese_p1_8"] < 0.03
    assert figures["ch04_sweep_pixels_p1_64"] > figures["ch04_sweep_pixels_p1_8"]
    assert figures["ch04_sweep_siamese_p1_2"] > 0.9  # "even 2 dimensions"


def test_the_models_are_the_runs_the_prose_describes(figures):
    assert figures["ch04_siamese_epochs"] == 5  # chapter 2's dense network, the companion's cached call
    assert figures["ch04_conv_epochs"] < figures["ch04_siamese_epochs"]  # "instead of chapter 2's"
    assert figures["ch04_classifier_epochs"] == figures["ch04_siamese_epochs"]  # the fair baseline
