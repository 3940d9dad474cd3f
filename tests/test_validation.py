"""tutorial_utils._validation: the argument checks every helper module shares."""

from __future__ import annotations

import numpy as np
import pytest

from tutorial_utils._validation import positive_int, positive_number


@pytest.mark.parametrize("value", [1, 7, np.int64(3), np.int32(1)])
def test_positive_int_accepts_and_returns_a_python_int(value):
    result = positive_int(value, "k")
    assert result == value and type(result) is int


@pytest.mark.parametrize("value", [0, -2, True, 2.0, "3", None, np.float64(2.0)])
def test_positive_int_names_the_argument_it_refuses(value):
    with pytest.raises(ValueError, match=r"^top_k must be a positive integer; got "):
        positive_int(value, "top_k")


@pytest.mark.parametrize("value", [0.5, 3, np.float32(0.1), np.int64(2)])
def test_positive_number_accepts_and_returns_a_float(value):
    result = positive_number(value, "temperature")
    assert result == pytest.approx(float(value)) and type(result) is float


@pytest.mark.parametrize("value", [0, -0.1, float("inf"), float("nan"), True, "1", None])
def test_positive_number_names_the_argument_it_refuses(value):
    with pytest.raises(ValueError, match=r"^temperature must be a positive finite number; got "):
        positive_number(value, "temperature")
