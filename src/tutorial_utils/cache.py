"""Train once, reuse: a model an earlier chapter trained, loaded instead of trained again.

Chapter 4 and chapter 2's companion evaluate the networks chapter 2 trains. Training them
again in every notebook costs minutes, so they call::

    base, seconds = train_once(train_dense_siamese, x_train, y_train, epochs=5, seed=1)

which returns ``train_dense_siamese(x_train, y_train, epochs=5, seed=1)``: loaded from the
model cache when an entry made by the *same code with the same arguments* is there, and
otherwise trained and stored for the next notebook. The figures are the same either way (the
stored weights are the trained ones). A notebook opened alone, with an empty cache, trains.

The key of an entry is a hash of the training function's source, the source of the module that
defines it (the function's helpers live there), the value of every parameter (passed by position
or by name, or left at its default; arrays by their bytes) and the
versions of numpy, Keras, TensorFlow and PyTorch. Arguments named ``verbose`` are left out: they
change what is printed, not what is trained.

A result may be a Keras model, a PyTorch module (whose class is importable), a numpy array, a
number, a string, ``None``, or a tuple of those. The cache lives in ``models/`` inside the data
folder (:func:`tutorial_utils.datasets.data_dir`), or in ``$EMBEDDINGS_MODEL_DIR`` if that is set.
An entry that cannot be read is reported in one line, set aside, and trained again.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import json
import os
import shutil
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

import numpy as np

__all__ = ["MODEL_DIR_VARIABLE", "cache_key", "model_cache_dir", "train_once"]

MODEL_DIR_VARIABLE = "EMBEDDINGS_MODEL_DIR"
_IGNORED_ARGUMENTS = frozenset({"verbose"})
_LIBRARIES = ("numpy", "keras", "tensorflow", "torch")
_MANIFEST = "manifest.json"


def model_cache_dir() -> Path:
    """The folder of cached models (created if missing): ``$EMBEDDINGS_MODEL_DIR`` or ``<data>/models``."""
    override = os.environ.get(MODEL_DIR_VARIABLE)
    if override:
        folder = Path(override).expanduser()
    else:
        from tutorial_utils.datasets import data_dir

        folder = data_dir() / "models"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _feed(digest: Any, value: Any, where: str) -> None:
    """Add ``value`` to ``digest``, unambiguously (type tags and lengths), or refuse it clearly."""
    if isinstance(value, np.ndarray):
        array = np.ascontiguousarray(value)
        digest.update(f"array:{array.dtype.str}:{array.shape}:".encode())
        digest.update(array.tobytes())
    elif value is None or isinstance(value, (bool, int, float, str, np.integer, np.floating, np.bool_)):
        digest.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, (list, tuple)):
        digest.update(f"{type(value).__name__}[{len(value)}]:".encode())
        for i, item in enumerate(value):
            _feed(digest, item, f"{where}[{i}]")
    elif isinstance(value, dict):
        digest.update(f"dict[{len(value)}]:".encode())
        for key in sorted(value, key=repr):
            _feed(digest, key, f"{where or 'parameter'} key")
            _feed(digest, value[key], f"{where}[{key!r}]" if where else repr(key))
    else:
        raise TypeError(
            f"train_once cannot key the argument {where} of type {type(value).__name__}: pass numpy "
            "arrays, numbers, strings, None, or lists, tuples and dicts of them"
        )


def _source_of(train: Callable[..., Any]) -> str:
    try:
        source = inspect.getsource(train)
    except (OSError, TypeError) as error:
        raise TypeError(
            f"train_once needs the source of {getattr(train, '__qualname__', train)!r} to key its cache "
            f"({error}); pass a function defined in a file or a notebook cell"
        ) from None
    module = sys.modules.get(getattr(train, "__module__", ""), None)
    try:
        source += inspect.getsource(module) if module is not None and module.__name__ != "__main__" else ""
    except (OSError, TypeError):
        pass  # a module without a file (a notebook): the function's own source is the key
    return source


def _installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def cache_key(train: Callable[..., Any], *args: Any, **kwargs: Any) -> str:
    """The hex key of ``train(*args, **kwargs)``'s cache entry (see the module docstring)."""
    if not callable(train):
        raise TypeError(f"train must be the training function; got {type(train).__name__}")
    digest = hashlib.sha256()
    digest.update(f"{train.__module__}.{train.__qualname__}\n".encode())
    digest.update(_source_of(train).encode())
    for name in _LIBRARIES:  # installed versions, whether or not imported yet
        digest.update(f"{name}={_installed_version(name)};".encode())
    try:  # every parameter by name, defaults filled in: f(x, 5) and f(x, epochs=5) share a key
        bound = inspect.signature(train).bind(*args, **kwargs)
    except TypeError as error:
        raise TypeError(f"{train.__qualname__} cannot be called with these arguments: {error}") from None
    bound.apply_defaults()
    _feed(digest, {k: v for k, v in bound.arguments.items() if k not in _IGNORED_ARGUMENTS}, "")
    return digest.hexdigest()


