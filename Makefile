# The two commands a newcomer needs: `make run` and `make test`. Everything else is a helper.
PYTHON_SYSTEM ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: run test venv translations messages migrate seed lint bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON_SYSTEM) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

venv: $(VENV)/.installed

translations: venv  ## compile locale/*.po to .mo (pure Python, no gettext needed)
	$(PY) manage.py compile_translations

messages: venv  ## re-extract every translatable string into locale/zh_Hans (needs GNU gettext)
	$(PY) manage.py i18n_update

migrate: venv
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: venv translations migrate seed
	@echo ""
	@echo "  创先争优 is starting at http://127.0.0.1:$(PORT)/"
	@echo "  Demo logins (password demo12345): admin · supervisor · secretary · member"
	@echo "  Database: $${DATABASE_URL:-SQLite (var/campaign.sqlite3)} · Broker: $${CELERY_BROKER_URL:-filesystem (var/broker)}"
	@echo ""
	PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile

test: venv translations
	@echo "Tests on database: $${DATABASE_URL:-SQLite (in memory)} · broker: $${CELERY_BROKER_URL:-filesystem} · cache: $${REDIS_URL:-local memory}"
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .

bench: venv translations migrate  ## needs DATABASE_URL=postgres://… (a database of its own)
	$(PY) manage.py bench

clean:
	rm -rf var staticfiles .pytest_cache
