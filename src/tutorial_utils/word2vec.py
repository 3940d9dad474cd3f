"""The data side of word2vec's skip-gram with negative sampling, vectorised in numpy.

Chapter 3 writes these steps in plain code, then calls them from here:

- :func:`keep_probabilities`: how likely each word survives the subsampling of frequent words;
- :func:`noise_distribution` and :func:`noise_table`: the unigram^0.75 distribution that
  negative words are drawn from, and a lookup table that draws from it fast;
- :func:`skipgram_windows` and :func:`skipgram_pairs`: every word's dynamic context window, as
  a padded array or unrolled into (centre, context) pairs, without a Python loop over words;
- :func:`skipgram_epoch`, :func:`batch_slices` and :func:`iterate_batches`: one epoch of
  shuffled windows with their negatives, cut into batches with almost no padding, for a model
  (PyTorch or anything else that takes arrays);
- :func:`sgns_step` and :func:`train_skipgram`: the fast PyTorch trainer chapter 3 uses and
  its companion notebook (``03_word_embeddings_speed``) takes apart: a hand-written gradient step,
  width-sorted batches, and the next epoch prepared on a second thread.

Importing this module imports no deep-learning framework: the data functions work on plain
``int64`` numpy arrays, and the two PyTorch functions import ``torch`` when called.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from tutorial_utils._validation import positive_int as _positive_int
from tutorial_utils._validation import positive_number as _positive_number

if TYPE_CHECKING:  # pragma: no cover
    import torch

__all__ = [
    "SkipGramEpoch",
    "SkipGramResult",
    "batch_slices",
    "iterate_batches",
    "keep_probabilities",
    "noise_distribution",
    "noise_table",
    "sample_negatives",
    "sgns_step",
    "skipgram_epoch",
    "skipgram_pairs",
    "skipgram_windows",
    "train_skipgram",
]


def _counts(counts: np.ndarray) -> np.ndarray:
    array = np.asarray(counts, dtype=np.float64)
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"counts must be a non-empty 1-D array (one count per word); got shape {array.shape}")
    if not np.all(np.isfinite(array)) or np.any(array < 0):
        raise ValueError("counts must be finite and non-negative")
    if array.sum() == 0:
        raise ValueError("all counts are zero: the corpus is empty")
    return array


def keep_probabilities(counts: np.ndarray, sample: float = 1e-3) -> np.ndarray:
    """Probability of keeping each occurrence of each word when subsampling frequent words.

    The formula of word2vec's C code and gensim: with ``f`` a word's share of the
    corpus, keep it with probability ``min(1, (sqrt(f / sample) + 1) * sample / f)``.
    Words rarer than about ``sample`` are always kept; "the" is mostly dropped.
    """
    array = _counts(counts)
    if not 0 < sample < 1:
        raise ValueError(f"sample must be in (0, 1), typically 1e-3 to 1e-5; got {sample!r}")
    share = array / array.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        keep = (np.sqrt(share / sample) + 1.0) * sample / share
    return np.where(share > 0, np.minimum(keep, 1.0), 1.0)


def noise_distribution(counts: np.ndarray, power: float = 0.75) -> np.ndarray:
    """The distribution negatives are drawn from: counts raised to ``power``, normalised to sum to 1.

    ``power=1`` is the plain unigram distribution, ``0`` the uniform one; word2vec's
    0.75 sits between, drawing rare words more often than their frequency.
    """
    array = _counts(counts)
    if not np.isfinite(power) or power < 0:
        raise ValueError(f"power must be a non-negative number; got {power!r}")
    weights = np.where(array > 0, array**power, 0.0)
    return weights / weights.sum()


def noise_table(probabilities: np.ndarray, size: int = 1_000_000) -> np.ndarray:
    """A table of word ids in which word i fills about ``probabilities[i] * size`` cells.

    Drawing a uniform random cell then draws a word from ``probabilities`` (word2vec's
    C code does the same). Raises ``ValueError`` if the table is too small to give
    every word with a non-zero probability at least one cell.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    size = _positive_int(size, "size")
    if p.ndim != 1 or p.size == 0 or np.any(p < 0) or not np.isclose(p.sum(), 1.0):
        raise ValueError("probabilities must be a non-empty 1-D array of non-negative numbers summing to 1")
    cumulative = np.cumsum(p)
    cumulative[-1] = 1.0
    # Cell j holds the word whose cumulative interval contains the cell's midpoint.
    table = np.searchsorted(cumulative, (np.arange(size) + 0.5) / size, side="right")
    missing = np.setdiff1d(np.flatnonzero(p > 0), table)
    if missing.size:
        raise ValueError(
            f"a table of {size:,} cells leaves {missing.size} word(s) with no cell (smallest probability "
            f"{p[p > 0].min():.2e}); use size >= {int(np.ceil(2 / p[p > 0].min())):,}"
        )
    return table.astype(np.int64)


