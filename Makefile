# The two commands of the README: `make demo` and `make test`. Each does its own set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint blanks bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	bash scripts/system-deps.sh
	$(BIN)/journal demo

test: $(STAMP)
	bash scripts/system-deps.sh --tests
	$(BIN)/ruff check journal tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check journal tests benchmarks
	$(BIN)/mypy

blanks: $(STAMP)
	$(BIN)/python -m journal.workbooks.blanks blank_workbooks

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) output/*/
