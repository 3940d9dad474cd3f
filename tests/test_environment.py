"""One set of exact pins: constraints.txt, repeated by environment.yml (Binder); pyproject.toml asks
only for lower bounds, so that installing the helpers on Colab does not replace what is there."""

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


def _pyproject_requirements() -> list[str]:
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for group in project["optional-dependencies"].values():
        requirements += group
    return requirements


def _constraints() -> dict[str, str]:
    lines = (REPO_ROOT / "constraints.txt").read_text().splitlines()
    return _pins([line for line in lines if line.strip() and not line.lstrip().startswith("#")])


def _environment() -> dict:
    return yaml.safe_load((REPO_ROOT / "environment.yml").read_text())


def _environment_pip() -> list[str]:
    for dependency in _environment()["dependencies"]:
        if isinstance(dependency, dict) and "pip" in dependency:
            return dependency["pip"]
    raise AssertionError("environment.yml has no pip section")


def test_environment_pins_exactly_the_constraints():
    pip = [r for r in _environment_pip() if not r.startswith("-")]
    assert _pins(pip) == _constraints()


def test_the_package_asks_for_lower_bounds_only_and_every_requirement_is_pinned():
    names = set()
    for requirement in _pyproject_requirements():
        spec = requirement.split(";")[0]
        assert "==" not in spec, f"{requirement!r}: an exact pin in pyproject.toml (put it in constraints.txt)"
        names.add(_normalise(re.match(r"[A-Za-z0-9_.\-]+", spec).group(0)))
    # every package the book asks for has its exact version in the constraints, and nothing else is there
    assert names == set(_constraints())
    # and each lower bound admits the pinned version
    from packaging.requirements import Requirement
    for requirement in _pyproject_requirements():
        parsed = Requirement(requirement)
        assert parsed.specifier.contains(_constraints()[_normalise(parsed.name)], prereleases=True), requirement


def test_setup_installs_with_the_constraints():
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert '-c constraints.txt -e ".[book,test]"' in makefile
    assert "$(STAMP): pyproject.toml constraints.txt" in makefile


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
    pins = _constraints()
    assert pins["torch"] == "2.13.0"
    assert pins["jupyter-book"].startswith("1.")
    assert pins["keras"].startswith("3.")
