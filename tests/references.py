"""What several test files share: brute-force references the helpers are compared with, and a loader
for the repository's scripts that are not part of the package (benchmarks/run.py, book/_ext/*.py).

The references are deliberately slow and obvious (a Python loop, a full sort), so that a test compares
the package's fast code with something a reader can check by eye.
"""

from __future__ import annotations

import ast
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import numpy as np

__all__ = ["brute_force_neighbours", "load_script", "notebook_functions"]


def load_script(path: Path, name: str) -> ModuleType:
    """Import the Python file at ``path`` as a module called ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path} as a module: is it a .py file?")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def notebook_functions(notebook: Path, names: set[str], namespace: dict | None = None) -> dict:
    """The functions ``names`` as a chapter defines them in plain code: only their ``def`` statements
    are run, in ``namespace`` (the modules they use, such as ``{"np": numpy}``). Each must be defined
    exactly once in the notebook's code cells."""
    cells = json.loads(Path(notebook).read_text(encoding="utf-8"))["cells"]
    defs = [node for cell in cells if cell["cell_type"] == "code"
            for node in ast.parse("".join(cell["source"])).body
            if isinstance(node, ast.FunctionDef) and node.name in names]
    counts = {name: sum(node.name == name for node in defs) for name in names}
    wrong = {name: n for name, n in counts.items() if n != 1}
    if wrong:
        raise AssertionError(f"{Path(notebook).name} must define each of these once: {wrong}")
    scope = dict(namespace or {})
    exec(compile(ast.Module(body=defs, type_ignores=[]), str(notebook), "exec"), scope)
    return {name: scope[name] for name in names}


def brute_force_neighbours(queries: np.ndarray, index: np.ndarray, k: int | None = None,
                           metric: str = "euclidean") -> tuple[np.ndarray, np.ndarray]:
    """Each query's ``k`` nearest index rows (all of them when ``k`` is None), one query at a time.

    ``metric``: "euclidean" (ascending distance), "cosine" or "dot" (descending score). Ties keep
    the lower index first (a stable sort). Returns (indices, distances or scores), shape (n, k).
    """
    queries, index = np.atleast_2d(np.asarray(queries, float)), np.atleast_2d(np.asarray(index, float))
    k = len(index) if k is None else k
    found, values = [], []
    for query in queries:
        if metric == "euclidean":
            value = np.sqrt(((index - query) ** 2).sum(axis=1))
            order = np.argsort(value, kind="stable")
        elif metric in ("cosine", "dot"):
            value = index @ query
            if metric == "cosine":
                value = value / (np.linalg.norm(index, axis=1) * np.linalg.norm(query))
            order = np.argsort(-value, kind="stable")
        else:
            raise ValueError(f"metric must be 'euclidean', 'cosine' or 'dot', not {metric!r}")
        found.append(order[:k])
        values.append(value[order[:k]])
    return np.array(found), np.array(values)
