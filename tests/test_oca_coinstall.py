"""The suite next to the OCA modules companies run for the same jobs, in one database.

``tests/addons/sales_suite_oca_test`` depends on our three addons and on OCA's
``sale_exception``, ``sale_tier_validation``, ``sale_commission_oca``, ``sale_financial_risk``
and ``agreement_legal`` (installed from PyPI by requirements-oca.txt). This installs it into a
fresh database and runs its tests, and ours, with Odoo's own test runner: the contract tests of
``sales_assistant`` run there again, next to OCA's agreements.
"""

import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import preflight  # noqa: E402
from odoo_process import run_addon_tests  # noqa: E402

OCA = (
    "sale_exception",
    "sale_tier_validation",
    "sale_commission_oca",
    "sale_financial_risk",
    "agreement_legal",
)


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
        _problems, run = run_addon_tests(db, "sales_suite_oca_test", log, timeout=2400)
        assert run >= 50  # the co-installation and contract tests ran, not nothing
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
