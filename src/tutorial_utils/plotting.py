"""The book's figure style and the plots several chapters share.

Call :func:`use_book_style` once in a chapter's setup cell. Figures have a white
background so they read the same in the book's light and dark themes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

__all__ = ["plot_similarity_matrix", "scatter_2d", "use_book_style"]

#: Colour-blind-safe palette (Okabe & Ito 2008), used for groups in every chapter.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")

BOOK_STYLE: dict[str, Any] = {
    "figure.figsize": (6.4, 4.4),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "legend.frameon": False,
    "font.size": 10,
    "image.cmap": "viridis",
}


def use_book_style() -> None:
    """Apply the book's matplotlib style (fonts, grid, colour cycle, white background)."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(BOOK_STYLE)
    mpl.rcParams["axes.prop_cycle"] = cycler(color=list(PALETTE))


def scatter_2d(
    points: np.ndarray,
    groups: Sequence[Any] | None = None,
    labels: Sequence[str] | None = None,
    ax: Any = None,
    title: str = "",
    xlabel: str = "dimension 1",
    ylabel: str = "dimension 2",
    **scatter_kwargs: Any,
) -> Any:
    """Scatter 2-D points, one colour per group (with a legend), optionally labelling each point.

    Returns the matplotlib ``Axes``. ``points`` must have shape (n, 2); ``groups``
    and ``labels``, when given, one entry per point.
    """
    import matplotlib.pyplot as plt

    points = np.asarray(points, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValueError(f"points must have shape (n, 2); got {points.shape}. Reduce to 2-D first (PCA, t-SNE)")
    for name, values in (("groups", groups), ("labels", labels)):
        if values is not None and len(values) != len(points):
            raise ValueError(f"{name} has {len(values)} entries but there are {len(points)} points")
    if ax is None:
        _, ax = plt.subplots()
    if groups is None:
        ax.scatter(points[:, 0], points[:, 1], **scatter_kwargs)
    else:
        groups_array = np.asarray(groups, dtype=object)
        for i, group in enumerate(dict.fromkeys(groups_array.tolist())):
            mask = groups_array == group
            ax.scatter(points[mask, 0], points[mask, 1], label=str(group),
                       color=PALETTE[i % len(PALETTE)], **scatter_kwargs)
        ax.legend(loc="best", fontsize=9)
    if labels is not None:
        for (x, y), text in zip(points, labels):
            ax.annotate(str(text), (x, y), textcoords="offset points", xytext=(4, 4), fontsize=9)
    ax.set(title=title, xlabel=xlabel, ylabel=ylabel)
    return ax


def plot_similarity_matrix(
    matrix: np.ndarray,
    labels: Sequence[str],
    ax: Any = None,
    title: str = "Cosine similarity",
    annotate: bool = True,
    vmin: float = -1.0,
    vmax: float = 1.0,
) -> Any:
    """Heat map of a square similarity matrix with labelled rows and columns; returns the ``Axes``."""
    import matplotlib.pyplot as plt

    matrix = np.asarray(matrix, dtype=float)
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError(f"matrix must be square; got shape {matrix.shape}")
    if len(labels) != matrix.shape[0]:
        raise ValueError(f"{len(labels)} labels for a {matrix.shape[0]}x{matrix.shape[0]} matrix")
    if ax is None:
        size = max(4.0, 0.45 * len(labels) + 1.5)
        _, ax = plt.subplots(figsize=(size + 1.0, size))
    image = ax.imshow(matrix, cmap="RdBu_r", vmin=vmin, vmax=vmax)
    ax.set_xticks(range(len(labels)), labels, rotation=90)
    ax.set_yticks(range(len(labels)), labels)
    ax.grid(False)
    if annotate and len(labels) <= 15:
        for (row, col), value in np.ndenumerate(matrix):
            ax.text(col, row, f"{value:.2f}", ha="center", va="center", fontsize=7,
                    color="white" if abs(value) > 0.6 * max(abs(vmin), abs(vmax)) else "black")
    ax.figure.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    ax.set_title(title)
    return ax
