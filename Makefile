# ICRS — one command to run the demo, one to test. Both create .venv and install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
STAMP  := $(VENV)/.installed
# Pinned, hashed dependency set (runtime + dev/test tools); requirements.lock is the runtime part.
LOCK   := requirements-dev.lock
export FLASK_APP := icrs:create_app

.PHONY: run test lint translations compile-translations bench bench-crypto bench-names security loadtest setup clean lock

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --require-hashes -r $(LOCK)
	@$(BIN)/python -m pip install -q --no-deps -e .
	@touch $(STAMP)

## make lock: re-pin requirements.lock and requirements-dev.lock from pyproject.toml (after any
## change to the dependencies; commit both files). LOCK_ARGS="--upgrade" moves to newer versions.
lock:
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@BIN=$(BIN) bash scripts/lock/compile.sh

compile-translations: $(STAMP)
	@$(BIN)/pybabel -q compile -d icrs/translations -D messages

## make run: instance config + keys + migrations + demo data, then serve on 127.0.0.1:$(PORT)
setup: compile-translations
	@$(BIN)/python -m icrs.instance_setup instance http://127.0.0.1:$(PORT)/
	@$(BIN)/flask icrs keys init --if-missing
	@$(BIN)/flask db upgrade
	@$(BIN)/flask icrs demo

run: setup
	@$(BIN)/flask icrs demo-logins --url http://127.0.0.1:$(PORT)/
	@$(BIN)/flask run --host 127.0.0.1 --port $(PORT) --no-reload

## make test: the whole pytest suite (SQLite unless ICRS_TEST_DATABASE_URL is set)
test: compile-translations
	@$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	@$(BIN)/ruff check .

## make translations: extract strings, update catalogues, compile
translations: $(STAMP)
	@$(BIN)/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -k lazy_pgettext:1c,2 --no-location --sort-output \
		-o icrs/translations/messages.pot .
	@$(BIN)/pybabel -q update -N -i icrs/translations/messages.pot -d icrs/translations
	@$(BIN)/python -m icrs.i18n_tools fill-en
	@$(BIN)/pybabel -q compile -d icrs/translations
	@$(BIN)/python -m icrs.i18n_check icrs/translations

## make bench: 100,000 people / 300,000 referrals / 1,000 services in SQLite and PostgreSQL
## (generated once, then reused), page timings beside raw SQL -> bench/results.md.
## Quick run: make bench BENCH_PEOPLE=2000 (results in the temp directory); BENCH_DB=sqlite.
BENCH_PEOPLE ?= 100000
BENCH_DB     ?= sqlite,postgresql
BENCH_N      ?= 30
BENCH_PG     ?= postgresql://postgres@127.0.0.1:5432/
bench: compile-translations
	@$(BIN)/python bench/bench_pages.py --people $(BENCH_PEOPLE) --db $(BENCH_DB) \
		-n $(BENCH_N) --pg-base $(BENCH_PG)

bench-crypto: $(STAMP)
	@$(BIN)/python bench/bench_crypto.py

## make bench-names: the duplicate check on 2,000 transliteration pairs and 20,000 non-pairs
## (precision, recall, candidates per registration; beside jellyfish's keys) -> bench/results.md
bench-names: $(STAMP)
	@$(BIN)/python bench/names.py --compare --write

## make loadtest: 50 simulated users for 60 s against gunicorn + PostgreSQL + Redis on loopback,
## then a check that every confirmed write is in the database (bench/loadtest.md, loadtest/run.py)
LOADTEST_STAMP := $(VENV)/.loadtest-installed
$(LOADTEST_STAMP): $(STAMP)
	@$(BIN)/python -m pip install -q -e '.[dev,loadtest]'
	@touch $@

loadtest: compile-translations $(LOADTEST_STAMP)
	@$(BIN)/python loadtest/run.py $(LOADTEST_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info

## make security: bandit, pip-audit and sqlmap on a throwaway local instance (SECURITY_QUICK=1: CI)
security: $(STAMP)
	@BIN=$(BIN) bash scripts/security/run.sh
