"""tutorial_utils.text_models: all-MiniLM-L6-v2 from the installed package, offline, and clear errors."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os

import numpy as np
import pytest

from tutorial_utils import text_models
from tutorial_utils.text_models import MINILM_PACKAGE, ModelUnavailableError, load_minilm, minilm_path


def test_the_model_files_ship_with_the_pinned_package():
    folder = minilm_path()
    assert folder.name == "model"
    for name in ("modules.json", "config.json", "model.safetensors", "tokenizer.json", "README.md"):
        assert (folder / name).is_file(), f"{name} missing from {folder}"
    front_matter = (folder / "README.md").read_text(encoding="utf-8").split("---")[1]
    assert "license: apache-2.0" in front_matter


def test_a_missing_package_names_what_to_install():
    with pytest.raises(ModelUnavailableError, match=f"{MINILM_PACKAGE}.*not found"):
        minilm_path(module="no_such_module_for_the_book")


def test_a_package_without_the_model_files_says_to_reinstall(tmp_path, monkeypatch):
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "modules.json").write_text("[]")
    spec = importlib.machinery.ModuleSpec("fake_minilm", loader=None, origin=str(tmp_path / "__init__.py"))
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: spec)
    with pytest.raises(ModelUnavailableError, match="lacks config.json, model.safetensors, tokenizer.json"):
        minilm_path()


def test_a_folder_that_is_not_a_model_is_refused(tmp_path):
    with pytest.raises(ModelUnavailableError, match="not a sentence-transformers model folder"):
        load_minilm(folder=tmp_path)


def test_loading_switches_the_hub_off_and_gives_unit_vectors_of_384_dimensions():
    model = load_minilm()
    assert os.environ["HF_HUB_OFFLINE"] == "1" and os.environ["TRANSFORMERS_OFFLINE"] == "1"
    import huggingface_hub.constants

    assert huggingface_hub.constants.HF_HUB_OFFLINE is True
    assert model.get_embedding_dimension() == 384
    vectors = model.encode(["bananas", "apples", "camera", "tripod"], normalize_embeddings=True)
    assert vectors.shape == (4, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    # the two fruit are closer to each other than to either photography word, and vice versa
    assert similarity[0, 1] > max(similarity[0, 2], similarity[0, 3], similarity[1, 2], similarity[1, 3])
    assert similarity[2, 3] > max(similarity[0, 2], similarity[1, 3])


def test_module_exports_are_documented():
    for name in text_models.__all__:
        obj = getattr(text_models, name)
        if callable(obj):
            assert obj.__doc__
