# Quick start: `make demo` runs the whole flow on samples/, `make test` runs the tests.
# Each installs what it needs: Debian packages (via apt-get), a virtual environment, the project.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEBIAN_PACKAGES := fonts-wqy-zenhei fonts-arphic-uming fonts-arphic-ukai fonts-lxgw-wenkai poppler-utils tesseract-ocr tesseract-ocr-chi-sim chromium
INSTALLED := $(VENV)/.installed
DEMO_OUT ?= demo-out

.PHONY: demo test test-fast check bench install system-deps clean

demo: $(INSTALLED)
	$(BIN)/gazette demo --out $(DEMO_OUT)

test: check
	$(BIN)/python -m pytest -q

test-fast: check
	$(BIN)/python -m pytest -q -m "not slow"

# Lint, format and types (pinned in the test extra), before any test runs.
check: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(INSTALLED)
	for script in bench/[!_]*.py; do $(BIN)/python $$script || exit 1; done

install: $(INSTALLED)

system-deps:
	scripts/ensure-debian-packages $(DEBIAN_PACKAGES)

$(INSTALLED): pyproject.toml
	scripts/ensure-debian-packages $(DEBIAN_PACKAGES)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) $(DEMO_OUT) .pytest_cache
