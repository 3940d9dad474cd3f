"""Data for chapter 8's pretraining tasks: token windows, baselines, sentence pairs, word vectors.

Chapter 8 trains a tiny transformer encoder on the book's corpus with BERT's two tasks and
measures what its embeddings learned. The model, the masking rule and the training loops are
on the page; the bookkeeping they need lives here:

- :func:`split_sentences` cuts a paragraph into sentences (before tokenising: the tokeniser
  drops the full stops);
- :func:`token_windows` cuts documents of token ids into fixed-length rows (the model's inputs);
- :func:`bigram_guesses` is the masked-token baseline that reads the word to the left;
- :func:`majority_share` is the best a single label per word can do (the static baseline);
- :func:`next_sentence_pairs` and :func:`pack_pairs` build next-sentence-prediction examples,
  with negatives from another document or from far away in the same one;
- :func:`word_piece_vectors` gives each word of a tokenised text the mean of its word pieces'
  vectors from a Hugging Face encoder (MiniLM in the chapter);
- :func:`benchmark_figures` reads what an earlier chapter glued in the last benchmark run, for the
  chapter's closing table.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Hashable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from tutorial_utils._validation import positive_int

__all__ = [
    "benchmark_figures",
    "bigram_guesses",
    "majority_share",
    "next_sentence_pairs",
    "pack_pairs",
    "split_sentences",
    "token_windows",
    "word_piece_vectors",
]

# a sentence ends at . ! or ? followed by space and a capital letter (or an opening quote/bracket)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'(])")


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``: cut after ``.``, ``!`` or ``?`` where the next word starts with a capital.

    A rule, not a parser: "Dr. Smith" is cut in two, "e.g. this" is not. Empty pieces are dropped.
    """
    if not isinstance(text, str):
        raise TypeError(f"split_sentences expects a str; got {type(text).__name__}")
    return [piece.strip() for piece in _SENTENCE_END.split(text) if piece.strip()]


