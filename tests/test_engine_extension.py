"""Another addon extends the compliance engine without editing sales_compliance.

``tests/addons/sales_compliance_engine_test`` depends on sales_compliance only. It adds a
check with a parameter (its field on the rule, its constraint, its view) and a model of
its own that joins the engine (rules, violations, approvals, the values hash). This
installs it into a fresh database and runs its tests with Odoo's own runner.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import preflight  # noqa: E402
from odoo_process import run_addon_tests  # noqa: E402

ADDON = "sales_compliance_engine_test"


def test_another_addon_adds_a_check_and_a_model_to_the_engine(tmp_path):
    params = preflight.ensure_postgres(str(preflight.DEFAULT_CONFIG))
    db = f"sales_engine_{os.getpid()}"
    log = tmp_path / "odoo.log"
    preflight.drop_db(params, db)
    try:
        problems, run = run_addon_tests(db, ADDON, log, demo=False)
        assert not problems, "\n".join(problems[-30:])
        assert run >= 7  # the extension's tests ran, not nothing
        conn = preflight.connect(params, db)
        with conn, conn.cursor() as cr:
            cr.execute(
                "SELECT name FROM ir_module_module WHERE state = 'installed' AND name IN %s",
                ((ADDON, "sales_compliance", "sales_targets", "sales_assistant"),),
            )
            # sales_compliance alone: the extension needs nothing else
            assert sorted(name for (name,) in cr.fetchall()) == sorted([ADDON, "sales_compliance"])
        conn.close()
    finally:
        preflight.drop_db(params, db)
