#!/usr/bin/env python3
"""Checks that the project's scripts can run: Odoo importable and PostgreSQL reachable.

Usage:
    preflight.py [-c CONFIG]                 check Odoo and PostgreSQL (starting the local cluster)
    preflight.py [-c CONFIG] odoo            check only that Odoo 18.0 is importable
    preflight.py [-c CONFIG] db-state NAME   print absent | empty | installed | seeded | half-seeded
    preflight.py [-c CONFIG] drop NAME       drop a database if it exists

Every failure is one clear message on stderr and exit status 2, never a traceback.
"""

import argparse
import configparser
import getpass
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = ROOT / "config" / "odoo.conf"
SUITE = ("sales_compliance", "sales_targets", "sales_assistant")
# marks a seeded database (scripts/seed writes it): "SIZE:in_progress" while seeding, then "SIZE"
MARKER_PARAM = "sales_suite.seed_size"


class PreflightError(Exception):
    """A missing prerequisite, with the way to provide it."""


def check_odoo():
    try:
        import odoo  # noqa: PLC0415
    except ImportError as exc:
        raise PreflightError(
            f"Odoo is not importable by {sys.executable} ({exc}).\n"
            "Run it with the environment the scripts set up (`python3 scripts/bootstrap.py` "
            "prints its python; set ODOO_SRC to an Odoo 18.0 source tree to use that one), or "
            "install Odoo 18.0 into this Python: `pip install -r requirements.txt && pip install "
            "--config-settings editable_mode=compat -e .` in an Odoo 18.0 source checkout."
        ) from None
    version = getattr(getattr(odoo, "release", None), "version_info", (0,))
    if tuple(version[:2]) != (18, 0):
        raise PreflightError(
            f"The importable Odoo is {odoo.release.version} at {Path(odoo.__file__).parent}; "
            "these addons need Odoo 18.0. Install Odoo 18.0 into this Python."
        )
    return odoo


def connection_params(config_path):
    """The connection Odoo will use: the config's db_* options, else libpq's PG* variables."""
    parser = configparser.ConfigParser()
    parser.read(config_path)
    options = parser["options"] if parser.has_section("options") else {}

    def opt(name):
        value = (options.get(name) or "").strip()
        return None if value in ("", "False", "false", "None") else value

    params = {
        "host": opt("db_host"),
        "port": opt("db_port"),
        "user": opt("db_user"),
        "password": opt("db_password"),
    }
    return {k: v for k, v in params.items() if v}


def connect(params, dbname="postgres"):
    import psycopg2  # noqa: PLC0415  (Odoo's own dependency)

    return psycopg2.connect(dbname=dbname, connect_timeout=5, **params)


def describe(params):
    host = params.get("host") or os.environ.get("PGHOST") or "the local socket"
    port = params.get("port") or os.environ.get("PGPORT") or "5432"
    user = params.get("user") or os.environ.get("PGUSER") or getpass.getuser()
    return f"{host} port {port} as {user}"


def local_clusters():
    if not shutil.which("pg_lsclusters"):
        return []
    out = subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=False)
    return [line.split() for line in out.stdout.splitlines() if line.strip()]


def uses_local_server(params):
    host = params.get("host") or os.environ.get("PGHOST")
    return not host or host.startswith("/") or host in ("localhost", "127.0.0.1", "::1")


def start_local_cluster():
    """Start the local Debian cluster if it is down. Returns True when something was started."""
    started = False
    for version, name, _port, status, *_rest in local_clusters():
        if status != "online":
            cmd = ["pg_ctlcluster", version, name, "start"]
            result = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if result.returncode != 0:
                raise PreflightError(
                    f"PostgreSQL cluster {version}/{name} is down and `{' '.join(cmd)}` failed: "
                    f"{result.stderr.strip() or result.stdout.strip()}\n"
                    "Start it as root or as the postgres user."
                )
            started = True
    return started


def create_role(user):
    if os.geteuid() != 0 or not shutil.which("runuser"):
        return False
    cmd = ["runuser", "-u", "postgres", "--", "createuser", "--superuser", user]
    return subprocess.run(cmd, capture_output=True, check=False).returncode == 0


def ensure_postgres(config_path):
    params = connection_params(config_path)
    try:
        import psycopg2  # noqa: PLC0415, F401
    except ImportError:
        raise PreflightError(
            "psycopg2 is missing: install Odoo 18.0's requirements into this Python."
        ) from None
    last_error, fixed = None, set()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            connect(params).close()
            return params
        except Exception as exc:  # psycopg2.OperationalError and friends
            last_error = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        if "role" in last_error and "does not exist" in last_error and "role" not in fixed:
            fixed.add("role")
            user = params.get("user") or os.environ.get("PGUSER") or getpass.getuser()
            if create_role(user):
                continue
            break
        if "cluster" not in fixed and uses_local_server(params):
            fixed.add("cluster")
            if not local_clusters() and not shutil.which("postgres"):
                raise PreflightError(
                    "PostgreSQL is not installed and no server is configured. Install it "
                    "(`apt-get install postgresql`) or point the PG* variables (PGHOST, PGPORT, "
                    "PGUSER, PGPASSWORD) or db_* options in config/odoo.conf at a server."
                )
            if start_local_cluster():
                fixed.add("started")
                continue
        if "started" not in fixed:
            break  # nothing was started: waiting would not help
        time.sleep(0.5)
    raise PreflightError(
        f"PostgreSQL is not reachable at {describe(params)}: {last_error}\n"
        "Start the local cluster (`pg_ctlcluster 15 main start`), or set PGHOST, PGPORT, "
        "PGUSER and PGPASSWORD (or db_host, db_port, db_user, db_password in config/odoo.conf)."
    )


def db_state(params, name):
    """Where a database stands for the scripts.

    ``absent`` (no database), ``empty`` (no suite installed), ``installed`` (suite installed,
    never seeded), ``seeded`` (the seed finished) or ``half-seeded`` (a seed committed part of
    its data and then died: the data cannot be completed in place, so callers start over).
    """
    conn = connect(params)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if not cr.fetchone():
                return "absent"
    finally:
        conn.close()
    conn = connect(params, name)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT to_regclass('ir_module_module') IS NOT NULL")
            if not cr.fetchone()[0]:
                return "empty"
            cr.execute(
                "SELECT count(*) FROM ir_module_module WHERE name IN %s AND state = 'installed'",
                (SUITE,),
            )
            if cr.fetchone()[0] != len(SUITE):
                return "empty"
            cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", (MARKER_PARAM,))
            marker = (cr.fetchone() or [None])[0]
            if not marker:
                return "installed"
            return "half-seeded" if marker.endswith(":in_progress") else "seeded"
    finally:
        conn.close()


def drop_db(params, name):
    conn = connect(params)
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (name,),
            )
            cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
    finally:
        conn.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-c", "--config", default=str(DEFAULT_CONFIG))
    parser.add_argument(
        "command", nargs="?", default="check", choices=["check", "odoo", "db-state", "drop"]
    )
    parser.add_argument("name", nargs="?")
    args = parser.parse_args(argv)
    try:
        check_odoo()
        if args.command == "odoo":
            return 0
        params = ensure_postgres(args.config)
        if args.command == "db-state":
            print(db_state(params, args.name))
        elif args.command == "drop":
            drop_db(params, args.name)
    except PreflightError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except Exception as exc:  # a clear line instead of a traceback
        print(f"error: {type(exc).__name__}: {exc}".strip(), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
