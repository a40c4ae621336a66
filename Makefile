# The two commands a newcomer needs:
#   make demo   set everything up, load the demo data on SQLite, serve http://127.0.0.1:5000
#   make test   set everything up and run the whole suite (SQLite; TEST_DATABASE_URL for PostgreSQL)
#   make demo-sso  the demo with single sign-on through a local OpenID provider (docs/sign-in.md)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# pytest-xdist workers for make test: one per core (TEST_WORKERS=1: one process)
TEST_WORKERS ?= auto

.PHONY: demo demo-sso test setup serve clean

demo: setup
	$(BIN)/shortlist demo
	$(BIN)/shortlist run --host 127.0.0.1 --port 5000

demo-sso: setup
	BIN=$(BIN) scripts/demo-sso

test: setup
	scripts/ensure-chromium
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

setup: $(VENV)/.installed shortlist/static/app.css

serve: setup
	$(BIN)/shortlist run --host 127.0.0.1 --port 5000

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

shortlist/static/app.css: node_modules/.installed shortlist/assets/app.scss shortlist/assets/favicon.svg \
		shortlist/assets/pack.css shortlist/assets/document-progress.js shortlist/assets/session-timeout.js \
		shortlist/assets/autosave.js scripts/build-assets.mjs
	node scripts/build-assets.mjs

clean:
	rm -rf $(VENV) node_modules shortlist/static instance
