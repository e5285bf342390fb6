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
    ["python3", "scripts/seed.py", "-d", "nowhere"],
]


@pytest.fixture
def python_without_odoo(tmp_path):
    """A PATH whose python3 is this interpreter without site-packages, where Odoo lives."""
    wrapper = tmp_path / "python3"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" -S "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    return {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}


def run(cmd, env):
    return subprocess.run(
        cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda cmd: " ".join(cmd))
def test_commands_explain_that_odoo_is_not_importable(cmd, python_without_odoo):
    result = run(cmd, python_without_odoo)
    output = result.stdout + result.stderr
    assert result.returncode == 2, output
    assert "Odoo is not importable" in output
    assert "pip install" in output
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
