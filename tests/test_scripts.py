"""Each command says exactly what is missing, and how to provide it, instead of a traceback."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [
    ["scripts/run"],
    ["scripts/test"],
    ["scripts/test-odoo-compat"],
    ["scripts/odoo", "--version"],
    ["scripts/bench"],
    ["python3", "scripts/seed", "-d", "nowhere"],
]


@pytest.fixture
def python_without_odoo(tmp_path):
    """A PATH whose python3 is this interpreter without site-packages, where Odoo lives."""
    wrapper = tmp_path / "python3"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    # none of the machine's ways to name an Odoo: the test must not depend on them
    named = ("ODOO_SRC", "ODOO_PYTHON", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
    return {
        **{k: v for k, v in os.environ.items() if k not in named},
        "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}",
        # the scripts would set Odoo up: from a clone that cannot be had here
        "SALES_SUITE_VENV": str(tmp_path / "venv"),
        "ODOO_REPO": str(tmp_path / "no-such-repository"),
    }


def run(cmd, env):
    return subprocess.run(
        cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda cmd: " ".join(cmd))
def test_commands_explain_that_odoo_is_not_importable(cmd, python_without_odoo):
    result = run(cmd, python_without_odoo)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "is not importable" in output
    assert "ODOO_SRC" in output
    assert "Traceback" not in output


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda cmd: " ".join(cmd))
def test_commands_explain_that_postgresql_is_unreachable(cmd):
    env = {**os.environ, "PGHOST": "127.0.0.1", "PGPORT": "1"}
    if cmd[0] == "scripts/odoo":
        cmd = ["scripts/odoo", "-d", "nowhere", "--stop-after-init"]
    result = run(cmd, env)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "PostgreSQL is not reachable at 127.0.0.1 port 1" in output
    assert "PGHOST" in output
    assert "Traceback" not in output


@pytest.fixture
def scratch_db():
    """A real, nearly empty PostgreSQL database with the two tables db-state reads."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import preflight  # noqa: PLC0415

    params = preflight.ensure_postgres(str(preflight.DEFAULT_CONFIG))
    name = f"sales_scratch_{os.getpid()}"
    preflight.drop_db(params, name)
    conn = preflight.connect(params)
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute(f'CREATE DATABASE "{name}"')
    conn.close()
    yield preflight, params, name
    preflight.drop_db(params, name)


def _sql(preflight, params, name, *statements):
    conn = preflight.connect(params, name)
    with conn, conn.cursor() as cr:
        for statement in statements:
            cr.execute(*statement)
    conn.close()


def test_db_state_tells_a_half_seeded_database_from_a_seeded_one(scratch_db):
    """A seed that died half-way must not be served as if it were complete."""
    preflight, params, name = scratch_db
    assert preflight.db_state(params, name) == "empty"
    _sql(
        preflight,
        params,
        name,
        ("CREATE TABLE ir_module_module (name varchar, state varchar)",),
        ("CREATE TABLE ir_config_parameter (key varchar, value text)",),
        (
            "INSERT INTO ir_module_module SELECT unnest(%s::varchar[]), 'installed'",
            (list(preflight.SUITE),),
        ),
    )
    assert preflight.db_state(params, name) == "installed"
    insert = "INSERT INTO ir_config_parameter VALUES ('sales_suite.seed_size', %s)"
    _sql(preflight, params, name, (insert, ("demo:in_progress",)))
    assert preflight.db_state(params, name) == "half-seeded"
    _sql(
        preflight,
        params,
        name,
        ("UPDATE ir_config_parameter SET value = 'demo'",),
    )
    assert preflight.db_state(params, name) == "seeded"
