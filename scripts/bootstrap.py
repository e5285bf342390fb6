#!/usr/bin/env python3
"""Find or set up the Python that runs Odoo 18.0 for the project's scripts.

Prints that interpreter's path on stdout; progress lines and errors go to stderr.

* If ``python3`` already imports Odoo 18.0 (a company's existing server), a virtual environment
  in ``var/venv`` is made *on top of it* (``--system-site-packages``): it sees their Odoo and
  touches nothing of theirs; only the test tools are installed, into the environment.
* Otherwise Odoo 18.0 is installed into ``var/venv`` once: from ``ODOO_SRC`` (an Odoo 18.0
  source tree) when set, else from a shallow clone of ``ODOO_REPO`` (default: the official
  repository), branch 18.0. Odoo goes in as a compat-mode editable install: a default editable
  install is shadowed by OCA addon wheels' ``odoo/addons`` folder.
* Debian packages it needs are installed when running as root (or with sudo); otherwise the
  exact ``apt-get`` line is printed.

Later runs reuse the environment; it is set up again when ``requirements-test.txt`` changes.
``SALES_SUITE_VENV`` names another directory. Every failure says what is missing and how to
provide it, and exits with status 2.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ODOO_REPO = "https://github.com/odoo/odoo.git"
ODOO_BRANCH = "18.0"
# Odoo's requirements build a few packages from source (psycopg2, python-ldap)
BUILD_PACKAGES = ["build-essential", "python3-dev", "libpq-dev", "libldap2-dev", "libsasl2-dev"]
RUNTIME_PACKAGES = ["postgresql", "chromium", "wkhtmltopdf", "fonts-noto-cjk", "poppler-utils"]
# some of Odoo's pinned requirements still import pkg_resources in their setup.py
BUILD_CONSTRAINT = "setuptools<70\n"
CHECK_ODOO = (
    "import odoo.release as r; import sys; sys.exit(0 if r.version_info[:2] == (18, 0) else 1)"
)


class SetupError(Exception):
    """What is missing, and how to provide it."""


def say(message):
    print(f"[setup] {message}", file=sys.stderr, flush=True)


def run(cmd, what, **kwargs):
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, **kwargs)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
        raise SetupError(f"{what} failed ({' '.join(map(str, cmd))}):\n{tail}")
    return result.stdout


def imports_odoo(python):
    return (
        subprocess.run([python, "-c", CHECK_ODOO], capture_output=True, check=False).returncode == 0
    )


# a package whose program may come from elsewhere (Google's Chrome in the Docker test image)
PROVIDED_BY = {"chromium": ("chromium", "google-chrome", "chromium-browser")}


def missing_debian_packages(names):
    if not shutil.which("dpkg-query"):
        return []
    missing = []
    for name in names:
        if any(shutil.which(program) for program in PROVIDED_BY.get(name, ())):
            continue
        out = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True, check=False
        )
        if "install ok installed" not in out.stdout:
            missing.append(name)
    return missing


def apt_install(names, required):
    """Install Debian packages as root or with sudo; otherwise say the line to run."""
    missing = missing_debian_packages(names)
    if not missing:
        return
    line = f"apt-get install -y {' '.join(missing)}"
    prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if prefix is not None:
        say(f"installing Debian packages: {' '.join(missing)}")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        quiet = {"env": env, "check": False, "stdout": subprocess.DEVNULL}  # stdout is the answer
        ok = subprocess.run([*prefix, "apt-get", "update", "-qq"], **quiet)
        if ok.returncode == 0:
            done = subprocess.run([*prefix, *line.split(), "-qq"], **quiet)
            if done.returncode == 0:
                return
    if required:
        raise SetupError(f"Debian packages are missing: run `sudo {line}`, then run this again.")
    say(f"optional Debian packages are missing (browser tours, PDF): `sudo {line}`")


def odoo_source(venv):
    """An Odoo 18.0 source tree: ODOO_SRC, or a shallow clone made once under var/."""
    src = os.environ.get("ODOO_SRC")
    if src:
        path = Path(src).expanduser().resolve()
        if not (path / "odoo" / "release.py").is_file() or not (path / "setup.py").is_file():
            raise SetupError(f"ODOO_SRC={src} is not an Odoo source tree (no setup.py, odoo/).")
        return path
    path = venv.parent / "odoo-18.0"
    if (path / "odoo" / "release.py").is_file():
        return path
    if not shutil.which("git"):
        raise SetupError("git is missing: `sudo apt-get install git`, or set ODOO_SRC.")
    repo = os.environ.get("ODOO_REPO", ODOO_REPO)
    say(f"cloning Odoo {ODOO_BRANCH} from {repo} (shallow)")
    try:
        run(
            ["git", "clone", "--depth", "1", "--branch", ODOO_BRANCH, repo, str(path)],
            "cloning Odoo",
        )
    except SetupError as exc:
        shutil.rmtree(path, ignore_errors=True)
        raise SetupError(
            f"{exc}\nSet ODOO_SRC to an Odoo 18.0 source tree, or ODOO_REPO to a reachable "
            "clone of it."
        ) from None
    return path


def test_requirements(python, venv):
    """requirements-test.txt, less the OCA addon wheels where Odoo is no pip distribution.

    Those wheels require the distribution ``odoo``: an Odoo run from a bare source tree or a
    system package has none, and pip would look for Odoo on PyPI and fail.
    """
    path = ROOT / "requirements-test.txt"
    check = "import importlib.metadata as m; m.version('odoo')"
    if subprocess.run([str(python), "-c", check], capture_output=True, check=False).returncode:
        say("this Odoo is no pip distribution: OCA's addon wheels are left out")
        lines = path.read_text().splitlines()
        path = venv / "requirements-test.txt"
        path.write_text("\n".join(line for line in lines if not line.startswith("odoo-addon-")))
    return path


def stamp(mode):
    requirements = (ROOT / "requirements-test.txt").read_bytes()
    return {"mode": mode, "requirements-test": hashlib.sha256(requirements).hexdigest()}


def setup(venv, standalone):
    system_python = shutil.which("python3") or sys.executable
    reuse = not standalone and imports_odoo(system_python)
    mode = "system-odoo" if reuse else "own-odoo"
    marker = venv / ".sales-suite.json"
    python = venv / "bin" / "python"
    if python.exists() and marker.is_file():
        if json.loads(marker.read_text()) == stamp(mode) and imports_odoo(str(python)):
            return python
    src = None if reuse else odoo_source(venv)
    if not reuse:
        apt_install(BUILD_PACKAGES, required=True)
    if venv.exists():
        shutil.rmtree(venv)
    venv.parent.mkdir(parents=True, exist_ok=True)
    say(f"creating the virtual environment {venv}" + (" on top of this Odoo" if reuse else ""))
    has_ensurepip = (
        subprocess.run(
            [system_python, "-c", "import ensurepip"], check=False, capture_output=True
        ).returncode
        == 0
    )
    cmd = [system_python, "-m", "venv", str(venv)]
    if reuse:
        cmd.append("--system-site-packages")
        if not has_ensurepip:
            cmd.append("--without-pip")  # the system's pip serves, installing into the venv
    elif not has_ensurepip:
        apt_install(["python3-venv"], required=True)
    run(cmd, "creating the virtual environment")
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    constraint = venv / "build-constraints.txt"
    constraint.write_text(BUILD_CONSTRAINT)
    pip_env = {**os.environ, "PIP_CONSTRAINT": str(constraint)}
    if not reuse:
        say(f"installing Odoo's Python requirements from {src / 'requirements.txt'}")
        run(
            [*pip, "-r", str(src / "requirements.txt")],
            "installing Odoo's requirements",
            env=pip_env,
        )
        say("installing Odoo 18.0 (compat editable mode)")
        run(
            [*pip, "--no-deps", "--config-settings", "editable_mode=compat", "-e", str(src)],
            "installing Odoo",
            env=pip_env,
        )
        if not imports_odoo(str(python)):
            raise SetupError(f"Odoo from {src} is installed but is not Odoo 18.0.")
    say("installing the test and lint tools (requirements-test.txt)")
    run(
        [*pip, "-r", str(test_requirements(python, venv))],
        "installing requirements-test.txt",
        env=pip_env,
    )
    apt_install(RUNTIME_PACKAGES, required=False)
    marker.write_text(json.dumps(stamp(mode)))
    say("ready")
    return python


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    venv = Path(os.environ.get("SALES_SUITE_VENV") or ROOT / "var" / "venv").resolve()
    try:
        python = setup(venv, standalone="--standalone" in args)
    except SetupError as exc:
        print(
            f"error: Odoo 18.0 is not importable and could not be set up: {exc}",
            file=sys.stderr,
        )
        return 2
    print(python)
    return 0


if __name__ == "__main__":
    sys.exit(main())
