"""tutorial_utils.cache: train once, reuse. Both paths (trained, loaded) give the same figures."""

from __future__ import annotations

import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import numpy as np
import pytest
from test_siamese import _tiny_digits

from tutorial_utils import cache
from tutorial_utils.cache import cache_key, model_cache_dir, train_once

CALLS: list[tuple] = []


def _arrays_and_numbers(x, scale=2.0, verbose=0):
    """A stand-in training function: counts its calls, returns a tuple of what the cache stores."""
    CALLS.append((x.shape, scale))
    return x * scale, float(x.sum()), int(len(x)), "done", None


def _other_function(x, scale=2.0, verbose=0):
    return x * scale


@pytest.fixture(autouse=True)
def model_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.MODEL_DIR_VARIABLE, str(tmp_path / "models"))
    CALLS.clear()
    return tmp_path / "models"


def test_a_second_call_loads_what_the_first_trained(model_dir, capsys):
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    first = train_once(_arrays_and_numbers, x, scale=3.0)
    assert "trained _arrays_and_numbers" in capsys.readouterr().out
    second = train_once(_arrays_and_numbers, x, scale=3.0, verbose=2)  # verbose is not in the key
    assert "loaded _arrays_and_numbers from the cache" in capsys.readouterr().out
    assert len(CALLS) == 1
    np.testing.assert_array_equal(first[0], second[0])
    assert first[1:] == second[1:] == (15.0, 2, "done", None)
    assert model_cache_dir() == model_dir and len(list(model_dir.iterdir())) == 1


def test_other_arguments_data_or_code_train_again():
    x = np.ones((2, 3), dtype=np.float32)
    train_once(_arrays_and_numbers, x)
    train_once(_arrays_and_numbers, x, scale=1.0)
    train_once(_arrays_and_numbers, x * 2)
    assert len(CALLS) == 3
    assert cache_key(_arrays_and_numbers, x) != cache_key(_other_function, x)
    assert cache_key(_arrays_and_numbers, x) != cache_key(_arrays_and_numbers, x.astype(np.float64))
    assert cache_key(_arrays_and_numbers, x, verbose=1) == cache_key(_arrays_and_numbers, x, verbose=2)
    # by position, by name or by default: the same call, the same key
    assert cache_key(_arrays_and_numbers, x) == cache_key(_arrays_and_numbers, x=x, scale=2.0) \
        == cache_key(_arrays_and_numbers, x, 2.0)
    with pytest.raises(TypeError, match="cannot be called with these arguments"):
        cache_key(_arrays_and_numbers, x, sclae=1.0)


def test_an_unreadable_entry_is_set_aside_and_trained_again(model_dir, capsys):
    x = np.ones((2, 3), dtype=np.float32)
    train_once(_arrays_and_numbers, x)
    (entry,) = model_dir.iterdir()
    (entry / "item0.npy").write_bytes(b"not an array")
    again = train_once(_arrays_and_numbers, x)
    out = capsys.readouterr().out
    assert "could not be read" in out and "training again" in out
    assert len(CALLS) == 2
    np.testing.assert_array_equal(again[0], x * 2)
    names = sorted(p.name for p in model_dir.iterdir())
    assert len(names) == 2 and any(".unreadable-" in name for name in names)
    train_once(_arrays_and_numbers, x)
    assert len(CALLS) == 2  # the healed entry is used


def test_refusals_say_what_to_pass():
    with pytest.raises(TypeError, match="cannot key the argument 'scale' of type object"):
        train_once(_arrays_and_numbers, np.ones(2), scale=object())
    with pytest.raises(TypeError, match="cannot key the argument 'x'\\[1\\] of type object"):
        train_once(_arrays_and_numbers, [1, object()])
    with pytest.raises(TypeError, match="returned a set"):
        train_once(lambda: {1}, )
    with pytest.raises(TypeError, match="train must be the training function"):
        cache_key("not a function")
    with pytest.raises(TypeError, match="needs the source"):
        cache_key(len)


def test_keras_model_loaded_gives_the_same_embeddings_as_trained():
    """The real case: chapter 2's dense Siamese network, tiny data, one epoch."""
    from tutorial_utils.siamese import train_dense_siamese

    x, y = _tiny_digits(64)
    trained, seconds = train_once(train_dense_siamese, x, y, epochs=1, batch_size=16, verbose=0)
    loaded, loaded_seconds = train_once(train_dense_siamese, x, y, epochs=1, batch_size=16, verbose=0)
    assert loaded is not trained and loaded_seconds == seconds
    np.testing.assert_array_equal(trained.predict(x, verbose=0), loaded.predict(x, verbose=0))


def test_torch_module_round_trip():
    import torch

    def make_layer(width):
        torch.manual_seed(0)
        return torch.nn.Linear(width, 2)

    first = train_once(make_layer, 3)
    second = train_once(make_layer, 3)
    assert second is not first
    probe = torch.ones(1, 3)
    assert torch.equal(first(probe), second(probe))
