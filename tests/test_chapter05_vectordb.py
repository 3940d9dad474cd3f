"""Chapter 5's companion (a vector database; the WEAT association test): glued figures against the prose
and the targets of issue 19.

The WEAT figures are recomputed here by an independent implementation (plain Python, no
``tutorial_utils.weat``) on the same sentence vectors, read from the book's model cache (or encoded
again: the same call the notebook makes).
"""

from __future__ import annotations

import itertools
import math
import statistics

import numpy as np
import pytest

STEM = "05_vector_database"


@pytest.mark.notebooks
def test_the_index_reaches_the_recall_target_against_exact_search(figures):
    assert figures["ch05_vectordb_flat_recall"] == 1.0  # no index: LanceDB's scan is exact search
    assert figures["ch05_vectordb_exact_recall"] == 1.0
    assert figures["ch05_vectordb_recall_target"] == 0.95
    assert figures["ch05_vectordb_recall_at_10"] >= 0.95
    # chosen on the titles, reported on the questions
    assert figures["ch05_vectordb_title_recall"] >= figures["ch05_vectordb_recall_target"]
    assert figures["ch05_vectordb_num_partitions"] == 8 and figures["ch05_vectordb_num_sub_vectors"] == 48
    assert 0 < figures["ch05_vectordb_hnsw_recall_at_10"] <= 1
    for name in ("ivfpq_ms", "hnsw_ms", "exact_ms"):
        assert figures[f"ch05_vectordb_{name}"] > 0
    faster = "FAISS's HNSW" if figures["ch05_vectordb_hnsw_ms"] < figures["ch05_vectordb_ivfpq_ms"] \
        else "LanceDB's IVF-PQ"
    assert figures["ch05_vectordb_faster_of_two"] == faster
    assert figures["ch05_vectordb_ivfpq_over_scan"] == pytest.approx(
        figures["ch05_vectordb_ivfpq_ms"] / figures["ch05_vectordb_exact_ms"])
    # LanceDB's k-means takes no seed: every build is scored, and every one reaches the target
    assert figures["ch05_vectordb_n_builds"] >= 3
    assert figures["ch05_vectordb_recall_min"] >= 0.95
    assert (figures["ch05_vectordb_recall_min"] <= figures["ch05_vectordb_recall_at_10"]
            <= figures["ch05_vectordb_recall_max"])


@pytest.mark.notebooks
def test_the_prefilter_equals_the_hand_filtered_exact_result(figures):
    assert figures["ch05_vectordb_filter_equal"] is True
    assert figures["ch05_vectordb_filter_equal_share"] == 1.0  # every question, not one
    assert figures["ch05_vectordb_filter_n_allowed"] >= figures["ch05_vectordb_k"]


@pytest.mark.notebooks
def test_counts_after_add_and_delete_and_after_reopening(figures):
    assert figures["ch05_vectordb_n_before"] == figures["ch05_vectordb_n_passages"] == 1540
    assert figures["ch05_vectordb_n_deleted"] > 0 and figures["ch05_vectordb_n_added"] > 0
    assert figures["ch05_vectordb_n_after"] == (figures["ch05_vectordb_n_before"]
                                                - figures["ch05_vectordb_n_deleted"]
                                                + figures["ch05_vectordb_n_added"])
    assert figures["ch05_vectordb_unindexed_after_add"] == figures["ch05_vectordb_n_added"]
    assert figures["ch05_vectordb_added_found_first"] is True
    assert figures["ch05_vectordb_no_deleted_returned"] is True
    assert figures["ch05_vectordb_reopened_rows"] == figures["ch05_vectordb_n_after"]
    assert figures["ch05_vectordb_reopen_identical"] is True


@pytest.mark.notebooks
def test_the_hybrid_comparison_is_worded_by_its_interval(figures):
    for name in ("mrr", "recall_at_10"):
        low = figures[f"ch05_vectordb_hybrid_minus_fusion_{name}_low"]
        high = figures[f"ch05_vectordb_hybrid_minus_fusion_{name}_high"]
        verdict = figures[f"ch05_vectordb_hybrid_minus_fusion_{name}_verdict"]
        expected = ("no measurable difference" if low <= 0 <= high
                    else "measurably higher" if low > 0 else "measurably lower")
        assert verdict == expected
        diff = figures[f"ch05_vectordb_hybrid_{name}"] - figures[f"ch05_vectordb_chapter5_fusion_{name}"]
        assert low - 1e-9 <= diff <= high + 1e-9
        assert 0 < figures[f"ch05_vectordb_hybrid_{name}"] <= 1


