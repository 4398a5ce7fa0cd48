# The two commands a newcomer needs: `make run` and `make test`. Only python3 (>= 3.11) and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
AXES_LOG_DAYS ?= 30

.PHONY: run test install install-dev lint format lock migrate seed cleanup clean messages translations FORCE

# The interpreter that makes .venv, by version and location. A .venv made by another one
# (an upgraded or different python3) is rebuilt: its packages may not even import.
INTERPRETER := $(shell $(PYTHON) -c 'import os, sys; print("%d.%d.%d" % sys.version_info[:3], os.path.realpath(sys.executable))' 2>/dev/null)
ifneq ($(INTERPRETER),$(shell cat $(VENV)/.interpreter 2>/dev/null))
$(VENV)/.interpreter: FORCE
endif

$(VENV)/.interpreter:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
	  echo "Comptoir needs Python 3.11 or newer, but $(PYTHON) is: $$($(PYTHON) --version 2>&1 || echo 'not found')." >&2; \
	  echo "Install Python 3.11 or newer, then run for example: make $(or $(MAKECMDGOALS),run) PYTHON=python3.12" >&2; \
	  exit 1; }
	@if [ -d $(VENV) ]; then echo "Rebuilding $(VENV): it was not made by $(PYTHON) ($(INTERPRETER))."; fi
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	@echo '$(INTERPRETER)' > $@

# The lock files pin every package with its hashes; pip refuses anything else.
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes

$(VENV)/.runtime-installed: requirements.txt $(VENV)/.interpreter
	$(PIP_INSTALL) -r requirements.txt
	touch $@

# requirements-dev.txt locks the runtime packages too, at the versions of requirements.txt.
$(VENV)/.dev-installed: requirements-dev.txt requirements.txt $(VENV)/.interpreter
	$(PIP_INSTALL) -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

# The compiled message catalogues (.mo), built from the committed .po files by Babel, which
# the venv has: no gettext tools needed to run or test the shop.
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))
locale/%.mo: locale/%.po $(VENV)/.runtime-installed
	$(VENV)/bin/pybabel --quiet compile --domain django --input-file $< --output-file $@
messages: $(CATALOGUES)

# After changing texts: refresh the catalogues from the code (needs GNU gettext), then
# translate what is new; the translation tests fail while a message is missing or stale.
translations: install
	$(PY) manage.py makemessages $(MAKEMESSAGES_ARGS)
MAKEMESSAGES_ARGS = --locale fr --locale ar --no-obsolete --ignore 'tests/*' --ignore 'bench/*' \
	--ignore 'node_modules/*' --ignore 'staticfiles/*' --ignore 'test-artifacts/*'

migrate: install messages
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# Outside the loopback (HOST=0.0.0.0 serves the local network), the development server must
# accept the Host names other machines use for it.
ifeq ($(filter $(HOST),127.0.0.1 localhost),)
RUN_ENV := ALLOWED_HOSTS='*'
RUN_URL := http://<this machine's address>:$(PORT)/
else
RUN_URL := http://$(HOST):$(PORT)/
endif

run: seed
	@echo ""
	@echo "  Comptoir demo shop: $(RUN_URL)   (admin: $(RUN_URL)admin/)"
	@echo "  Demo logins, all with the password comptoir-demo:"
	@echo "    shopper@example.com     retail shopper"
	@echo "    wholesale@example.com   approved wholesale buyer, admin of Bistro Lumière (portal: /portal/)"
	@echo "    buyer@example.com       Bistro Lumière buyer (limit 500.00 per order)"
	@echo "    approver@example.com    Bistro Lumière approver"
	@echo "    vip@example.com         VIP customer (sees the Early access category)"
	@echo "    manager@example.com     shop manager (staff, /admin/)"
	@echo "    applicant@example.com   customer with a pending wholesale application"
	@echo "    shopper-it@example.com  Italian shopper (Italian VAT: EU distance sale)"
	@echo "    buyer-de@example.com    German one-member company, wholesale, valid VAT number (reverse charge)"
	@echo "    shopper-ch@example.com  Swiss customer (export, no VAT)"
	@echo ""
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# The periodic clean-ups (README, Operations): expired sessions, old axes log-in records,
# stale carts, card orders left unpaid (their stock goes back on sale).
cleanup: install
	$(PY) manage.py clearsessions
	$(PY) manage.py axes_reset_logs --age $(AXES_LOG_DAYS)
	$(PY) manage.py clear_stale_carts --days 30
	$(PY) manage.py release_unpaid_card_orders

test: install-dev messages
	$(PY) -m pytest $(PYTEST_ARGS)

# Recompile the lock files from requirements.in and requirements-dev.in, for every platform
# and Python >= 3.11, keeping the locked versions that still fit (LOCK_ARGS=--upgrade to
# move everything to the newest). No index URL is written into the files.
LOCK_ARGS ?=
UV_COMPILE = $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" $(LOCK_ARGS)

lock: install-dev
	$(UV_COMPILE) requirements.in -o requirements.txt
	$(UV_COMPILE) requirements-dev.in -o requirements-dev.txt

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
