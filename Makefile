# Two commands set everything up on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Reinstall only when the project's requirements change.
INSTALLED := $(VENV)/.installed

.PHONY: demo test lint typecheck schema clean

demo: $(INSTALLED)
	$(BIN)/jmap validate examples/

test: $(INSTALLED) lint typecheck
	$(BIN)/pytest

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(INSTALLED)
	$(BIN)/mypy

# Regenerate the committed JSON Schema after changing the model.
schema: $(INSTALLED)
	$(BIN)/jmap schema -o schema/jmap.schema.json

$(INSTALLED): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis dist
