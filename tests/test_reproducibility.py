"""tutorial_utils.reproducibility: seeding and the torch device."""

from __future__ import annotations

import random
import sys

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


@pytest.mark.parametrize("cuda, mps, expected", [
    (True, True, "cuda"),  # CUDA first
    (False, True, "mps"),  # then Apple's MPS
    (False, False, "cpu"),  # else the CPU
])
def test_torch_device_prefers_cuda_then_mps_then_cpu(monkeypatch, capsys, cuda, mps, expected):
    # The machine's real accelerators are replaced, so each order is checked on any machine.
    import torch
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda index=0: "Fake GPU")
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)
    device = torch_device()
    assert device == torch.device(expected)
    detail = " (Fake GPU)" if expected == "cuda" else ""
    assert capsys.readouterr().out == f"PyTorch will use: {expected}{detail}\n"
    assert torch_device("cpu", verbose=False) == torch.device("cpu")
    assert capsys.readouterr().out == ""


def test_seeding_follows_keras_or_else_tensorflow(monkeypatch):
    calls = []

    class Fake:
        def __init__(self, **attributes):
            self.__dict__.update(attributes)

    keras = Fake(utils=Fake(set_random_seed=lambda seed: calls.append(("keras", seed))))
    tensorflow = Fake(random=Fake(set_seed=lambda seed: calls.append(("tensorflow", seed))))
    monkeypatch.setitem(sys.modules, "keras", keras)
    monkeypatch.setitem(sys.modules, "tensorflow", tensorflow)
    seed_everything(5)
    assert calls == [("keras", 5)]  # Keras seeds TensorFlow's backend itself
    monkeypatch.delitem(sys.modules, "keras")
    seed_everything(6)
    assert calls == [("keras", 5), ("tensorflow", 6)]


def test_unavailable_device_is_refused():
    import torch
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA; the refusal is checked on CPU-only machines")
    with pytest.raises(RuntimeError, match="'cuda' is not available here; available: .*cpu"):
        torch_device("cuda")
