"""Argument checks the helper modules share, each raising a ``ValueError`` that names the argument."""

from __future__ import annotations

import numpy as np

__all__ = ["positive_int", "positive_number"]


def positive_int(value: object, name: str) -> int:
    """``value`` as an ``int`` if it is a positive integer (bools refused), else a clear ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive integer; got {value!r}")
    return int(value)


def positive_number(value: object, name: str) -> float:
    """``value`` as a ``float`` if it is a positive finite number (bools refused), else a ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive finite number; got {value!r}")
    return float(value)