def token_windows(documents: Sequence[np.ndarray], length: int, pad_id: int = 0,
                  min_tokens: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Cut each document's token ids into rows of ``length`` ids; no row spans two documents.

    A document's last, shorter piece is padded with ``pad_id`` if it has at least ``min_tokens``
    ids, and dropped otherwise (``min_tokens=length`` keeps whole rows only). Returns
    ``(windows, document_of_row)``: an int64 ``(rows, length)`` array and the document index of
    each row.
    """
    length = positive_int(length, "length")
    min_tokens = positive_int(min_tokens, "min_tokens")
    if min_tokens > length:
        raise ValueError(f"min_tokens={min_tokens} is larger than length={length}: no row could be kept")
    if isinstance(documents, np.ndarray) and documents.ndim == 1 and documents.dtype != object:
        raise TypeError("pass a list of documents (one 1-D array of token ids each), not one array")
    rows, owners = [], []
    for number, document in enumerate(documents):
        ids = np.asarray(document, dtype=np.int64)
        if ids.ndim != 1:
            raise ValueError(f"document {number} must be a 1-D array of token ids; got shape {ids.shape}")
        for start in range(0, len(ids), length):
            piece = ids[start:start + length]
            if len(piece) < min_tokens:
                continue
            row = np.full(length, pad_id, dtype=np.int64)
            row[:len(piece)] = piece
            rows.append(row)
            owners.append(number)
    if not rows:
        raise ValueError("no document has enough tokens for a row; lower min_tokens or check the documents")
    return np.stack(rows), np.asarray(owners, dtype=np.int64)


def bigram_guesses(train_windows: np.ndarray, inputs: np.ndarray, vocab_size: int, first_word: int,
                   no_context: Sequence[int] = ()) -> np.ndarray:
    """For every position of ``inputs``, the word that most often followed its left neighbour in training.

    Counts are taken from consecutive ids of the rows of ``train_windows``; only ids from
    ``first_word`` on (real words, not special tokens) are ever guessed. A position at the start
    of a row, or whose left neighbour is one of ``no_context`` (a mask, padding) or was never
    followed by a word in training, gets the most frequent word of the training rows instead
    (the unigram guess). Returns an int64 array shaped like ``inputs``.
    """
    train = np.asarray(train_windows, dtype=np.int64)
    x = np.asarray(inputs, dtype=np.int64)
    vocab_size = positive_int(vocab_size, "vocab_size")
    if train.ndim != 2 or x.ndim != 2 or train.shape[1] < 2:
        raise ValueError(f"train_windows and inputs must be 2-D, rows of 2+ ids; got {train.shape} and {x.shape}")
    if not 0 <= first_word < vocab_size:
        raise ValueError(f"first_word must lie in 0..{vocab_size - 1}; got {first_word}")
    for name, array in (("train_windows", train), ("inputs", x)):
        if array.size and (array.min() < 0 or array.max() >= vocab_size):
            raise ValueError(f"{name} holds ids outside 0..{vocab_size - 1}")
    words = train[train >= first_word]
    if words.size == 0:
        raise ValueError("train_windows hold no word at or above first_word: nothing to count")
    unigram = int(np.bincount(words, minlength=vocab_size).argmax())
    left, right = train[:, :-1].ravel(), train[:, 1:].ravel()
    keep = right >= first_word
    counts = np.zeros((vocab_size, vocab_size), dtype=np.int32)
    np.add.at(counts, (left[keep], right[keep]), 1)
    best = counts.argmax(axis=1)
    best[counts.max(axis=1) == 0] = unigram
    guesses = np.full_like(x, unigram)
    guesses[:, 1:] = best[x[:, :-1]]
    blocked = np.isin(x[:, :-1], np.asarray(list(no_context), dtype=np.int64))
    guesses[:, 1:][blocked] = unigram
    return guesses


def majority_share(items: Sequence[Hashable], labels: Sequence[Hashable]) -> float:
    """The share of occurrences whose label is the most common label of their item.

    The accuracy of always answering each item's most common label, counted on these same
    occurrences: the best any rule that sees only the item (one vector per word) can reach.
    """
    items, labels = list(items), list(labels)
    if len(items) != len(labels):
        raise ValueError(f"{len(items)} items for {len(labels)} labels; give one label per occurrence")
    if not items:
        raise ValueError("no occurrences given")
    per_item: dict[Hashable, Counter] = {}
    for item, label in zip(items, labels):
        per_item.setdefault(item, Counter())[label] += 1
    return sum(c.most_common(1)[0][1] for c in per_item.values()) / len(items)


def next_sentence_pairs(documents: Sequence[Sequence[Any]], negatives: str, rng: np.random.Generator,
                        min_distance: int = 5) -> tuple[list[Any], list[Any], np.ndarray]:
    """Next-sentence-prediction examples: each sentence with its true successor, then with a negative.

    ``documents`` holds each document's sentences in order. Every sentence ``i`` that has a
    successor gives two examples: ``(s[i], s[i + 1])`` labelled 1, and ``(s[i], b)`` labelled 0,
    where ``b`` is, for ``negatives="random"``, a random sentence of another document (BERT's
    rule) and, for ``negatives="same_document"``, a random sentence of the same document at
    least ``min_distance`` positions away from ``s[i]`` (sentences without one give no example).
    Returns ``(first, second, labels)`` with the positives and negatives interleaved.
    """
    if negatives not in ("random", "same_document"):
        raise ValueError(f"negatives must be 'random' or 'same_document'; got {negatives!r}")
    min_distance = positive_int(min_distance, "min_distance")
    if min_distance < 2:
        raise ValueError("min_distance must be at least 2: at distance 1 the 'negative' may be the true next")
    if len(documents) < 2:
        raise ValueError("need at least two documents")
    first, second, labels = [], [], []
    for d, sentences in enumerate(documents):
        for i in range(len(sentences) - 1):
            if negatives == "random":
                other = int(rng.integers(len(documents) - 1))
                other += other >= d  # any document but this one
                if not len(documents[other]):
                    continue
                negative = documents[other][int(rng.integers(len(documents[other])))]
            else:
                far = [j for j in range(len(sentences)) if abs(j - i) >= min_distance]
                if not far:
                    continue
                negative = sentences[far[int(rng.integers(len(far)))]]
            first += [sentences[i], sentences[i]]
            second += [sentences[i + 1], negative]
            labels += [1, 0]
    if not labels:
        raise ValueError("no pair could be built: documents need 2+ sentences (and far ones for same_document)")
    return first, second, np.asarray(labels, dtype=np.int64)


def pack_pairs(first: Sequence[np.ndarray], second: Sequence[np.ndarray], length: int,
               cls_id: int, sep_id: int, pad_id: int) -> np.ndarray:
    """BERT's input for sentence pairs: ``[CLS] a [SEP] b [SEP]`` then padding, one row of ``length`` ids each.

    Each sentence keeps at most ``(length - 3) // 2`` ids (its first ones), so both fit.
    """
    length = positive_int(length, "length")
    if length < 5:
        raise ValueError(f"length must be at least 5 ([CLS], [SEP] twice and one id per sentence); got {length}")
    if len(first) != len(second):
        raise ValueError(f"{len(first)} first sentences for {len(second)} second ones")
    keep = (length - 3) // 2
    rows = np.full((len(first), length), pad_id, dtype=np.int64)
    for r, (a, b) in enumerate(zip(first, second)):
        a, b = np.asarray(a, dtype=np.int64)[:keep], np.asarray(b, dtype=np.int64)[:keep]
        ids = np.concatenate([[cls_id], a, [sep_id], b, [sep_id]])
        rows[r, :len(ids)] = ids
    return rows


def word_piece_vectors(texts: Sequence[Sequence[str]], tokenizer: Any, encoder: Any,
                       batch_size: int = 64) -> list[np.ndarray]:
    """Each word's contextual vector from a Hugging Face encoder: the mean over its word pieces.

    ``texts`` are lists of words; ``tokenizer`` a fast tokeniser (it maps pieces back to words)
    and ``encoder`` the model (``encoder(**inputs).last_hidden_state``). Returns, per text, a
    float32 ``(len(words), width)`` array. Words cut off by the tokeniser's length limit, or with
    no piece, are refused with a ``ValueError``.
    """
    import torch

    batch_size = positive_int(batch_size, "batch_size")
    if isinstance(texts, str) or any(isinstance(t, str) or not len(t) for t in texts):
        raise ValueError("texts must be a list of non-empty lists of words")
    results = []
    for start in range(0, len(texts), batch_size):
        batch = [list(t) for t in texts[start:start + batch_size]]
        inputs = tokenizer(batch, is_split_into_words=True, padding=True, truncation=True, return_tensors="pt")
        with torch.no_grad():
            hidden = encoder(**inputs).last_hidden_state.float().cpu().numpy()
        for row, words in enumerate(batch):
            owner = np.array([-1 if w is None else w for w in inputs.word_ids(row)])
            counts = np.bincount(owner[owner >= 0], minlength=len(words))
            if len(counts) != len(words) or counts.min() == 0:
                raise ValueError(f"text {start + row}: some words got no word piece (cut by the length limit?)")
            sums = np.zeros((len(words), hidden.shape[2]), dtype=np.float64)
            np.add.at(sums, owner[owner >= 0], hidden[row][owner >= 0])
            results.append((sums / counts[:, None]).astype(np.float32))
    return results


def benchmark_figures(notebook_stem: str, results: str | Path | None = None) -> dict[str, Any]:
    """The figures a chapter glued in the last benchmark run (``benchmarks/results.json``).

    Returns ``{}`` when there is no results file or the chapter is not in it (not benchmarked yet),
    so a closing table can say "not measured yet" instead of failing.
    """
    path = Path(results) if results is not None else Path(__file__).resolve().parents[2] / "benchmarks" / "results.json"
    if not path.exists():
        return {}
    entry = json.loads(path.read_text(encoding="utf-8")).get("notebooks", {}).get(notebook_stem)
    return dict(entry.get("figures", {})) if entry else {}
