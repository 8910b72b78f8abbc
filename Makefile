# `make run` and `make test` do all the set-up on a fresh machine (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := frontend/node_modules/.installed
DIST := frontend/dist/index.html
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test setup system-deps lint typecheck pytest frontend api-client clean bench lock

run: $(PY_STAMP) $(DIST)
	mkdir -p var
	$(BIN)/snp db upgrade
	$(BIN)/snp demo
	@echo "Ouvrez http://$${SNP_HOST:-127.0.0.1}:$${SNP_PORT:-8000} (Ctrl+C pour arrêter)."
	@echo "Démonstration : double authentification désactivée (SNP_MFA_REQUIRED=$${SNP_MFA_REQUIRED:-false}) ; la production la demande."
	SNP_COOKIE_SECURE=$${SNP_COOKIE_SECURE:-false} SNP_MFA_REQUIRED=$${SNP_MFA_REQUIRED:-false} $(BIN)/snp serve

test: system-deps $(PY_STAMP) $(DIST) lint typecheck pytest

setup: $(PY_STAMP) $(NODE_STAMP)

# The locked versions (with their hashes), then the project itself without resolving again.
$(PY_STAMP): pyproject.toml requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# Re-resolve the lock files after changing a dependency in pyproject.toml (uv is a dev
# dependency: installed by the set-up above). Versions already locked are kept when they fit.
LOCK := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --quiet
lock: $(PY_STAMP)
	$(LOCK) -o requirements.lock
	$(LOCK) --extra dev -o requirements-dev.lock

$(NODE_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(DIST): $(NODE_STAMP) $(shell find frontend/src -type f 2>/dev/null) frontend/index.html frontend/vite.config.ts
	cd frontend && npm run build

frontend: $(DIST)

# Debian's PostgreSQL (throwaway test clusters) and Chromium (browser tests), when missing.
system-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

lint: $(PY_STAMP) $(NODE_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	cd frontend && npm run lint

typecheck: $(PY_STAMP) $(NODE_STAMP)
	$(BIN)/mypy snp agenda regulation notifications sas indicators rights composition tests $$(ls bench/*.py 2>/dev/null)
	cd frontend && npm run typecheck && npm run test:unit

pytest: $(PY_STAMP) $(DIST)
	$(BIN)/pytest -q -p no:cacheprovider

# Regenerate the typed API client after changing a route or a schema.
api-client: $(PY_STAMP) $(NODE_STAMP)
	$(BIN)/python -m composition.openapi frontend/openapi.json
	cd frontend && npm run gen:api

bench: $(PY_STAMP)
	@ls bench/*.py >/dev/null 2>&1 && for f in bench/*.py; do $(BIN)/python $$f; done || echo "no benchmark yet"

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist var
