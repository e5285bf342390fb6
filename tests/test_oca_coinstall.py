"""The suite next to the OCA modules companies run for the same jobs, in one database.

``tests/addons/sales_suite_oca_test`` depends on our three addons and on OCA's
``sale_exception``, ``sale_tier_validation``, ``sale_commission_oca`` and
``sale_financial_risk`` (installed from PyPI by requirements-oca.txt). This installs it into a
fresh database and runs its tests, and ours, with Odoo's own test runner.
"""

import importlib.util
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import preflight  # noqa: E402

OCA = ("sale_exception", "sale_tier_validation", "sale_commission_oca", "sale_financial_risk")
RESULT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")


def free_port():
    """A port nobody listens on: another Odoo (scripts/run...) may hold the configured one."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_suite_and_oca_modules_work_in_one_database(tmp_path):
    missing = [name for name in OCA if not importlib.util.find_spec(f"odoo.addons.{name}")]
    if missing:
        pytest.skip(
            f"OCA's {', '.join(missing)} not installed: "
            f"{sys.executable} -m pip install --no-deps -r requirements-oca.txt"
        )
    params = preflight.ensure_postgres(str(preflight.DEFAULT_CONFIG))
    db = f"sales_oca_{os.getpid()}"
    log = tmp_path / "odoo.log"
    preflight.drop_db(params, db)
    try:
        result = subprocess.run(
            [
                str(ROOT / "scripts" / "odoo"),
                f"--addons-path={ROOT / 'addons'},{ROOT / 'tests' / 'addons'}",
                "-d",
                db,
                "-i",
                "sales_suite_oca_test",
                "--test-enable",
                "--test-tags=/sales_suite_oca_test",
                "--stop-after-init",
                f"--http-port={free_port()}",
                "--log-level=info",
                f"--logfile={log}",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=2400,
            check=False,
        )
        text = log.read_text() if log.exists() else result.stderr
        problems = [line for line in text.splitlines() if " ERROR " in line or " FAIL" in line]
        assert result.returncode == 0, "\n".join(problems[-30:]) or text[-3000:]
        counts = RESULT.findall(text)
        assert counts, text[-3000:]
        failed, errors, run = map(int, counts[-1])
        assert (failed, errors) == (0, 0), "\n".join(problems[-30:])
        assert run >= 6  # the co-installation tests ran, not nothing
        conn = preflight.connect(params, db)
        with conn, conn.cursor() as cr:
            cr.execute(
                "SELECT name FROM ir_module_module WHERE state = 'installed' AND name IN %s",
                (OCA + preflight.SUITE,),
            )
            assert sorted(name for (name,) in cr.fetchall()) == sorted(OCA + preflight.SUITE)
        conn.close()
    finally:
        preflight.drop_db(params, db)
