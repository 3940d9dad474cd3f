"""Embedding Projector export: the files read back (with independent readers) as what was written."""

from __future__ import annotations

import csv
import re

import numpy as np
import pytest
from PIL import Image

from tutorial_utils.projector import MAX_SPRITE_SIDE, export_projector


def _read_tsv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_vectors_and_single_column_labels_read_back(tmp_path):
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(7, 5)).astype(np.float32)
    words = ["king", "queen", "man", "woman", "paris", "france", "de"]
    files = export_projector(vectors, tmp_path / "words", metadata=words)
    assert (files.n_points, files.dim, files.sprite) == (7, 5, None)
    np.testing.assert_allclose(np.loadtxt(files.vectors, delimiter="\t"), vectors, rtol=1e-5)
    # one column: no header line, one label per vector, in order
    assert [row for row in _read_tsv(files.metadata)] == [[w] for w in words]
    config = files.config.read_text()
    assert 'tensor_path: "vectors.tsv"' in config and 'metadata_path: "metadata.tsv"' in config
    assert "sprite" not in config


def test_several_columns_get_a_header(tmp_path):
    vectors = np.eye(3)
    files = export_projector(vectors, tmp_path, metadata={"word": ["a", "b", "c"], "count": [3, 2, 1]})
    assert _read_tsv(files.metadata) == [["word", "count"], ["a", "3"], ["b", "2"], ["c", "1"]]


def test_tabs_and_line_breaks_in_labels_cannot_break_the_rows(tmp_path):
    labels = ["a\tb", "line one\nline two", "cr\r\nlf", "", "  spaced  "]
    files = export_projector(np.zeros((5, 2)), tmp_path, metadata={"text": labels, "id": list(range(5))})
    rows = _read_tsv(files.metadata)
    assert len(rows) == 6 and all(len(row) == 2 for row in rows)
    assert [row[0] for row in rows[1:]] == ["a b", "line one line two", "cr lf", "(empty)", "spaced"]


def test_vector_file_has_one_line_per_point_and_plain_numbers(tmp_path):
    files = export_projector(np.array([[1e-8, -2.5], [3.0, 1e6]]), tmp_path)
    lines = files.vectors.read_text().splitlines()
    assert len(lines) == 2 and files.metadata is None
    assert all(re.fullmatch(r"[-+0-9.e]+\t[-+0-9.e]+", line) for line in lines)
    assert "metadata_path" not in files.config.read_text()


def test_sprite_tiles_the_images_in_order(tmp_path):
    rng = np.random.default_rng(1)
    images = rng.integers(0, 256, size=(5, 4, 3), dtype=np.uint8)  # 5 images of 4 rows x 3 columns
    files = export_projector(rng.normal(size=(5, 2)), tmp_path, metadata=list("abcde"), images=images)
    sprite = np.asarray(Image.open(files.sprite))
    side = 3  # ceil(sqrt(5))
    assert sprite.shape == (side * 4, side * 3)
    for index, image in enumerate(images):
        row, col = divmod(index, side)
        np.testing.assert_array_equal(sprite[row * 4:(row + 1) * 4, col * 3:(col + 1) * 3], image)
    assert not sprite[2 * 4:, 2 * 3:].any()  # unused cells stay black
    config = files.config.read_text()
    # TensorBoard reads single_image_dim as [width, height]
    assert re.search(r'image_path: "sprite.png"\s+single_image_dim: 3\s+single_image_dim: 4', config)


def test_float_and_colour_images(tmp_path):
    grey = np.linspace(0, 1, 4 * 2 * 2).reshape(4, 2, 2)
    files = export_projector(np.zeros((4, 2)), tmp_path / "grey", images=grey)
    assert np.asarray(Image.open(files.sprite)).max() == 255
    colour = np.zeros((2, 2, 2, 3), dtype=np.uint8)
    colour[1, ..., 0] = 200
    files = export_projector(np.zeros((2, 2)), tmp_path / "colour", images=colour)
    assert np.asarray(Image.open(files.sprite)).shape == (4, 4, 3)


@pytest.mark.parametrize("kwargs, message", [
    ({"vectors": np.zeros(3)}, "2-D"),
    ({"vectors": np.zeros((0, 3))}, "non-empty"),
    ({"vectors": np.array([[np.nan, 1.0]])}, "NaN"),
    ({"metadata": ["a", "b"]}, "has 2 entries but there are 3 vectors"),
    ({"metadata": {"w": ["a", "b", "c"], "n": [1, 2]}}, "column 'n' has 2 entries"),
    ({"metadata": "abc"}, "not a single string"),
    ({"metadata": {}}, "empty mapping"),
    ({"metadata": {"a\t": [1, 2, 3], "a": [1, 2, 3]}}, "names must differ"),
    ({"images": np.zeros((2, 4, 4))}, "2 images for 3 vectors"),
    ({"images": np.zeros((3, 4))}, "shape"),
    ({"images": np.full((3, 2, 2), 2.0)}, "[0, 1]"),
    ({"tensor_name": 'a"b'}, "tensor_name"),
])
def test_bad_input_is_refused_with_a_reason(tmp_path, kwargs, message):
    arguments = {"vectors": np.zeros((3, 2)), "folder": tmp_path, **kwargs}
    with pytest.raises(ValueError, match=re.escape(message)):
        export_projector(**arguments)
    assert not (tmp_path / "vectors.tsv").exists()  # nothing half-written


def test_a_sprite_larger_than_the_projector_takes_is_refused(tmp_path):
    n = (MAX_SPRITE_SIDE // 28 + 1) ** 2
    with pytest.raises(ValueError, match="export fewer points"):
        export_projector(np.zeros((n, 2)), tmp_path, images=np.zeros((n, 28, 28), dtype=np.uint8))
