"""Chapter 6 (smaller embeddings: Matryoshka training, int8 and binary quantization): the glued figures
against the prose and the issue's targets.

Each test reads the values the executed notebook glued (``glued_figures("06_smaller_embeddings")``) and fails
when a claim the chapter makes about them, or a target of issue 8, no longer holds. The 6-minute run time is
a speed target: `make bench` measures it, no test times it.
"""

from __future__ import annotations

import pytest

STEM = "06_smaller_embeddings"
DIMS = (8, 16, 128)
pytestmark = pytest.mark.notebooks


@pytest.fixture(scope="module")
def figures(glued_figures):
    return glued_figures(STEM)


def test_runs_offline_on_one_thread(figures):
    assert figures["ch06_hub_offline"] is True
    assert figures["ch06_threads"] == 1
    assert figures["ch06_dims"] == "8, 16, 32, 64, 128" and figures["ch06_embed_dim"] == 128


def test_matryoshka_target(figures):
    # issue 8: at 16 dimensions the Matryoshka model keeps >= 95% of its own 128-dim precision@1 ...
    share = figures["ch06_mrl_16_share_of_128"]
    assert share == pytest.approx(figures["ch06_mrl_p1_16"] / figures["ch06_mrl_p1_128"])
    assert share >= 0.95
    # ... and ranks better than the ordinary model truncated to 16 dimensions. The order of the two
    # precision@1 values at 16 dimensions is a coin flip (0.9788 vs 0.9772 here, 0.9791 vs 0.9792 on
    # another CPU), so the target is read on MAP@R, where the gap (0.932 vs 0.867 here) is twenty
    # times larger than the precision@1 one.
    assert figures["ch06_mrl_map_16"] - figures["ch06_plain_map_16"] > 0.03


def test_matryoshka_prose_claims(figures):
    for model in ("mrl", "plain"):
        for m in DIMS:
            assert 0.9 < figures[f"ch06_{model}_p1_{m}"] <= 1
            assert 0.5 < figures[f"ch06_{model}_map_{m}"] <= 1
    # "alike at full size"; the MAP@R gap and the gap at 8 dims are the robust difference
    assert abs(figures["ch06_mrl_p1_128"] - figures["ch06_plain_p1_128"]) < 0.005
    assert figures["ch06_mrl_p1_8"] - figures["ch06_plain_p1_8"] > figures["ch06_mrl_plain_gap_16"]
    assert figures["ch06_mrl_map_8"] - figures["ch06_plain_map_8"] > 0.05
    assert figures["ch06_mrl_map_16"] > figures["ch06_plain_map_16"]
    assert 0 <= figures["ch06_mrl_8_gap_to_plain_128"] < 0.01
    assert figures["ch06_n_map_queries"] == 1000
    assert figures["ch06_train_s_matryoshka"] > 0 and figures["ch06_train_s_ordinary"] > 0


def test_minilm_degrades_when_cut(figures):
    assert figures["ch06_n_articles"] == 106 and figures["ch06_n_passage_queries"] == 136
    shares = [figures[f"ch06_minilm_share_{m}"] for m in (32, 64, 128, 192)]
    assert shares == sorted(shares) and shares[-1] < 1
    assert figures["ch06_minilm_share_64"] < 0.95    # a model not trained for it loses more than MNIST Matryoshka


def test_quantizers_agree_with_the_code_by_hand_and_sentence_transformers(figures):
    assert figures["ch06_int8_codes_match"] is True
    assert figures["ch06_binary_codes_match"] is True
    assert figures["ch06_hamming_identity"] is True
    assert figures["ch06_int8_max_error"] < 0.002
    assert figures["ch06_mnist_precision_check"] == 0


def test_binary_rescoring_target(figures):
    # issue 8: binary + rescoring keeps >= 95% of float32 recall@10 on the passage task at 32x less memory
    assert figures["ch06_binary_compression"] == 32
    retained = figures["ch06_passage_rescore_retained"]
    assert retained == pytest.approx(figures["ch06_passage_rescore_recall10"] / figures["ch06_passage_float_recall10"])
    assert retained >= 0.95
    assert figures["ch06_rescore_target_met"] is True
    # prose: rescoring recovers part of what binary loses; int8 keeps almost everything
    assert figures["ch06_passage_rescore_retained"] >= figures["ch06_passage_binary_retained"]
    assert figures["ch06_passage_rescore_neighbours"] > figures["ch06_passage_binary_neighbours"]
    assert figures["ch06_passage_int8_retained"] >= 0.98 and figures["ch06_passage_int8_neighbours"] > 0.95


def test_quantization_table_and_speed(figures):
    table = figures["ch06_quantization_table"]
    for row in ("| float32 | 1,536 |", "| int8 | 384 |", "| binary | 48 |", "| binary + rescoring | 48 |"):
        assert row in table
    assert figures["ch06_speed_n_vectors"] > 100_000
    for method in ("float", "int8", "binary", "rescore"):
        assert figures[f"ch06_speed_{method}_qps"] > 0
    # quality on the token vectors: int8 near 1, rescoring above binary alone
    assert figures["ch06_speed_int8_neighbours"] > 0.95
    assert figures["ch06_speed_rescore_neighbours"] > figures["ch06_speed_binary_neighbours"]


def test_mnist_quantization_and_what_can_go_wrong(figures):
    assert abs(figures["ch06_mnist_int8_p1_128"] - figures["ch06_mrl_p1_128"]) < 0.002
    assert figures["ch06_mnist_rescore_p1_128"] >= figures["ch06_mnist_binary_p1_128"] > 0.95
    assert figures["ch06_mnist_binary_p1_64"] > figures["ch06_mnist_binary_p1_16"]
    # "at 32 bytes ... quantize before you cut that far"; "8 numbers in int8 and 64 in bits are close"
    assert figures["ch06_mnist_int8_p1_32"] > figures["ch06_mrl_p1_8"]
    assert abs(figures["ch06_mnist_int8_p1_8"] - figures["ch06_mnist_binary_p1_64"]) < 0.005
    # calibrating on one article clips values and moves the ranking
    assert figures["ch06_narrow_clipped"] > 0.05
    assert figures["ch06_narrow_neighbours"] < figures["ch06_passage_int8_neighbours"]
    # ties in short codes; rescoring with the bits cannot split identical codes, floats can
    assert figures["ch06_ties_16"] > figures["ch06_ties_32"] > figures["ch06_ties_128"] >= 1
    assert figures["ch06_rescore_deep_floats_p1_16"] > figures["ch06_rescore_deep_bits_p1_16"]
    assert figures["ch06_one_sided_passages"] < 0.05 and figures["ch06_one_sided_mnist"] < 0.05
