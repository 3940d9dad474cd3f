"""Chapter 9 (adapting a pretrained encoder): the glued figures against issue 18's targets and
independent references.

Each test reads the values the executed notebook glued (``glued_figures("09_adapting_encoders")``)
and fails when a claim the chapter makes about them no longer holds. Margins are wider than the
spread measured for the issue: the same seeds run twice on this CPU gave the same figures;
the classification rows' standard deviations over the 10 cross-validation splits are 0.05-0.09
(topic with MiniLM: 0), and the bootstrap intervals of the fine-tuning measures are 0.04-0.09 wide.

Issue 18's target of +0.05 held-out inverse-cloze recall@10 cannot be bought here: the base model
already scores 0.940, so the most any training can add is 0.060, and 24 steps (48 s) moved it by
+0.016 [+0.000, +0.036], after 12 steps by -0.004. The chapter shows both training lengths with
their intervals and says what each cost, as the issue allows; the tests check that it does.
"""

from __future__ import annotations

import numpy as np
import pytest

from tutorial_utils.datasets import load_polarity_sentences
from tutorial_utils.wiki_questions import QUESTIONS

STEM = "09_adapting_encoders"
pytestmark = pytest.mark.notebooks

MEASURES = ("ict_recall10", "ict_mrr", "questions_mrr", "lee_pearson")


def test_the_split_holds_out_whole_articles(figures):
    assert figures["ch09_n_held_out_articles"] == 30
    assert figures["ch09_n_train_articles"] + figures["ch09_n_held_out_articles"] == figures["ch09_n_articles"]
    assert figures["ch09_n_topic_articles"] == 19  # chapter 1's five groups, all held out
    assert figures["ch09_query_leaks"] == 0  # no held-out passage contains its query
    assert figures["ch09_n_test_pairs"] >= 200 and figures["ch09_n_train_pairs"] > figures["ch09_n_test_pairs"]
    # BM25's hard negatives: mostly paragraphs of the query's own article
    assert figures["ch09_hard_same_article"] > 0.5


def test_every_measure_has_intervals_that_hold_its_value(figures):
    for measure in MEASURES:
        for side in ("before", "after"):
            value = figures[f"ch09_{measure}_{side}"]
            assert figures[f"ch09_{measure}_{side}_low"] <= value <= figures[f"ch09_{measure}_{side}_high"]
        gain = figures[f"ch09_{measure}_after"] - figures[f"ch09_{measure}_before"]
        assert figures[f"ch09_{measure}_gain"] == pytest.approx(gain)
        low, high = figures[f"ch09_{measure}_gain_low"], figures[f"ch09_{measure}_gain_high"]
        assert low <= gain <= high
        # the verdict is the one the paired interval allows
        expected = ("no measurable difference" if low <= 0 <= high
                    else "measurably higher" if low > 0 else "measurably lower")
        assert figures[f"ch09_{measure}_verdict"] == expected


def test_the_baseline_is_chapter_5s_model(figures):
    # independent references: chapter 5 measured the same model on the same data
    assert figures["ch09_n_questions"] == len(QUESTIONS)
    assert figures["ch09_n_passages"] == 1540
    assert figures["ch09_eval_tokens"] == 256
    assert figures["ch09_questions_mrr_before"] == pytest.approx(0.6626, abs=0.005)  # chapter 5: 0.663
    assert figures["ch09_lee_pearson_before"] == pytest.approx(0.6564, abs=0.005)  # chapter 5: 0.656


def test_fine_tuning_raises_held_out_recall(figures):
    before, after = figures["ch09_ict_recall10_before"], figures["ch09_ict_recall10_after"]
    # the room left above the base model, as the prose states it
    assert figures["ch09_recall10_ceiling_gain"] == pytest.approx(1 - before)
    assert after <= 1 and figures["ch09_ict_recall10_gain"] <= figures["ch09_recall10_ceiling_gain"]
    # "this budget buys little" on unseen articles: measured +0.016, and never a loss beyond the spread
    assert abs(figures["ch09_ict_recall10_gain"]) < 0.05 and figures["ch09_ict_recall10_gain_high"] > 0
    # two training lengths, each with its interval and its cost
    assert 0 < figures["ch09_checkpoint"] < figures["ch09_steps"]
    low, high = figures["ch09_checkpoint_gain_low"], figures["ch09_checkpoint_gain_high"]
    assert low <= figures["ch09_checkpoint_gain"] <= high
    assert figures["ch09_checkpoint_verdict"] == ("no measurable difference" if low <= 0 <= high
                                                  else "measurably higher" if low > 0 else "measurably lower")
    assert figures["ch09_checkpoint_seconds"] < figures["ch09_train_seconds"]
    assert figures["ch09_train_seconds"] == pytest.approx(figures["ch09_step_seconds"] * figures["ch09_steps"])
    # a fixed budget: inputs cut to 64 word pieces, small batches, a fixed number of steps
    assert figures["ch09_train_tokens"] <= 128 and figures["ch09_batch"] <= 32
    assert figures["ch09_train_triplets_seen"] == figures["ch09_steps"] * figures["ch09_batch"]
    # the prose reads the questions and the Lee benchmark through their verdicts, which moved between
    # runs (questions MRR +0.039 [+0.004, +0.077] and +0.031 [-0.012, +0.075]; Lee -0.012 [-0.056, +0.037]
    # and -0.058 [-0.102, -0.007] for the same recipe with the plain and the cached loss): each reading
    # must match its own verdict
    readings = {
        "ch09_questions": ("helped it answer", "did not measurably change", "less well"),
        "ch09_lee": ("got better", "no sign", "lost part"),
    }
    for name, (up, same, down) in readings.items():
        measure = "questions_mrr" if name == "ch09_questions" else "lee_pearson"
        expected = {"measurably higher": up, "no measurable difference": same, "measurably lower": down}
        assert expected[figures[f"ch09_{measure}_verdict"]] in figures[f"{name}_reading"]
    # the cached loss: the whole batch's loss, back-propagated a few triplets at a time
    assert 1 <= figures["ch09_mini_batch"] < figures["ch09_batch"]


