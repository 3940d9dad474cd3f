"""Chapter 4 (evaluating embeddings): the glued figures against the prose and the issue's targets.

Each test reads the values the executed notebook glued (``glued_figures("04_evaluating_embeddings")``) and
fails when a claim the chapter makes about them, or a target of issue 6, no longer holds. The 8-minute
target is a speed target, measured by `make bench`, not asserted here.
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
    assert figures["ch04_map_at_r_siamese"] > figures["ch04_map_at_r_classifier"] > figures["ch04_map_at_r_raw_pixels"]
    assert figures["ch04_map_at_r_siamese"] - figures["ch04_map_at_r_raw_pixels"] > 0.3
    assert figures["ch04_recall_at_10_raw_pixels"] > 0.99  # "nearly perfect for everyone"


def test_the_one_table_has_every_representation_and_column(figures):
    table = figures["ch04_summary_table"]
    for name in REPRESENTATIONS:
        assert f"| {name} |" in table
    for column in ("P@1", "R@10", "MAP@R", "pair acc.", "ROC AUC", "NMI", "ARI", "silh.", "lin. 100",
                   "lin. 1k", "net. 100", "dim", "bytes", "embed (s)"):
        assert f" {column} |" in table
    assert "| raw pixels |" in table and "| 784 | 3,136 |" in table
    assert figures["ch04_best_map_at_r_representation"] in ("Siamese dense", "Siamese conv")


def test_verification_and_clustering(figures):
    assert figures["ch04_roc_auc_siamese"] > figures["ch04_roc_auc_raw_pixels"] > 0.5
    assert figures["ch04_roc_auc_raw_pixels"] < 0.9  # "bow far below", unlike their retrieval scores
    assert figures["ch04_pair_accuracy_siamese"] > 0.95
    assert figures["ch04_nmi_siamese"] > figures["ch04_nmi_raw_pixels"]


PROBE_KEYS = ("raw_pixels", "pca50", "pca128", "classifier", "siamese", "conv")


def test_few_label_probes(figures, glued_figures):
    """The linear probe (scikit-learn logistic regression, C chosen by 3-fold cross-validation on the
    labelled images, inputs centred and scaled by one number) over 5 label draws.

    Measured in a prototype (draws seeded 7-11, 2026-11-29), 100 labels: raw pixels 0.737 +- 0.013,
    PCA-50 0.730 +- 0.009, PCA-128 0.737 +- 0.015; 1,000 labels: 0.877, 0.877, 0.876 (+- 0.002-0.004);
    the network on raw pixels with 100 labels 0.684 +- 0.045. The old probe (a fixed 300 Keras steps,
    inputs divided by std + 1e-6) had PCA-128 far below PCA-50 and raw pixels at 0.623.
    """
    assert figures["ch04_probe_draws"] >= 5
    mean = {key: figures[f"ch04_linear_probe_100_labels_{key}"] for key in PROBE_KEYS}
    spread = {key: figures[f"ch04_linear_probe_100_labels_{key}_std"] for key in PROBE_KEYS}
    # issue 15: the same probe as chapter 7's, on the same label draws (seeds 0-4 pick the same images in
    # both chapters), so their raw-pixel figures agree; different draws (7-11) gave 0.737 against 0.760
    assert abs(mean["raw_pixels"] - glued_figures("07_beyond_words_and_pixels")["ch07_pixels_probe"]) < 0.03
    # PCA-128 is not below PCA-50 by more than their spread over the draws
    assert mean["pca128"] >= mean["pca50"] - max(spread["pca128"], spread["pca50"])
    # "With 1,000 labels the representations that never saw a label rise" (raw pixels 0.760 -> 0.876,
    # PCA-50 0.759 -> 0.872, draws' spread about 0.01); the learned ones are at their ceiling (dense
    # Siamese 0.988 with 100 labels, 0.988 with 1,000) and nothing is claimed for them
    for key in ("raw_pixels", "pca50", "pca128"):
        assert figures[f"ch04_linear_probe_1000_labels_{key}"] > mean[key] + 3 * spread[key]
    # the Siamese embedding's probe is above the pixels' by far more than the draws' spread
    assert figures["ch04_probe_verdict_siamese_vs_pixels"] == "above"
    assert mean["siamese"] - mean["raw_pixels"] > 0.1
    # the prose's explanation of the network ("little to learn from") holds only if it is not above
    assert figures["ch04_probe_verdict_network_vs_linear"] in ("below", "not measurably different from")
    allowed = {"above", "below", "not measurably different from"}
    assert {figures["ch04_probe_verdict_pca128_vs_pca50"], figures["ch04_probe_verdict_pca50_vs_pixels"]} <= allowed


def test_word_table(figures):
    table = figures["ch04_word_table"]
    assert "| word2vec skip-gram |" in table and "| word2vec CBOW |" in table
    assert 0 < figures["ch04_sg_wordsim_oov"] < 1 and 0 < figures["ch04_sg_analogy_oov"] < 1
    # relatedness is captured better than similarity (the prose)
    assert figures["ch04_sg_wordsim_spearman"] > figures["ch04_sg_simlex_spearman"]


def test_gotcha_task_specific(figures):
    assert figures["ch04_ink_r2_raw_pixels"] > figures["ch04_ink_r2_siamese"]
    assert figures["ch04_slant_r2_raw_pixels"] > figures["ch04_slant_r2_siamese"]


def test_gotcha_seeds_and_procrustes(figures):
    assert abs(figures["ch04_seed_p1_a"] - figures["ch04_seed_p1_b"]) < 0.01  # equally good
    assert abs(figures["ch04_seed_correlation_before"]) < 0.3  # unrelated coordinate by coordinate
    assert figures["ch04_seed_correlation_after"] > 0.7  # agree after one rotation
    assert 0 < figures["ch04_seed_same_neighbour"] < 1


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


def test_the_convolutional_model_is_the_short_run_the_prose_describes(figures):
    assert figures["ch04_conv_epochs"] == 2
