"""tutorial_utils.word2vec: subsampling, the noise distribution, windows and pairs, epochs and batches,
and the PyTorch trainer (its hand-written step checked against autograd)."""

from __future__ import annotations

import numpy as np
import pytest

from tutorial_utils.word2vec import (
    batch_slices,
    iterate_batches,
    keep_probabilities,
    noise_distribution,
    noise_table,
    sample_negatives,
    sgns_step,
    skipgram_epoch,
    skipgram_pairs,
    skipgram_windows,
    train_skipgram,
)

# Chapter 3 writes the three sampling tricks in plain code; the helpers are their fast versions.
# The plain versions, copied from the chapter, are the reference here.


def plain_keep_probability(counts: np.ndarray, sample: float) -> np.ndarray:
    share = counts / counts.sum()
    return np.minimum(1.0, (np.sqrt(share / sample) + 1) * sample / share)


def plain_noise_probability(counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    weights = counts.astype(float) ** power
    return weights / weights.sum()


def plain_dynamic_window_pairs(sentence: list, window: int, rng: np.random.Generator) -> list:
    pairs = []
    for i, centre in enumerate(sentence):
        b = rng.integers(1, window + 1)  # this position's window size
        for j in range(max(0, i - b), min(len(sentence), i + b + 1)):
            if j != i:
                pairs.append((centre, sentence[j]))
    return pairs


def test_keep_probabilities_follow_word2vec_formula():
    counts = np.array([10_000, 100, 1, 0])
    keep = keep_probabilities(counts, sample=1e-3)
    share = counts[:3] / counts.sum()
    expected = np.minimum((np.sqrt(share / 1e-3) + 1) * 1e-3 / share, 1.0)
    np.testing.assert_allclose(keep[:3], expected)
    assert keep[0] < keep[1] <= keep[2] == 1.0 and keep[3] == 1.0


def test_noise_distribution_is_unigram_to_the_three_quarters():
    counts = np.array([81.0, 16.0, 1.0, 0.0])
    p = noise_distribution(counts)
    np.testing.assert_allclose(p, np.array([27.0, 8.0, 1.0, 0.0]) / 36.0)
    np.testing.assert_allclose(noise_distribution(counts, power=0)[:3], 1 / 3)  # uniform over seen words


def test_noise_table_draws_match_the_distribution():
    counts = np.array([1000.0, 300.0, 50.0, 5.0, 1.0])
    p = noise_distribution(counts)
    table = noise_table(p, size=100_000)
    np.testing.assert_allclose(np.bincount(table, minlength=5) / table.size, p, atol=2e-5)
    draws = sample_negatives(table, (200_000, 5), np.random.default_rng(0))
    assert draws.shape == (200_000, 5)
    empirical = np.bincount(draws.ravel(), minlength=5) / draws.size
    np.testing.assert_allclose(empirical, p, atol=3e-3)


def test_noise_table_too_small_is_an_error():
    p = noise_distribution(np.array([1e6, 1.0]))
    with pytest.raises(ValueError, match="leaves 1 word.*no cell.*use size >="):
        noise_table(p, size=100)
    with pytest.raises(ValueError, match="summing to 1"):
        noise_table(np.array([0.5, 0.4]))


def test_windows_are_symmetric_and_stay_inside_sentences():
    tokens = np.arange(10)
    sentences = np.array([0] * 4 + [1] * 6)
    centres, contexts, mask = skipgram_windows(tokens, sentences, window=2, rng=np.random.default_rng(0),
                                               dynamic=False)
    assert contexts.shape == mask.shape == (10, 4)
    pairs = {(int(c), int(x)) for c, row, m in zip(centres, contexts, mask) for x in row[m]}
    assert all((x, c) in pairs for c, x in pairs)  # a full window pairs both ways
    assert all(sentences[c] == sentences[x] and 0 < abs(c - x) <= 2 for c, x in pairs)
    assert (3, 4) not in pairs and (4, 3) not in pairs  # never across the sentence boundary
    assert len(pairs) == 2 * (3 + 2) + 2 * (5 + 4)  # distance 1 and 2 pairs inside each sentence


def test_window_of_one_pairs_neighbours_only():
    centres, contexts = skipgram_pairs(np.array([5, 6, 7]), None, window=1, rng=np.random.default_rng(0))
    assert sorted(zip(centres.tolist(), contexts.tolist())) == [(5, 6), (6, 5), (6, 7), (7, 6)]


def test_dynamic_window_pairs_near_words_more_often():
    """Offset d survives when the drawn window b >= d, so P(d) = (window - d + 1) / window."""
    window, n = 5, 200_000
    _, _, mask = skipgram_windows(np.zeros(n, dtype=np.int64), None, window, np.random.default_rng(1))
    inner = mask[window:-window]  # positions whose full window lies inside the corpus
    by_distance = inner[:, :window][:, ::-1].mean(axis=0)  # left offsets, nearest first
    expected = (window - np.arange(1, window + 1) + 1) / window
    np.testing.assert_allclose(by_distance, expected, atol=0.01)
    np.testing.assert_allclose(inner[:, window:].mean(axis=0), expected, atol=0.01)
    assert inner.sum(axis=1).mean() == pytest.approx(window + 1, abs=0.02)  # pairs per word


def test_epoch_subsamples_draws_negatives_and_batches():
    rng = np.random.default_rng(0)
    counts = np.array([5000, 300, 300, 200, 100, 100])
    tokens = rng.choice(6, size=6000, p=counts / counts.sum())
    keep = keep_probabilities(np.bincount(tokens, minlength=6), sample=1e-2)
    table = noise_table(noise_distribution(counts), size=10_000)
    epoch = skipgram_epoch(tokens, None, keep, table, window=3, negatives=4, rng=rng)
    kept_share = np.bincount(epoch.centres, minlength=6) / np.bincount(tokens, minlength=6)
    assert kept_share[0] < 0.5 < kept_share[1:].min()  # the frequent word is mostly dropped
    assert epoch.negatives.shape == (len(epoch), 4)
    assert epoch.pairs == int(epoch.mask.sum()) and np.all(epoch.mask.any(axis=1))
    batches = list(iterate_batches(epoch, batch_size=1000, rng=rng))
    assert sum(len(b[0]) for b in batches) == len(epoch)
    assert all(b[3].shape == (len(b[0]), 4) for b in batches)


def test_epoch_puts_real_contexts_first_and_batches_need_little_padding():
    rng = np.random.default_rng(3)
    tokens = rng.integers(0, 50, size=3000)
    sentences = np.repeat(np.arange(300), 10)
    epoch = skipgram_epoch(tokens, sentences, np.ones(50), np.arange(50), window=4, negatives=2, rng=rng)
    sizes = epoch.mask.sum(axis=1)
    assert np.all(np.diff(sizes) >= 0)  # grouped by size
    assert np.all(epoch.mask == (np.arange(8)[None, :] < sizes[:, None]))  # real contexts first
    slices = batch_slices(epoch, 64, np.random.default_rng(0))
    assert sorted(start for start, _, _ in slices) == list(range(0, len(epoch), 64))
    assert [s[0] for s in slices] != sorted(s[0] for s in slices)  # shuffled order
    for start, stop, width in slices:
        assert not epoch.mask[start:stop, width:].any() and epoch.mask[start:stop, width - 1].any()
    pairs = {(int(c), int(x)) for c, row, m in zip(epoch.centres, epoch.contexts, epoch.mask) for x in row[m]}
    assert len(pairs) > 0 and epoch.pairs == int(sizes.sum())


def test_epoch_pairs_match_the_windows_of_the_kept_tokens():
    """With nothing subsampled and no shuffling, an epoch holds exactly skipgram_pairs' pairs."""
    tokens = np.random.default_rng(5).integers(0, 30, size=400)
    epoch = skipgram_epoch(tokens, None, np.ones(30), np.arange(30), 3, 1, np.random.default_rng(9),
                           shuffle=False)
    rng = np.random.default_rng(9)
    rng.random(tokens.size)  # the epoch's subsampling draw, to stay in step
    centres, contexts = skipgram_pairs(tokens, None, 3, rng)
    from_epoch = sorted((int(c), int(x)) for c, row, m in zip(epoch.centres, epoch.contexts, epoch.mask)
                        for x in row[m])
    assert from_epoch == sorted(zip(centres.tolist(), contexts.tolist()))


def test_epoch_is_reproducible_with_a_seed():
    tokens = np.random.default_rng(0).integers(0, 20, size=500)
    keep = np.full(20, 0.8)
    table = noise_table(np.full(20, 1 / 20), size=1000)
    a = skipgram_epoch(tokens, None, keep, table, 2, 3, np.random.default_rng(7))
    b = skipgram_epoch(tokens, None, keep, table, 2, 3, np.random.default_rng(7))
    for name in ("centres", "contexts", "mask", "negatives"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))