def sample_negatives(table: np.ndarray, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Draw word ids of the given ``shape`` from a :func:`noise_table`, with replacement."""
    table = np.asarray(table)
    if table.ndim != 1 or table.size == 0:
        raise ValueError("table must be a non-empty 1-D array of word ids; build it with noise_table()")
    return table[rng.integers(0, table.size, size=shape)]


def _corpus(token_ids: np.ndarray, sentence_ids: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
    tokens = np.asarray(token_ids)
    if tokens.ndim != 1 or not np.issubdtype(tokens.dtype, np.integer):
        raise ValueError(f"token_ids must be a 1-D integer array; got shape {tokens.shape}, dtype {tokens.dtype}")
    if tokens.size == 0:
        raise ValueError("the corpus is empty: token_ids has no tokens")
    if sentence_ids is None:
        sentences = np.zeros(tokens.size, dtype=np.int64)
    else:
        sentences = np.asarray(sentence_ids)
        if sentences.shape != tokens.shape:
            raise ValueError(
                f"sentence_ids must give one sentence number per token: {sentences.shape} vs {tokens.shape}"
            )
    return tokens.astype(np.int64, copy=False), sentences


def skipgram_windows(
    token_ids: np.ndarray,
    sentence_ids: np.ndarray | None,
    window: int,
    rng: np.random.Generator,
    dynamic: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every position's context window as a padded array: ``(centres, contexts, mask)``.

    ``centres`` (n,) are the token ids; ``contexts`` (n, 2 * window) the ids at offsets
    -window..-1, 1..window; ``mask`` (n, 2 * window) is True where that context counts.
    Each position draws its own window size ``b`` uniformly from 1..``window``
    (word2vec's dynamic window: near words are paired more often than far ones), and a
    window never crosses a sentence boundary. Masked-out slots hold id 0. With
    ``dynamic=False`` every position uses the full ``window``.
    """
    tokens, sentences = _corpus(token_ids, sentence_ids)
    window = _positive_int(window, "window")
    n = tokens.size
    offsets = np.concatenate([np.arange(-window, 0), np.arange(1, window + 1)])
    reach = rng.integers(1, window + 1, size=n) if dynamic else np.full(n, window)
    positions = np.arange(n)[:, None] + offsets[None, :]
    inside = (positions >= 0) & (positions < n)
    positions = np.clip(positions, 0, n - 1)
    mask = inside & (np.abs(offsets)[None, :] <= reach[:, None]) & (sentences[positions] == sentences[:, None])
    contexts = np.where(mask, tokens[positions], 0)
    return tokens.copy(), contexts, mask


def skipgram_pairs(
    token_ids: np.ndarray,
    sentence_ids: np.ndarray | None,
    window: int,
    rng: np.random.Generator,
    dynamic: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """All (centre, context) pairs of the corpus as two int64 arrays (the windows of
    :func:`skipgram_windows`, unrolled: one entry per pair, in corpus order).
    """
    centres, contexts, mask = skipgram_windows(token_ids, sentence_ids, window, rng, dynamic)
    return np.repeat(centres, mask.sum(axis=1)), contexts[mask]


@dataclass(frozen=True)
class SkipGramEpoch:
    """One epoch of training data, one row per kept centre word that has a context.

    ``centres`` (n,), ``contexts`` and ``mask`` (n, 2 * window), ``negatives`` (n, k):
    the k noise words drawn for that window, shared by its pairs. In each row the real
    context words come first (``mask`` is True for them), and rows are ordered by how many
    context words they hold, so a batch of neighbouring rows needs little padding.
    """

    centres: np.ndarray
    contexts: np.ndarray
    mask: np.ndarray
    negatives: np.ndarray
    kept_tokens: int

    def __len__(self) -> int:
        return int(self.centres.size)

    @property
    def pairs(self) -> int:
        """How many (centre, context) pairs the epoch holds."""
        return int(self.mask.sum())


def skipgram_epoch(
    token_ids: np.ndarray,
    sentence_ids: np.ndarray | None,
    keep_probability: np.ndarray,
    table: np.ndarray,
    window: int,
    negatives: int,
    rng: np.random.Generator,
    shuffle: bool = True,
) -> SkipGramEpoch:
    """Subsample the corpus, cut every kept word's dynamic window, draw negatives, shuffle.

    ``keep_probability`` comes from :func:`keep_probabilities` (one entry per word id),
    ``table`` from :func:`noise_table`. Each window gets ``negatives`` noise words,
    shared by all of its (centre, context) pairs. Windows are shuffled, then grouped by
    size (see :class:`SkipGramEpoch`); :func:`batch_slices` shuffles the batches. Draw a
    fresh epoch each time: subsampling, window sizes and negatives are all re-drawn, as
    word2vec does.
    """
    tokens, sentences = _corpus(token_ids, sentence_ids)
    keep_probability = np.asarray(keep_probability, dtype=np.float64)
    if keep_probability.ndim != 1 or tokens.max() >= keep_probability.size or tokens.min() < 0:
        raise ValueError(
            f"keep_probability needs one entry per word id 0..{tokens.max()}; got shape {keep_probability.shape}"
        )
    negatives = _positive_int(negatives, "negatives")
    table = np.asarray(table)
    if table.ndim != 1 or table.size == 0 or table.min() < 0 or table.max() >= keep_probability.size:
        raise ValueError(
            f"table must hold word ids 0..{keep_probability.size - 1} (one per cell); build it with "
            "noise_table() from the same counts as keep_probability"
        )
    keep = rng.random(tokens.size) < keep_probability[tokens]
    if not keep.any():
        raise ValueError("subsampling kept no token; the corpus is too small for this sample rate")
    centres, contexts, mask = skipgram_windows(tokens[keep], sentences[keep], window, rng)
    rows = np.flatnonzero(mask.any(axis=1))  # a word alone in its sentence has no pair
    if shuffle:
        rows = rng.permutation(rows)
    rows = rows[np.argsort(mask[rows].sum(axis=1), kind="stable")]  # group windows by size
    contexts, mask = contexts[rows], mask[rows]
    real_first = np.argsort(~mask, axis=1, kind="stable")  # real context words to the left
    contexts = np.take_along_axis(contexts, real_first, axis=1)
    mask = np.take_along_axis(mask, real_first, axis=1)
    noise = sample_negatives(table, (rows.size, negatives), rng)
    return SkipGramEpoch(centres[rows], contexts, mask, noise, int(keep.sum()))


def batch_slices(
    epoch: SkipGramEpoch, batch_size: int, rng: np.random.Generator | None = None
) -> list[tuple[int, int, int]]:
    """``(start, stop, width)`` of each batch of ``batch_size`` consecutive windows.

    ``width`` is the largest number of context words in the batch: columns beyond it are
    padding for every row, so ``contexts[start:stop, :width]`` loses nothing. With ``rng``
    the batches come in random order (the windows of an epoch are grouped by size).
    """
    batch_size = _positive_int(batch_size, "batch_size")
    sizes = epoch.mask.sum(axis=1)
    slices = []
    for start in range(0, len(epoch), batch_size):
        stop = min(start + batch_size, len(epoch))
        slices.append((start, stop, int(sizes[start:stop].max())))
    if rng is not None:
        slices = [slices[i] for i in rng.permutation(len(slices))]
    return slices


def iterate_batches(
    epoch: SkipGramEpoch, batch_size: int, rng: np.random.Generator | None = None
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Yield ``(centres, contexts, mask, negatives)`` for each of :func:`batch_slices`,
    with ``contexts`` and ``mask`` trimmed to the batch's width (views, not copies)."""
    for start, stop, width in batch_slices(epoch, batch_size, rng):
        yield (epoch.centres[start:stop], epoch.contexts[start:stop, :width], epoch.mask[start:stop, :width],
               epoch.negatives[start:stop])


def sgns_step(
    inputs: "torch.Tensor",
    outputs: "torch.Tensor",
    contexts: "torch.Tensor",
    targets: "torch.Tensor",
    mask: "torch.Tensor",
    lr: float,
    with_loss: bool = False,
) -> "torch.Tensor | None":
    """One SGD step of skip-gram with negative sampling, gradient written by hand, in place.

    ``inputs``, ``outputs`` (vocab, d): the two vector tables. ``contexts`` (b, w) context
    word ids, ``mask`` (b, w) 1.0 where a context slot is real, ``targets`` (b, 1 + k): the
    centre word, then its window's k noise words. Every context vector ``v`` is scored
    against every target vector ``u``; with ``g = label - sigmoid(v . u)`` (label 1 for the
    centre, 0 for noise) the step adds ``lr * g * u`` to ``v`` and ``lr * g * v`` to ``u``,
    summing when a word appears twice in the batch. All updates of a batch use the vectors
    as they were before it. Returns the summed loss when ``with_loss`` (before the step).
    """
    import torch
    import torch.nn.functional as F

    if contexts.shape != mask.shape or contexts.shape[0] != targets.shape[0] or targets.shape[1] < 2:
        raise ValueError(
            f"contexts {tuple(contexts.shape)} and mask {tuple(mask.shape)} must match, and targets "
            f"{tuple(targets.shape)} needs one row per window: the centre, then at least one noise word"
        )
    with torch.no_grad():
        # F.embedding is a row lookup, inputs[contexts]'s result at a fraction of the cost
        # (index_select; tensor indexing runs a general gather kernel)
        x = F.embedding(contexts, inputs)  # (b, w, d)
        y = F.embedding(targets, outputs)  # (b, 1 + k, d)
        scores = x @ y.transpose(1, 2)  # (b, w, 1 + k)
        labels = torch.zeros(targets.shape[1], device=scores.device)
        labels[0] = 1.0
        g = (labels - torch.sigmoid(scores)) * mask.unsqueeze(-1)  # -d loss / d score
        inputs.index_add_(0, contexts.flatten(), (g @ y).flatten(0, 1), alpha=lr)
        outputs.index_add_(0, targets.flatten(), (g.transpose(1, 2) @ x).flatten(0, 1), alpha=lr)
        if not with_loss:
            return None
        per_pair = -F.logsigmoid(scores[..., 0]) - F.logsigmoid(-scores[..., 1:]).sum(-1)
        return (per_pair * mask).sum()


@dataclass
class SkipGramResult:
    """What :func:`train_skipgram` returns: the trained tables and how training went.

    ``input_vectors`` (vocab, d) are the word vectors (word2vec's ``syn0``);
    ``output_vectors`` the vectors words have as prediction targets. ``losses``: the mean
    loss per pair of each epoch (tracked on every ``loss_every``-th batch); ``seconds``:
    wall time of training, data preparation included; ``cpu_seconds``: CPU time of this
    process over the same span (both threads).
    """

    input_vectors: np.ndarray
    output_vectors: np.ndarray
    losses: list[float] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: float = 0.0


def train_skipgram(
    token_ids: np.ndarray,
    sentence_ids: np.ndarray | None,
    counts: np.ndarray,
    *,
    dim: int = 100,
    window: int = 5,
    negatives: int = 5,
    epochs: int = 5,
    sample: float = 1e-3,
    start_lr: float = 0.025,
    min_lr: float = 1e-4,
    batch_windows: int = 384,
    seed: int = 0,
    device: Any = "cpu",
    loss_every: int = 10,
    prefetch: bool = True,
    verbose: bool = True,
) -> SkipGramResult:
    """Train skip-gram with negative sampling in PyTorch, fast, from a tokenised corpus.

    ``token_ids``, ``sentence_ids``: the corpus as word ids and sentence numbers (e.g. from
    ``Vocabulary.encode_corpus``); ``counts``: each word id's corpus count. Each epoch is a
    fresh :func:`skipgram_epoch` (subsampling, dynamic windows, ``negatives`` noise words per
    window), cut by :func:`batch_slices` into batches of ``batch_windows`` windows, each
    trained with :func:`sgns_step`. The learning rate falls linearly from ``start_lr`` to
    ``min_lr`` over the run, as in gensim. With ``prefetch`` a second thread prepares the
    next epoch while one trains. ``seed`` fixes the initial vectors (word2vec's uniform
    start in +-0.5 / dim, outputs at zero) and every draw: one seed, one result.
    """
    import torch

    for value, name in ((dim, "dim"), (epochs, "epochs"), (batch_windows, "batch_windows"),
                        (loss_every, "loss_every")):
        _positive_int(value, name)
    _positive_number(start_lr, "start_lr")
    _positive_number(min_lr, "min_lr")
    counts = _counts(counts)
    tokens, sentences = _corpus(token_ids, sentence_ids)
    keep = keep_probabilities(counts, sample)
    table = noise_table(noise_distribution(counts))
    data_rng = np.random.default_rng(seed)
    init = torch.Generator().manual_seed(seed)
    vocab_size = counts.size
    inputs = ((torch.rand(vocab_size, dim, generator=init) - 0.5) / dim).to(device)
    outputs = torch.zeros(vocab_size, dim, device=device)

    def prepare() -> tuple:
        data = skipgram_epoch(tokens, sentences, keep, table, window, negatives, data_rng)
        contexts = torch.from_numpy(data.contexts).to(device)
        targets = torch.from_numpy(np.column_stack([data.centres, data.negatives])).to(device)
        mask = torch.from_numpy(data.mask.astype(np.float32)).to(device)
        return contexts, targets, mask, batch_slices(data, batch_windows, data_rng)

    losses: list[float] = []
    done, total = 0, None
    start, cpu_start = time.perf_counter(), time.process_time()
    with ThreadPoolExecutor(max_workers=1) as pool:
        upcoming = pool.submit(prepare) if prefetch else None
        for epoch in range(epochs):
            contexts, targets, mask, batches = upcoming.result() if prefetch else prepare()
            if prefetch and epoch + 1 < epochs:
                upcoming = pool.submit(prepare)  # prepared while this epoch trains
            total = total or len(contexts) * epochs  # windows in the whole run, for the schedule
            loss = torch.zeros((), device=device)
            tracked = torch.zeros((), device=device)
            for number, (begin, end, width) in enumerate(batches):
                lr = max(start_lr * (1 - done / total), min_lr)
                batch = contexts[begin:end, :width], targets[begin:end], mask[begin:end, :width]
                if number % loss_every == 0:
                    loss += sgns_step(inputs, outputs, *batch, lr, with_loss=True)
                    tracked += batch[2].sum()
                else:
                    sgns_step(inputs, outputs, *batch, lr)
                done += end - begin
            losses.append(float(loss / tracked))
            if verbose:
                print(f"epoch {epoch + 1:2d}: loss per pair {losses[-1]:.3f}, "
                      f"{time.perf_counter() - start:5.1f} s")
    return SkipGramResult(inputs.cpu().numpy(), outputs.cpu().numpy(), losses,
                          time.perf_counter() - start, time.process_time() - cpu_start)
