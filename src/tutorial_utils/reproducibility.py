"""Seeding and device choice, so a chapter run twice gives the same figures.

Call :func:`seed_everything` once in a chapter's setup cell, after importing the
frameworks the chapter uses; call :func:`torch_device` to get the device to train on.
"""

from __future__ import annotations

import os
import random
import sys
from typing import Any

import numpy as np

__all__ = ["seed_everything", "torch_device"]


def seed_everything(seed: int = 0) -> np.random.Generator:
    """Seed Python, NumPy and, if already imported, PyTorch and TensorFlow/Keras.

    Returns a fresh ``numpy.random.Generator`` seeded with ``seed`` for the
    chapter's own random draws. Frameworks are seeded only when the chapter has
    imported them, so calling this never pulls TensorFlow or PyTorch in.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}")
    seed = int(seed)
    os.environ["PYTHONHASHSEED"] = str(seed)
    random.seed(seed)
    np.random.seed(seed)
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        torch.manual_seed(seed)  # seeds every device, CUDA included
    if "keras" in sys.modules:
        sys.modules["keras"].utils.set_random_seed(seed)  # also seeds TensorFlow's backend
    elif "tensorflow" in sys.modules:
        sys.modules["tensorflow"].random.set_seed(seed)
    return np.random.default_rng(seed)


def torch_device(prefer: str | None = None, verbose: bool = True) -> Any:
    """The ``torch.device`` to use: CUDA if available, then Apple's MPS, else the CPU.

    ``prefer="cpu"`` (or ``"cuda"``, ``"mps"``) forces a choice; asking for a device
    that is not available raises ``RuntimeError`` saying what is. Prints the choice.
    """
    import torch

    available = ["cpu"]
    if torch.cuda.is_available():
        available.insert(0, "cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        available.insert(0 if "cuda" not in available else 1, "mps")
    if prefer is not None and prefer not in available:
        raise RuntimeError(f"device {prefer!r} is not available here; available: {', '.join(available)}")
    name = prefer or available[0]
    device = torch.device(name)
    if verbose:
        detail = f" ({torch.cuda.get_device_name(0)})" if name == "cuda" else ""
        print(f"PyTorch will use: {name}{detail}")
    return device
