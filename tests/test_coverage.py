"""The unit tests cover at least 95% of tutorial_utils (lines, and lines plus branches).

Two places keep the floor, so that no way of running the suite leaves it unchecked:

- ``make unit`` measures coverage in its own run (pytest-cov, ``--cov-fail-under=95``): the run
  fails below the floor, and this test, seeing that, has nothing left to do;
- any other run (``make test``, which CI runs, or plain ``pytest``) gets here without that
  floor, and this test runs the unit tests once more under coverage, in a subprocess, and checks it.

It never skips: either the session's own floor or this test's run does the check.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import coverage

import tutorial_utils
from conftest import REPO_ROOT

FLOOR = 95.0
PACKAGE = Path(tutorial_utils.__file__).resolve().parent


def _session_enforces_the_floor(config) -> bool:
    """True when this pytest run measures tutorial_utils itself and fails below the floor (make unit)."""
    if not config.pluginmanager.hasplugin("_cov") or config.getoption("no_cov", False):
        return False
    sources = config.getoption("cov_source", None) or []
    fail_under = config.getoption("cov_fail_under", None)
    return "tutorial_utils" in sources and fail_under is not None and float(fail_under) >= FLOOR


def _line_coverage(cov: coverage.Coverage) -> tuple[float, list[str]]:
    """Percentage of the package's statements run, and the files that miss most, worst first."""
    statements = missed = 0
    worst = []
    for path in sorted(PACKAGE.glob("*.py")):  # every module, imported by a test or not
        _, lines, _, missing, _ = cov.analysis2(str(path))
        statements += len(lines)
        missed += len(missing)
        if missing:
            worst.append((len(missing), f"{path.name}: {len(missing)} of {len(lines)} lines missed"))
    return 100.0 * (statements - missed) / statements, [text for _, text in sorted(worst, reverse=True)]


def test_the_unit_tests_cover_95_percent_of_tutorial_utils(request, tmp_path):
    if _session_enforces_the_floor(request.config):
        return  # pytest-cov fails this very run below the floor (make unit)
    data_file = tmp_path / ".coverage"
    command = [
        sys.executable, "-m", "pytest", "tests", "-m", "not notebooks and not browser", "-q",
        "-p", "no:cacheprovider", "-o", "addopts=", "--ignore=tests/test_coverage.py",
        "--ignore=tests/test_browser.py", "--cov=tutorial_utils", "--cov-branch", "--cov-report=",
    ]
    run = subprocess.run(command, cwd=REPO_ROOT, env=dict(os.environ, COVERAGE_FILE=str(data_file)),
                         capture_output=True, text=True, timeout=1800)
    # 0: all passed; 1: some test failed (that test reports it); anything else: the run itself broke
    assert run.returncode in (0, 1), f"the unit tests did not run (exit {run.returncode}):\n{run.stdout[-3000:]}"
    cov = coverage.Coverage(data_file=str(data_file), branch=True)
    cov.load()
    lines, worst = _line_coverage(cov)
    total = cov.report(file=io.StringIO(), include=[str(PACKAGE / "*.py")])  # lines and branches
    detail = "; ".join(worst[:5])
    assert lines >= FLOOR, f"the unit tests run {lines:.1f}% of tutorial_utils' lines (floor {FLOOR}%): {detail}"
    assert total >= FLOOR, f"line and branch coverage {total:.1f}% (floor {FLOOR}%): {detail}"
