# Prospectus: `make run` serves the demo site; `make test` runs the suite.
# Both work on a fresh machine with only Python 3: the virtualenv is made on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
SITE_URL ?= http://127.0.0.1:$(PORT)

export FLASK_APP := wsgi
export SITE_URL

.PHONY: run test install install-dev migrate seed clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/flask db upgrade

seed: migrate
	$(BIN)/flask seed-demo

## run: migrate, seed the demo data, then web (gunicorn on $PORT), a Celery worker and beat
## on the embedded filesystem broker, and an SMTP sink on 127.0.0.1:8025 (Maildir: instance/mail/).
run: seed
	mkdir -p instance/mail/cur instance/mail/new instance/mail/tmp instance/broker
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start --procfile Procfile --port $(PORT)

## test: install the dev requirements, lint (ruff) and run the whole suite (integration and browser tests
## run when their services are there; under CI=true a missing service fails the run).
test: install-dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) instance .pytest_cache
