"""The addons install with and without demo data, log no warnings, uninstall and reinstall.

These tests drive Odoo's own command line on throwaway databases, as an administrator would.
"""

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest

ROOT = Path(__file__).resolve().parent.parent
SUITE = ("sales_compliance", "sales_targets", "sales_assistant")
RECORD_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) ")


def odoo(*args, stdin=None):
    """Run Odoo's command line with the project's configuration; return its log."""
    cmd = [sys.executable, "-m", "odoo", *args[:1], "-c", "config/odoo.conf"]
    cmd += [f"--addons-path={ROOT / 'addons'}", *args[1:]]
    result = subprocess.run(
        cmd, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=1200, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


def suite_problems(log):
    """WARNING, ERROR and CRITICAL log records that concern one of the suite's addons."""
    records, current = [], None
    for line in log.splitlines():
        match = RECORD_START.match(line)
        if match:
            current = [match.group(1), line]
            records.append(current)
        elif current:
            current[1] += "\n" + line
    return [
        text
        for level, text in records
        if level in ("WARNING", "ERROR", "CRITICAL") and any(m in text for m in SUITE)
    ]


def module_states(db):
    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT name, state, demo FROM ir_module_module WHERE name IN %s ORDER BY name",
            (SUITE,),
        )
        return {name: (state, demo) for name, state, demo in cr.fetchall()}


@pytest.fixture
def scratch_db():
    name = f"sales_scratch_{uuid.uuid4().hex[:10]}"
    yield name
    subprocess.run([sys.executable, "scripts/preflight.py", "drop", name], cwd=ROOT, check=False)


def test_install_logs_no_warning_from_the_suite(scratch_db):
    log_path = os.environ.get("SALES_SUITE_INSTALL_LOG")
    if log_path and Path(log_path).exists():
        log = Path(log_path).read_text(encoding="utf-8")  # scripts/test's own install
    else:
        log = odoo(
            "server",
            "-d",
            scratch_db,
            "-i",
            ",".join(SUITE),
            "--stop-after-init",
            "--log-level=info",
            "--logfile=",
        )
    assert "Modules loaded." in log
    for module in SUITE:
        assert re.search(rf"Module {module} loaded in [\d.]+s", log), module
    assert suite_problems(log) == []


def test_each_addon_installs_alone_without_demo_then_uninstalls_and_reinstalls(scratch_db):
    logs = []
    for module in SUITE:  # each on top of what it depends on, without demo data
        logs.append(
            odoo(
                "server",
                "-d",
                scratch_db,
                "-i",
                module,
                "--without-demo=all",
                "--stop-after-init",
                "--log-level=warn",
                "--logfile=",
            )
        )
        state, demo = module_states(scratch_db)[module]
        assert (state, demo) == ("installed", False)
    assert [suite_problems(log) for log in logs] == [[], [], []]

    uninstall = (
        f"modules = env['ir.module.module'].search([('name', 'in', {list(SUITE)!r})])\n"
        "modules.button_immediate_uninstall()\n"
        "env.cr.commit()\n"
    )
    odoo("shell", "-d", scratch_db, "--no-http", "--log-level=warn", stdin=uninstall)
    assert {state for state, _demo in module_states(scratch_db).values()} == {"uninstalled"}
    with psycopg2.connect(dbname=scratch_db) as conn, conn.cursor() as cr:
        cr.execute("SELECT to_regclass('sales_customer_receipt')")
        assert cr.fetchone()[0] is None, "uninstalling left the addons' tables behind"

    log = odoo(
        "server",
        "-d",
        scratch_db,
        "-i",
        "sales_assistant",
        "--stop-after-init",
        "--without-demo=all",
        "--log-level=warn",
        "--logfile=",
    )
    assert {state for state, _demo in module_states(scratch_db).values()} == {"installed"}
    assert suite_problems(log) == []
