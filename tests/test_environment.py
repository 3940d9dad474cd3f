"""environment.yml (Binder) and pyproject.toml pin the same packages at the same versions."""

from __future__ import annotations

import re
import tomllib

import yaml

from conftest import REPO_ROOT

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)$")


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for requirement in requirements:
        match = PIN.match(requirement.strip())
        assert match, f"{requirement!r} is not an exact pin (name==version)"
        pins[_normalise(match.group(1))] = match.group(2)
    return pins


def _pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for group in project["optional-dependencies"].values():
        requirements += group
    return _pins(requirements)


def _environment() -> dict:
    return yaml.safe_load((REPO_ROOT / "environment.yml").read_text())


def _environment_pip() -> list[str]:
    for dependency in _environment()["dependencies"]:
        if isinstance(dependency, dict) and "pip" in dependency:
            return dependency["pip"]
    raise AssertionError("environment.yml has no pip section")


def test_environment_and_pyproject_pin_the_same_packages():
    pip = [r for r in _environment_pip() if not r.startswith("-")]
    assert _pins(pip) == _pyproject_pins()


def test_environment_is_python_311_and_installs_tutorial_utils():
    conda = [d for d in _environment()["dependencies"] if isinstance(d, str)]
    assert "python=3.11" in conda
    assert "-e ." in _environment_pip()


def test_binder_gets_cpu_builds_only():
    pip = _environment_pip()
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in pip
    names = set(_pins([r for r in pip if not r.startswith("-")]))
    assert "tensorflow-cpu" in names and "tensorflow" not in names


def test_key_pins():
    pins = _pyproject_pins()
    assert pins["torch"] == "2.13.0"
    assert pins["jupyter-book"].startswith("1.")
    assert pins["keras"].startswith("3.")