@pytest.mark.notebooks
def test_weat_figures_and_their_spread(figures):
    effect, p = figures["ch05_weat_effect_size"], figures["ch05_weat_p_value"]
    assert -2 <= effect <= 2  # a Cohen's d over 16 values is bounded near 2 in size
    assert 0 < p <= 1
    assert figures["ch05_weat_n_splits"] == math.comb(16, 8)
    # p is a count of splits over all splits
    assert abs(p * math.comb(16, 8) - round(p * math.comb(16, 8))) < 1e-6
    assert figures["ch05_weat_effect_low"] <= effect <= figures["ch05_weat_effect_high"]
    assert figures["ch05_weat_p_low"] <= figures["ch05_weat_p_high"]
    assert figures["ch05_weat_resamples"] >= 1000
    excludes = figures["ch05_weat_effect_low"] > 0 or figures["ch05_weat_effect_high"] < 0
    assert figures["ch05_weat_interval_excludes_zero"] is excludes
    if figures["ch05_weat_effect_low"] > 0:
        assert figures["ch05_weat_reading"].startswith("associates men's names with career")
    elif figures["ch05_weat_effect_high"] < 0:
        assert figures["ch05_weat_reading"].startswith("associates women's names with career")
    else:
        assert figures["ch05_weat_reading"].startswith("shows no association")


def _word_vectors():
    """The notebook's per-word vectors: the normalised mean of each word's template sentences."""
    from tutorial_utils.cache import train_once
    from tutorial_utils.sentence_vectors import encode_sentences
    from tutorial_utils.weat import (ATTRIBUTE_TEMPLATES, CAREER_WORDS, FAMILY_WORDS, FEMALE_NAMES,
                                     MALE_NAMES, NAME_TEMPLATES)

    lists = [(MALE_NAMES, NAME_TEMPLATES), (FEMALE_NAMES, NAME_TEMPLATES),
             (CAREER_WORDS, ATTRIBUTE_TEMPLATES), (FAMILY_WORDS, ATTRIBUTE_TEMPLATES)]
    # the sentences written out here, not with fill_templates: word by word, template by template
    sentences = [t.format(w) for words, templates in lists for w in words for t in templates]
    vectors = np.asarray(train_once(encode_sentences, sentences), dtype=np.float64)
    groups = []
    for g in range(4):
        words = []
        for w in range(8):
            rows = vectors[(g * 8 + w) * 6:(g * 8 + w + 1) * 6]
            mean = [statistics.fmean(col) for col in zip(*rows.tolist())]
            norm = math.sqrt(sum(v * v for v in mean))
            words.append([v / norm for v in mean])
        groups.append(words)
    return groups


def _s(w, a, b):
    return (statistics.fmean(sum(p * q for p, q in zip(w, x)) for x in a)
            - statistics.fmean(sum(p * q for p, q in zip(w, y)) for y in b))


@pytest.mark.notebooks
def test_weat_recomputed_independently_on_the_same_embeddings(figures):
    x, y, a, b = _word_vectors()
    sx, sy = [_s(w, a, b) for w in x], [_s(w, a, b) for w in y]
    effect = (statistics.fmean(sx) - statistics.fmean(sy)) / statistics.stdev(sx + sy)
    assert effect == pytest.approx(figures["ch05_weat_effect_size"], abs=1e-6)
    assert statistics.fmean(sx) == pytest.approx(figures["ch05_weat_male_mean_s"], abs=1e-6)
    # the exact permutation p-value by enumeration of all 12,870 splits of the 16 names
    s = sx + sy
    total, observed = sum(s), sum(sx) - sum(sy)
    hits = sum(2 * sum(s[i] for i in chosen) - total >= observed - 1e-9
               for chosen in itertools.combinations(range(16), 8))
    assert hits / math.comb(16, 8) == pytest.approx(figures["ch05_weat_p_value"], abs=1e-12)


@pytest.mark.notebooks
def test_sampled_permutation_p_value_agrees_with_exact_enumeration_on_a_small_case(figures):
    """A small case (4 + 4 names, 70 splits): the sampled p-value is within sampling error of the
    exact enumeration, on the notebook's own embeddings."""
    from tutorial_utils.weat import weat_p_value

    x, y, a, b = (np.array(g) for g in _word_vectors())
    x, y = x[:4], y[:4]
    sx = [_s(w, a, b) for w in x.tolist()]
    sy = [_s(w, a, b) for w in y.tolist()]
    s, observed = sx + sy, sum(sx) - sum(sy)
    exact = statistics.fmean(
        float(sum(s[i] for i in c) - sum(s[i] for i in range(8) if i not in c) >= observed - 1e-9)
        for c in itertools.combinations(range(8), 4))
    assert weat_p_value(x, y, a, b) == pytest.approx(exact, abs=1e-12)  # enumerated: equal
    sampled = weat_p_value(x, y, a, b, max_exact=1, n_permutations=20_000, seed=0)
    assert abs(sampled - exact) < 4 * math.sqrt(exact * (1 - exact) / 20_000) + 1e-3


@pytest.mark.notebooks
def test_the_database_lives_in_a_temporary_folder_and_no_figure_is_missing(figures):
    assert figures["ch05_runtime"]
    assert figures["ch05_vectordb_lancedb_version"] == "0.40.0"
    assert figures["ch05_vectordb_disk_mb"] > 0


def test_the_index_against_the_scan_is_read_from_every_timing_pass(figures):
    assert figures["ch05_vectordb_timing_passes"] >= 3
    assert figures["ch05_vectordb_ivfpq_vs_scan"] in (
        "slower in every pass", "faster in every pass", "no measurable difference (the passes overlap)")
