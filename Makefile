# Kontor: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Installs come from the lock files only (exact versions, verified by hash); `make lock`
# refreshes them from the ranges in pyproject.toml. Kontor itself is not installed as a
# package: manage.py runs it from this directory.
PIP_INSTALL := $(PIP) install --quiet --require-hashes --no-deps
PIP_COMPILE := $(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras \
	--no-emit-index-url --no-emit-find-links

.PHONY: run test typecheck browser lock lint format serve bench load messages clean install install-dev

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Stamp files: an unchanged lock file installs nothing, so `make run` starts at once.
$(VENV)/.installed: requirements.txt | $(PY)
	$(PIP_INSTALL) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt | $(PY)
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The e-mail worker (manage.py db_worker) runs in the background beside the server and is
# stopped when the server stops.
WITH_WORKER = $(PY) manage.py db_worker $(WORKER_ARGS) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM;

# Refresh both lock files to the newest releases the ranges in pyproject.toml admit.
lock: | $(PY)
	$(PIP) install --quiet "pip-tools>=7.4"
	$(PIP_COMPILE) --upgrade --output-file requirements.txt pyproject.toml
	$(PIP_COMPILE) --upgrade --extra dev --constraint requirements.txt \
		--output-file requirements-dev.txt pyproject.toml

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	export KONTOR_PORT=$(PORT); $(WITH_WORKER) $(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev browser
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m mypy
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest $(PYTEST_ARGS)

typecheck: install-dev
	$(PY) -m mypy

# A Chromium for the browser tests: the one found, else Playwright's, else the system's package.
browser: install-dev
	$(PY) -m tests.browser.chromium --install

lint: install-dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: install-dev
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

# Not started here: `manage.py purge_trash` (what has been in the trash longer than TRASH_DAYS),
# to be run daily from cron or a systemd timer (README, "Trash and history").
serve: WORKER_ARGS = --no-reload
serve: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py collectstatic --noinput
	export KONTOR_PORT=$(PORT); $(WITH_WORKER) $(VENV)/bin/gunicorn config.wsgi:application \
		--config config/gunicorn.py \
		--bind $(HOST):$(PORT) \
		--workers $${WEB_CONCURRENCY:-$$(( $$(nproc) * 2 + 1 ))}

bench: install-dev
	$(PY) -m benchmarks.run

load: install-dev
	$(PY) -m benchmarks.load

# Regenerate the translation catalogues (needs GNU gettext; the compiled files are committed).
messages: install-dev
	$(PY) manage.py makemessages -l de --ignore=.venv --ignore=tests --no-obsolete
	$(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache
