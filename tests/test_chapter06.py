"""Chapter 6 (smaller embeddings: Matryoshka training, int8 and binary quantization): the glued
figures against the prose and the issues' targets.

Each test reads the values the executed notebook glued (the shared ``figures`` fixture of
``conftest.py``, for this module's ``STEM``). Figures of the trained MNIST models are read over
the chapter's seeds (``ch06_n_seeds``): every assertion on them clears its threshold by more than
the spread of the seeds it reads, and the docstrings hold the measured seed values (seeds 0, 1, 2,
3 epochs, one CPU thread, 2026-11-29). Figures of the pretrained MiniLM and of the search code do
not depend on a seed; their docstrings give the measured value and the margin. No test times
anything: speed belongs to `make bench`.
"""

from __future__ import annotations

import pytest

STEM = "06_smaller_embeddings"
VERDICTS = {"a measurable gain", "a measurable loss", "no measurable difference"}
pytestmark = pytest.mark.notebooks


def test_runs_offline_timed_on_one_thread_over_three_seeds(figures):
    # one thread for training and for the search timings (as chapter 5 times them);
    # MiniLM encodes on every core, as in chapter 5
    assert figures["ch06_hub_offline"] is True
    assert figures["ch06_threads"] == 1 and figures["ch06_encode_threads"] >= 1
    assert figures["ch06_dims"] == "8, 16, 32, 64, 128" and figures["ch06_embed_dim"] == 128
    assert figures["ch06_n_seeds"] >= 3 and figures["ch06_n_map_queries"] == 1000


def test_matryoshka_target_at_16_dimensions(figures):
    """Issue 8: the first 16 of 128 numbers keep >= 95% of the model's own precision@1.

    Measured share per seed: 0.9992, 0.9997, 0.9980 (spread 0.0017); the weakest seed clears
    0.95 by 0.048. (The issue's second half, precision@1 above the ordinary model's at 16
    numbers, is no longer asserted: with 5 epochs its order flipped between CPUs; the chapter
    now glues the seeds' verdict instead.)
    """
    assert figures["ch06_mrl_16_share_of_128_min"] >= 0.95


def test_matryoshka_against_ordinary_on_map_at_r(figures):
    """MAP@R, the robust difference (1,000 fixed test queries).

    8 numbers: Matryoshka 0.9166, 0.9026, 0.8961; ordinary 0.7405, 0.7034, 0.6894. The lowest
    Matryoshka seed is 0.156 above the highest ordinary one; asserted > 0.05, a margin of 0.106
    against a seed spread of at most 0.051.
    16 numbers: means 0.9182 and 0.8188 (gap 0.099); the ordinary seeds spread over 0.075
    (0.7832 to 0.8578), so the gap of the means is asserted > 0.02 (margin 0.079).
    The prose reads MAP@R's gap against precision@1's at 8 numbers: 0.194 against 0.025 (means);
    asserted apart by > 0.05 (margin 0.119).
    """
    assert figures["ch06_mrl_map_8_min"] - figures["ch06_plain_map_8_max"] > 0.05
    assert figures["ch06_mrl_map_16_mean"] - figures["ch06_plain_map_16_mean"] > 0.02
    assert figures["ch06_map_8_gap_mean"] - figures["ch06_p1_8_gap_mean"] > 0.05


def test_quality_floors_of_the_weakest_seed(figures):
    """Floors well below every seed, so that a broken training loop fails and a CPU does not.

    precision@1 at 128 numbers: Matryoshka 0.9781, 0.9781, 0.9784; ordinary 0.9804, 0.9809,
    0.9800: floor 0.97 (margin >= 0.008, spread <= 0.0009). precision@1 at 8 numbers,
    Matryoshka: 0.9755, 0.9741, 0.9739: floor 0.965 (margin 0.0089, spread 0.0016). MAP@R at
    128 numbers: Matryoshka 0.9273 to 0.9301, ordinary 0.9002 to 0.9056: floor 0.88 (margin
    0.020, spread <= 0.0054).
    """
    for model in ("mrl", "plain"):
        assert figures[f"ch06_{model}_p1_128_min"] > 0.97
        assert figures[f"ch06_{model}_map_128_min"] > 0.88
    assert figures["ch06_mrl_p1_8_min"] > 0.965


def test_eight_numbers_stay_below_the_ordinary_full_size(figures):
    """Prose: the Matryoshka model's first 8 numbers are on average that much *below* the
    ordinary model's full-size precision@1. Lowest ordinary seed at 128 numbers 0.9800, highest
    Matryoshka seed at 8 numbers 0.9755: 0.0045 apart, against seed spreads of 0.0009 and
    0.0016.
    """
    assert figures["ch06_plain_p1_128_min"] - figures["ch06_mrl_p1_8_max"] > 0
    assert figures["ch06_mrl_8_gap_to_plain_128_mean"] > 0


def test_quantize_before_you_cut(figures):
    """At 32 bytes: the first 32 numbers as int8 against the first 8 as float32 (Matryoshka).

    int8 at 32: 0.9774 (seed 0), 0.9776, 0.9767 (mean 0.9772, spread 0.0009); float32 at 8: 0.9755,
    0.9741, 0.9739 (mean 0.9745, spread 0.0016). The gap of the means, 0.0027, is asserted
    > 0: a margin above either spread. Whether the prose advises quantizing first is the
    notebook's verdict on the seed ranges, which do not overlap here (by 0.0012).
    """
    assert figures["ch06_mrl_int8_p1_32_mean"] - figures["ch06_mrl_p1_8_mean"] > 0