def test_bad_inputs_are_refused():
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="corpus is empty"):
        skipgram_pairs(np.array([], dtype=np.int64), None, 2, rng)
    with pytest.raises(ValueError, match="window must be a positive integer"):
        skipgram_windows(np.arange(5), None, 0, rng)
    with pytest.raises(ValueError, match="one sentence number per token"):
        skipgram_windows(np.arange(5), np.zeros(4), 2, rng)
    with pytest.raises(ValueError, match="1-D integer array"):
        skipgram_windows(np.ones(5), None, 2, rng)
    with pytest.raises(ValueError, match="all counts are zero"):
        noise_distribution(np.zeros(3))
    with pytest.raises(ValueError, match="sample must be in"):
        keep_probabilities(np.ones(3), sample=0)
    with pytest.raises(ValueError, match="one entry per word id"):
        skipgram_epoch(np.arange(5), None, np.ones(3), np.arange(5), 2, 1, rng)
    with pytest.raises(ValueError, match="table must hold word ids 0..4"):
        skipgram_epoch(np.arange(5), None, np.ones(5), np.arange(9), 2, 1, rng)
    with pytest.raises(ValueError, match="negatives must be a positive integer"):
        skipgram_epoch(np.arange(5), None, np.ones(5), np.arange(5), 2, 0, rng)
    epoch = skipgram_epoch(np.arange(5), None, np.ones(5), np.arange(5), 2, 1, rng)
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        next(iterate_batches(epoch, 0))


