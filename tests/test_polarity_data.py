"""Pang and Lee's polarity sentences (chapter 9's sentiment task), as load_polarity_sentences reads them."""

from __future__ import annotations

import numpy as np
import pytest

from tutorial_utils import datasets


def test_polarity_sentences_are_balanced_and_labelled():
    sentences, labels = datasets.load_polarity_sentences()
    assert len(sentences) == len(labels) == 200
    assert labels.dtype == np.int64 and set(labels.tolist()) == {0, 1}
    assert np.bincount(labels).tolist() == [100, 100]
    # the file's first line is a negative review; no label tag is left in any sentence
    assert labels[0] == 0 and sentences[0].startswith("simplistic , silly and tedious")
    assert not any("__label__" in s for s in sentences)


def _file_with(tmp_path, monkeypatch, text):
    path = tmp_path / "polarity.cor"
    path.write_text(text, encoding="cp1252")
    monkeypatch.setattr(datasets, "text_dataset_path", lambda name: path)


def test_blank_lines_are_skipped(tmp_path, monkeypatch):
    _file_with(tmp_path, monkeypatch, "__label__pos a fine film .\n\n__label__neg dull .\n")
    sentences, labels = datasets.load_polarity_sentences()
    assert sentences == ["a fine film .", "dull ."] and labels.tolist() == [1, 0]


@pytest.mark.parametrize("line", ["__label__neutral so-so .", "__label__pos", "no tag at all"])
def test_a_malformed_line_is_refused_with_its_number(tmp_path, monkeypatch, line):
    _file_with(tmp_path, monkeypatch, f"__label__pos good .\n{line}\n")
    with pytest.raises(ValueError, match="line 2 of the polarity file"):
        datasets.load_polarity_sentences()


def test_windows_1252_dashes_decode():
    sentences, _ = datasets.load_polarity_sentences()
    assert any("\u2014" in s for s in sentences)  # the file's em dashes, byte 0x97