def _kind(value: Any) -> str:
    keras = sys.modules.get("keras")
    torch = sys.modules.get("torch")
    if keras is not None and isinstance(value, keras.Model):
        return "keras"
    if torch is not None and isinstance(value, torch.nn.Module):
        return "torch"
    if isinstance(value, np.ndarray):
        return "numpy"
    if value is None or isinstance(value, (bool, int, float, str, np.integer, np.floating)):
        return "json"
    raise TypeError(
        f"train_once can store Keras models, PyTorch modules, numpy arrays, numbers, strings and None "
        f"(or a tuple of them); the training function returned a {type(value).__name__}"
    )


def _store(result: Any, folder: Path) -> None:
    items = list(result) if isinstance(result, tuple) else [result]
    manifest: dict[str, Any] = {"tuple": isinstance(result, tuple), "items": []}
    for i, value in enumerate(items):
        kind = _kind(value)
        entry: dict[str, Any] = {"kind": kind}
        if kind == "keras":
            entry["file"] = f"item{i}.keras"
            value.save(folder / entry["file"])
        elif kind == "torch":
            import torch

            entry["file"] = f"item{i}.pt"
            torch.save(value, folder / entry["file"])
        elif kind == "numpy":
            entry["file"] = f"item{i}.npy"
            np.save(folder / entry["file"], value, allow_pickle=False)
        else:
            entry["value"] = value.item() if isinstance(value, np.generic) else value
        manifest["items"].append(entry)
    (folder / _MANIFEST).write_text(json.dumps(manifest, indent=1))


def _load(folder: Path) -> Any:
    manifest = json.loads((folder / _MANIFEST).read_text())
    items = []
    for entry in manifest["items"]:
        kind = entry["kind"]
        if kind == "keras":
            keras = importlib.import_module("keras")
            items.append(keras.models.load_model(folder / entry["file"], compile=False))
        elif kind == "torch":
            import torch

            items.append(torch.load(folder / entry["file"], weights_only=False))
        elif kind == "numpy":
            items.append(np.load(folder / entry["file"], allow_pickle=False))
        elif kind == "json":
            items.append(entry["value"])
        else:
            raise ValueError(f"unknown kind {kind!r} in {folder / _MANIFEST}")
    return tuple(items) if manifest["tuple"] else items[0]


def train_once(train: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    """``train(*args, **kwargs)``, loaded from the model cache when this exact call was made before.

    Prints one line saying whether the result was loaded or trained (and where it is stored).
    Raises ``TypeError`` for an argument the key cannot hash or a result it cannot store.
    """
    key = cache_key(train, *args, **kwargs)
    name = f"{train.__name__}-{key[:16]}"
    folder = model_cache_dir() / name
    if (folder / _MANIFEST).exists():
        try:
            result = _load(folder)
        except Exception as error:  # any unreadable entry is set aside and trained again
            aside = folder.with_name(f"{name}.unreadable-{int(time.time())}")
            folder.rename(aside)
            print(f"train_once: cached {name} could not be read ({type(error).__name__}: {error}); "
                  f"set aside as {aside.name}, training again")
        else:
            print(f"train_once: loaded {train.__name__} from the cache ({folder})")
            return result
    start = time.perf_counter()
    result = train(*args, **kwargs)
    seconds = time.perf_counter() - start
    partial = folder.with_name(f"{name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    try:
        _store(result, partial)
        shutil.rmtree(folder, ignore_errors=True)
        partial.rename(folder)
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    print(f"train_once: trained {train.__name__} in {seconds:.0f} s and cached it ({folder})")
    return result
