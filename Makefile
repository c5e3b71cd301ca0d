# newsfigures: the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
PIP     = $(BIN)/python -m pip --disable-pip-version-check -q
# Prefect must not phone home, and tests must not share state with a real server.
export PREFECT_SERVER_ANALYTICS_ENABLED = false
export DO_NOT_TRACK = 1

.PHONY: demo test lint format eval bench serve deploy automations doctor lock clean-data

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade "pip==24.3.1"

# The project's pins: requirements.lock holds the exact versions (pip 23 needs lxml_html_clean
# spelled out, which is why pip is upgraded first).
$(VENV)/.installed: $(BIN)/activate requirements.lock pyproject.toml
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.installed requirements-dev.lock
	$(PIP) install -r requirements-dev.lock
	touch $@

demo: $(VENV)/.installed
	$(BIN)/newsfigures demo

test: $(VENV)/.dev-installed
	$(BIN)/python -m pytest

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

eval: $(VENV)/.installed
	$(BIN)/python -m figures.eval
	$(BIN)/python -m figures.eval tests/figures/heldout/demo-heldout-3.jsonl

bench: $(VENV)/.dev-installed
	$(BIN)/python -m bench

# Operations (see README, "Running it every night"): a local Prefect server with its UI on
# 127.0.0.1:4200, a process worker, and the deployments of prefect.yaml.
serve: $(VENV)/.installed
	PATH="$(CURDIR)/$(BIN):$$PATH" bash ops/serve.sh

deploy: $(VENV)/.installed
	PATH="$(CURDIR)/$(BIN):$$PATH" bash ops/serve.sh deploy

automations: $(VENV)/.installed
	$(BIN)/python -m ops.automations apply

doctor: $(VENV)/.installed
	$(BIN)/newsfigures doctor

# Regenerate the lock files from pyproject.toml in throw-away environments.
lock:
	rm -rf /tmp/nf-lock && $(PYTHON) -m venv /tmp/nf-lock && /tmp/nf-lock/bin/pip install -q "pip==24.3.1"
	/tmp/nf-lock/bin/pip install -q .
	/tmp/nf-lock/bin/pip freeze --exclude newsfigures > requirements.lock
	/tmp/nf-lock/bin/pip install -q ".[dev]"
	/tmp/nf-lock/bin/pip freeze --exclude newsfigures | grep -vxFf requirements.lock > requirements-dev.lock

clean-data:
	rm -rf data
