"""Every pytest run of the repository (the addons' tests and ``tests/``): tests that need an
optional tool skip with the reason when it is missing, and CI runs them all.

* Optional tools: Chromium for the browser tours (Odoo's ``HttpCase`` skips: "Chrome executable
  not found"), wkhtmltopdf for the PDF reports (Odoo refuses to render with a ``UserError``,
  turned here into a skip naming the package), OCA's modules (``tests/test_oca_coinstall.py``)
  and the git history (the upgrade tests of ``tests/conftest.py``).
* With ``CI`` set (``CI=true``, as CI runs ``.ci/run``), a skipped test fails with its reason:
  CI proves that every test ran, none left out because a tool was missing.
"""

import os

import pytest

# What Odoo says when a tool is missing, and what to install
MISSING_TOOLS = {
    "Unable to find Wkhtmltopdf on this system": "wkhtmltopdf is missing (apt-get install "
    "wkhtmltopdf): the PDF cannot be rendered",
}


def in_ci():
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed and call.excinfo is not None:
        message = str(call.excinfo.value)
        reason = next((why for said, why in MISSING_TOOLS.items() if said in message), None)
        if reason:
            report.outcome = "skipped"
            report.longrepr = (str(item.path), item.location[1] or 0, f"Skipped: {reason}")
    if report.skipped and not hasattr(report, "wasxfail") and in_ci():
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        reason = str(reason).removeprefix("Skipped: ")
        report.outcome = "failed"
        report.longrepr = f"CI runs every test, and this one was skipped: {reason}"