def test_minilm_degrades_when_cut(figures):
    """Pretrained MiniLM, no seed: recall@10 kept 0.635 / 0.846 / 0.944 / 0.972 at 32 / 64 /
    128 / 192 of 384 numbers with chapter 5's 78 questions (0.647 / 0.840 / 0.924 / 0.960 with the
    earlier 30; steps >= 0.028); at 64 numbers 0.10 below 0.95."""
    # chapter 5's queries, from tutorial_utils.wiki_questions: every title, then every question
    from tutorial_utils.wiki_questions import QUESTIONS
    assert figures["ch06_n_questions"] == len(QUESTIONS)
    assert figures["ch06_n_passage_queries"] == figures["ch06_n_articles"] + len(QUESTIONS)
    shares = [figures[f"ch06_minilm_share_{m}"] for m in (32, 64, 128, 192)]
    assert shares == sorted(shares) and shares[-1] < 1
    assert figures["ch06_minilm_share_64"] < 0.95


def test_quantizers_agree_with_the_code_by_hand_and_sentence_transformers(figures):
    """Independent references: codes by hand and sentence-transformers' quantize_embeddings,
    the sign identity, and metrics.precision_at_1 (Euclidean) against the chapter's
    inner-product search. Largest int8 error measured 0.00084, below half the widest bucket."""
    assert figures["ch06_int8_codes_match"] is True
    assert figures["ch06_binary_codes_match"] is True
    assert figures["ch06_hamming_identity"] is True
    assert figures["ch06_int8_max_error"] < 0.002
    assert figures["ch06_mnist_precision_check"] == 0


def test_binary_rescoring_target(figures):
    """Issue 8: binary + rescoring keeps >= 95% of float32 recall@10 on the passages at 32x less
    memory. Pretrained MiniLM, no seed: 0.976 kept (margin 0.026), the same in the benchmark of
    2026-11-29 and here. Rescoring over binary alone: 0.976 against 0.949 kept (gap 0.027) and
    0.859 against 0.802 of the float32 top 10 found (gap 0.057); int8 keeps 1.000 and finds 0.996.
    """
    assert figures["ch06_binary_compression"] == 32
    assert figures["ch06_passage_rescore_retained"] >= 0.95
    assert figures["ch06_passage_rescore_retained"] > figures["ch06_passage_binary_retained"] + 0.01
    assert (figures["ch06_passage_rescore_neighbours"]
            > figures["ch06_passage_binary_neighbours"] + 0.03)
    assert figures["ch06_passage_int8_retained"] >= 0.98
    assert figures["ch06_passage_int8_neighbours"] > 0.95


def test_quantization_table(figures):
    """The table's rows, timed the way chapter 5 times FAISS (a batch of 1,000 queries).
    Token vectors, no seed: int8 finds 0.993 of the float32 top 10; rescoring 0.824 against
    binary's 0.763 (gap 0.061, asserted > 0.03)."""
    table = figures["ch06_quantization_table"]
    for row in ("| float32 | 1,536 |", "| int8 | 384 |", "| binary | 48 |",
                "| binary + rescoring | 48 |"):
        assert row in table
    assert figures["ch06_speed_n_vectors"] > 100_000 and figures["ch06_speed_n_queries"] == 1000
    assert figures["ch06_speed_int8_neighbours"] > 0.95
    assert figures["ch06_speed_rescore_neighbours"] > figures["ch06_speed_binary_neighbours"] + 0.03


def test_mnist_quantization_and_what_can_go_wrong(figures):
    """At 128 numbers, over the Matryoshka model's 3 seeds (2026-11-29): int8 0.9781 (0.9778 to
    0.9783) against float32 0.9782 (0.9781 to 0.9784), mean gap -0.0001 (asserted within 0.003);
    binary 0.9765 (0.9752 to 0.9772, floor 0.95 on the lowest seed); binary + rescoring 0.9771
    (0.9764 to 0.9780). The rest is seed 0's model (the gaps asserted are far above the seed
    spread of precision@1, at most 0.0016). Bits at 64 against 16: 0.9717 against 0.9484 (gap 0.023, asserted > 0.01).
    Calibrating on one article: 24% of values clipped, float32 top 10 found 0.918 against
    0.996 (gap 0.078, asserted > 0.03). Ties at 16 / 32 / 128 bits: 734 / 47 / 2. Rescoring 1,000
    candidates at 16 bits with floats 0.972, with bits 0.943 (gap 0.029, asserted > 0.01).
    """
    # int8 and binary at 128 numbers: over the three seeds of the Matryoshka model
    assert abs(figures["ch06_int8_float_gap_128_mean"]) < 0.003
    assert figures["ch06_mrl_binary_p1_128_min"] > 0.95
    for method in ("int8", "binary", "rescore"):
        stem = f"ch06_mrl_{method}_p1_128"
        assert figures[f"{stem}_min"] <= figures[f"{stem}_mean"] <= figures[f"{stem}_max"]
    assert figures["ch06_int8_128_vs_float_verdict"] in VERDICTS
    assert figures["ch06_binary_128_vs_float_verdict"] in VERDICTS
    assert figures["ch06_rescore_128_vs_binary_verdict"] in VERDICTS
    assert figures["ch06_mnist_binary_p1_64"] > figures["ch06_mnist_binary_p1_16"] + 0.01
    assert figures["ch06_narrow_clipped"] > 0.05
    assert figures["ch06_narrow_neighbours"] < figures["ch06_passage_int8_neighbours"] - 0.03
    assert figures["ch06_ties_16"] > figures["ch06_ties_32"] > figures["ch06_ties_128"] >= 1
    assert (figures["ch06_rescore_deep_floats_p1_16"]
            > figures["ch06_rescore_deep_bits_p1_16"] + 0.01)
    assert figures["ch06_one_sided_passages"] < 0.05 and figures["ch06_one_sided_mnist"] < 0.05
