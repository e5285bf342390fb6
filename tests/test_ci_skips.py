"""A test that needs an optional tool skips with the reason when the tool is missing, and CI
(``CI=true``) turns every skip into a failure (``conftest.py``), so that CI proves each ran."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SAMPLE = """
import unittest


class Sample(unittest.TestCase):
    def test_pdf(self):
        # what Odoo raises when it renders a PDF without wkhtmltopdf
        raise RuntimeError("Unable to find Wkhtmltopdf on this system. The PDF can not be created.")

    def test_tour(self):
        self.skipTest("Chrome executable not found")

    def test_broken(self):
        raise RuntimeError("a real failure")

    def test_fine(self):
        self.assertTrue(True)
"""


@pytest.fixture
def sample(tmp_path):
    shutil.copy(ROOT / "conftest.py", tmp_path / "conftest.py")
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    return tmp_path


def run_pytest(where, ci):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(where)}
    if ci is not None:
        env["CI"] = ci
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:odoo", "-p", "no:cacheprovider", "-rsf", "-q"],
        cwd=where,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.stdout


@pytest.mark.parametrize("ci", [None, "false"])
def test_a_missing_tool_skips_with_its_reason(sample, ci):
    out = run_pytest(sample, ci)
    assert "1 failed, 1 passed, 2 skipped" in out, out
    skipped = [line for line in out.splitlines() if line.startswith("SKIPPED")]
    assert any("wkhtmltopdf is missing (apt-get install wkhtmltopdf)" in s for s in skipped), out
    assert any("Chrome executable not found" in line for line in skipped), out
    assert "FAILED test_sample.py::Sample::test_broken - RuntimeError: a real failure" in out


def test_ci_fails_every_skipped_test_with_its_reason(sample):
    out = run_pytest(sample, "true")
    assert "3 failed, 1 passed" in out, out
    assert "CI runs every test, and this one was skipped: wkhtmltopdf is missing" in out
    assert "CI runs every test, and this one was skipped: Chrome executable not found" in out
