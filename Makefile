# Two commands set everything up on a fresh clone: `make demo` and `make test`.
# `make check` is the quick loop while editing: the same checks without the slow tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Reinstall only when the project's requirements change.
INSTALLED := $(VENV)/.installed
# Mermaid and axe-core for the browser tests, from npm. Without npm those tests skip and say
# why; CI installs everything and makes them mandatory (see .ci/run).
NODE_TOOLS := $(if $(shell command -v npm),tests/node/node_modules/.installed)
# One pytest worker per core (pytest-xdist); with worksteal, a worker that runs out of tests
# takes some of those still queued for a busy one, so the workers finish together.
PYTEST := $(BIN)/pytest -n auto --dist worksteal

.PHONY: demo test check lint typecheck schema golden clean

# The main job: every example journey as SVG, HTML and Markdown maps in maps/.
demo: $(INSTALLED)
	$(BIN)/jmap build examples/ -o maps

# Everything, as CI runs it: before pushing.
test: $(INSTALLED) $(NODE_TOOLS) lint typecheck
	$(PYTEST)

# Lint, types and the tests not marked slow: while editing.
check: $(INSTALLED) $(NODE_TOOLS) lint typecheck
	$(PYTEST) -m "not slow"

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(INSTALLED)
	$(BIN)/mypy

# Rewrite the golden files after an intended change to the output; review the diff.
golden: $(INSTALLED)
	JMAP_UPDATE_GOLDEN=1 $(BIN)/pytest -q tests/render/test_golden.py

# Regenerate the committed JSON Schema after changing the model.
schema: $(INSTALLED)
	$(BIN)/jmap schema -o schema/jmap.schema.json

$(INSTALLED): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

tests/node/node_modules/.installed: tests/node/package.json tests/node/package-lock.json
	cd tests/node && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf $(VENV) tests/node/node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis dist
