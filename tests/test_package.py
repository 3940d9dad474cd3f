"""The package stays light: importing it pulls in neither TensorFlow nor PyTorch."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys

import tutorial_utils


def _modules() -> list[str]:
    return sorted(f"tutorial_utils.{m.name}" for m in pkgutil.iter_modules(tutorial_utils.__path__))


def test_import_pulls_in_no_framework():
    code = (
        "import sys, importlib\n"
        f"for name in ['tutorial_utils'] + {_modules()!r}: importlib.import_module(name)\n"
        "heavy = sorted(m for m in ('tensorflow', 'torch', 'keras', 'gensim', 'jax') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"importing tutorial_utils imported {result.stdout.strip()}"


def test_every_public_name_exists_and_is_documented():
    for name in _modules():
        module = importlib.import_module(name)
        assert module.__doc__, f"{name} has no docstring"
        for public in getattr(module, "__all__", []):
            obj = getattr(module, public)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                assert obj.__doc__, f"{name}.{public} has no docstring"
