"""The README's newcomer path: its commands exist, its badges open real notebooks, its times are current."""

from __future__ import annotations

import json
import re
import sys

from conftest import REPO_ROOT

sys.path.insert(0, str(REPO_ROOT / "benchmarks"))
import readme_times  # noqa: E402

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def test_chapter_times_match_the_benchmark_results():
    results = json.loads((REPO_ROOT / "benchmarks" / "results.json").read_text(encoding="utf-8"))
    assert readme_times.updated_readme(README, results) == README, (
        "README.md's chapter times differ from benchmarks/results.json: run "
        "`.venv/bin/python benchmarks/readme_times.py` (make bench does)")
    for stem in results["notebooks"]:
        assert (REPO_ROOT / "notebooks" / f"{stem}.ipynb").exists(), f"results.json times a missing chapter {stem}"


def test_every_make_command_in_the_readme_exists():
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.M))
    commands = set(re.findall(r"`make ([a-z][\w-]*)`", README)) | set(re.findall(r"^make ([a-z][\w-]*)", README, re.M))
    assert {"book", "test", "lab"} <= commands
    assert commands <= targets, f"README names make targets the Makefile lacks: {sorted(commands - targets)}"


def test_binder_and_colab_badges_point_at_this_repository_and_a_real_notebook():
    config = (REPO_ROOT / "_config.yml").read_text(encoding="utf-8")
    repo = re.search(r"url: https://github.com/([\w.-]+/[\w.-]+)", config).group(1)
    assert f"https://mybinder.org/v2/gh/{repo}/main?urlpath=lab/tree/notebooks" in README
    colab = re.findall(rf"https://colab.research.google.com/github/{repo}/blob/main/(notebooks/[\w.]+\.ipynb)", README)
    assert colab and all((REPO_ROOT / path).exists() for path in colab)
    assert "badge" in README.split("\n\n")[1]  # the badges come first, under the title


def test_the_table_says_how_busy_the_machine_was():
    entry = {"wall_s": 10.0, "peak_rss_mb": 500.0}
    results = {"date": "2026-11-24", "machine": {"cpu_count": 2, "gpu": "no GPU"},
               "notebooks": {"01_a": {**entry, "max_load_1min": 1.2}, "02_b": {**entry, "max_load_1min": 1.9}}}
    assert "otherwise quiet machine (1-minute load at most 1.9)" in readme_times.table(results)
    results["notebooks"]["02_b"]["max_load_1min"] = 4.8
    assert "with other work on the machine (1-minute load up to 4.8 on 2 cores)" in readme_times.table(results)
    del results["notebooks"]["02_b"]["max_load_1min"]  # an entry measured before loads were recorded
    assert "with other work on the machine at times" in readme_times.table(results)
