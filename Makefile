# cw-facade developer commands. `make test` is the one CI runs (.ci/run).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: help venv test lint typecheck import-check regen-check unasync-check unit demo engagement bench regenerate unasync import-spec record dist clean

help:
	@echo "make test        create .venv, install, lint, type-check, drift-check, run the tests"
	@echo "make demo        run the complete workflow against the bundled simulator"
	@echo "make engagement  sync the simulator's engagement tenant to SQLite, print client scores"
	@echo "make bench       run the benchmarks (prints one table)"
	@echo "make import-spec re-import openapi/ from openapi/upstream (or SPEC=path, e.g. a new All.json)"
	@echo "make regenerate  rebuild generated/cw_manage_client from openapi/"
	@echo "make unasync     write the blocking client (cw_facade/_sync) from cw_facade/_async"
	@echo "make record      re-record the replay cassettes against the simulator"
	@echo "make dist        build the wheel into dist/ (pip install dist/cw_facade-*.whl)"

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "cw-facade needs Python 3.11+"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy --strict cw_facade scripts
	$(VENV)/bin/mypy --strict examples/engagement

import-check: $(STAMP)
	$(PY) scripts/import_spec.py --check

regen-check: $(STAMP)
	$(PY) scripts/regenerate.py --check

unasync-check: $(STAMP)
	$(PY) scripts/unasync.py --check

unit: $(STAMP)
	$(PY) -m pytest -q

test: lint typecheck import-check regen-check unasync-check unit

demo: $(STAMP)
	$(PY) scripts/demo.py

engagement: $(STAMP)
	$(PY) examples/engagement/engagement_demo.py

bench: $(STAMP)
	$(PY) scripts/bench.py

# Empty SPEC: the upstream document SOURCE.lock records (kept in openapi/upstream/).
SPEC ?=
import-spec: $(STAMP)
	$(PY) scripts/import_spec.py $(SPEC)

regenerate: $(STAMP)
	$(PY) scripts/regenerate.py

unasync: $(STAMP)
	$(PY) scripts/unasync.py

record: $(STAMP)
	$(PY) scripts/record_cassettes.py

dist: $(STAMP)
	rm -rf dist
	$(PY) -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist .

clean:
	rm -rf dist $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
