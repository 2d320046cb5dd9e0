# Local route: an importable `odoo` (or ODOO_PATH pointing at an Odoo 18 tree)
# and a PostgreSQL reachable through the PG* variables (default 127.0.0.1:5432).
PYTHON ?= python3
DB ?= resource_sharing
PORT ?= 8069

.PHONY: test test-static test-unit test-odoo run lint bench bench-optimizer screenshots

test:  ## every tier in one pytest run: pre-commit hooks, engine tests, Odoo tests and tours on a fresh database
	$(PYTHON) tools/run_suite.py $(if $(K),-- -k "$(K)")

test-static:  ## the pre-commit hooks but prettier (ruff, pylint-odoo, OCA checks), offline
	$(PYTHON) tools/run_suite.py --tier static

test-unit:  ## plain pytest only (engine, proofs that each linter fails), no Odoo needed
	$(PYTHON) tools/run_suite.py --tier unit

test-odoo:  ## the Odoo tier only through pytest-odoo; K narrows it, e.g. K=TestAllocation
	$(PYTHON) tools/run_suite.py --tier odoo $(if $(K),-- -k "$(K)")

run:  ## Odoo with both addons and demo data at http://localhost:$(PORT)
	$(PYTHON) tools/run_server.py --db $(DB) --port $(PORT)

lint:  ## every pre-commit hook, prettier included (installed from npm)
	pre-commit run --all-files

bench:  ## scale benchmark of the forecast, e.g. BENCH_ARGS="--scales 30,300"
	$(PYTHON) tools/bench_forecast.py $(BENCH_ARGS)

bench-optimizer:  ## staffing optimizer vs first fit, no Odoo; BENCH_ARGS="--scales 300,3000"
	$(PYTHON) tools/bench_optimizer.py $(BENCH_ARGS)

screenshots:  ## the README's screenshots, from a database with the demo data (DB=…)
	$(PYTHON) tools/screenshots.py --db $(DB)
