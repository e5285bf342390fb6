"""Odoo run as a process by the root tests: a free port, and a test addon's tests run by
Odoo's own runner in a database of their own."""

import re
import socket
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULT = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")


def free_port():
    """A port nobody listens on: another Odoo (scripts/run...) may hold the configured one."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_addon_tests(db, addon, log, *, demo=True, timeout=1800):
    """Install ``addon`` of ``tests/addons`` into ``db`` and run its tests with Odoo's runner.
    Returns the lines of the log that report an error or a failure, and the number of tests
    run; fails when Odoo does or when a test failed."""
    result = subprocess.run(
        [
            str(ROOT / "scripts" / "odoo"),
            f"--addons-path={ROOT / 'addons'},{ROOT / 'tests' / 'addons'}",
            "-d",
            db,
            "-i",
            addon,
            *([] if demo else ["--without-demo=all"]),
            "--test-enable",
            f"--test-tags=/{addon}",
            "--stop-after-init",
            f"--http-port={free_port()}",
            "--log-level=info",
            f"--logfile={log}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    text = log.read_text() if log.exists() else result.stderr
    problems = [line for line in text.splitlines() if " ERROR " in line or " FAIL" in line]
    assert result.returncode == 0, "\n".join(problems[-30:]) or text[-3000:]
    counts = RESULT.findall(text)
    assert counts, text[-3000:]
    failed, errors, run = map(int, counts[-1])
    assert (failed, errors) == (0, 0), "\n".join(problems[-30:])
    return problems, run
