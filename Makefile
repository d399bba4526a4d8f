# hsadmin: `make run` serves the dashboard (with its HubSpot simulator); `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM ?= /usr/bin/chromium
# axe-core for the browser tests' accessibility checks: test-only, pinned in package-lock.json, from npm.
AXE := node_modules/axe-core/axe.min.js
# The simulator's and the client's own tests do not touch the dashboard's database: they run once, on SQLite.
SCALED_OUT_SKIP := --ignore=tests/simulator --ignore=tests/hubspot_client --ignore=tests/contract

.PHONY: help venv run test test-fast test-scaled bench bench-scaled bench-scale soak messages lint format check chromium axe screenshots clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# The virtual environment, built with the Python that .python-version names, rebuilt when requirements change.
$(STAMP): requirements.txt .python-version
	@set -e; python=$$(scripts/find-python); \
	if [ ! -x $(PY) ] || ! $(PY) -c "import sys; sys.exit(0 if '%d.%d' % sys.version_info[:2] == '$$(cat .python-version)' else 1)"; then \
	  echo "Building $(VENV) with $$python"; rm -rf $(VENV); "$$python" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

venv: $(STAMP) ## Build .venv and install the requirements

run: $(STAMP) ## Serve the dashboard on http://127.0.0.1:8000 with the simulator beside it
	$(PY) manage.py migrate --no-input
	$(PY) manage.py demo_people
	$(PY) manage.py rundemo

chromium: ## Make sure Debian's Chromium is there for the browser tests
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM). Install Debian's package: sudo apt-get install chromium" >&2; \
	    echo "(or set CHROMIUM=/path/to/chromium)." >&2; exit 1; \
	  fi; \
	fi

$(AXE): package.json package-lock.json
	@if ! command -v npm >/dev/null; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's npm for axe-core (the browser tests' accessibility checks)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else \
	    echo "The browser tests need npm to install axe-core: sudo apt-get install npm" >&2; exit 1; \
	  fi; \
	fi
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(AXE)

axe: $(AXE) ## Install axe-core (pinned) for the browser tests' accessibility checks

lint: $(STAMP) ## ruff (lint and format check) and mypy (types; settings in pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(STAMP) ## ruff: fix what can be fixed and format
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

check: $(STAMP) ## Django's system checks and a check for missing migrations
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run --no-input

test: $(STAMP) chromium $(AXE) lint check ## Everything: ruff, checks, the suite on SQLite (browser too), then on PostgreSQL + Redis
	CHROMIUM=$(CHROMIUM) $(VENV)/bin/pytest
	@echo "--- The scaled-out configuration: PostgreSQL and Redis ---"
	scripts/with-services $(VENV)/bin/pytest -m "not browser" $(SCALED_OUT_SKIP)

test-fast: $(STAMP) ## The suite on SQLite without browser and slow tests (a quick loop while working)
	$(VENV)/bin/pytest -m "not browser and not slow" -q

test-scaled: $(STAMP) ## Only the scaled-out run (PostgreSQL + Redis)
	scripts/with-services $(VENV)/bin/pytest -m "not browser" $(SCALED_OUT_SKIP)

screenshots: $(STAMP) chromium $(AXE) ## Retake the README's screenshots of the main pages (docs/*.png) in Chromium
	HSADMIN_SCREENSHOTS=docs CHROMIUM=$(CHROMIUM) $(VENV)/bin/pytest tests/browser/test_screenshots.py -q

bench: $(STAMP) ## Measure against the budgets (10,000 events, 100,000-row import, the list at 1k/10k/100k events, a full sync of 100,000 events); prints a table, writes bench-results/latest.json
	$(PY) -m tests.bench.run

bench-scaled: $(STAMP) ## The same bench with the dashboard on PostgreSQL + Redis (scripts/with-services); writes bench-results/postgresql/latest.json
	scripts/with-services $(PY) -m tests.bench.run --out bench-results/postgresql

bench-scale: $(STAMP) ## Only the event list's scale curve (1k/10k/100k events), on SQLite then on PostgreSQL (about 5 minutes)
	$(PY) -m tests.bench.run --only scale --out bench-results/scale-sqlite
	scripts/with-services $(PY) -m tests.bench.run --only scale --out bench-results/scale-postgresql

soak: $(STAMP) ## A bounded fault soak (~5 min, at most 15; loopback): sync + 50,000-row import + browsing; checks nothing is lost
	$(PY) -m tests.soak.run

messages: $(STAMP) ## Refresh the German and Japanese catalogues (locale/) after changing text, then compile them
	$(PY) manage.py makemessages -l de -l ja --ignore=.venv --ignore=var --ignore=hsadmin/simulator --ignore=hsadmin/hubspot_client --ignore=tests --ignore=static/vendor
	$(PY) manage.py compilemessages --ignore=.venv

clean: ## Remove the virtual environment, node_modules/ and local data (var/)
	rm -rf $(VENV) var node_modules
