"""From a machine with only Python to a database with the suite, as a new user goes.

``scripts/bootstrap.py`` sets up a virtual environment of its own with Odoo from ``ODOO_SRC``
(here: the Odoo tree this machine imports), and the addons, built as OCA-style wheels
(``odoo-addon-<name>``, by whool), install from there into a fresh database with no
addons_path entry for this repository."""

import ast
import configparser
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import preflight  # noqa: E402

SUITE = preflight.SUITE
NO_DEMO = ["--without-demo=all", "--stop-after-init"]
PIP_WHEEL = [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation"]


def run(cmd, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, cmd))}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheels")
    for addon in SUITE:
        run([*PIP_WHEEL, "--wheel-dir", str(out), str(ROOT / "addons" / addon)])
    return {path.name.split("-")[0]: path for path in out.glob("*.whl")}


def test_each_addon_builds_a_wheel_named_and_versioned_like_oca(wheels):
    assert sorted(wheels) == [f"odoo_addon_{addon}" for addon in sorted(SUITE)]
    for addon in SUITE:
        wheel = wheels[f"odoo_addon_{addon}"]
        manifest = ast.literal_eval((ROOT / "addons" / addon / "__manifest__.py").read_text())
        assert wheel.name.split("-")[1].startswith(manifest["version"])
        with zipfile.ZipFile(wheel) as archive:
            names = archive.namelist()
            metadata = archive.read(next(n for n in names if n.endswith("/METADATA"))).decode()
        assert f"odoo/addons/{addon}/__manifest__.py" in names
        assert f"odoo/addons/{addon}/i18n/zh_CN.po" in names
        assert "Requires-Dist: odoo==18.0.*" in metadata
        ours = {dep for dep in manifest["depends"] if dep in SUITE}
        required = {
            line.split(": ")[1].split("==")[0].removeprefix("odoo-addon-")
            for line in metadata.splitlines()
            if line.startswith("Requires-Dist: odoo-addon-")
        }
        assert required == ours  # Odoo's own addons come with Odoo, ours as wheels


def odoo_source_tree():
    """The Odoo source tree of the Odoo this machine imports: where it runs from (a checkout,
    an editable install), else the directory pip installed it from (``direct_url.json``)."""
    import importlib.metadata  # noqa: PLC0415

    import odoo  # noqa: PLC0415

    src = Path(odoo.__path__[0]).parent
    if (src / "setup.py").exists():
        return src
    origin = json.loads(
        importlib.metadata.distribution("odoo").read_text("direct_url.json") or "{}"
    )
    return Path(origin.get("url", "").removeprefix("file://") or src)


@pytest.fixture(scope="module")
def fresh_environment(tmp_path_factory):
    """A virtual environment set up from nothing by bootstrap.py, as on a new machine."""
    env_dir = tmp_path_factory.mktemp("bootstrap") / "venv"
    src = odoo_source_tree()
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("ODOO_PYTHON", "VIRTUAL_ENV")},
        "SALES_SUITE_VENV": str(env_dir),
        "ODOO_SRC": str(src),
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bootstrap.py"), "--standalone"],
        capture_output=True,
        text=True,
        env=env,
        timeout=1500,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return env_dir, Path(result.stdout.strip()), src, result.stderr


def test_bootstrap_sets_up_its_own_odoo_and_reuses_it(fresh_environment):
    env_dir, python, src, progress = fresh_environment
    assert python == env_dir / "bin" / "python"
    # its own environment: nothing of the machine's Python is used or touched
    assert "include-system-site-packages = false" in (env_dir / "pyvenv.cfg").read_text()
    where = run([str(python), "-c", "import odoo; print(odoo.__path__[0])"], cwd="/")
    assert where.strip() == str(src / "odoo")
    # serving needs none of the test tools: they come with --tools (scripts/test, scripts/lint)
    missing = subprocess.run([str(python), "-c", "import pytest_odoo"], capture_output=True)
    assert missing.returncode != 0
    for step in (
        "creating the virtual environment",
        "installing Odoo's Python requirements",
        "installing Odoo 18.0 (compat editable mode)",
        "ready",
    ):
        assert f"[setup] {step}" in progress
    again = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bootstrap.py"), "--standalone"],
        capture_output=True,
        text=True,
        env={**os.environ, "SALES_SUITE_VENV": str(env_dir), "ODOO_SRC": str(src)},
        check=False,
    )
    assert again.returncode == 0 and again.stdout.strip() == str(python)
    assert again.stderr == ""  # set up once, then reused


def test_bootstrap_says_what_is_missing_when_odoo_cannot_be_had(tmp_path):
    env = {
        **os.environ,
        "SALES_SUITE_VENV": str(tmp_path / "venv"),
        "ODOO_SRC": str(tmp_path / "not-odoo"),
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bootstrap.py"), "--standalone"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 2
    assert "is not an Odoo source tree" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "venv").exists()


def test_addons_install_from_the_wheels_into_a_fresh_database(wheels, fresh_environment, tmp_path):
    env_dir, python, _src, _progress = fresh_environment
    python = str(python)
    run([python, "-m", "pip", "install", "--quiet", "--no-index", *map(str, wheels.values())])

    params = preflight.ensure_postgres(str(preflight.DEFAULT_CONFIG))
    config = configparser.ConfigParser()
    config["options"] = {f"db_{key}": value for key, value in params.items()}
    config["options"].update(data_dir=str(tmp_path / "data"), log_level="warn")
    conf = tmp_path / "odoo.conf"
    with conf.open("w") as handle:
        config.write(handle)
    clean_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    where = run(
        [python, "-c", "import odoo.addons.sales_assistant as m; print(m.__file__)"],
        cwd=tmp_path,
        env=clean_env,
    )
    assert where.startswith(str(env_dir)), where

    db = f"sales_wheels_{os.getpid()}"
    preflight.drop_db(params, db)
    try:
        run(
            [python, "-m", "odoo", "-c", str(conf), "-d", db, "-i", ",".join(SUITE), *NO_DEMO],
            cwd=tmp_path,
            env=clean_env,
            timeout=900,
        )
        conn = preflight.connect(params, db)
        with conn, conn.cursor() as cr:
            cr.execute(
                "SELECT name, state FROM ir_module_module WHERE name IN %s ORDER BY name",
                (SUITE,),
            )
            assert cr.fetchall() == [(name, "installed") for name in sorted(SUITE)]
        conn.close()
    finally:
        preflight.drop_db(params, db)
