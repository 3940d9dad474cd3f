"""Chapter 8 (pretraining tasks in miniature): the glued figures against the issue's targets.

Each test reads the values the executed notebook glued (``glued_figures("08_pretraining_tasks")``)
and fails when a claim the chapter makes about them no longer holds. Margins come from spreads the
run measures itself: bootstrap intervals over held-out targets and pairs, five paragraph halvings
for the context probes, five label draws for the image probes; the CLIP figures were measured over
three training seeds while the chapter was written (zero-shot accuracy 0.977-0.979).

The contextual probe must beat the static baseline by issue 17's 0.20, with a margin beyond the
spread over halvings. Over three training seeds (0, 1, 2; session 10, this machine) the probe
scored 0.651, 0.584 and 0.594 against a static baseline of 0.348: a gain of 0.236 at the worst seed,
whose margin above 0.20 (0.036) is larger than the spread over halvings (about 0.023).
"""

from __future__ import annotations

import json
import math

import pytest
from conftest import REPO_ROOT

from tutorial_utils.captions import ATTRIBUTES, PROMPT_TEMPLATES, TRAIN_TEMPLATES

STEM = "08_pretraining_tasks"
pytestmark = pytest.mark.notebooks


def test_self_attention_matches_pytorch(figures):
    assert figures["ch08_attention_max_diff"] < 1e-5


def test_corpus_and_held_out_articles(figures):
    # chapter 3's corpus (its glued token count, 496,373): the same text, re-tokenised sentence by
    # sentence, so within a percent of it
    assert figures["ch08_corpus_tokens"] == pytest.approx(496_373, rel=0.01)
    assert figures["ch08_held_out_articles"] == 19  # chapter 1's five groups
    assert figures["ch08_held_out_news"] == 50  # the Lee corpus's documents, part 4's test only
    assert figures["ch08_vocab_words"] == 2000
    # the held-out news is in neither the training nor the masked-token test text
    assert figures["ch08_train_tokens"] + figures["ch08_test_tokens"] < figures["ch08_corpus_tokens"]
    assert 0.1 < figures["ch08_unknown_share"] < 0.3


def test_masking_follows_berts_rule(figures):
    # over tens of thousands of windows the shares are within a few tenths of a percent of 15/80/10/10
    assert figures["ch08_share_chosen"] == pytest.approx(0.15, abs=0.005)
    assert figures["ch08_share_masked"] == pytest.approx(0.80, abs=0.01)
    # a random word equal to the original counts as unchanged: 0.1 * (1 - 1/2000) and 0.1 + 0.1/2000
    assert figures["ch08_share_random"] == pytest.approx(0.10, abs=0.01)
    assert figures["ch08_share_unchanged"] == pytest.approx(0.10, abs=0.01)


def test_masked_token_prediction_beats_the_baselines(figures):
    accuracy, unigram = figures["ch08_mlm_accuracy"], figures["ch08_mlm_unigram_accuracy"]
    # target: more than 0.05 above the best constant guess, beyond the bootstrap interval of the lead
    low, high = figures["ch08_mlm_vs_unigram_low"], figures["ch08_mlm_vs_unigram_high"]
    assert 0.05 < low < accuracy - unigram < high
    # the unigram guess is "the": its share of the held-out targets, about 7-10%
    assert 0.05 < unigram < 0.12
    bigram = figures["ch08_mlm_bigram_accuracy"]
    assert unigram < bigram < 0.5
    # the prose's verdict is the one the interval allows
    low, high = figures["ch08_mlm_vs_bigram_low"], figures["ch08_mlm_vs_bigram_high"]
    verdict = figures["ch08_mlm_vs_bigram_verdict"]
    assert verdict == ("above" if low > 0 else "below" if high < 0 else "not measurably different from")
    assert figures["ch08_mlm_targets"] > 5000
    # the loss starts from the uniform guess over the vocabulary: ln(2005) = 7.6
    assert math.log(2005) == pytest.approx(7.6, abs=0.01)


