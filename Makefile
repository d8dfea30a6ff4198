# Two entry points for a fresh machine: `make run` and `make test`.
# Everything else here is what those two need.

SHELL := /bin/bash
# Python 3.12 or newer; .python-version pins 3.13 for pyenv users.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$p; break; }; done)
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV_PY := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv

HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup lint migrations-check deploy-check browser-tools lighthouse

$(UV):
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (pyenv install 3.13)."; exit 1; }
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --python "$(PYTHON)"
	@touch $@

setup: .venv/.synced

# Local settings for manage.py (see manage.py): written once, never overwritten.
.env:
	@printf '%s\n' '# Read by manage.py on this machine only; the environment wins.' 'DEBUG=true' > $@
	@echo "Wrote .env (DEBUG=true): .venv/bin/python manage.py now works without exporting it."

# Set up, migrate, load the demo content, create an admin login, serve.
# HOST and PORT choose the address: make run PORT=8080.
run: setup .env
	DEBUG=true $(VENV_PY) manage.py migrate --no-input
	DEBUG=true $(VENV_PY) manage.py load_demo
	DEBUG=true $(VENV_PY) manage.py demo_admin --site-url http://$(HOST):$(PORT)
	@echo "The site is at http://$(HOST):$(PORT)/"
	DEBUG=true $(VENV_PY) manage.py runserver $(HOST):$(PORT)

# The whole test suite, on SQLite unless DATABASE_URL names PostgreSQL.
# PYTEST_ARGS="-m 'not browser'" leaves out the (slower) browser tests.
test: setup browser-tools
	$(VENV_PY) -m pytest $(PYTEST_ARGS)

# What the browser tests need besides Python: Debian's Chromium, Java for the
# Nu HTML Checker, and the npm packages in package.json. Installed when missing;
# outside CI a failed install only makes those tests skip, in CI it stops here.
browser-tools:
	@command -v chromium >/dev/null 2>&1 && command -v java >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
				chromium default-jre-headless; \
		else false; fi \
		|| { echo "Could not install Chromium or Java (apt-get install chromium default-jre-headless)."; \
			[ "$${CI:-}" != true ]; }; }
	@[ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ] || { \
		npm ci --no-audit --no-fund \
		|| { echo "npm ci failed; trying npm install (lighthouse asks for some packages' latest)."; \
			npm install --no-audit --no-fund --no-save; } \
		|| { echo "Could not install the npm packages (npm ci)."; [ "$${CI:-}" != true ]; }; }

# Lighthouse scores for the essay and search pages, written to docs/QUALITY.md.
lighthouse: setup browser-tools
	$(VENV_PY) bench/lighthouse.py

lint: setup
	$(VENV_PY) -m ruff check .
	$(VENV_PY) -m ruff format --check .

migrations-check: setup
	DEBUG=true $(VENV_PY) manage.py makemigrations --check --dry-run

# Django's deployment checks with exactly the documented production
# environment, deploy/production.env.example, and a random secret.
deploy-check: setup
	PYTHON=$(VENV_PY) deploy/check
