# The book's commands. `make book` builds it, `make test` tests it; both set up what is missing.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Executed copies of the notebooks that the tests read (nbmake writes their outputs).
EXECUTED := _executed

.PHONY: help setup data book test unit bench lab clean

help:
	@echo "make book   build the book in _build/html, executing every notebook"
	@echo "make test   run the whole test suite (unit, hygiene, every notebook)"
	@echo "make bench  time every chapter, write benchmarks/results.json and .md"
	@echo "make lab    open the notebooks in JupyterLab"
	@echo "make setup  create $(VENV) and install the pinned dependencies"
	@echo "make data   fetch, verify and cache the data sets"

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[book,test]"
	$(PY) -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (embeddings)" >/dev/null
	@touch $(STAMP)

data: setup
	$(PY) -m tutorial_utils.datasets

book: data
	$(VENV)/bin/jupyter-book build . --builder html -W -n --keep-going
	@echo "The book: _build/html/index.html"

test: data
	rm -rf $(EXECUTED) && mkdir -p $(EXECUTED) && cp notebooks/*.ipynb $(EXECUTED)/
	$(PY) -m pytest

# Unit and hygiene tests only, without executing notebooks (fast, for development).
unit: setup
	$(PY) -m pytest tests -m "not notebooks"

bench: data
	$(PY) benchmarks/run.py

lab: data
	$(VENV)/bin/jupyter lab notebooks/

clean:
	rm -rf _build
