"""Fixtures of the repository-level tests.

``old_suite_db``: a database made by an older version of the addons, to test that upgrading it
with the current code (migration scripts included) keeps the data and renames what was
renamed. The old addons are taken from git (``git archive``), installed once per session into
a template database, and every test gets a fresh copy of it::

    def test_state_renamed(old_suite_db):
        old_suite_db.shell("env['sales.compliance.rule'].create({...})")  # old code
        old_suite_db.upgrade("sales_compliance")                          # current code
        assert old_suite_db.query("SELECT state FROM ...") == [("pending",)]
"""

import os
import shutil
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import preflight  # noqa: E402

SUITE = ("sales_compliance", "sales_targets", "sales_assistant")
# The last commit before the renames of issue #11: the "old" addons of the upgrade tests
OLD_SUITE_COMMIT = "f2e2f0f"
# main when issue #18 began (``sale.order.confirm.guide`` not renamed yet): ``main_suite_db``
MAIN_SUITE_COMMIT = "82894ec"


class SuiteDatabase:
    """A database and the addons path its modules were installed from."""

    def __init__(self, name, addons_path, data_dir, params):
        self.name = name
        self.addons_path = addons_path  # the old addons (until ``upgrade``)
        self.data_dir = data_dir
        self.params = params

    def odoo(self, *args, addons_path=None, stdin=None, timeout=1800):
        """Run Odoo's command line on this database; return its log (stderr + stdout)."""
        command = [*args[:1]] if args and not args[0].startswith("-") else []
        options = list(args[len(command) :])
        cmd = [sys.executable, "-m", "odoo", *command, "-c", str(ROOT / "config" / "odoo.conf")]
        cmd += [
            f"--addons-path={addons_path or self.addons_path}",
            f"--data-dir={self.data_dir}",
            "-d",
            self.name,
            "--log-level=warn",
            *options,
        ]
        result = subprocess.run(
            cmd, cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=timeout, check=False
        )
        log = result.stderr + result.stdout
        assert result.returncode == 0, f"{' '.join(cmd)} failed:\n{log[-4000:]}"
        return log

    def shell(self, code):
        """Run ``code`` in ``odoo shell`` with the addons the database is at (``env`` is
        the superuser's environment); it is committed. Returns what it printed."""
        script = f"{code}\nenv.cr.commit()\n"
        return self.odoo("shell", "--no-http", stdin=script)

    def upgrade(self, *modules):
        """Upgrade ``modules`` (default: the suite) with the current code, as an
        administrator would after pulling it (``odoo -u``, migration scripts run)."""
        self.addons_path = str(ROOT / "addons")
        return self.odoo("-u", ",".join(modules or SUITE), "--stop-after-init")

    def query(self, sql, params=None):
        conn = preflight.connect(self.params, self.name)
        try:
            with conn.cursor() as cr:
                cr.execute(sql, params)
                return cr.fetchall() if cr.description else None
        finally:
            conn.close()


def _create_from_template(params, template, name):
    conn = preflight.connect(params)
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    finally:
        conn.close()


def _suite_template(tmp_path_factory, commit):
    """The suite as it was at ``commit``, installed (without demo data) into a template
    database; dropped when the generator is closed."""
    has_commit = shutil.which("git") and not (
        subprocess.run(
            ["git", "cat-file", "-e", f"{commit}^{{commit}}"],
            cwd=ROOT,
            capture_output=True,
            check=False,
        ).returncode
    )
    if not has_commit:
        pytest.skip(
            f"the git history holds no commit {commit}, the old addons of the upgrade "
            "tests (a shallow clone or an export): `git fetch --unshallow`"
        )
    params = preflight.ensure_postgres(str(preflight.DEFAULT_CONFIG))
    base = tmp_path_factory.mktemp("old_suite")
    archive = base / "addons.tar"
    subprocess.run(
        ["git", "archive", "--format=tar", f"--output={archive}", commit, "addons"],
        cwd=ROOT,
        check=True,
    )
    with tarfile.open(archive) as tar:
        tar.extractall(base, filter="data")
    name = f"sales_old_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    template = SuiteDatabase(name, str(base / "addons"), str(base / "data"), params)
    preflight.drop_db(params, name)
    try:
        template.odoo("-i", ",".join(SUITE), "--without-demo=all", "--stop-after-init")
        yield template
    finally:
        preflight.drop_db(params, name)


@pytest.fixture(scope="session")
def old_suite_template(tmp_path_factory):
    """The suite as it was at ``OLD_SUITE_COMMIT``, installed once per session."""
    yield from _suite_template(tmp_path_factory, OLD_SUITE_COMMIT)


@pytest.fixture(scope="session")
def main_suite_template(tmp_path_factory):
    """The suite as it was at ``MAIN_SUITE_COMMIT``, installed once per session."""
    yield from _suite_template(tmp_path_factory, MAIN_SUITE_COMMIT)


def _fresh_copy(template, tmp_path):
    name = f"{template.name}_{uuid.uuid4().hex[:6]}"
    data_dir = tmp_path / "data"
    filestore = Path(template.data_dir) / "filestore" / template.name
    if filestore.exists():
        shutil.copytree(filestore, data_dir / "filestore" / name)
    _create_from_template(template.params, template.name, name)
    try:
        yield SuiteDatabase(name, template.addons_path, str(data_dir), template.params)
    finally:
        preflight.drop_db(template.params, name)


@pytest.fixture
def old_suite_db(old_suite_template, tmp_path):
    """A fresh copy of the old suite's database (and its filestore), dropped afterwards.
    Create old records with ``shell``, then ``upgrade`` and check with ``query``/``shell``."""
    yield from _fresh_copy(old_suite_template, tmp_path)


@pytest.fixture
def main_suite_db(main_suite_template, tmp_path):
    """As ``old_suite_db``, from the suite at ``MAIN_SUITE_COMMIT`` (before issue #18)."""
    yield from _fresh_copy(main_suite_template, tmp_path)
