# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEV_ENV := DEBUG=1 HTTPS=0
TEST_ENV := SECRET_KEY=tests-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz DEBUG=0 HTTPS=0 \
	DATA_KEYS=dGVzdHMtb25seS1kYXRhLWtleS1uZXZlci1pbi11c2U=

.PHONY: run install install-dev install-bench messages static chromium wrk test test-unit test-e2e bench faults soak clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install --quiet -e '.[dev,bench]'
	touch $@ $(VENV)/.installed-dev $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev
install-bench: $(VENV)/.installed-bench

# Translations are compiled from the .po files; Debian's gettext provides msgfmt.
# Development's own key for DATA_KEYS (git ignores it); production sets DATA_KEYS (README).
.data_keys: | $(VENV)/.installed
	$(PY) -m survivor_portal.data_keys $@

messages: install .data_keys
	@command -v msgfmt >/dev/null || { apt-get update -qq && apt-get install -y -qq gettext; }
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv -v0

static: install
	$(TEST_ENV) $(PY) manage.py collectstatic --noinput --clear -v0

# The housekeeping worker (deleted goals, finished meetings' contact details, expired sessions…)
# runs beside the server and stops when it stops, however it stops (README, "Operations").
run: install messages
	$(DEV_ENV) $(PY) manage.py migrate --noinput -v0
	$(DEV_ENV) $(PY) manage.py seed_demo
	trap 'kill -TERM $$server 2>/dev/null; kill -INT $$worker 2>/dev/null; wait' EXIT; trap 'exit 130' INT TERM HUP; \
	$(DEV_ENV) $(PY) manage.py housekeeping --loop & worker=$$!; \
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT) & server=$$!; \
	wait $$server

# Browser tests use Debian's Chromium, never a downloaded browser.
chromium:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium; }

test-unit: install-dev messages static
	$(TEST_ENV) $(PY) -m pytest tests -q

test-e2e: install-dev messages static chromium
	$(TEST_ENV) $(PY) -m pytest e2e -q --reruns 1 -rR

test: test-unit test-e2e

# wrk (Debian's) measures throughput against a plain Django project (bench/plain).
wrk:
	@command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }

bench: install-bench messages static chromium wrk
	$(TEST_ENV) $(PY) -m bench

# Its own PostgreSQL and Redis on loopback, stopped, paused and restarted under the app (README, Operations).
faults: install messages static
	$(TEST_ENV) $(PY) -m bench.faults

# 300 members polling and posting in peer groups for 10 minutes (SOAK_SECONDS to shorten); README, Operations.
soak: install-bench messages static
	$(TEST_ENV) $(PY) -m bench.soak

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
