"""The addons ship as OCA-style wheels (``odoo-addon-<name>``, built by whool) and install
from them into an Odoo that has no addons_path entry for this repository."""

import ast
import configparser
import os
import subprocess
import sys
import venv
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


def test_addons_install_from_the_wheels_into_a_fresh_database(wheels, tmp_path):
    env_dir = tmp_path / "venv"
    # the system site-packages hold the Odoo this machine runs, as a company's server would
    venv.create(env_dir, system_site_packages=True, with_pip=True)
    python = str(env_dir / "bin" / "python")
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