def test_fast_sampling_helpers_agree_with_the_chapters_plain_code():
    counts = np.random.default_rng(0).zipf(1.3, size=2000).astype(float)
    for sample in (1e-3, 1e-4):
        np.testing.assert_allclose(keep_probabilities(counts, sample), plain_keep_probability(counts, sample))
    for power in (0.75, 1.0, 0.0):
        np.testing.assert_allclose(noise_distribution(counts, power), plain_noise_probability(counts, power))


class _FixedWindow:
    """Stands in for the rng of the plain version: every position draws the full window."""

    def __init__(self, window: int):
        self.window = window

    def integers(self, low: int, high: int) -> int:
        return high - 1


def test_skipgram_pairs_agree_with_the_chapters_plain_window():
    rng = np.random.default_rng(4)
    sentences = [rng.integers(0, 40, size=n).tolist() for n in (1, 2, 7, 12)]
    tokens = np.concatenate([np.array(s) for s in sentences])
    sentence_ids = np.repeat(np.arange(len(sentences)), [len(s) for s in sentences])
    for window in (1, 3, 5):
        plain = sorted(p for s in sentences for p in plain_dynamic_window_pairs(s, window, _FixedWindow(window)))
        centres, contexts = skipgram_pairs(tokens, sentence_ids, window, rng, dynamic=False)
        assert sorted(zip(centres.tolist(), contexts.tolist())) == plain


def test_dynamic_window_offsets_match_the_plain_version():
    """The same share of pairs at each distance as the chapter's loop, on a long sentence."""
    window, n = 5, 60_000
    sentence = list(range(n))  # word i at position i: the offset of a pair is context - centre
    plain = np.array(plain_dynamic_window_pairs(sentence, window, np.random.default_rng(2)))
    centres, contexts = skipgram_pairs(np.arange(n), None, window, np.random.default_rng(3))
    plain_share = np.bincount(np.abs(plain[:, 1] - plain[:, 0]), minlength=window + 1) / len(plain)
    fast_share = np.bincount(np.abs(contexts - centres), minlength=window + 1) / len(centres)
    np.testing.assert_allclose(fast_share, plain_share, atol=0.005)


def _chapter_loss(inputs, outputs, contexts, targets, mask):
    """Chapter 3's SkipGram forward pass and sgns_loss, as plain autograd code."""
    import torch.nn.functional as F

    scores = inputs[contexts] @ outputs[targets].transpose(1, 2)
    per_pair = -F.logsigmoid(scores[..., 0]) - F.logsigmoid(-scores[..., 1:]).sum(-1)
    return (per_pair * mask).sum()


