# Sourced by the scripts, from the repository root: PYTHON is the interpreter that runs
# Odoo 18.0 and the test tools, found or set up once by scripts/bootstrap.py.
PYTHON=$(python3 scripts/bootstrap.py) || exit $?
export PYTHON
