# Zhifa: two commands. `make demo` runs the platform with demo data; `make test` runs
# every check CI runs. Both need only Python 3.11 (and PostgreSQL 15 for CI=true).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
# Throwaway keys, only so that `check --deploy` can load the production settings.
CHECK_KEY := check-deploy-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz
CHECK_DIGEST_KEY := check-deploy-only-digest-key-not-a-secret-0123456789abcdef

.PHONY: demo test install install-dev lint typecheck checks browser test-sqlite test-hard-day test-postgres test-api-fuzz messages openapi bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Zhifa needs Python 3.11, found " + sys.version' 
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[dev]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The demo is served like production (DEBUG off, collected static files through
# WhiteNoise, Zhifa's own error pages) on SQLite under ./var/ with a local secret.
demo: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=zhifa.settings.demo $(BIN)/zhifa demo
	DJANGO_SETTINGS_MODULE=zhifa.settings.demo $(BIN)/zhifa serve --host 127.0.0.1 --port 8000 --with-worker

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install-dev
	$(BIN)/mypy

checks: install-dev
	$(BIN)/zhifa makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=zhifa.settings.production ZHIFA_SECRET_KEY=$(CHECK_KEY) \
		ZHIFA_DIGEST_KEY=$(CHECK_DIGEST_KEY) ZHIFA_ALLOWED_HOSTS=zhifa.example.org \
		$(BIN)/zhifa check --deploy --fail-level WARNING
	$(BIN)/python scripts/check_messages.py --extract

# Browser tests need Debian's Chromium; under CI a missing browser fails the run,
# elsewhere the browser tests are skipped with a message when it cannot be installed.
browser:
	@scripts/ensure-chromium.sh || [ "$$CI" != "true" ]

test-sqlite: install-dev browser
	env -u DATABASE_URL VENV=$(VENV) scripts/pytest-stages.sh

# The SQLite suite with the process clock on a hard day (faketime; default
# 2027-01-04, a year the holiday package does not know): a test reading the wall clock
# instead of the frozen one fails here. `make test-hard-day HARD_DAY=2026-10-08`.
HARD_DAY ?= 2027-01-04
test-hard-day: install-dev browser
	VENV=$(VENV) scripts/test-hard-day.sh "$(HARD_DAY)"

test-postgres: install-dev
	scripts/test-postgres.sh

# schemathesis over the whole OpenAPI document as every role (and anonymous), in-process
# on a fresh SQLite test database with the demo data and a frozen clock; bounded: a
# fixed seed and ZHIFA_FUZZ_EXAMPLES examples per operation and role (default 6; 2
# anonymous); then stateful scenarios per role following the document's OpenAPI links.
# In parallel like the suite (one worker per CPU, ZHIFA_TEST_JOBS), each worker with
# its own database and demo data, the operations dealt out one by one (--dist load).
test-api-fuzz: install-dev
	env -u DATABASE_URL $(BIN)/pytest -p no:logging \
		$$([ "$${ZHIFA_TEST_JOBS:-auto}" = 1 ] || echo "-n $${ZHIFA_TEST_JOBS:-auto} --dist load") \
		src/zhifa/core/tests/fuzz_api.py

# The SQLite suite on a hard day (test-hard-day), the API fuzz run and, under CI=true,
# the tests that use the database on PostgreSQL on the real clock, one after the other
# (scripts/test-stages.sh); each suite run is parallel (pytest-xdist, one worker per CPU;
# ZHIFA_TEST_JOBS=1 runs it in one process), then its `solo` tests alone. Under CI=true a
# missing PostgreSQL or faketime fails.
test: lint typecheck checks install-dev browser
	@MAKE="$(MAKE)" VENV=$(VENV) scripts/test-stages.sh

messages: install-dev
	@for app in src/zhifa/*/locale; do \
		(cd $$(dirname $$app) && $(CURDIR)/$(BIN)/zhifa makemessages -l zh_Hans --no-obsolete --add-location file) || exit 1; \
	done
	$(BIN)/python scripts/check_messages.py --compile

openapi: install-dev
	$(BIN)/zhifa export_openapi docs/openapi.json

bench: install-dev
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