def test_fine_tuned_model_saves_and_reloads(figures):
    assert figures["ch09_reload_max_diff"] < 1e-5
    assert 50 < figures["ch09_saved_mb"] < 200  # MiniLM's weights, about 90 MB


def test_classification_table_has_every_row_with_a_spread(figures):
    sentences, labels = load_polarity_sentences()
    assert figures["ch09_n_sentiment"] == len(sentences) == 200
    assert figures["ch09_cv_folds"] == figures["ch09_cv_k"] * figures["ch09_cv_repeats"] >= 10
    table = figures["ch09_classification_table"]
    for row in ("TF-IDF + LR", "mean word2vec + LR", "frozen MiniLM + LR", "fine-tuned MiniLM + LR",
                "nn.Embedding + GRU, from scratch", "nn.Embedding + GRU, word2vec start"):
        assert row in table
    for task in ("sentiment", "topic"):
        for row in ("tfidf", "w2v", "frozen", "tuned", "gru", "gru_w2v"):
            mean, std = figures[f"ch09_cls_{task}_{row}_mean"], figures[f"ch09_cls_{task}_{row}_std"]
            assert 0 <= mean <= 1 and 0 <= std < 0.2
    # every classifier on fixed features beats chance on topic (five groups; the largest is 21%)
    for row in ("tfidf", "w2v", "frozen", "tuned"):
        assert figures[f"ch09_cls_topic_{row}_mean"] > figures["ch09_chance_topic"] + 0.2


def test_pretrained_features_beat_the_gru_from_scratch_on_sentiment(figures):
    frozen, gru = figures["ch09_cls_sentiment_frozen_mean"], figures["ch09_cls_sentiment_gru_mean"]
    spread = max(figures["ch09_cls_sentiment_frozen_std"], figures["ch09_cls_sentiment_gru_std"])
    assert frozen - gru == pytest.approx(figures["ch09_cls_sentiment_frozen_minus_gru"])
    # measured 0.752 +- 0.059 against 0.505 +- 0.071: a gap of 0.247, more than three spreads
    assert frozen - gru > 2 * spread
    assert figures["ch09_cls_frozen_vs_gru"] == "larger than either spread"
    # fine-tuned vs frozen (measured 0.7525 both): the prose's verdict is the spreads' verdict
    tuned_gap = abs(figures["ch09_cls_sentiment_tuned_mean"] - frozen)
    tuned_spread = max(figures["ch09_cls_sentiment_tuned_std"], figures["ch09_cls_sentiment_frozen_std"])
    assert figures["ch09_cls_tuned_vs_frozen"] == ("larger than the spread" if tuned_gap > tuned_spread
                                                  else "inside the spread")
    # the prose's other readings of the table
    sentiment_spread = max(figures[f"ch09_cls_sentiment_{r}_std"] for r in ("tfidf", "w2v", "gru", "gru_w2v"))
    assert figures["ch09_cls_sentiment_gru_w2v_mean"] <= gru + sentiment_spread  # "does no better"
    for row in ("tfidf", "w2v"):  # "close to chance too" (measured 0.550 and 0.497)
        assert figures[f"ch09_cls_sentiment_{row}_mean"] < 0.65 < frozen
    # topic: "words alone are enough"; the GRU "gains most from the word2vec start" (0.419 -> 0.743)
    assert figures["ch09_cls_topic_tfidf_mean"] > 0.9 and figures["ch09_cls_topic_frozen_mean"] > 0.9
    topic_spread = max(figures["ch09_cls_topic_gru_std"], figures["ch09_cls_topic_gru_w2v_std"])
    assert figures["ch09_cls_topic_gru_w2v_mean"] - figures["ch09_cls_topic_gru_mean"] > 2 * topic_spread


def test_static_encoder_is_fast_and_keeps_quality(figures):
    # issue 18: at least 50 times faster in the same run (measured 110), same thread count
    assert figures["ch09_static_speedup"] >= 50
    assert figures["ch09_static_speedup"] == pytest.approx(
        figures["ch09_static_per_s"] / figures["ch09_minilm_per_s"])
    # keeps at least 70% of MiniLM's retrieval recall@10 (measured 0.674 / 0.879 = 0.767)
    assert figures["ch09_static_quality_kept_retrieval"] >= 0.70
    for task in ("lee", "retrieval", "sentiment"):
        kept = figures[f"ch09_static_quality_kept_{task}"]
        assert kept == pytest.approx(figures[f"ch09_static_{task}"] / figures[f"ch09_minilm_{task}"])
        assert 0.3 < kept < 1.1
    # "the Lee documents lose most" (measured 0.686, against 0.767 and 0.864)
    assert figures["ch09_static_quality_kept_lee"] < min(figures["ch09_static_quality_kept_retrieval"],
                                                          figures["ch09_static_quality_kept_sentiment"])
    # MiniLM's side of the table is chapter 5's model: its Lee correlation and the frozen LR row
    assert figures["ch09_minilm_lee"] == pytest.approx(figures["ch09_lee_pearson_before"])
    assert figures["ch09_minilm_sentiment"] == pytest.approx(figures["ch09_cls_sentiment_frozen_mean"])
    assert figures["ch09_static_vocab"] > 25_000 and figures["ch09_static_dim"] == 256
