"""Another addon extends the compliance engine without editing sales_compliance.

``tests/addons/sales_compliance_engine_test`` depends on sales_compliance only. It adds a
check with a parameter (its field on the rule, its constraint, its view) and a model of
its own that joins the engine (rules, violations, approvals, the values hash). This
installs it into a fresh database and runs its tests with Odoo's own runner.
"""

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import preflight  # noqa: E402

ADDON = "sales_compliance_engine_test"
RESULT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")


def free_port():
    """A port nobody listens on: another Odoo (scripts/run...) may hold the configured one."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_another_addon_adds_a_check_and_a_model_to_the_engine(tmp_path):
    params = preflight.ensure_postgres(str(preflight.DEFAULT_CONFIG))
    db = f"sales_engine_{os.getpid()}"
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
                ADDON,
                "--without-demo=all",
                "--test-enable",
                f"--test-tags=/{ADDON}",
                "--stop-after-init",
                f"--http-port={free_port()}",
                "--log-level=info",
                f"--logfile={log}",
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
        text = log.read_text() if log.exists() else result.stderr
        problems = [line for line in text.splitlines() if " ERROR " in line or " FAIL" in line]
        assert result.returncode == 0, "\n".join(problems[-30:]) or text[-3000:]
        assert not problems, "\n".join(problems[-30:])
        counts = RESULT.findall(text)
        assert counts, text[-3000:]
        failed, errors, run = map(int, counts[-1])
        assert (failed, errors) == (0, 0), "\n".join(problems[-30:])
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