def test_sgns_step_is_a_plain_sgd_step_on_the_chapters_loss():
    import torch
    generator = torch.Generator().manual_seed(0)
    vocab, dim, b, w, k = 30, 8, 16, 6, 3
    inputs = torch.randn(vocab, dim, generator=generator) * 0.3
    outputs = torch.randn(vocab, dim, generator=generator) * 0.3
    contexts = torch.randint(0, vocab, (b, w), generator=generator)
    targets = torch.randint(0, vocab, (b, 1 + k), generator=generator)  # repeats included
    mask = (torch.rand(b, w, generator=generator) < 0.7).float()
    by_autograd = [inputs.clone().requires_grad_(), outputs.clone().requires_grad_()]
    loss = _chapter_loss(*by_autograd, contexts, targets, mask)
    loss.backward()
    by_hand = [inputs.clone(), outputs.clone()]
    returned = sgns_step(*by_hand, contexts, targets, mask, lr=0.05, with_loss=True)
    assert float(returned) == pytest.approx(float(loss.detach()), rel=1e-5)
    for table, reference in zip(by_hand, by_autograd):
        expected = reference.detach() - 0.05 * reference.grad
        torch.testing.assert_close(table, expected, atol=1e-6, rtol=1e-5)
    assert sgns_step(*by_hand, contexts, targets, mask, lr=0.05) is None


def test_sgns_step_refuses_mismatched_shapes():
    import torch
    table = torch.zeros(5, 2)
    with pytest.raises(ValueError, match="must match"):
        sgns_step(table, table.clone(), torch.zeros(3, 4, dtype=torch.long), torch.zeros(3, 2, dtype=torch.long),
                  torch.ones(3, 5), lr=0.1)
    with pytest.raises(ValueError, match="at least one noise word"):
        sgns_step(table, table.clone(), torch.zeros(3, 4, dtype=torch.long), torch.zeros(3, 1, dtype=torch.long),
                  torch.ones(3, 4), lr=0.1)


def _two_topic_corpus(n_sentences: int = 400, length: int = 8):
    """Sentences drawn from one of two disjoint word sets: words 1-10 or words 11-20 (0 is filler)."""
    rng = np.random.default_rng(0)
    topic = rng.integers(0, 2, size=n_sentences)
    words = rng.integers(1, 11, size=(n_sentences, length)) + 10 * topic[:, None]
    tokens = words.ravel()
    sentences = np.repeat(np.arange(n_sentences), length)
    return tokens, sentences, np.bincount(tokens, minlength=21)


def test_train_skipgram_learns_the_topics_and_is_reproducible():
    import torch  # noqa: F401  (a pinned dependency: missing, the test fails)
    tokens, sentences, counts = _two_topic_corpus()
    settings = dict(dim=16, window=3, negatives=3, epochs=4, sample=0.5, batch_windows=64, verbose=False)
    result = train_skipgram(tokens, sentences, counts, seed=1, **settings)
    assert result.input_vectors.shape == (21, 16) and len(result.losses) == 4
    assert result.losses[-1] < result.losses[0]
    unit = result.input_vectors[1:] / np.linalg.norm(result.input_vectors[1:], axis=1, keepdims=True)
    similarity = unit @ unit.T
    same = np.kron(np.eye(2), np.ones((10, 10))).astype(bool)
    np.fill_diagonal(similarity, np.nan)
    assert np.nanmean(similarity[same]) > np.nanmean(similarity[~same]) + 0.2
    again = train_skipgram(tokens, sentences, counts, seed=1, **settings)
    np.testing.assert_array_equal(result.input_vectors, again.input_vectors)
    in_turn = train_skipgram(tokens, sentences, counts, seed=1, prefetch=False, **settings)
    np.testing.assert_array_equal(result.input_vectors, in_turn.input_vectors)
    other = train_skipgram(tokens, sentences, counts, seed=2, **settings)
    assert not np.array_equal(result.input_vectors, other.input_vectors)


def test_train_skipgram_refuses_bad_settings():
    import torch  # noqa: F401  (a pinned dependency: missing, the test fails)
    tokens, sentences, counts = _two_topic_corpus(20)
    with pytest.raises(ValueError, match="dim must be a positive integer"):
        train_skipgram(tokens, sentences, counts, dim=0, verbose=False)
    with pytest.raises(ValueError, match="start_lr must be a positive finite number"):
        train_skipgram(tokens, sentences, counts, start_lr=-1.0, verbose=False)
    with pytest.raises(ValueError, match="all counts are zero"):
        train_skipgram(tokens, sentences, np.zeros(21), verbose=False)
