"""Hoverable scatter plots (plotly) that still read as a picture without JavaScript.

:func:`interactive_scatter` draws the same points twice: a plotly figure a reader can hover, zoom
and pan, and a static matplotlib PNG. Displayed in a notebook (``display(figure)`` or as a cell's
last value), it offers both: the HTML (with plotly.js embedded, so it works offline, and the PNG
inside ``<noscript>`` for a browser without JavaScript) and the PNG on its own (what the book's
PDF, or any viewer that cannot show HTML, uses). When the book is built, ``book/_ext/shared_plotly.py``
moves the inline plotly.js to one shared file, so each page stays small.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from tutorial_utils.plotting import PALETTE, scatter_2d

__all__ = ["InteractiveScatter", "interactive_scatter"]


@dataclass
class InteractiveScatter:
    """A plotly figure and its static PNG; displays as both (see the module docstring)."""

    figure: Any  # plotly.graph_objects.Figure
    png: bytes
    title: str

    def to_html(self) -> str:
        """The figure as an HTML fragment: plotly.js inline (about 4.8 MB) and a ``<noscript>`` PNG."""
        interactive = self.figure.to_html(full_html=False, include_plotlyjs=True,
                                          config={"responsive": True, "displaylogo": False})
        static = base64.b64encode(self.png).decode("ascii")
        alt = html.escape(self.title or "scatter plot", quote=True)
        return (f'{interactive}\n<noscript><img src="data:image/png;base64,{static}" alt="{alt}" '
                f'style="max-width:100%"></noscript>')

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"text/html": self.to_html(), "image/png": base64.b64encode(self.png).decode("ascii"),
                "text/plain": f"<interactive scatter: {self.title}>"}


def interactive_scatter(
    points: np.ndarray,
    labels: Sequence[str],
    groups: Sequence[Any] | None = None,
    hover: Mapping[str, Sequence[Any]] | None = None,
    title: str = "",
    group_name: str = "group",
    axis_titles: Sequence[str] = ("dimension 1", "dimension 2", "dimension 3"),
    show_labels: bool = True,
    figsize: tuple[float, float] = (9.0, 7.0),
    height: int = 600,
) -> InteractiveScatter:
    """Scatter 2-D or 3-D points, hoverable, with a static matplotlib twin.

    ``points``: shape (n, 2) or (n, 3). ``labels``: one name per point (shown on hover, and written
    next to each point when ``show_labels``). ``groups``: one group per point (one colour each, the
    book's palette; ``group_name`` names them in the hover text). ``hover``: extra columns shown on
    hover, ``{name: values}``, one value per point.
    A 3-D figure's static twin is its projection on the first two dimensions.
    """
    import matplotlib.pyplot as plt
    import plotly.graph_objects as go

    points = np.asarray(points, dtype=float)
    if points.ndim != 2 or points.shape[1] not in (2, 3):
        raise ValueError(f"points must have shape (n, 2) or (n, 3); got {points.shape}. Reduce them first (PCA, t-SNE)")
    if not np.isfinite(points).all():
        raise ValueError("points contain NaN or infinite values")
    n = len(points)
    columns = {"labels": labels, "groups": groups, **{f"hover column {k!r}": v for k, v in (hover or {}).items()}}
    for name, values in columns.items():
        if values is not None and len(values) != n:
            raise ValueError(f"{name} has {len(values)} entries but there are {n} points: give one per point")
    labels = [str(label) for label in labels]
    group_values = ["all"] * n if groups is None else [str(g) for g in groups]
    extra = {str(k): list(v) for k, v in (hover or {}).items()}
    three_d = points.shape[1] == 3

    figure = go.Figure()
    for index, group in enumerate(dict.fromkeys(group_values)):
        rows = [i for i, g in enumerate(group_values) if g == group]
        text = [labels[i] for i in rows]
        custom = [[labels[i], group] + [extra[k][i] for k in extra] for i in rows]
        template = "<b>%{customdata[0]}</b>" + (f"<br>{html.escape(group_name)}: %{{customdata[1]}}" if groups is not None else "")
        template += "".join(f"<br>{html.escape(k)}: %{{customdata[{j + 2}]}}" for j, k in enumerate(extra))
        common = dict(name=group, text=text, customdata=custom, hovertemplate=template + "<extra></extra>",
                      mode="markers+text" if show_labels else "markers", textposition="top center",
                      marker=dict(color=PALETTE[index % len(PALETTE)], size=5 if three_d else 8),
                      showlegend=groups is not None)
        if three_d:
            figure.add_trace(go.Scatter3d(x=points[rows, 0], y=points[rows, 1], z=points[rows, 2], **common))
        else:
            figure.add_trace(go.Scatter(x=points[rows, 0], y=points[rows, 1], **common))
    figure.update_layout(title=title, height=height, template="plotly_white", margin=dict(l=40, r=20, t=60, b=40))
    if three_d:
        figure.update_layout(scene=dict(xaxis_title=axis_titles[0], yaxis_title=axis_titles[1],
                                        zaxis_title=axis_titles[2]))
    else:
        figure.update_layout(xaxis_title=axis_titles[0], yaxis_title=axis_titles[1])

    static, ax = plt.subplots(figsize=figsize)
    scatter_2d(points[:, :2], groups=groups, labels=labels if show_labels else None, ax=ax, s=20,
               title=title, xlabel=axis_titles[0], ylabel=axis_titles[1])
    buffer = io.BytesIO()
    static.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(static)
    return InteractiveScatter(figure, buffer.getvalue(), title)
