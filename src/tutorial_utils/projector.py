"""Export embeddings for the TensorBoard Embedding Projector, to explore them in 3-D in a browser.

Call :func:`export_projector` with the vectors and a label (or several columns of labels) per row.
It writes, into one folder:

- ``vectors.tsv``: one vector per line, values separated by tabs, no header;
- ``metadata.tsv``: one label per line (no header) or, for several columns, a header line with the
  column names and then one row per vector;
- ``sprite.png`` (when ``images`` are given): the thumbnails in one grid image, row by row;
- ``projector_config.pbtxt``: what TensorBoard reads to find the three files above.

Open them at https://projector.tensorflow.org ("Load": choose ``vectors.tsv``, then
``metadata.tsv``), or run ``tensorboard --logdir FOLDER`` and open its "Projector" tab (TensorBoard
also shows the sprite's thumbnails).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["ProjectorExport", "export_projector", "MAX_SPRITE_SIDE"]

#: The largest sprite image TensorBoard's projector accepts, in pixels per side.
MAX_SPRITE_SIDE = 8192


@dataclass(frozen=True)
class ProjectorExport:
    """The files :func:`export_projector` wrote (``sprite`` is ``None`` without images)."""

    folder: Path
    vectors: Path
    metadata: Path | None
    sprite: Path | None
    config: Path
    n_points: int
    dim: int


def _clean(value: Any) -> str:
    """A label as one TSV cell: tabs and line breaks become spaces; an empty label becomes "(empty)"."""
    text = re.sub(r"[\t\r\n\v\f]+", " ", str(value)).strip()
    return text or "(empty)"


def _metadata_columns(metadata: Sequence[Any] | Mapping[str, Sequence[Any]], n: int) -> dict[str, list[str]]:
    if isinstance(metadata, Mapping):
        columns = {str(name): list(values) for name, values in metadata.items()}
        if not columns:
            raise ValueError("metadata is an empty mapping: give at least one column, or metadata=None")
    elif isinstance(metadata, (str, bytes)):
        raise ValueError("metadata must be one label per vector (a list), not a single string")
    else:
        columns = {"label": list(metadata)}
    for name, values in columns.items():
        if len(values) != n:
            raise ValueError(f"metadata column {name!r} has {len(values)} entries but there are {n} vectors: "
                             "give exactly one label per vector, in the same order")
    cleaned_names = [_clean(name) for name in columns]
    if len(set(cleaned_names)) != len(cleaned_names):
        raise ValueError(f"metadata column names must differ once tabs and line breaks are removed: {cleaned_names}")
    return {clean: [_clean(v) for v in values] for clean, values in zip(cleaned_names, columns.values())}


def _sprite(images: np.ndarray, n: int) -> tuple[np.ndarray, tuple[int, int]]:
    """Tile ``images`` (n, h, w) or (n, h, w, 3|4) into a square grid, as uint8."""
    images = np.asarray(images)
    if images.ndim not in (3, 4) or (images.ndim == 4 and images.shape[-1] not in (1, 3, 4)):
        raise ValueError(f"images must have shape (n, height, width) or (n, height, width, 1|3|4); got {images.shape}")
    if len(images) != n:
        raise ValueError(f"{len(images)} images for {n} vectors: give one thumbnail per vector, in the same order")
    if images.ndim == 4 and images.shape[-1] == 1:
        images = images[..., 0]
    if images.dtype != np.uint8:
        values = images.astype(float)
        if not np.isfinite(values).all() or values.min() < 0 or values.max() > 1:
            raise ValueError("float images must hold values in [0, 1] (or pass uint8 images in 0..255)")
        images = np.round(values * 255).astype(np.uint8)
    height, width = images.shape[1:3]
    side = int(np.ceil(np.sqrt(n)))
    if side * max(height, width) > MAX_SPRITE_SIDE:
        raise ValueError(f"a sprite of {n} images of {height}x{width} pixels needs {side * height}x{side * width} "
                         f"pixels; the projector takes at most {MAX_SPRITE_SIDE} per side: export fewer points")
    grid = np.zeros((side * height, side * width) + images.shape[3:], dtype=np.uint8)
    for index, image in enumerate(images):
        row, col = divmod(index, side)
        grid[row * height:(row + 1) * height, col * width:(col + 1) * width] = image
    return grid, (height, width)


def export_projector(
    vectors: np.ndarray,
    folder: str | Path,
    metadata: Sequence[Any] | Mapping[str, Sequence[Any]] | None = None,
    images: np.ndarray | None = None,
    tensor_name: str = "embedding",
    precision: int = 6,
) -> ProjectorExport:
    """Write ``vectors`` (and labels, and thumbnails) in the Embedding Projector's format into ``folder``.

    ``metadata``: one label per vector (a list: written without a header, as the projector expects
    for a single column), or ``{column name: labels}`` for several columns (written with a header
    line). Tabs and line breaks inside labels become spaces, so every vector keeps exactly one line.
    ``images``: one thumbnail per vector, (n, h, w) grey or (n, h, w, 3) colour, uint8 or floats
    in [0, 1], tiled into ``sprite.png``. ``precision``: significant digits written per value.
    Returns the paths written (:class:`ProjectorExport`).
    """
    array = np.asarray(vectors, dtype=float)
    if array.ndim != 2 or array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"vectors must be a non-empty 2-D array (n points, dim); got shape {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError("vectors contain NaN or infinite values: the projector cannot place those points")
    n, dim = array.shape
    if not re.fullmatch(r"[\w.\-]+", tensor_name):
        raise ValueError(f"tensor_name {tensor_name!r}: use letters, digits, '_', '-' or '.' only")
    columns = _metadata_columns(metadata, n) if metadata is not None else None
    sprite = _sprite(images, n) if images is not None else None

    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    vectors_path = out / "vectors.tsv"
    np.savetxt(vectors_path, array, fmt=f"%.{precision}g", delimiter="\t", encoding="utf-8")

    metadata_path = None
    if columns is not None:
        metadata_path = out / "metadata.tsv"
        rows = list(zip(*columns.values()))
        lines = ["\t".join(columns)] if len(columns) > 1 else []
        lines += ["\t".join(row) for row in rows]
        metadata_path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    sprite_path = None
    config = ["embeddings {", f'  tensor_name: "{tensor_name}"', '  tensor_path: "vectors.tsv"']
    if metadata_path is not None:
        config.append('  metadata_path: "metadata.tsv"')
    if sprite is not None:
        from PIL import Image  # installed with matplotlib

        grid, (height, width) = sprite
        sprite_path = out / "sprite.png"
        Image.fromarray(grid).save(sprite_path)
        # TensorBoard reads single_image_dim as width, then height
        config += ["  sprite {", '    image_path: "sprite.png"', f"    single_image_dim: {width}",
                   f"    single_image_dim: {height}", "  }"]
    config.append("}")
    config_path = out / "projector_config.pbtxt"
    config_path.write_text("\n".join(config) + "\n", encoding="utf-8")
    return ProjectorExport(out, vectors_path, metadata_path, sprite_path, config_path, n, dim)