def test_contextual_vectors_beat_one_vector_per_word(figures):
    contextual, static = figures["ch08_context_probe_contextual"], figures["ch08_context_probe_static"]
    untrained = figures["ch08_context_probe_untrained"]
    assert figures["ch08_probe_draws"] >= 5
    # the prose: above the static ceiling and above the untrained encoder, by more than the spreads
    # (range_verdict over the halvings; the means must then differ by more than both stds)
    assert figures["ch08_context_vs_static"] == "above"
    assert figures["ch08_context_vs_untrained"] == "above"
    spread = figures["ch08_context_probe_contextual_std"] + figures["ch08_context_probe_static_std"]
    assert contextual > static + spread and contextual > untrained + spread
    # issue 17's target: 0.20 above the best one vector per word can do, beyond the spread
    assert contextual - static - 0.20 > spread
    assert figures["ch08_context_probe_gain"] == pytest.approx(contextual - static)
    assert figures["ch08_untrained_vs_static"] in ("above", "below", "not measurably different from")
    # one vector per word cannot beat the per-word majority counted on the test occurrences
    assert figures["ch08_context_probe_word2vec"] <= static + 1e-9
    # chance among five groups; the static baseline above it
    assert figures["ch08_chance_groups"] == pytest.approx(0.2)
    assert static > 0.2
    # MiniLM, the pretrained reference, is far above every other row ("far less than MiniLM's")
    assert figures["ch08_context_probe_minilm"] > contextual + 0.2
    assert figures["ch08_context_probe_minilm_std"] < 0.05
    assert figures["ch08_probe_occurrences"] > 1000 and figures["ch08_probe_word_count"] >= 10


def test_two_occurrences_of_one_word(figures):
    assert isinstance(figures["ch08_pair_word"], str)
    assert -1 <= figures["ch08_pair_cosine"] < 0.99  # not one shared vector
    assert figures["ch08_pair_group_a"] != figures["ch08_pair_group_b"]
    assert 0 <= figures["ch08_pair_neighbours_same_group"] <= figures["ch08_pair_neighbours"] == 6
    # the prose reports both mean cosines without ranking them (measured 0.860 and 0.856)
    assert -1 <= figures["ch08_pair_across_cosine"] <= 1 and -1 <= figures["ch08_pair_within_cosine"] <= 1


def test_next_sentence_prediction_random_negatives_are_easier(figures):
    random_acc = figures["ch08_nsp_accuracy_random_negatives"]
    same_acc = figures["ch08_nsp_accuracy_same_document_negatives"]
    # target: random negatives easier; the two 95% bootstrap intervals do not overlap
    assert random_acc > same_acc
    assert figures["ch08_nsp_random_low"] > figures["ch08_nsp_same_document_high"]
    assert figures["ch08_nsp_verdict"] == "higher"
    assert figures["ch08_nsp_random_low"] < random_acc < figures["ch08_nsp_random_high"]
    low, high = figures["ch08_nsp_same_document_low"], figures["ch08_nsp_same_document_high"]
    assert low < same_acc < high
    expected = "above" if low > 0.5 else "below" if high < 0.5 else "not measurably different from"
    assert figures["ch08_nsp_same_document_vs_chance"] == expected
    # the topic-only baseline: above chance on random negatives, and better there than on same-document ones
    assert figures["ch08_nsp_topic_random"] > 0.55
    assert figures["ch08_nsp_topic_random"] > figures["ch08_nsp_topic_same_document"]
    assert figures["ch08_nsp_test_pairs"] > 1000 and figures["ch08_nsp_length"] <= 64


def test_what_can_go_wrong_leaky_split(figures):
    verdict = figures["ch08_leaky_verdict"]
    assert verdict in ("higher", "lower", "not measurably different")
    if verdict == "higher":
        assert figures["ch08_leaky_probe"] > figures["ch08_context_probe_contextual"]


def test_clip_classifies_digits_zero_shot_from_unseen_prompts(figures):
    # the prompt sentences are none of the training sentences (read independently of the run)
    assert not set(PROMPT_TEMPLATES) & set(TRAIN_TEMPLATES)
    assert figures["ch08_clip_prompt_templates"] == len(PROMPT_TEMPLATES) >= 2
    assert figures["ch08_clip_test_digits"] == 10_000
    # issue 17's target; measured 0.977-0.979 over three training seeds (std 0.0007), so 0.95 is a margin of
    # about 40 standard deviations
    assert figures["ch08_clip_zero_shot_accuracy"] >= 0.95


