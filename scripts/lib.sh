# Sourced by the scripts, from the repository root: PYTHON is the interpreter that runs
# Odoo 18.0, found or set up once by scripts/bootstrap.py. A script that needs the test and lint
# tools (scripts/test, scripts/lint, scripts/test-odoo-compat) sets SALES_SUITE_TOOLS=1 first;
# scripts/run and scripts/odoo need none, and serve without a package index.
PYTHON=$(python3 scripts/bootstrap.py ${SALES_SUITE_TOOLS:+--tools}) || exit $?
export PYTHON
