# The two set-up commands of the README: `make run` and `make test`.
# Both create .venv and install what they need; running them again is safe.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# The suite runs on this many processes (pytest-xdist; each has its own test database).
TEST_WORKERS ?= 2
export DJANGO_SETTINGS_MODULE := yushu_gov.settings

.PHONY: run test install install-test system-packages lint format migrate demo messages clean bench bench-open311

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Reinstall whenever pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# Debian packages: CJK fonts for PDFs, Chromium for the browser tests, poppler for PDF checks.
system-packages:
	@bash .ci/system-packages

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_reference_data
	$(BIN)/python manage.py load_demo_data

# The web server and, beside it, the background worker that writes the exports and delivers the notices
# (django-tasks' database queue), and a loop that writes the reminders and digests every 5 minutes
# (`send_periodic_notices`). Stopping the server (Ctrl+C) stops both. The worker does not reload on code
# changes: restart `make run`.
run: system-packages demo
	@$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	(while true; do $(BIN)/python manage.py send_periodic_notices --requeue >/dev/null; sleep 300; done) & periodic=$$!; \
	trap 'kill $$worker $$periodic 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: system-packages install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The province-scale benchmark (bench/run.py): PostgreSQL (BENCH_DATABASE_URL, default yushu_bench_$(SCALE) on
# 127.0.0.1), the scale data loaded on the first run, gunicorn with 3 workers; prints a Markdown table.
SCALE ?= 1
bench: install
	SCALE=$(SCALE) $(BIN)/python bench/run.py

# The open interfaces (Open311, the 12345 work orders, the open figures) on the same data set and server.
bench-open311: install
	SCALE=$(SCALE) $(BIN)/python bench/open311.py

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerates the English and Tibetan catalogues' .mo files (committed) from their .po files.
messages:
	msgfmt -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po
	msgfmt --check -o locale/bo/LC_MESSAGES/django.mo locale/bo/LC_MESSAGES/django.po

clean:
	rm -rf $(VENV) db.sqlite3 media
