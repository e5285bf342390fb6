#!/usr/bin/env python3
"""Find or set up the Python that runs Odoo 18.0 for the project's scripts.

Prints that interpreter's path on stdout; progress lines and errors go to stderr.

* If ``ODOO_PYTHON`` (else ``python3``) already imports Odoo 18.0 (a company's existing server),
  a virtual environment in ``var/venv`` is made *on top of it*: it sees the system Python's
  packages (``--system-site-packages``) and, when that Odoo lives in a virtual environment of its
  own, that environment's site-packages too (``sales-suite-odoo.pth``). Nothing of theirs is
  touched.
* Otherwise Odoo 18.0 is installed into ``var/venv`` once: from ``ODOO_SRC`` (an Odoo 18.0
  source tree) when set, else from a shallow clone of ``ODOO_REPO`` (default: the official
  repository), branch 18.0. Odoo goes in as a compat-mode editable install: a default editable
  install is shadowed by OCA addon wheels' ``odoo/addons`` folder.
* Debian packages it needs are installed when running as root (or with sudo); otherwise the
  exact ``apt-get`` line is printed.

The addons' own requirements (``requirements.txt``) are installed into the environment unless
that Odoo's Python has them. ``--tools`` also installs the test and lint tools
(``requirements-test.txt``, and OCA's modules of ``requirements-oca.txt``): ``scripts/test``
and ``scripts/lint`` ask for them, ``scripts/run`` does not, so a machine that reaches no
package index still serves a demo from an existing Odoo.

The environment is checked to import Odoo 18.0 before "ready". Later runs reuse it; the tools
are installed again when their requirement files change. ``SALES_SUITE_VENV`` names another
directory. Every failure says what is missing and how to provide it, and exits with status 2.
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


# Where the Python that runs Odoo finds its packages: a virtual environment's site-packages are
# not the system's, so ``--system-site-packages`` alone would not see that Odoo.
SITE_INFO = (
    "import json, site, sys; print(json.dumps({'venv': sys.prefix != sys.base_prefix, "
    "'site': site.getsitepackages()}))"
)
ODOO_PTH = "sales-suite-odoo.pth"


def odoo_python():
    """The Python of an existing Odoo 18.0: ``ODOO_PYTHON``, else ``python3``; None if neither."""
    named = os.environ.get("ODOO_PYTHON")
    if named:
        if not imports_odoo(named):
            raise SetupError(f"ODOO_PYTHON={named} does not import Odoo 18.0.")
        return named
    python = shutil.which("python3") or sys.executable
    return python if imports_odoo(python) else None


def link_site_packages(python, venv_python):
    """Let ``venv_python`` see the site-packages of ``python`` when it is a virtual environment.

    A ``.pth`` line starting with ``import`` runs at start-up: ``site.addsitedir`` also reads
    the ``.pth`` files there (an editable install of Odoo is one)."""
    info = json.loads(run([python, "-c", SITE_INFO], "reading the site-packages of " + python))
    if not info["venv"]:
        return
    site_dir = run(
        [str(venv_python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        "reading the site-packages of the environment",
    ).strip()
    dirs = [d for d in info["site"] if Path(d).is_dir()]
    say(f"using the site-packages of the environment of {python}")
    line = "import site; " + "; ".join(f"site.addsitedir({d!r})" for d in dirs)
    (Path(site_dir) / ODOO_PTH).write_text(line + "\n")


def file_hash(*names):
    digest = hashlib.sha256()
    for name in names:
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


TOOL_FILES = ("requirements-test.txt", "requirements-oca.txt")
# What the addons need beyond Odoo (phonenumbers, which Odoo leaves optional)
RUNTIME_FILE = "requirements.txt"
SATISFIED = (
    "import importlib.metadata as m, sys\n"
    "for line in sys.argv[1:]:\n"
    "    name, _, version = line.partition('==')\n"
    "    try:\n"
    "        found = m.version(name)\n"
    "    except m.PackageNotFoundError:\n"
    "        found = None\n"
    "    if found != version: print(line)\n"
)


def install_runtime(python, pip_env):
    """The addons' own requirements (``requirements.txt``), unless already there: a machine that
    reaches no package index serves from an Odoo that has them."""
    pins = [
        line.split("#")[0].strip()
        for line in (ROOT / RUNTIME_FILE).read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    missing = run([str(python), "-c", SATISFIED, *pins], "reading the installed packages").split()
    if not missing:
        return
    say(f"installing the addons' requirements ({RUNTIME_FILE}): {' '.join(missing)}")
    run([*pip_install(python), *missing], f"installing {' '.join(missing)}", env=pip_env)


def pip_install(python):
    """``pip install`` into the environment of ``python``; its pip, else ensurepip's."""
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    if subprocess.run([*pip[:3], "--version"], capture_output=True, check=False).returncode:
        run([str(python), "-m", "ensurepip"], "installing pip into the environment")
    return pip


