"""Does a torch notebook train its models on the device it reports? A check read from the source.

A chapter that prints ``device = torch_device()`` and then trains on the CPU tells a reader
with a GPU something untrue. :func:`device_problems` parses the code cells of a notebook
(no execution) and, for every optimiser built from ``<model>.parameters()`` (``torch.optim.*``
or a bare ``Adam(...)``, ``SGD(...)``, ...), checks two things in the scope (function or
top level) that builds it:

1. the model is on the device: in that scope it is assigned from an expression that ends in
   ``.to(device)`` (``model = Encoder().to(device)``) or moved by a ``model.to(device)``
   statement, before the optimiser; or it is a parameter of the enclosing function and
   every call of that function in the notebook passes it an argument that is moved (a
   ``.to(device)`` expression, or a name assigned from one);
2. the batches can reach it: the scope mentions the device name (``.to(device)``,
   ``device=device``), since a loop that never names the device feeds CPU tensors.

It sees only what the source shows: models trained by a library's ``fit`` are out of its
reach, and a model moved through some other path (``.cuda()``) counts as not moved. Use:
``device_problems(path_to_notebook)`` -> list of messages, empty when the notebook passes.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

__all__ = ["code_of_notebook", "device_problems", "source_device_problems"]

OPTIMISERS = {"Adam", "AdamW", "SGD", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam",
              "RAdam", "LBFGS", "SparseAdam", "ASGD", "Rprop"}


def code_of_notebook(path: str | Path) -> str:
    """The notebook's code cells joined into one module (IPython magics and shell lines dropped)."""
    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    lines = []
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        lines += [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]
        lines.append("")
    return "\n".join(lines)


def device_problems(path: str | Path, device_name: str = "device") -> list[str]:
    """Messages naming each model a notebook trains without moving it (or its batches) to the device."""
    return [f"{Path(path).name}: {problem}"
            for problem in source_device_problems(code_of_notebook(path), device_name)]


def _is_to_device(node: ast.AST, device_name: str) -> bool:
    """``<anything>.to(device)`` or ``.to(device=device)``, possibly followed by more calls."""
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        call = node
        if call.func.attr == "to":
            arguments = [*call.args, *(k.value for k in call.keywords if k.arg == "device")]
            if any(isinstance(a, ast.Name) and a.id == device_name for a in arguments):
                return True
        node = call.func.value
    return False


def _names_device(scope: ast.AST, device_name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == device_name and isinstance(n.ctx, ast.Load)
               for n in ast.walk(scope))


def _is_optimiser(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in OPTIMISERS


def _trained_names(call: ast.Call) -> list[str]:
    """Names whose ``.parameters()`` feed the optimiser (``model.parameters()``, chains of them)."""
    if not call.args:
        return []
    return [n.func.value.id for n in ast.walk(call.args[0])
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            and n.func.attr == "parameters" and isinstance(n.func.value, ast.Name)]


def _scopes(tree: ast.Module) -> list[ast.AST]:
    return [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))]


def _own_nodes(scope: ast.AST) -> list[ast.AST]:
    """Nodes of a scope, not descending into nested function or class definitions."""
    found, stack = [], list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        found.append(node)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(ast.iter_child_nodes(node))
    return found


def _moved_before(scope: ast.AST, name: str, line: int, device_name: str) -> bool:
    """In ``scope``, before ``line``: ``name = <... .to(device)>`` or a ``name.to(device)`` statement."""
    for node in _own_nodes(scope):
        if getattr(node, "lineno", line) >= line:
            continue
        if isinstance(node, ast.Assign) and _is_to_device(node.value, device_name) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return True
        if isinstance(node, ast.Expr) and _is_to_device(node.value, device_name):
            root = node.value
            while isinstance(root, (ast.Call, ast.Attribute)):
                root = root.func if isinstance(root, ast.Call) else root.value
            if isinstance(root, ast.Name) and root.id == name:
                return True
    return False


def _argument_is_moved(tree: ast.Module, call: ast.Call, value: ast.AST, device_name: str) -> bool:
    if _is_to_device(value, device_name):
        return True
    if isinstance(value, ast.Name):  # a name the caller moved before the call
        for scope in _scopes(tree):
            if call in _own_nodes(scope):
                return _moved_before(scope, value.id, call.lineno + 1, device_name)
    return False


def _callers_move(tree: ast.Module, function: ast.FunctionDef, name: str, device_name: str) -> list[str]:
    """Problems with the calls of ``function``: each must pass ``name`` an argument on the device."""
    parameters = [a.arg for a in [*function.args.posonlyargs, *function.args.args]]
    position = parameters.index(name) if name in parameters else None
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
             and isinstance(n.func, ast.Name) and n.func.id == function.name]
    if not calls:
        return [f"`{function.name}` trains its parameter `{name}` but is never called, "
                "so nothing shows the model is moved to the device"]
    problems = []
    for call in calls:
        given = [k.value for k in call.keywords if k.arg == name]
        if not given and position is not None and position < len(call.args):
            given = [call.args[position]]
        if not given or not _argument_is_moved(tree, call, given[0], device_name):
            problems.append(f"line {call.lineno}: `{function.name}(...)` is given a model for "
                            f"`{name}` that is not moved with `.to({device_name})`")
    return problems


def source_device_problems(source: str, device_name: str = "device") -> list[str]:
    """:func:`device_problems` on Python source: one message per unmoved model or device-blind loop."""
    tree = ast.parse(source)
    problems = []
    for scope in _scopes(tree):
        where = f"`{scope.name}`" if isinstance(scope, ast.FunctionDef) else "top level"
        optimisers = [n for n in _own_nodes(scope) if isinstance(n, ast.Call) and _is_optimiser(n)]
        for optimiser in optimisers:
            names = _trained_names(optimiser)
            if not names:
                continue
            if not _names_device(scope, device_name):
                problems.append(f"line {optimiser.lineno} ({where}): the training code never names "
                                f"`{device_name}`, so its batches stay on the CPU")
            for name in names:
                if _moved_before(scope, name, optimiser.lineno, device_name):
                    continue
                parameters = ([a.arg for a in [*scope.args.posonlyargs, *scope.args.args,
                                               *scope.args.kwonlyargs]]
                              if isinstance(scope, ast.FunctionDef) else [])
                if name in parameters:
                    problems += _callers_move(tree, scope, name, device_name)
                else:
                    problems.append(f"line {optimiser.lineno} ({where}): `{name}` is trained but "
                                    f"never moved with `.to({device_name})` before its optimiser")
    return problems
