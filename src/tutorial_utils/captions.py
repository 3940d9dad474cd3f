"""Captions for MNIST digits, written from the label and two attributes measured on the image.

Chapter 8 trains a CLIP in miniature: an image encoder and a text encoder learn one shared space
from (image, caption) pairs. MNIST has no captions, so we write them. The label gives the digit's
name; chapter 4's two measures give its style: the **ink** (the sum of the pixel values, which
grows with stroke thickness) and the **slant** (how far the ink shifts sideways per row, from the
image's second moments). Each measure becomes a level, 0 (low), 1 (middle) or 2 (high), by the
tertiles of the training images *of the same digit* (a one has less ink than an eight whatever its
pen), and a level of 0 or 2 becomes a word ("thin" or "thick", "left-leaning" or "slanted")::

    cuts = fit_tertiles(ink(x_train), y_train)
    thickness = levels(ink(x_train), y_train, cuts)
    captions = make_captions(y_train, thickness, slant_levels, rng)   # "a scan of a thick seven."
    ids = token_ids(captions, build_vocabulary(captions), length=12)

:data:`TRAIN_TEMPLATES` are the sentences captions are written in during training;
:data:`PROMPT_TEMPLATES` share none of them and are kept for zero-shot prompts at test time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import numpy as np

from tutorial_utils._validation import positive_int

__all__ = ["ATTRIBUTES", "DIGIT_WORDS", "PROMPT_TEMPLATES", "TRAIN_TEMPLATES", "build_vocabulary", "describe",
           "fill_template", "fit_tertiles", "ink", "levels", "make_captions", "slant", "token_ids", "tokenize"]

#: The name of each digit, index = label.
DIGIT_WORDS: tuple[str, ...] = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

#: For each attribute value: (measure, level, synonyms). The first synonym is the one queries use.
ATTRIBUTES: dict[str, tuple[str, int, tuple[str, ...]]] = {
    "thin": ("thickness", 0, ("thin", "light", "fine")),
    "thick": ("thickness", 2, ("thick", "bold", "heavy")),
    "left": ("slant", 0, ("left-leaning", "backhand")),
    "right": ("slant", 2, ("slanted", "right-leaning", "italic")),
}

#: Sentences the training captions are written in ("{}" takes the description).
TRAIN_TEMPLATES: tuple[str, ...] = (
    "a {}.",
    "a handwritten {}.",
    "a photo of a {}.",
    "a scan of a {}.",
    "an image of the digit {}.",
    "the number {}, written by hand.",
)

#: Sentences kept for zero-shot prompts: no template (and some words) never seen in training.
PROMPT_TEMPLATES: tuple[str, ...] = (
    "a drawing of a {}.",
    "this is a {}.",
    "somebody wrote a {} here.",
)

_WORD = re.compile(r"[a-z]+")


def ink(images: Any) -> np.ndarray:
    """The ink of each image: the sum of its pixel values (float64). ``images``: (n, 28, 28) or (n, 784)."""
    x = np.asarray(images)
    if x.ndim < 2:
        raise ValueError(f"images must be a batch, (n, height, width) or (n, pixels); got shape {x.shape}")
    return x.reshape(len(x), -1).sum(axis=1, dtype=np.float64)


def slant(images: Any, chunk: int = 1_000) -> np.ndarray:
    """How far each image's ink shifts sideways per row (positive: leaning right), chapter 4's measure.

    Minus the ink-weighted covariance of row and column over the variance of the row. Images
    are square, (n, side, side) or (n, side * side); ``chunk`` of them are measured at a time,
    which keeps the float64 temporaries small. A blank image has no slant: ``ValueError``.
    """
    x = np.asarray(images)
    side = math.isqrt(x[0].size) if x.ndim >= 2 and len(x) else 0
    if x.ndim < 2 or side * side != x[0].size:
        raise ValueError(f"images must be a batch of square images; got shape {x.shape}")
    chunk = positive_int(chunk, "chunk")
    if len(x) > chunk:
        return np.concatenate([slant(x[i:i + chunk], chunk) for i in range(0, len(x), chunk)])
    images_ = x.reshape(-1, side, side).astype(np.float64)
    total = images_.sum(axis=(1, 2), keepdims=True)
    if np.any(total == 0):
        raise ValueError("a blank image (no ink) has no slant")
    rows, cols = np.mgrid[:side, :side]
    weight = images_ / total
    r_mean = (weight * rows).sum(axis=(1, 2))[:, None, None]
    c_mean = (weight * cols).sum(axis=(1, 2))[:, None, None]
    covariance = (weight * (rows - r_mean) * (cols - c_mean)).sum(axis=(1, 2))
    variance = (weight * (rows - r_mean) ** 2).sum(axis=(1, 2))
    return -covariance / variance


def _values_and_labels(values: Any, labels: Any) -> tuple[np.ndarray, np.ndarray]:
    v, y = np.asarray(values, dtype=np.float64).ravel(), np.asarray(labels).ravel()
    if len(v) != len(y):
        raise ValueError(f"{len(v)} values for {len(y)} labels")
    if not np.issubdtype(y.dtype, np.integer) or (len(y) and y.min() < 0):
        raise ValueError("labels must be integers 0..C-1")
    return v, y


def fit_tertiles(values: Any, labels: Any) -> np.ndarray:
    """For each class, the two values that cut its items into thirds: an array (n_classes, 2).

    Fit on the training items only; :func:`levels` then applies the cuts to any items.
    Every class 0..max(labels) needs at least three items.
    """
    v, y = _values_and_labels(values, labels)
    if len(y) == 0:
        raise ValueError("no items to fit the tertiles on")
    counts = np.bincount(y)
    if counts.min() < 3:
        raise ValueError(f"class {int(counts.argmin())} has {int(counts.min())} items; tertiles need at least 3")
    return np.array([np.quantile(v[y == c], [1 / 3, 2 / 3]) for c in range(len(counts))])


def levels(values: Any, labels: Any, cuts: Any) -> np.ndarray:
    """Each item's level within its class: 0 below the first cut, 2 above the second, 1 between (int8)."""
    v, y = _values_and_labels(values, labels)
    c = np.asarray(cuts, dtype=np.float64)
    if c.ndim != 2 or c.shape[1] != 2:
        raise ValueError(f"cuts must have shape (n_classes, 2), as fit_tertiles returns; got {c.shape}")
    if len(y) and y.max() >= len(c):
        raise ValueError(f"label {int(y.max())} has no cuts (cuts cover {len(c)} classes)")
    low, high = c[y, 0], c[y, 1]
    return (v > low).astype(np.int8) + (v > high).astype(np.int8)


