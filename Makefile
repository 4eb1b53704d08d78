# The two commands of the README: `make demo` and `make test`. Each does its own set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint blanks bench clean

# Quiet install: setuptools' editable-install notice (English, for developers) is a Python
# warning, silenced for the build only; pip's own root and version notices are turned off.
PIP := PYTHONWARNINGS=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore $(BIN)/pip -q

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) install -e '.[dev]'
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
