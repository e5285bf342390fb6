"""``scripts/bootstrap.py`` from the four places people start: Odoo in the system Python, Odoo in
a virtual environment of its own, an Odoo source tree named by ``ODOO_SRC``, and no Odoo at all.

Each run is hermetic: its own ``SALES_SUITE_VENV`` in a temporary directory, a ``python3`` on
``PATH`` chosen by the test, no package index (``PIP_NO_INDEX``), and none of the variables of
the machine that name an Odoo (``ODOO_SRC``, ``ODOO_PYTHON``, ``VIRTUAL_ENV``, ``PYTHONPATH``).
The whole set-up from ``ODOO_SRC``, with Odoo's requirements from an index, is
``tests/test_environment.py``."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOOTSTRAP = ROOT / "scripts" / "bootstrap.py"
SYSTEM_PYTHON = Path(sys.base_prefix) / "bin" / "python3"
WHERE_IS_ODOO = "import odoo, odoo.release; print(odoo.__path__[0], odoo.release.version)"


def python3_on_path(tmp_path, target, *options):
    """A directory holding a ``python3`` that runs ``target`` (with ``options``)."""
    bin_dir = tmp_path / "path"
    bin_dir.mkdir(exist_ok=True)
    wrapper = bin_dir / "python3"
    wrapper.write_text(f'#!/bin/sh\nexec "{target}" {" ".join(options)} "$@"\n')
    wrapper.chmod(0o755)
    return bin_dir


def bootstrap(tmp_path, bin_dir, *args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("ODOO_SRC", "ODOO_PYTHON", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")
    }
    clean.update(
        PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        SALES_SUITE_VENV=str(tmp_path / "venv"),
        ODOO_REPO=str(tmp_path / "no-such-repository"),  # never a clone from the network
        PIP_NO_INDEX="1",
        **env,
    )
    return subprocess.run(
        [str(bin_dir / "python3"), str(BOOTSTRAP), *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def odoo_of(python):
    result = subprocess.run(
        [str(python), "-c", WHERE_IS_ODOO], capture_output=True, text=True, check=False, cwd="/"
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def stub_odoo(where, version="18.0"):
    """An importable ``odoo`` package reporting ``version``, in ``where``."""
    package = where / "odoo"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    major, minor = map(int, version.split("."))
    (package / "release.py").write_text(
        f"version_info = ({major}, {minor}, 0, 'final', 0, '')\nversion = '{version}'\n"
    )
    return package


def runtime_pins():
    """The addons' own requirements (``requirements.txt``), as ``(name, version)``."""
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    pins = [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]
    return [tuple(pin.split("==")) for pin in pins]


def stub_wheels(where):
    """Empty wheels of the addons' requirements: a local "index" for ``PIP_FIND_LINKS``."""
    where.mkdir()
    for name, version in runtime_pins():
        info = f"{name}-{version}.dist-info"
        files = {
            f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
            f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
            "Tag: py3-none-any\n",
        }
        files[f"{info}/RECORD"] = "".join(f"{n},,\n" for n in [*files, f"{info}/RECORD"])
        with zipfile.ZipFile(where / f"{name}-{version}-py3-none-any.whl", "w") as wheel:
            for name_in_wheel, text in files.items():
                wheel.writestr(name_in_wheel, text)
    return where


def installed_stubs(site_dir):
    """The addons' requirements as installed in ``site_dir`` (metadata only)."""
    for name, version in runtime_pins():
        info = site_dir / f"{name}-{version}.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")


def site_packages(venv):
    return next((venv / "lib").glob("python3*/site-packages"))


@pytest.fixture
def company_venv(tmp_path):
    """A company's Odoo in a virtual environment of its own, installed in editable mode: its
    site-packages hold only a ``.pth`` pointing at the source tree, as ``pip install -e`` does.
    It does not see the system's packages, and its Odoo is not the system's."""
    venv = tmp_path / "company-venv"
    subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", "--without-pip", str(venv)], check=True)
    src = tmp_path / "company-odoo-src"
    stub_odoo(src)
    (site_packages(venv) / "__editable__.odoo-18.0.pth").write_text(f"{src}\n")
    installed_stubs(site_packages(venv))  # the company installed the addons' requirements
    return venv, src