def install_tools(python, pip_env):
    """The test and lint tools, and OCA's modules the suite is tested next to.

    OCA's addon wheels require the distribution ``odoo``, which an Odoo run from a source tree
    or a Debian package is not: they go in without dependencies, the whole set being pinned in
    ``requirements-oca.txt``, so that they are never left out."""
    pip = pip_install(python)
    say("installing the test and lint tools (requirements-test.txt)")
    run(
        [*pip, "-r", str(ROOT / "requirements-test.txt")],
        "installing requirements-test.txt",
        env=pip_env,
    )
    say("installing OCA's modules without dependencies (requirements-oca.txt)")
    run(
        [*pip, "--no-deps", "-r", str(ROOT / "requirements-oca.txt")],
        "installing requirements-oca.txt",
        env=pip_env,
    )


def setup(venv, standalone, tools):
    marker = venv / ".sales-suite.json"
    python = venv / "bin" / "python"
    state = json.loads(marker.read_text()) if marker.is_file() else {}
    existing = None if standalone else odoo_python()
    if not existing and not standalone and state.get("mode") == "existing-odoo":
        # the Odoo found last time, in an environment no longer activated: still the one
        if imports_odoo(state["odoo-python"]):
            existing = state["odoo-python"]
    mode = {"mode": "existing-odoo" if existing else "own-odoo", "odoo-python": existing}
    if python.exists() and {k: state.get(k) for k in mode} == mode and imports_odoo(str(python)):
        if state.get("runtime") != file_hash(RUNTIME_FILE):
            install_runtime(python, build_env(venv))
            state["runtime"] = file_hash(RUNTIME_FILE)
            marker.write_text(json.dumps(state))
        if tools and state.get("tools") != file_hash(*TOOL_FILES):
            install_tools(python, build_env(venv))
            marker.write_text(json.dumps({**state, "tools": file_hash(*TOOL_FILES)}))
        return python
    src = None if existing else odoo_source(venv)
    if not existing:
        apt_install(BUILD_PACKAGES, required=True)
    if venv.exists():
        shutil.rmtree(venv)
    venv.parent.mkdir(parents=True, exist_ok=True)
    base = existing or shutil.which("python3") or sys.executable
    say(f"creating the virtual environment {venv}" + (" on top of this Odoo" if existing else ""))
    cmd = [base, "-m", "venv", str(venv)]
    if existing:
        # the pip of that Odoo's Python serves, installing into the venv (and ensurepip when
        # the tools need a pip that it lacks): no half-minute copy of pip to serve a demo
        cmd += ["--system-site-packages", "--without-pip"]
    elif subprocess.run([base, "-c", "import ensurepip"], capture_output=True).returncode:
        apt_install(["python3-venv"], required=True)
    run(cmd, "creating the virtual environment")
    pip_env = build_env(venv)
    if existing:
        link_site_packages(existing, python)
    else:
        pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
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
        where = f"the Odoo of {existing}" if existing else f"Odoo from {src}"
        shutil.rmtree(venv, ignore_errors=True)
        raise SetupError(
            f"{venv} was made with {where} but does not import Odoo 18.0: "
            f"`{python} -c 'import odoo.release'` fails."
        )
    install_runtime(python, pip_env)
    state = {**mode, "runtime": file_hash(RUNTIME_FILE)}
    if tools:
        install_tools(python, pip_env)
        state["tools"] = file_hash(*TOOL_FILES)
    apt_install(RUNTIME_PACKAGES, required=False)
    marker.write_text(json.dumps(state))
    say("ready")
    return python


def build_env(venv):
    """pip's environment: a build constraint for Odoo's older requirements."""
    constraint = venv / "build-constraints.txt"
    constraint.write_text(BUILD_CONSTRAINT)
    return {**os.environ, "PIP_CONSTRAINT": str(constraint)}


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    venv = Path(os.environ.get("SALES_SUITE_VENV") or ROOT / "var" / "venv").resolve()
    try:
        python = setup(venv, standalone="--standalone" in args, tools="--tools" in args)
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
