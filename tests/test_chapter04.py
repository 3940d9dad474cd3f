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
    for name in ("raw_pixels", "siamese", "classifier"):
        assert 0 < figures[f"ch04_map_at_r_{name}"] <= 1


def test_the_one_table_has_every_representation_and_column(figures):
    table = figures["ch04_summary_table"]
    for name in REPRESENTATIONS:
        assert f"| {name} |" in table
    for column in ("P@1", "R@10", "MAP@R", "pair acc.", "ROC AUC", "NMI", "ARI", "silh.", "lin. 100",
                   "lin. 1k", "lin. all", "MLP 100", "MLP 1k", "MLP all", "dim", "bytes", "embed (s)"):
        assert f" {column} |" in table
    assert "| raw pixels |" in table and "| 784 | 3,136 |" in table
    assert figures["ch04_best_map_at_r_representation"] in ("Siamese dense", "Siamese conv")


def test_verification_and_clustering(figures):
    assert figures["ch04_roc_auc_siamese"] > figures["ch04_roc_auc_raw_pixels"] > 0.5
    assert figures["ch04_roc_auc_raw_pixels"] < 0.9  # "bow far below", unlike their retrieval scores
    assert figures["ch04_pair_accuracy_siamese"] > 0.95
    assert figures["ch04_nmi_siamese"] > figures["ch04_nmi_raw_pixels"]


def test_few_label_probes(figures):
    for name in ("raw_pixels", "siamese", "classifier"):
        assert 0.1 < figures[f"ch04_linear_probe_100_labels_{name}"] <= 1
    assert figures["ch04_linear_probe_100_labels_siamese"] > figures["ch04_linear_probe_100_labels_raw_pixels"]
    assert figures["ch04_linear_probe_all_labels_raw_pixels"] > figures["ch04_linear_probe_100_labels_raw_pixels"]
    # "with all labels the gap narrows"
    gap_100 = figures["ch04_linear_probe_100_labels_siamese"] - figures["ch04_linear_probe_100_labels_raw_pixels"]
    gap_all = figures["ch04_linear_probe_all_labels_siamese"] - figures["ch04_linear_probe_all_labels_raw_pixels"]
    assert gap_all < gap_100


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