def describe(digit: int, words: Sequence[str] = ()) -> str:
    """The description of a digit with attribute words before it: ``describe(7, ["thick", "slanted"])``
    is ``"thick, slanted seven"``."""
    if isinstance(digit, bool) or not isinstance(digit, (int, np.integer)) or not 0 <= digit <= 9:
        raise ValueError(f"digit must be an integer 0-9; got {digit!r}")
    return ", ".join(words) + (" " if words else "") + DIGIT_WORDS[digit]


def fill_template(template: str, description: str) -> str:
    """``template`` with ``description`` in its ``{}``, and "a" made "an" before a vowel."""
    if template.count("{}") != 1:
        raise ValueError(f"a template needs exactly one '{{}}'; got {template!r}")
    text = template.format(description)
    return re.sub(r"\ba ([aeiou])", r"an \1", text)


def make_captions(digits: Any, thickness: Any, slant_level: Any, rng: np.random.Generator,
                  templates: Sequence[str] = TRAIN_TEMPLATES, mention: float = 0.5,
                  held_out: Collection[tuple[int, str]] = ()) -> list[str]:
    """One random caption per image: a random template, the digit's name, and its attributes.

    ``thickness`` and ``slant_level`` are the images' levels (:func:`levels`). An attribute at
    level 0 or 2 is mentioned with probability ``mention``, by a random synonym (thickness
    before slant); the middle level is never mentioned. A pair ``(digit, value)`` in ``held_out``
    (value one of :data:`ATTRIBUTES`' keys, such as ``(4, "thick")``) is never mentioned.
    """
    d = np.asarray(digits).ravel()
    measured = {"thickness": np.asarray(thickness).ravel(), "slant": np.asarray(slant_level).ravel()}
    if not all(len(m) == len(d) for m in measured.values()):
        raise ValueError(f"{len(d)} digits, {len(measured['thickness'])} thickness and "
                         f"{len(measured['slant'])} slant levels: one of each per image")
    if not 0 <= mention <= 1:
        raise ValueError(f"mention is a probability, from 0 to 1; got {mention!r}")
    unknown = {value for _, value in held_out} - set(ATTRIBUTES)
    if unknown:
        raise ValueError(f"held_out values must be among {sorted(ATTRIBUTES)}; got {sorted(unknown)}")
    hidden = {(int(digit), value) for digit, value in held_out}
    by_level = {(measure, level): (value, synonyms) for value, (measure, level, synonyms) in ATTRIBUTES.items()}
    template_choice = rng.integers(len(templates), size=len(d))
    said = {measure: rng.random(len(d)) < mention for measure in measured}
    synonym_draw = rng.random((len(d), len(measured)))
    captions = []
    for i, digit in enumerate(d.tolist()):
        words = []
        for j, (measure, level) in enumerate(measured.items()):
            entry = by_level.get((measure, int(level[i])))
            if entry is None or not said[measure][i] or (digit, entry[0]) in hidden:
                continue
            synonyms = entry[1]
            words.append(synonyms[int(synonym_draw[i, j] * len(synonyms))])
        captions.append(fill_template(templates[template_choice[i]], describe(digit, words)))
    return captions


def tokenize(text: str) -> list[str]:
    """Lower-case words of letters only: ``"A thick, slanted seven."`` -> ``["a", "thick", "slanted", "seven"]``."""
    return _WORD.findall(text.lower())


def build_vocabulary(texts: Iterable[str]) -> dict[str, int]:
    """Word -> id for every word of ``texts`` (sorted), after ``"<pad>"`` = 0 and ``"<unk>"`` = 1."""
    words = sorted({word for text in texts for word in tokenize(text)})
    return {"<pad>": 0, "<unk>": 1, **{word: i + 2 for i, word in enumerate(words)}}


def token_ids(texts: Sequence[str], vocabulary: dict[str, int], length: int) -> np.ndarray:
    """Each text as ``length`` word ids (int64): unknown words are ``"<unk>"``, the rest padded with 0.

    A text longer than ``length`` words is refused with a ``ValueError`` rather than cut: a cut
    caption would lose its last words, often the digit's name.
    """
    length = positive_int(length, "length")
    if vocabulary.get("<pad>") != 0 or "<unk>" not in vocabulary:
        raise ValueError("the vocabulary needs '<pad>' = 0 and '<unk>': build it with build_vocabulary")
    ids = np.zeros((len(texts), length), dtype=np.int64)
    unknown = vocabulary["<unk>"]
    for i, text in enumerate(texts):
        words = tokenize(text)
        if len(words) > length:
            raise ValueError(f"{text!r} has {len(words)} words, more than length={length}")
        ids[i, :len(words)] = [vocabulary.get(word, unknown) for word in words]
    return ids