def test_odoo_in_the_system_python_is_used_as_it_is(tmp_path):
    if subprocess.run([str(SYSTEM_PYTHON), "-c", "import odoo"], check=False).returncode:
        pytest.skip(f"Odoo is not installed in this machine's system Python ({SYSTEM_PYTHON})")
    bin_dir = python3_on_path(tmp_path, SYSTEM_PYTHON)
    # the addons' requirements, when this Python lacks them, from a local directory
    result = bootstrap(tmp_path, bin_dir, PIP_FIND_LINKS=str(stub_wheels(tmp_path / "wheels")))
    assert result.returncode == 0, result.stderr
    python = Path(result.stdout.strip())
    assert python == tmp_path / "venv" / "bin" / "python"
    assert odoo_of(python) == odoo_of(SYSTEM_PYTHON)
    assert "include-system-site-packages = true" in (tmp_path / "venv" / "pyvenv.cfg").read_text()
    assert "[setup] ready" in result.stderr
    # serving needs no test tools
    assert "test and lint tools" not in result.stderr
    found = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('phonenumbers'))"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert found.stdout.strip() == dict(runtime_pins())["phonenumbers"]
    again = bootstrap(tmp_path, bin_dir)
    assert (again.returncode, again.stdout, again.stderr) == (0, result.stdout, "")


@pytest.mark.parametrize("how", ["activated", "ODOO_PYTHON"])
def test_odoo_in_a_virtual_environment_is_found_in_its_site_packages(tmp_path, company_venv, how):
    venv, src = company_venv
    if how == "activated":  # its python3 comes first on PATH
        bin_dir, env = venv / "bin", {}
    else:  # named, while python3 is a Python without Odoo
        bin_dir = python3_on_path(tmp_path, SYSTEM_PYTHON, "-S")
        env = {"ODOO_PYTHON": str(venv / "bin" / "python")}
    result = bootstrap(tmp_path, bin_dir, **env)
    assert result.returncode == 0, result.stderr
    python = Path(result.stdout.strip())
    # the company's Odoo, not the system's one
    assert odoo_of(python) == [str(src / "odoo"), "18.0"]
    assert "[setup] using the site-packages of the environment of" in result.stderr
    assert "installing" not in result.stderr  # its Odoo has all the addons need: no index
    assert result.stderr.rstrip().endswith("[setup] ready")
    # later, from a shell where that environment is not activated: the same Odoo, reused
    bin_dir = python3_on_path(tmp_path, SYSTEM_PYTHON, "-S")
    again = bootstrap(tmp_path, bin_dir)
    assert (again.returncode, again.stdout, again.stderr) == (0, result.stdout, "")


def test_odoo_src_that_is_no_source_tree_is_a_clear_error(tmp_path):
    """ODOO_SRC is what is installed when no Python has Odoo (the whole install, with Odoo's
    requirements from an index: tests/test_environment.py); a wrong one says so at once."""
    bin_dir = python3_on_path(tmp_path, SYSTEM_PYTHON, "-S")  # a Python without Odoo
    result = bootstrap(tmp_path, bin_dir, ODOO_SRC=str(tmp_path))
    assert result.returncode == 2
    assert f"ODOO_SRC={tmp_path} is not an Odoo source tree" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "venv").exists()


def test_no_odoo_at_all_is_a_clear_error(tmp_path):
    bin_dir = python3_on_path(tmp_path, SYSTEM_PYTHON, "-S")  # a Python without Odoo
    result = bootstrap(tmp_path, bin_dir)
    assert result.returncode == 2
    assert "Odoo 18.0 is not importable and could not be set up" in result.stderr
    assert "Set ODOO_SRC to an Odoo 18.0 source tree" in result.stderr
    assert "Traceback" not in result.stderr and "ready" not in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "venv").exists()


def test_an_odoo_python_that_is_not_odoo_18_is_refused(tmp_path, company_venv):
    venv, src = company_venv
    (src / "odoo" / "release.py").write_text("version_info = (17, 0)\nversion = '17.0'\n")
    bin_dir = python3_on_path(tmp_path, SYSTEM_PYTHON, "-S")
    result = bootstrap(tmp_path, bin_dir, ODOO_PYTHON=str(venv / "bin" / "python"))
    assert result.returncode == 2
    assert f"ODOO_PYTHON={venv / 'bin' / 'python'} does not import Odoo 18.0" in result.stderr
    assert not (tmp_path / "venv").exists()
