# Kompis: `make run` to chat with it locally, `make test` for lint and the whole suite.
# Everything installs into .venv and tools/*/node_modules; only Python 3.11+, make,
# Node.js/npm and the package registries are needed.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
PLAYGROUND := tools/playground/node_modules/.package-lock.json
NODE_TOOLS := tools/node/node_modules/.package-lock.json

.PHONY: install node-deps run run-bot test lint bench migrate package e2e clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Kompis trenger Python 3.11 eller nyere"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

$(PLAYGROUND): tools/playground/package.json
	cd tools/playground && npm install --no-audit --no-fund --loglevel=error
	touch $@

## The Teams manifest schemas the tests validate against (npm, offline afterwards)
node-deps: $(NODE_TOOLS)

$(NODE_TOOLS): tools/node/package.json tools/node/package-lock.json
	npm ci --prefix tools/node --no-audit --no-fund --loglevel=error
	touch $@

## Start Kompis on SQLite and the Microsoft 365 Agents Playground at http://localhost:56150
run: $(STAMP) $(PLAYGROUND)
	bash tools/run-local.sh

## Start the Kompis server alone (http://127.0.0.1:3978/api/messages)
run-bot: $(STAMP)
	$(PY) -m bot

migrate: $(STAMP)
	$(PY) -m bot migrate

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

## ruff, mypy, then every test (on PostgreSQL too when TEST_DATABASE_URL is set)
test: $(STAMP) $(NODE_TOOLS)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest

## The Teams app package build/kompis.zip (needs MicrosoftAppId; `make package DEV=1` for a test id)
package: $(STAMP)
	$(PY) manifest/package.py $(if $(DEV),--dev,)

E2E_DEPS := tools/e2e/node_modules/.package-lock.json
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(E2E_DEPS): tools/e2e/package.json tools/e2e/package-lock.json
	npm ci --prefix tools/e2e --no-audit --no-fund --loglevel=error
	touch $@

## Kompis in a real client: Agents Playground in Debian's Chromium; screenshots in tests/e2e/artifacts/
e2e: $(STAMP) $(E2E_DEPS)
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium; }
	node tools/e2e/run.js $(E2E_ARGS)

bench: $(STAMP)
	$(PY) bench/turns.py

clean:
	rm -rf $(VENV) build tools/*/node_modules .pytest_cache .ruff_cache
