"""tutorial_utils.figures: reading glued figures back, and the measured run time."""

from __future__ import annotations

import json

import nbformat
import pytest

from tutorial_utils.figures import measured_runtime, read_glued_figures


def _glue_output(name: str, text: str, prefix: str = "") -> nbformat.NotebookNode:
    return nbformat.v4.new_output(
        "display_data", data={f"{prefix}text/plain": text},
        metadata={"scrapbook": {"name": name, "mime_prefix": prefix}},
    )


def _write(tmp_path, outputs):
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("glue(...)")
    cell.outputs = outputs
    notebook.cells = [nbformat.v4.new_markdown_cell("# t"), cell]
    path = tmp_path / "nb.ipynb"
    nbformat.write(notebook, path)
    return path


def test_reads_numbers_strings_and_numpy_scalars(tmp_path):
    path = _write(tmp_path, [
        _glue_output("ch00_accuracy", "0.975"),
        _glue_output("ch00_count", "42"),
        _glue_output("ch00_title", "'Apollo 11'"),
        _glue_output("ch00_np", "np.float64(0.5)"),
        _glue_output("ch00_table", "<pandas table>"),
        _glue_output("ch00_hidden", "0.25", prefix="application/papermill.record/"),
        nbformat.v4.new_output("stream", name="stdout", text="not glued\n"),
    ])
    assert read_glued_figures(path) == {
        "ch00_accuracy": 0.975, "ch00_count": 42, "ch00_title": "Apollo 11",
        "ch00_np": 0.5, "ch00_table": "<pandas table>", "ch00_hidden": 0.25,
    }


def test_duplicate_names_are_refused(tmp_path):
    path = _write(tmp_path, [_glue_output("x", "1"), _glue_output("x", "2")])
    with pytest.raises(ValueError, match="'x' is glued more than once"):
        read_glued_figures(path)


def test_missing_notebook_says_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="execute it first"):
        read_glued_figures(tmp_path / "missing.ipynb")


def test_measured_runtime(tmp_path):
    results = tmp_path / "results.json"
    assert "not measured yet" in measured_runtime("01_x", results)
    results.write_text(json.dumps({
        "date": "2026-11-23", "machine": {"cpu_count": 2},
        "notebooks": {"01_x": {"wall_s": 37.6, "peak_rss_mb": 612.2, "figures": {}}},
    }))
    assert measured_runtime("01_x", results) == "38 s (peak memory 612 MB; 2-core CPU, benchmark of 2026-11-23)"
    assert "not measured yet" in measured_runtime("02_y", results)