def test_clip_text_search_finds_the_attributes(figures):
    n_values = len(ATTRIBUTES)
    held, seen = figures["ch08_clip_held_out_queries"], figures["ch08_clip_attribute_queries"]
    assert held + seen == 10 * n_values and held >= n_values  # every digit with every attribute value
    for key in ("attribute", "held_out"):
        for name in ("precision", "r_precision"):
            low, mean, high = (figures[f"ch08_clip_{key}_{name}{end}"] for end in ("_low", "", "_high"))
            assert 0 <= low <= mean <= high <= 1
        base = figures[f"ch08_clip_{key}_base_rate"]
        assert 0.25 < base < 0.42  # thirds within each digit, fitted on training digits, read on test digits
        # the verdict the prose prints follows the R-precision interval
        above = figures[f"ch08_clip_{key}_r_precision_low"] > base
        assert figures[f"ch08_clip_{key}_verdict"] == ("above" if above else "not clearly above")
    # issue 17's names are the precision@10 means
    assert figures["ch08_clip_attribute_precision_at_10"] == figures["ch08_clip_attribute_precision"]
    assert figures["ch08_clip_held_out_combination_precision_at_10"] == figures["ch08_clip_held_out_precision"]
    # measured: precision@10 1.000 on every query; R-precision interval 0.810-0.836 against a base rate of 0.33
    assert figures["ch08_clip_attribute_precision_at_10"] >= 0.9
    assert figures["ch08_clip_attribute_r_precision_low"] > figures["ch08_clip_attribute_base_rate"] + 0.2
    seen_interval = (figures["ch08_clip_attribute_r_precision_low"], figures["ch08_clip_attribute_r_precision_high"])
    held_interval = (figures["ch08_clip_held_out_r_precision_low"], figures["ch08_clip_held_out_r_precision_high"])
    overlap = held_interval[0] <= seen_interval[1] and seen_interval[0] <= held_interval[1]
    assert (figures["ch08_clip_compose_verdict"] == "no measurable difference") == overlap
    assert 0 <= figures["ch08_clip_example_hits"] <= 10
    assert 0 < figures["ch08_clip_example_base_rate"] < 0.3  # a seven both thick and slanted is rare


def _verdict(figures, a, b):
    difference = figures[f"ch08_{a}"] - figures[f"ch08_{b}"]
    if abs(difference) <= max(figures[f"ch08_{a}_std"], figures[f"ch08_{b}_std"]):
        return "no measurable difference from"
    return "above" if difference > 0 else "below"


def test_mae_probe_and_fine_tuning_against_pixels_with_the_same_labels(figures):
    assert figures["ch08_label_draws"] >= 5
    assert figures["ch08_mae_hidden_share"] == 0.75
    # the same label draws as chapter 7: the raw-pixel probe reproduces chapter 7's figure exactly
    assert abs(figures["ch08_pixels_probe_100"] - figures["ch08_ch07_pixels_probe"]) < 1e-9
    record = json.loads((REPO_ROOT / "benchmarks" / "results.json").read_text())
    chapter7 = record["notebooks"]["07_beyond_words_and_pixels"]["figures"]
    # read from chapter 7's benchmark record; a later `make bench` may retrain chapter 7 (its SimCLR run varies
    # by about 0.003 between runs), so allow a little more than that
    assert abs(figures["ch08_simclr_probe_100"] - chapter7["ch07_simclr_probe"]) < 0.02
    for name in ("pixels_probe_100", "mae_probe_100", "mae_finetune_100", "scratch_finetune_100"):
        assert 0.1 < figures[f"ch08_{name}"] <= 1 and figures[f"ch08_{name}_std"] < 0.05
    # each verdict the prose prints is the one the glued means and spreads give
    assert figures["ch08_mae_probe_verdict"] == _verdict(figures, "mae_probe_100", "pixels_probe_100")
    assert figures["ch08_mae_finetune_verdict"] == _verdict(figures, "mae_finetune_100", "pixels_probe_100")
    assert figures["ch08_finetune_vs_probe_verdict"] == _verdict(figures, "mae_finetune_100", "mae_probe_100")
    assert figures["ch08_finetune_vs_scratch_verdict"] == _verdict(figures, "mae_finetune_100",
                                                                   "scratch_finetune_100")
    assert figures["ch08_simclr_vs_mae_verdict"] == _verdict(figures, "simclr_probe_100", "mae_probe_100")
    # the masked autoencoder paints hidden patches better than the average digit does
    assert figures["ch08_mae_test_error"] < figures["ch08_mae_average_error"]
