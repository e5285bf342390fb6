"""The seed's command line: ``python3 scripts/seed -d DB [--size tiny|demo|bench|x3|x10]
[--bulk|--no-bulk] [--lang zh_CN] [--addons-path ...] [-c odoo.conf]`` (``python3 -m seed`` from
``scripts/`` too)."""

import argparse
import sys
from pathlib import Path

if not __package__:  # run as ``python3 scripts/seed``: Python put scripts/seed/ on the path
    sys.path[0] = str(Path(__file__).resolve().parent.parent)

import preflight

from seed import MARKER_PARAM, SIZES, seed


def main(argv=None):
    parser = argparse.ArgumentParser(description="Seed an Odoo 18 database with sales data.")
    parser.add_argument("-d", "--database", required=True, help="database name")
    parser.add_argument("--size", choices=sorted(SIZES), default="demo")
    parser.add_argument(
        "--bulk",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="write the orders and their lines with PostgreSQL COPY (the default for the "
        "bench sizes: bench, x3, x10); --no-bulk: through the ORM",
    )
    parser.add_argument(
        "--lang",
        default="en_US",
        help="language of the company: loaded, used by the staff and the Chinese customers "
        "(e.g. zh_CN)",
    )
    parser.add_argument("--addons-path", help="Odoo addons path (comma separated)")
    parser.add_argument("-c", "--config", help="Odoo configuration file")
    args = parser.parse_args(argv)

    try:
        odoo = preflight.check_odoo()
        preflight.ensure_postgres(args.config or str(preflight.DEFAULT_CONFIG))
    except preflight.PreflightError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from odoo.modules.registry import Registry  # noqa: PLC0415

    odoo_args = ["-d", args.database]
    if args.config:
        odoo_args += ["-c", args.config]
    if args.addons_path:
        odoo_args += ["--addons-path", args.addons_path]
    try:
        odoo.tools.config.parse_config(odoo_args)
    except (Exception, SystemExit) as exc:  # bad config file / addons path
        print(f"seed: invalid Odoo configuration: {exc}", file=sys.stderr)
        return 2
    try:
        import psycopg2  # noqa: PLC0415

        with odoo.sql_db.db_connect(args.database).cursor() as cr:
            cr.execute("SELECT 1 FROM pg_class WHERE relname = 'ir_module_module'")
            if not cr.fetchone():
                print(f"seed: database {args.database!r} is not an Odoo database", file=sys.stderr)
                return 2
        registry = Registry(args.database)
    except psycopg2.Error as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"seed: cannot reach database {args.database!r}: {msg}", file=sys.stderr)
        return 2
    except Exception as exc:
        print(f"seed: cannot load database {args.database!r}: {exc}", file=sys.stderr)
        return 2

    from odoo.api import SUPERUSER_ID, Environment  # noqa: PLC0415

    if args.lang == "zh_CN":
        # a Chinese company keeps Chinese books: Odoo's Chinese chart of accounts (l10n_cn)
        with registry.cursor() as cr:
            env = Environment(cr, SUPERUSER_ID, {})
            seeded = env["ir.config_parameter"].get_param(MARKER_PARAM)
            module = env["ir.module.module"].search(
                [("name", "=", "l10n_cn"), ("state", "=", "uninstalled")]
            )
            if module and not seeded:
                print("[seed] installing l10n_cn (the Chinese chart of accounts)", flush=True)
                module.button_immediate_install()
        registry = Registry(args.database)

    with registry.cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {})
        try:
            result = seed(
                env,
                size=args.size,
                log=lambda m: print(m, flush=True),
                commit=True,
                lang=args.lang,
                bulk=SIZES[args.size].get("bench", False) if args.bulk is None else args.bulk,
            )
        except RuntimeError as exc:
            cr.rollback()
            print(f"seed: {exc}", file=sys.stderr)
            return 2
        cr.commit()
    if str(result.get("already_seeded", "")).endswith(":in_progress"):
        print(
            f"seed: a previous seed of {args.database} ({result['already_seeded']}) died "
            "before its first step or was of another size, so it cannot be continued; drop the "
            "database and seed a new one (scripts/run and the Docker init do this by themselves)",
            file=sys.stderr,
        )
        return 3
    if "already_seeded" in result:
        print(f"seed: {args.database} already seeded ({result['already_seeded']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
