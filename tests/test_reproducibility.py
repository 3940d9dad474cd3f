"""tutorial_utils.reproducibility: seeding and the torch device."""

from __future__ import annotations

import random

import numpy as np
import pytest

from tutorial_utils.reproducibility import seed_everything, torch_device


def test_same_seed_same_draws():
    first = seed_everything(7)
    a = (random.random(), np.random.rand(), first.normal(size=3))
    second = seed_everything(7)
    b = (random.random(), np.random.rand(), second.normal(size=3))
    assert a[0] == b[0] and a[1] == b[1]
    np.testing.assert_array_equal(a[2], b[2])


def test_different_seeds_differ():
    assert seed_everything(1).random() != seed_everything(2).random()


@pytest.mark.parametrize("bad", [-1, 1.5, "0", True, None])
def test_bad_seed_is_refused(bad):
    with pytest.raises(ValueError, match="non-negative integer"):
        seed_everything(bad)


def test_torch_is_seeded_when_imported():
    import torch
    seed_everything(3)
    first = torch.rand(4)
    seed_everything(3)
    assert torch.equal(first, torch.rand(4))


def test_torch_device_reports_its_choice(capsys):
    import torch
    device = torch_device()
    expected = "cuda" if torch.cuda.is_available() else device.type
    assert device.type == expected
    assert f"PyTorch will use: {device.type}" in capsys.readouterr().out
    assert torch_device("cpu", verbose=False).type == "cpu"


def test_unavailable_device_is_refused():
    import torch
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA; the refusal is checked on CPU-only machines")
    with pytest.raises(RuntimeError, match="'cuda' is not available here; available: .*cpu"):
        torch_device("cuda")
