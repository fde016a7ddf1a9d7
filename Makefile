# The two commands of the README: `make run` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
# Exported so that the settings' SITE_URL (links in emails) follows the port served.
export PORT ?= 8000
# Settings default to DEBUG off (production); the demo, the tests and the development
# commands here run with it on unless DEBUG is set. `make stack` runs with it off.
export DEBUG ?= 1

.PHONY: run test install lint migrate demo bench clean stack

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	mkdir -p $${VAR_DIR:-var}
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo --accounts

# Web server, Celery worker and beat together; Ctrl-C stops all three. The worker runs
# under scripts/supervise, which starts it again if it dies.
run: demo
	@echo ""
	@echo "Disclosure-plan tracker: http://$(HOST):$(PORT)/"
	@echo "Demo logins (password: $${DEMO_PASSWORD:-disclosure-demo}):"
	@echo "  admin                administrator"
	@echo "  reviewer             bureau office (局办公室)"
	@echo "  <code>, <code>-head  department staff and head, e.g. policy-law, policy-law-head"
	@echo "  codes: general-office policy-law admin-service safety planning construction finance political"
	@echo ""
	trap 'kill 0' INT TERM EXIT; \
	scripts/supervise $(VENV)/bin/celery -A disclosure worker --beat --loglevel=info --concurrency=1 & \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The shape docker-compose.yml runs, natively, with production settings: two gunicorn
# instances behind scripts/balancer.py on PORT, a worker each and one beat (each supervised)
# against DATABASE_URL and CELERY_BROKER_URL. See scripts/stack.
stack: install
	PYTHON=$(PY) DEBUG=0 scripts/stack

test: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

bench: migrate
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) var
