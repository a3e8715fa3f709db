# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
# The address in PDFs, QR codes, emails and calendar feeds: where `make run` serves, unless set.
ALIANZA_PUBLIC_URL ?= http://$(HOST)
# Two processes by default: the suite is well under 10 minutes on 2 cores.
PYTEST_ARGS ?= -n 2

.PHONY: install run test lint format lock bench messages screenshots clean

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements.lock
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	ALIANZA_PUBLIC_URL=$(ALIANZA_PUBLIC_URL) $(PY) manage.py load_demo
	ALIANZA_PUBLIC_URL=$(ALIANZA_PUBLIC_URL) $(PY) manage.py runserver $(HOST)

test: install
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Regenerate the pinned lock file after changing pyproject.toml.
lock: install
	$(VENV)/bin/pip-compile -q --extra dev --strip-extras -o requirements.lock pyproject.toml

# Extract the marked strings into locale/es/LC_MESSAGES/django.po (needs gettext), translate the
# new entries there, then compile the .mo (both files are committed, so `make run` needs no gettext).
messages: install
	$(PY) manage.py makemessages -l es --ignore=.venv --ignore=var --ignore=node_modules
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var --ignore=node_modules

bench: install
	$(PY) -m tests.bench.run

# README screenshots (demo data in a scratch SQLite database): docs/screenshots/*.png
screenshots: install
	$(PY) -m tests.e2e.screenshots

clean:
	rm -rf $(VENV) var
