# The two commands a newcomer needs: `make run` and `make test`. Only python3 (>= 3.11) and make.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=
AXES_LOG_DAYS ?= 30

.PHONY: run test install install-dev lint format migrate seed cleanup clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

install: $(VENV)/.runtime-installed
install-dev: $(VENV)/.dev-installed

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	@echo ""
	@echo "  Comptoir demo shop: http://127.0.0.1:$(PORT)/   (admin: http://127.0.0.1:$(PORT)/admin/)"
	@echo "  Demo logins, all with the password comptoir-demo:"
	@echo "    shopper@example.com     retail shopper"
	@echo "    wholesale@example.com   approved wholesale buyer (portal: /portal/)"
	@echo "    vip@example.com         VIP customer (sees the Early access category)"
	@echo "    manager@example.com     shop manager (staff, /admin/)"
	@echo "    applicant@example.com   customer with a pending wholesale application"
	@echo ""
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# The periodic clean-ups (README, Operations): expired sessions, old axes log-in records.
cleanup: install
	$(PY) manage.py clearsessions
	$(PY) manage.py axes_reset_logs --age $(AXES_LOG_DAYS)

test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles .pytest_cache
