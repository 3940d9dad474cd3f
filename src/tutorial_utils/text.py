"""Words to numbers and back: tokenising, the vocabulary, and word-similarity search.

Chapter 3 builds these in plain code first; call them from here afterwards:

- :func:`tokenize` turns text into lowercase word tokens (the same tokens for every model);
- :class:`Vocabulary` maps words to row indices (``word_to_idx``) and back (``idx_to_word``),
  counts how often each word occurs, and turns a tokenised corpus into integer ids;
- :func:`similar_words` finds a word's nearest neighbours by cosine similarity;
- :func:`load_toy_corpus` reads the book's small "X is Y" corpus and its word groups.

An unknown word raises :class:`UnknownWordError` (a ``KeyError``) that names the word
and suggests the closest entries of the vocabulary.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tutorial_utils._validation import positive_int
from tutorial_utils.similarity import top_k_neighbours

__all__ = [
    "TOY_CORPUS_FILE",
    "ToyCorpus",
    "UnknownWordError",
    "Vocabulary",
    "load_toy_corpus",
    "similar_words",
    "tokenize",
    "unknown_word_error",
]

_LETTERS = re.compile(r"[^\W\d_]+")
#: The book's toy "X is Y" corpus, shipped inside the package (read it with :func:`load_toy_corpus`).
TOY_CORPUS_FILE = Path(__file__).with_name("toy_sentences.txt")


def tokenize(text: str, min_length: int = 2, max_length: int = 15) -> list[str]:
    """Lowercase word tokens of ``text``: runs of letters, ``min_length`` to ``max_length`` long.

    Digits and punctuation separate tokens ("it's" gives "it" and "s", and "s" is
    then dropped as too short). This is what gensim's ``simple_preprocess`` keeps,
    without needing gensim.
    """
    if not isinstance(text, str):
        raise TypeError(f"tokenize expects a str; got {type(text).__name__}. Tokenise each document separately")
    if min_length < 1 or max_length < min_length:
        raise ValueError(f"need 1 <= min_length <= max_length; got min_length={min_length}, max_length={max_length}")
    return [token for token in _LETTERS.findall(text.lower()) if min_length <= len(token) <= max_length]


class UnknownWordError(KeyError):
    """A word that is not in the vocabulary; the message suggests close entries."""

    def __str__(self) -> str:  # KeyError would print the message inside quotes
        return str(self.args[0]) if self.args else ""


def unknown_word_error(word: str, known_words: Iterable[str], max_suggestions: int = 3) -> UnknownWordError:
    """The error to raise for a word missing from ``known_words``: it names the word and suggests close ones.

    Suggestions come from :func:`difflib.get_close_matches` (spelling, not meaning).
    """
    words = list(known_words)
    suggestions = difflib.get_close_matches(str(word), words, n=max_suggestions, cutoff=0.6)
    hint = (f"did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions
            else "no entry is spelled similarly")
    return UnknownWordError(f"{word!r} is not in the vocabulary ({len(words)} words); {hint}")


class Vocabulary:
    """The words a model knows, each with a row index, and how often each occurred.

    Build it with :meth:`from_sentences`. Words are ordered by descending count
    (ties keep the order of first appearance), as gensim orders its vocabulary,
    so index 0 is the most frequent word.
    """

    def __init__(self, words: Sequence[str], counts: Sequence[int] | None = None) -> None:
        words = list(words)
        if not words:
            raise ValueError("a vocabulary needs at least one word; got none")
        if len(set(words)) != len(words):
            duplicates = sorted(w for w, n in Counter(words).items() if n > 1)
            raise ValueError(f"words must be unique; repeated: {duplicates[:10]}")
        if counts is None:
            counts = [1] * len(words)
        if len(counts) != len(words):
            raise ValueError(f"{len(counts)} counts for {len(words)} words; give one count per word")
        self.idx_to_word: list[str] = words
        self.word_to_idx: dict[str, int] = {word: index for index, word in enumerate(words)}
        self.counts: np.ndarray = np.asarray(counts, dtype=np.int64)

    @classmethod
    def from_sentences(cls, sentences: Iterable[Sequence[str]], min_count: int = 1) -> Vocabulary:
        """Count the tokens of ``sentences`` (lists of tokens) and keep words seen ``min_count`` times or more."""
        if isinstance(sentences, str):
            raise TypeError("pass a list of tokenised sentences (lists of str), not one string; see tokenize()")
        min_count = positive_int(min_count, "min_count")
        counter: Counter[str] = Counter()
        for sentence in sentences:
            if isinstance(sentence, str):
                raise TypeError(
                    f"each sentence must be a list of tokens, not a string ({sentence[:40]!r}); "
                    "tokenise it first, e.g. with tokenize()"
                )
            counter.update(sentence)
        if not counter:
            raise ValueError("the corpus is empty: no sentence has any token, so there is no vocabulary to build")
        kept = [(word, count) for word, count in counter.most_common() if count >= min_count]
        if not kept:
            raise ValueError(
                f"no word occurs at least min_count={min_count} times (the most frequent occurs "
                f"{counter.most_common(1)[0][1]} times); lower min_count or use a larger corpus"
            )
        words, counts = zip(*kept)
        return cls(words, counts)

    def __len__(self) -> int:
        return len(self.idx_to_word)

    def __contains__(self, word: object) -> bool:
        return word in self.word_to_idx

    def __repr__(self) -> str:
        head = ", ".join(self.idx_to_word[:5])
        return f"Vocabulary({len(self)} words: {head}{', ...' if len(self) > 5 else ''})"

    def index(self, word: str) -> int:
        """The row index of ``word``; an unknown word raises :class:`UnknownWordError` with suggestions."""
        try:
            return self.word_to_idx[word]
        except KeyError:
            raise unknown_word_error(word, self.idx_to_word) from None

    def word(self, index: int) -> str:
        """The word at row ``index`` (``IndexError`` outside 0..len-1)."""
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < len(self):
            raise IndexError(f"index {index!r} is outside the vocabulary's 0..{len(self) - 1}")
        return self.idx_to_word[int(index)]

    def encode(self, tokens: Sequence[str], skip_unknown: bool = True) -> np.ndarray:
        """Token ids of ``tokens`` (int64). Unknown tokens are skipped, or raise with ``skip_unknown=False``."""
        if isinstance(tokens, str):
            raise TypeError("encode expects a list of tokens, not a string; tokenise it first")
        if skip_unknown:
            ids = [self.word_to_idx[t] for t in tokens if t in self.word_to_idx]
        else:
            ids = [self.index(t) for t in tokens]
        return np.asarray(ids, dtype=np.int64)

    def decode(self, ids: Iterable[int]) -> list[str]:
        """Words of the token ids ``ids`` (the inverse of :meth:`encode`)."""
        return [self.word(int(i)) for i in ids]

    def encode_corpus(self, sentences: Iterable[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """A whole corpus as ``(token_ids, sentence_ids)``: one flat int64 array of known tokens,
        and for each token the index of the sentence it came from (so windows can stop at sentence ends).
        """
        token_parts, sentence_parts = [], []
        for number, sentence in enumerate(sentences):
            ids = self.encode(sentence)
            token_parts.append(ids)
            sentence_parts.append(np.full(len(ids), number, dtype=np.int64))
        if not token_parts or sum(len(p) for p in token_parts) == 0:
            raise ValueError("the corpus has no token from this vocabulary; check the tokeniser and min_count")
        return np.concatenate(token_parts), np.concatenate(sentence_parts)


def similar_words(
    vectors: np.ndarray,
    vocabulary: Vocabulary | Sequence[str],
    word: str,
    top_k: int = 5,
) -> list[tuple[str, float]]:
    """The ``top_k`` words whose vectors have the highest cosine similarity to ``word``'s, best first.

    ``vectors`` has one row per vocabulary entry (row i is the word at index i). The
    word itself is left out of its own neighbours. An unknown word raises
    :class:`UnknownWordError`; ``top_k`` larger than the other words raises ``ValueError``.
    """
    words = vocabulary.idx_to_word if isinstance(vocabulary, Vocabulary) else list(vocabulary)
    matrix = np.asarray(vectors, dtype=np.float64)
    if matrix.ndim != 2 or matrix.shape[0] != len(words):
        raise ValueError(
            f"vectors must have one row per vocabulary word: {len(words)} words but vectors have shape "
            f"{matrix.shape}"
        )
    lookup = vocabulary.word_to_idx if isinstance(vocabulary, Vocabulary) else {w: i for i, w in enumerate(words)}
    if word not in lookup:
        raise unknown_word_error(word, words)
    top_k = positive_int(top_k, "top_k")
    if top_k > len(words) - 1:
        raise ValueError(
            f"top_k={top_k} is larger than the {len(words) - 1} other word(s) in the vocabulary; "
            f"use top_k <= {len(words) - 1}"
        )
    query = lookup[word]
    # Ask for one more neighbour than needed, then drop the query itself.
    indices, scores = top_k_neighbours(matrix[query], matrix, k=top_k + 1, metric="cosine")
    pairs = [(words[i], float(s)) for i, s in zip(indices[0], scores[0]) if i != query]
    return pairs[:top_k]


@dataclass(frozen=True)
class ToyCorpus:
    """The book's toy corpus: its sentences, the (subject, attribute) pairs, and each word's group."""

    sentences: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]
    groups: Mapping[str, str]


def load_toy_corpus(path: str | Path | None = None) -> ToyCorpus:
    """Read the "X is Y" corpus shipped with the package (or a file in the same format).

    Lines starting with ``## `` name a group; ``#`` lines are comments; every other
    non-empty line must read ``subject is attribute``. A word may belong to one group only.
    """
    source = Path(path) if path is not None else TOY_CORPUS_FILE
    if not source.exists():
        raise FileNotFoundError(f"no toy corpus at {source}")
    sentences, pairs, groups = [], [], {}
    group = None
    for number, raw in enumerate(source.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if line.startswith("## "):
            group = line[3:].strip()
            continue
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 3 or parts[1] != "is":
            raise ValueError(f"{source.name} line {number}: expected 'subject is attribute', got {line!r}")
        if group is None:
            raise ValueError(f"{source.name} line {number}: sentence before any '## group' line")
        for word in (parts[0], parts[2]):
            if groups.setdefault(word, group) != group:
                raise ValueError(
                    f"{source.name} line {number}: {word!r} is in group {groups[word]!r} and {group!r}; "
                    "a word belongs to one group"
                )
        sentences.append(line)
        pairs.append((parts[0], parts[2]))
    if not pairs:
        raise ValueError(f"{source.name} holds no sentence")
    return ToyCorpus(tuple(sentences), tuple(pairs), groups)
