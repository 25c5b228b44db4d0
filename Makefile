# Two commands: `make run` (install, migrate, demo, serve) and `make test` (the suite).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run install lock translations migrate demo test test-fast lint fmt messages bench browser vendor-js vendor-check clean

run: install migrate demo
	$(FLASK) run --host $(HOST) --port $(PORT)

install: $(VENV)/.installed translations

# Exactly the versions and files of requirements-dev.lock, each checked against its hash;
# --no-deps because the lock already lists every package.
$(VENV)/.installed: requirements.lock requirements-dev.lock
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Python 3.11 or newer is needed (set PYTHON=python3.11 or newer)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements-dev.lock
	$(BIN)/pip check
	touch $@

# The locks, regenerated from requirements.in and requirements-dev.in (see README,
# "Dependencies"). Versions already locked are kept where the ranges allow; to move on,
# `make lock LOCK_FLAGS=--upgrade` (everything) or `LOCK_FLAGS="--upgrade-package NAME"`.
# The locks are universal: every Linux, macOS or Windows machine on Python 3.11 or newer,
# with the hashes of every file PyPI has for each pinned version. uv is fetched on demand
# into its own small virtualenv.
UV_VERSION := 0.13.10
LOCK_TOOLS := $(VENV)/lock-tools
UV := $(LOCK_TOOLS)/bin/uv
LOCK_FLAGS ?=
UV_COMPILE = $(UV) pip compile --quiet --no-config --no-python-downloads --universal --python-version 3.11 \
  --generate-hashes --index-url https://pypi.org/simple --custom-compile-command "make lock" \
  $(LOCK_FLAGS)

$(UV):
	test -x $(LOCK_TOOLS)/bin/python || $(PYTHON) -m venv $(LOCK_TOOLS)
	$(LOCK_TOOLS)/bin/pip install --quiet "uv==$(UV_VERSION)"

lock: $(UV)
	$(UV_COMPILE) requirements.in -o requirements.lock
	$(UV_COMPILE) requirements-dev.in -o requirements-dev.lock

# -f: a catalogue whose header is still marked fuzzy (as `pybabel init` leaves it) compiles
# too; untranslated entries simply fall back to the English source text.
translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -f -d hackathon/translations

migrate: install
	$(FLASK) db upgrade

demo: install
	$(FLASK) demo

# Debian's Chromium for the browser tests (never a downloaded browser build).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null); \
	  else echo "chromium is not installed: browser tests will be skipped (apt-get install chromium)"; fi; }

test: install browser
	$(BIN)/pytest -q -p no:cacheprovider

test-fast: install
	$(BIN)/pytest -q -x -m "not browser"

# ruff, then the import contracts of pyproject.toml (layers; pure modules free of Flask
# and the database), mypy, and bandit (settings in pyproject.toml; medium severity and up fails).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/bandit -q -c pyproject.toml --severity-level medium -r hackathon config.py wsgi.py

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Message catalogues: extract, then merge into ko and en.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o hackathon/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i hackathon/translations/messages.pot -d hackathon/translations --no-fuzzy-matching --ignore-obsolete

bench: install
	for script in bench/[!_]*.py; do $(BIN)/python $$script || exit 1; done

# The browser libraries in hackathon/static/vendor/, re-copied from the versions pinned in
# frontend/package-lock.json (change the pin there, then run this). Needs Node.js 20.19+.
vendor-js:
	cd frontend && npm ci --ignore-scripts --no-audit --no-fund && node vendor.mjs

vendor-check:
	cd frontend && npm ci --ignore-scripts --no-audit --no-fund && node vendor.mjs --check

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .mypy_cache
