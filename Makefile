# The book's commands. `make book` builds it, `make test` tests it; both set up what is missing.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
MATHJAX := $(VENV)/share/book-static/mathjax/tex-mml-chtml.js
# Executed copies of the notebooks that the tests read (nbmake writes their outputs).
EXECUTED := _executed

.PHONY: help setup chromium data book test unit browser bench lab clean

help:
	@echo "make book   build the book in _build/html, executing every notebook"
	@echo "make test   run the whole test suite (unit, hygiene, every notebook)"
	@echo "make bench  time every chapter, write benchmarks/results.json and .md"
	@echo "make lab    open the notebooks in JupyterLab"
	@echo "make browser  check the rendered pages in headless Chromium (after make test)"
	@echo "make setup  create $(VENV) and install the pinned dependencies"
	@echo "make data   fetch, verify and cache the data sets"

setup: $(STAMP) $(MATHJAX) chromium

# MathJax for the built book, vendored once from the npm registry (book/_ext/local_mathjax.py).
$(MATHJAX): book/_ext/local_mathjax.py | $(STAMP)
	$(PY) book/_ext/local_mathjax.py

$(STAMP): pyproject.toml constraints.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[book,test]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (embeddings)" >/dev/null
	@touch $(STAMP)

# Debian's Chromium for the browser test (tests/test_browser.py). Installed with apt-get when it is
# missing and we are root with apt (CI, this project's machines); elsewhere install a Chromium
# yourself, or set CHROMIUM=/path/to/chromium. Without one the browser test is skipped (and fails in CI).
chromium:
	@if [ -n "$$CHROMIUM" ] || command -v chromium >/dev/null 2>&1; then :; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian's chromium (apt-get) for the browser test"; \
	  apt-get install -y -q chromium >/dev/null 2>&1 \
	    || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }; \
	else echo "note: no Chromium found; the browser test will be skipped (install chromium or set CHROMIUM)"; fi

data: setup
	$(PY) -m tutorial_utils.datasets

book: data
	$(VENV)/bin/jupyter-book build . --builder html -W -n --keep-going
	@echo "The book: _build/html/index.html"

# nbmake executes each copy in $(EXECUTED) once; the browser test (tests/test_browser.py) then builds
# the HTML from those executed copies with execution off (in _build/browser/), so no notebook runs
# twice, and checks every page in Chromium (screenshots in _build/screenshots/).
test: data
	rm -rf $(EXECUTED) && mkdir -p $(EXECUTED) && cp notebooks/*.ipynb $(EXECUTED)/
	@# coverage of tutorial_utils measured in this run (tests/test_coverage.py then has nothing to redo)
	$(PY) -m pytest --cov=tutorial_utils --cov-branch --cov-report=term:skip-covered --cov-fail-under=95

# Unit and hygiene tests only, without executing notebooks (fast, for development), with the line
# and branch coverage of tutorial_utils; the run fails below 95% (line + branch, coverage's total).
unit: setup
	$(PY) -m pytest tests -m "not notebooks" --cov=tutorial_utils --cov-branch \
	  --cov-report=term-missing:skip-covered --cov-fail-under=95

# The browser checks alone, on the notebooks `make test` executed (BOOK_HTML=_build/html checks `make book`'s).
browser: setup
	$(PY) -m pytest -o addopts="-p no:cacheprovider" tests/test_browser.py tests/test_browser_checks.py

bench: data
	@# the README's table is rewritten even when a speed target is missed; the exit status still says so
	$(PY) benchmarks/run.py; status=$$?; $(PY) benchmarks/readme_times.py && exit $$status

# JupyterLab refuses to run as root without --allow-root (containers, and wherever readers work as
# root); LAB_OPTIONS passes more options (the test adds --no-browser, a port and a token).
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)
lab: data
	$(VENV)/bin/jupyter lab $(ALLOW_ROOT) $(LAB_OPTIONS) notebooks/

clean:
	rm -rf _build
