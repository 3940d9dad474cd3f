"""The data side of word2vec's skip-gram with negative sampling, vectorised in numpy.

Chapter 3 writes these steps in plain code, then calls them from here:

- :func:`keep_probabilities`: how likely each word survives the subsampling of frequent words;
- :func:`noise_distribution` and :func:`noise_table`: the unigram^0.75 distribution that
  negative words are drawn from, and a lookup table that draws from it fast;
- :func:`skipgram_windows` and :func:`skipgram_pairs`: every word's dynamic context window, as
  a padded array or unrolled into (centre, context) pairs, without a Python loop over words;
- :func:`skipgram_epoch`, :func:`batch_slices` and :func:`iterate_batches`: one epoch of
  shuffled windows with their negatives, cut into batches with almost no padding, for a model
  (PyTorch or anything else that takes arrays).

Nothing here imports a deep-learning framework; the arrays are plain ``int64`` numpy arrays.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from tutorial_utils._validation import positive_int as _positive_int

__all__ = [
    "SkipGramEpoch",
    "batch_slices",
    "iterate_batches",
    "keep_probabilities",
    "noise_distribution",
    "noise_table",
    "sample_negatives",
    "skipgram_epoch",
    "skipgram_pairs",
    "skipgram_windows",
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
