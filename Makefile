# Two commands a newcomer needs: `make run` and `make test`. `make help` lists the rest.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT
# The suite runs against real services: the local PostgreSQL and Redis unless the environment says otherwise.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/test
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: help run test test-sqlite lint fmt bench compare-sdk worker install install-test migrate demo clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

run: install  ## set up everything (venv, deps, database, demo data) and serve at http://127.0.0.1:$PORT
	@./scripts/run.sh

test: install-test  ## run the whole test suite (JavaScript units, pytest against PostgreSQL and Redis, the API tests again on SQLite)
	npm test --silent
	DATABASE_URL="$${DATABASE_URL:-$(TEST_DATABASE_URL)}" REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" \
		$(VENV)/bin/pytest $(PYTEST_ARGS)
	@if [ -z "$(PYTEST_ARGS)" ]; then $(MAKE) --no-print-directory test-sqlite; fi

test-sqlite: install-test  ## the tests that touch the database again on the embedded default, SQLite (not the browser or PostgreSQL-only ones)
	env -u DATABASE_URL REDIS_URL="$${REDIS_URL:-$(TEST_REDIS_URL)}" $(VENV)/bin/pytest -q -m "not postgresql and not browser" \
		--ignore=tests/core --ignore=tests/browser --ignore=tests/browser_segmentation --ignore=tests/browser_sequence

lint: install-test  ## ruff lint and format check, mypy (django-stubs) on the app packages, tsc --checkJs and eslint on frontend_static/
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	npx tsc --noEmit -p .
	npx eslint frontend_static

fmt: install-test  ## ruff format and autofix
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install-test  ## run every benchmark under bench/ and print the figures with the machine
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

compare-sdk: install-test  ## A/B the SDK label calls against revision BASELINE (make compare-sdk BASELINE=HEAD~1)
	@test -n "$(BASELINE)" || { echo "usage: make compare-sdk BASELINE=<git revision>"; exit 2; }
	$(PY) bench/compare_sdk.py "$(BASELINE)"

worker: install  ## run a Celery worker (needs REDIS_URL)
	$(VENV)/bin/celery -A labeling worker --loglevel=INFO --concurrency=2

install: $(VENV)/.installed node_modules/.installed  ## create the venv and install runtime dependencies

install-test: $(VENV)/.installed-test node_modules/.installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(VENV)/bin/pip install --quiet -e ".[test]"
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

clean:  ## remove the venv, node_modules and local data (var/)
	rm -rf $(VENV) node_modules var
