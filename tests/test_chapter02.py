"""Chapter 2's figures: the targets of the Siamese MNIST chapter, read from the executed notebook."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.notebooks

STEM = "02_siamese_mnist"
CONV_STEM = "02_siamese_mnist_convolutional"  # the "Going further" companion notebook


@pytest.fixture(scope="module")
def conv_figures(glued_figures):
    return glued_figures(CONV_STEM)


# Per-seed figures: each recipe run exactly as the notebooks run it (tutorial_utils.siamese, the same data
# and pairs), on a 2-core AMD EPYC; the chapter runs seed 1, the companion's convolutional base seed 2.
# On another CPU the same seed gives other figures (TensorFlow is deterministic on one machine only): one
# seed of the old recipe measured 0.9801 here and 0.9817 there (precision@1), 0.0027 apart at most. Each
# target sits further below the lowest seed than that spread and the seed-to-seed spread.


def test_classic_recipe_is_the_walkthrough_s(figures):
    # the walkthrough reports about 97% pair accuracy (its binary accuracy at half the margin).
    # Test pair accuracy at d < 0.5, seeds 1, 2, 3: 0.9655, 0.9698, 0.9720 (spread 0.0065; seed 1 with
    # oneDNN kernels: 0.9646). Its
    # precision@1, 0.9699, 0.9694, 0.9737, is within a few test digits of the raw pixels' 0.9691 for two
    # seeds: not asserted to beat them.
    assert figures["ch02_classic_test_pair_accuracy"] >= 0.955


def test_dense_network_test_pair_accuracy(figures):
    """Threshold chosen on validation pairs. The chapter's recipe since 2026-11-29 evening: hidden layers
    512 and 256, Adam from 2e-3 cosine-decayed, 5 epochs, oneDNN kernels; seeds 1, 2, 3 (measured with
    tutorial_utils.siamese.train_dense_siamese, the same network): 0.9900, 0.9890, 0.9896 (spread 0.0010,
    lowest 0.0090 above the target). The earlier wide base (1024, 512) at 1e-3: 0.9913, 0.9915, 0.9913."""
    assert figures["ch02_test_pair_accuracy"] >= 0.98


def test_dense_network_precision_at_1_beats_raw_pixels_and_the_classic_recipe(figures):
    """Precision@1 of the chapter's recipe (hidden layers 512 and 256, Adam from 2e-3, cosine decay,
    5 epochs, oneDNN kernels), seeds 1, 2, 3: 0.9822, 0.9823, 0.9831 (seed-to-seed spread 0.0009; the
    lowest is 0.0022 above the 0.98 target: more than the seed spread, less than the 0.0027 one seed of
    an older recipe moved between two CPUs, so on another CPU the margin is thin).
    Variants measured for the 3-minute budget (same layers): Adam's default 1e-3, seeds 1, 2: 0.9834,
    0.9802 (one seed at the target); 3e-3, seed 2: 0.9814. The wide base (1024, 512) at 1e-3, seeds 1, 2,
    3: 0.9849, 0.9837, 0.9854, for about 2.5 times the arithmetic per image."""
    assert figures["ch02_precision_at_1"] >= 0.98
    assert figures["ch02_precision_at_1"] > figures["ch02_raw_pixel_precision_at_1"]
    # the chapter's recipe against the classic one: classic precision@1 seed 1 0.9706 (oneDNN), seeds 2, 3
    # 0.9694, 0.9737 (without oneDNN, not re-measured): the chapter's seeds are 0.0116, 0.0129, 0.0094 above
    assert figures["ch02_precision_at_1"] - figures["ch02_classic_precision_at_1"] >= 0.008


def test_raw_pixel_nearest_neighbour_is_the_published_figure(figures):
    # 1-NN on raw pixels, 10,000 test against 60,000 training images: 0.9691
    assert figures["ch02_raw_pixel_precision_at_1"] == pytest.approx(0.9691, abs=5e-5)


def test_threshold_comes_from_validation_pairs_and_is_a_real_distance(figures):
    assert 0.0 < figures["ch02_threshold"] < 2.0  # unit-length embeddings: distances lie in [0, 2]
    # the chapter's recipe, seed 1: 0.9898 (seeds 2, 3 not scored on validation); the wide base 0.9904-0.9914
    assert figures["ch02_val_pair_accuracy"] >= 0.98


def test_mistakes_and_neighbour_counts_add_up(figures):
    assert figures["ch02_false_same"] + figures["ch02_false_different"] == figures["ch02_test_mistakes"]
    assert 0 < figures["ch02_top_confusion_count"] <= figures["ch02_false_same"]
    assert figures["ch02_shown_right"] <= figures["ch02_shown_neighbours"] == 25
    assert 0 <= figures["ch02_last_row_right"] <= 4  # its nearest neighbour is the wrong digit
    assert figures["ch02_silhouette_embeddings"] > figures["ch02_silhouette_pixels"]


def test_the_walkthrough_trains_for_five_epochs(figures):
    # The time goals (chapter's 5 epochs < 120 s, notebook < 3 min, conv < 3 min) are speed targets:
    # `make bench` measures them on an otherwise idle machine (metadata book.time_targets_s), not a test.
    assert figures["ch02_epochs"] == 5


def test_numpy_distance_equals_the_siamese_output(figures):
    assert figures["ch02_same_distance_max_abs_error"] < 1e-5


def test_saved_models_load_back_unchanged(figures):
    assert figures["ch02_reload_max_abs_error"] < 1e-6
    assert figures["ch02_siamese_reload_max_abs_error"] < 1e-6


def test_inverted_metric_reports_one_minus_the_accuracy(figures):
    assert figures["ch02_inverted_metric_accuracy"] == pytest.approx(1 - figures["ch02_test_pair_accuracy"], abs=1e-4)
    assert figures["ch02_inverted_loss"] > figures["ch02_test_loss"]
    assert figures["ch02_broadcast_accuracy"] == pytest.approx(0.5, abs=0.05)


def test_convolutional_base_targets(conv_figures):
    # Batch-normalised convolutional base, learning rate 3e-3, oneDNN kernels; at 5 epochs, on the 2-core
    # AMD EPYC: precision@1 over seeds 1, 2, 3: 0.9944, 0.9944, 0.9943 (seed-to-seed spread 0.0001;
    # the notebook runs seed 2); pair accuracy 0.9963, 0.9960, 0.9960. The earlier base without batch
    # normalisation, at 1e-3, gave 0.9926-0.9941 over five seeds. Issue 14's target of 0.993 is met by
    # every seed here, but only 0.0013 below the lowest: more than the seed spread, less than the 0.0027
    # that one seed moved between two CPUs. So the test asserts 0.991 (0.0033 below the lowest seed), and
    # the closing note reports the 0.993 target as met here without a cross-CPU margin.
    # Re-run 2026-11-29 21:22 (companion with the dense baseline through train_once, 5 epochs kept):
    # seed 2 again 0.9944 / 0.9960.
    # 2026-11-30: 4 epochs instead of 5 (the companion's 240 s budget), without TensorFlow's op
    # determinism: precision@1 over seeds 2, 3, 4: 0.9936, 0.9938, 0.9933 (spread 0.0005). The 0.993
    # target still holds for every seed, by 0.0003 at the lowest: no cross-CPU margin. 0.991 stays the
    # asserted floor (0.0023 below the lowest seed).
    assert conv_figures["ch02_conv_test_pair_accuracy"] >= 0.99
    assert conv_figures["ch02_conv_precision_at_1"] >= 0.991


def test_companion_dense_baseline_repeats_chapter_2(figures, conv_figures):
    """train_dense_siamese is the chapter's recipe with its seed: on one machine, the same network (trained
    by the companion or loaded by train_once from the cache). Precision@1 searches the same embeddings, so
    it is equal; the companion computes pair distances from the embeddings in numpy where the chapter
    uses the Siamese model's layer, which may differ in the last float32 digit: one test pair of 20,000
    could cross the threshold, so pair accuracy may differ by one pair."""
    assert conv_figures["ch02_dense_precision_at_1"] == pytest.approx(figures["ch02_precision_at_1"], abs=1e-9)
    one_pair = 1 / 20_000
    assert conv_figures["ch02_dense_test_pair_accuracy"] == pytest.approx(
        figures["ch02_test_pair_accuracy"], abs=one_pair + 1e-9
    )


def test_comparison_table_puts_both_bases_side_by_side(conv_figures):
    assert conv_figures["ch02_conv_precision_at_1"] > conv_figures["ch02_dense_precision_at_1"]
    assert conv_figures["ch02_pairs_per_batch"] == 256 * 255 // 2
    for name in ("ch02_dense_train_seconds", "ch02_conv_train_seconds"):
        assert isinstance(conv_figures[name], float), name
